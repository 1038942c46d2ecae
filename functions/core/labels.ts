/**
 * The words the site writes itself (headings, links, the digest's footer, the 404 page…), in the site's
 * language. Built-in tables for a few languages, picked by the primary subtag of `site.yaml`'s `language`
 * (`fr-CA` → fr); any other language gets English, and `site.yaml`'s `labels:` overrides any word.
 *
 * A phrase with a value in it is a template with `{name}` placeholders rather than a function, so that an
 * author can override it in YAML and so that its own text is escaped apart from the values put into it.
 */

/** English: the bytes every English page had before labels existed, so keep them exactly. */
export const ENGLISH_LABELS = {
  // The header and the pager of every page (`layout.ts`); the menus' names are read by screen readers.
  pagesMenu: 'Pages',
  feedsMenu: 'Subscribe',
  pagerMenu: 'More articles',
  newerArticles: 'Newer articles',
  olderArticles: 'Older articles',
  // The home page and its older pages.
  noArticles: 'No articles yet.',
  olderArticlesPage: 'Older articles, page {page}',
  pageNumber: 'Page {page}',
  pageDates: 'Page {page}: {from} to {to}',
  topics: 'Topics',
  // Tag pages and tag feeds.
  followTag: 'Follow this tag:',
  allTopics: 'All topics',
  tagOlderArticles: '{tag}: older articles',
  tagOlderArticlesPage: '{tag}, older articles, page {page}',
  tagDescription: 'Articles tagged “{tag}” on {site}',
  // The topics page (`tags/`), and counts wherever articles are counted.
  topicsDescription: 'Every topic on {site}, with its feeds',
  topicsIntro: 'Each topic has its own feeds. To follow them all in one go, import {opml} into your reader.',
  topicsOpmlLink: "the site's feed list (OPML)",
  articleCountOne: '{count} article',
  articleCountOther: '{count} articles',
  // Article pages.
  tagsMenu: 'Tags',
  updatedOn: 'updated {date}',
  // `404.html` and the pages at an article's old addresses.
  notFoundTitle: 'Page not found',
  notFoundText:
    'There is no page at this address. The link may be mistyped, or the article may have been moved or taken down.',
  notFoundLink: 'The newest articles on {site}',
  movedTo: 'This article is now at {link}.',
  // Digests: the web page, the email, their subject and the digests' index, unsubscribe page and feed.
  weekOf: 'Week of {date}',
  subjectMoreOne: '(+{count} more)',
  subjectMoreOther: '(+{count} more)',
  subscriber: 'Subscriber',
  viewInBrowser: 'View in your browser',
  readArticle: 'Read the article',
  listen: 'Listen',
  watch: 'Watch',
  download: 'Download',
  digestFooter: 'You are receiving this digest because you subscribed to {site}.',
  unsubscribe: 'Unsubscribe',
  pastDigests: 'Past digests',
  digestsTitle: 'Digests',
  digestsFeedTitle: '{site} digests',
  digestsIntro:
    '{site} as a {cadence} digest: every article of the period, newest first. Also as a feed: {feeds}.',
  digestsFeedDescription: 'Every {cadence} digest of {site}',
  daily: 'daily',
  weekly: 'weekly',
  monthly: 'monthly',
  unsubscribeText:
    'Every {site} digest sent by email carries a personal unsubscribe link: at the foot of the message, and as the “Unsubscribe” button most mail apps show next to the sender. Use it and no further digest will be sent to you.',
  unsubscribeHelp:
    'This page cannot unsubscribe you by itself, because it does not know your address. If the message you received has no such link, reply to it and ask.',
  // `feeds.opml`.
  opmlTitle: '{site}: feeds',
  opmlTags: 'Tags',
  opmlDigests: 'Every {cadence} digest',
  opmlTag: 'Articles tagged “{tag}”',
  // `feed.css`: the notice above a feed opened in a browser.
  feedNotice: 'This is a web feed. Copy this page’s address into a feed reader to follow new articles.',
} as const;

export type LabelKey = keyof typeof ENGLISH_LABELS;

/** Every word and phrase the site writes itself; `{name}` marks where a value goes. */
export type Labels = { readonly [K in LabelKey]: string };

export const LABEL_KEYS = Object.keys(ENGLISH_LABELS) as LabelKey[];

// French typography puts a no-break space before : and inside « ».
const FRENCH_LABELS: Labels = {
  pagesMenu: 'Pages',
  feedsMenu: 'S’abonner',
  pagerMenu: 'Autres articles',
  newerArticles: 'Articles plus récents',
  olderArticles: 'Articles plus anciens',
  noArticles: 'Aucun article pour l’instant.',
  olderArticlesPage: 'Articles plus anciens, page {page}',
  pageNumber: 'Page {page}',
  pageDates: 'Page {page}\u00a0: du {from} au {to}',
  topics: 'Thèmes',
  followTag: 'Suivre ce thème\u00a0:',
  allTopics: 'Tous les thèmes',
  tagOlderArticles: '{tag}\u00a0: articles plus anciens',
  tagOlderArticlesPage: '{tag}, articles plus anciens, page {page}',
  tagDescription: 'Articles du thème «\u00a0{tag}\u00a0» sur {site}',
  topicsDescription: 'Tous les thèmes de {site}, avec leurs flux',
  topicsIntro:
    'Chaque thème a ses propres flux. Pour les suivre tous d’un coup, importez {opml} dans votre lecteur de flux.',
  topicsOpmlLink: 'la liste des flux du site (OPML)',
  articleCountOne: '{count} article',
  articleCountOther: '{count} articles',
  tagsMenu: 'Mots-clés',
  updatedOn: 'mis à jour le {date}',
  notFoundTitle: 'Page introuvable',
  notFoundText:
    'Il n’y a aucune page à cette adresse. Le lien est peut-être erroné, ou l’article a pu être déplacé ou retiré.',
  notFoundLink: 'Les derniers articles de {site}',
  movedTo: 'Cet article se trouve désormais à l’adresse {link}.',
  weekOf: 'Semaine du {date}',
  subjectMoreOne: '(+{count} autre)',
  subjectMoreOther: '(+{count} autres)',
  subscriber: 'Abonné',
  viewInBrowser: 'Voir la version en ligne',
  readArticle: 'Lire l’article',
  listen: 'Écouter',
  watch: 'Regarder',
  download: 'Télécharger',
  digestFooter: 'Vous recevez ce résumé parce que vous êtes abonné à {site}.',
  unsubscribe: 'Se désabonner',
  pastDigests: 'Résumés précédents',
  digestsTitle: 'Résumés',
  digestsFeedTitle: 'Résumés de {site}',
  digestsIntro:
    '{site} en résumé {cadence}\u00a0: tous les articles de la période, du plus récent au plus ancien. Aussi en flux\u00a0: {feeds}.',
  digestsFeedDescription: 'Chaque résumé {cadence} de {site}',
  daily: 'quotidien',
  weekly: 'hebdomadaire',
  monthly: 'mensuel',
  unsubscribeText:
    'Chaque résumé de {site} envoyé par e-mail contient un lien de désabonnement personnel\u00a0: en bas du message, et sous la forme du bouton «\u00a0Se désabonner\u00a0» que la plupart des messageries affichent à côté de l’expéditeur. Utilisez-le et vous ne recevrez plus aucun résumé.',
  unsubscribeHelp:
    'Cette page ne peut pas vous désabonner elle-même, car elle ne connaît pas votre adresse. Si le message que vous avez reçu ne contient pas ce lien, répondez-y pour en faire la demande.',
  opmlTitle: 'Flux de {site}',
  opmlTags: 'Thèmes',
  opmlDigests: 'Chaque résumé {cadence}',
  opmlTag: 'Articles du thème «\u00a0{tag}\u00a0»',
  feedNotice:
    'Ceci est un flux web. Copiez l’adresse de cette page dans un lecteur de flux pour suivre les nouveaux articles.',
};

// "Newsletter (wöchentlich)" rather than an adjective before a noun, whose ending would depend on the case.
const GERMAN_LABELS: Labels = {
  pagesMenu: 'Seiten',
  feedsMenu: 'Abonnieren',
  pagerMenu: 'Weitere Artikel',
  newerArticles: 'Neuere Artikel',
  olderArticles: 'Ältere Artikel',
  noArticles: 'Noch keine Artikel.',
  olderArticlesPage: 'Ältere Artikel, Seite {page}',
  pageNumber: 'Seite {page}',
  pageDates: 'Seite {page}: vom {from} bis {to}',
  topics: 'Themen',
  followTag: 'Diesem Thema folgen:',
  allTopics: 'Alle Themen',
  tagOlderArticles: '{tag}: ältere Artikel',
  tagOlderArticlesPage: '{tag}, ältere Artikel, Seite {page}',
  tagDescription: 'Artikel zum Thema „{tag}“ auf {site}',
  topicsDescription: 'Alle Themen auf {site}, mit ihren Feeds',
  topicsIntro:
    'Jedes Thema hat eigene Feeds. Um allen auf einmal zu folgen, importieren Sie {opml} in Ihren Feedreader.',
  topicsOpmlLink: 'die Feed-Liste der Website (OPML)',
  articleCountOne: '{count} Artikel',
  articleCountOther: '{count} Artikel',
  tagsMenu: 'Schlagwörter',
  updatedOn: 'aktualisiert am {date}',
  notFoundTitle: 'Seite nicht gefunden',
  notFoundText:
    'Unter dieser Adresse gibt es keine Seite. Vielleicht ist der Link fehlerhaft, oder der Artikel wurde verschoben oder entfernt.',
  notFoundLink: 'Die neuesten Artikel auf {site}',
  movedTo: 'Dieser Artikel ist jetzt unter {link} zu finden.',
  weekOf: 'Woche vom {date}',
  subjectMoreOne: '(+{count} weiterer)',
  subjectMoreOther: '(+{count} weitere)',
  subscriber: 'Abonnent',
  viewInBrowser: 'Im Browser ansehen',
  readArticle: 'Artikel lesen',
  listen: 'Anhören',
  watch: 'Ansehen',
  download: 'Herunterladen',
  digestFooter: 'Sie erhalten diesen Newsletter, weil Sie {site} abonniert haben.',
  unsubscribe: 'Abmelden',
  pastDigests: 'Frühere Ausgaben',
  digestsTitle: 'Newsletter',
  digestsFeedTitle: 'Newsletter von {site}',
  digestsIntro:
    '{site} als Newsletter ({cadence}): alle Artikel des Zeitraums, die neuesten zuerst. Auch als Feed: {feeds}.',
  digestsFeedDescription: 'Alle Ausgaben des Newsletters von {site} ({cadence})',
  daily: 'täglich',
  weekly: 'wöchentlich',
  monthly: 'monatlich',
  unsubscribeText:
    'Jede Ausgabe des Newsletters von {site}, die per E-Mail verschickt wird, enthält einen persönlichen Abmeldelink: am Ende der Nachricht und als Schaltfläche „Abmelden“, die die meisten E-Mail-Programme neben dem Absender anzeigen. Nutzen Sie ihn, und Sie erhalten keine weiteren Ausgaben.',
  unsubscribeHelp:
    'Diese Seite kann Sie nicht selbst abmelden, da sie Ihre Adresse nicht kennt. Enthält die erhaltene Nachricht keinen solchen Link, antworten Sie darauf und bitten Sie um Abmeldung.',
  opmlTitle: 'Feeds von {site}',
  opmlTags: 'Themen',
  opmlDigests: 'Newsletter ({cadence})',
  opmlTag: 'Artikel zum Thema „{tag}“',
  feedNotice:
    'Dies ist ein Web-Feed. Kopieren Sie die Adresse dieser Seite in einen Feedreader, um neuen Artikeln zu folgen.',
};

const SPANISH_LABELS: Labels = {
  pagesMenu: 'Páginas',
  feedsMenu: 'Suscribirse',
  pagerMenu: 'Más artículos',
  newerArticles: 'Artículos más recientes',
  olderArticles: 'Artículos anteriores',
  noArticles: 'Todavía no hay artículos.',
  olderArticlesPage: 'Artículos anteriores, página {page}',
  pageNumber: 'Página {page}',
  pageDates: 'Página {page}: del {from} al {to}',
  topics: 'Temas',
  followTag: 'Seguir este tema:',
  allTopics: 'Todos los temas',
  tagOlderArticles: '{tag}: artículos anteriores',
  tagOlderArticlesPage: '{tag}, artículos anteriores, página {page}',
  tagDescription: 'Artículos sobre «{tag}» en {site}',
  topicsDescription: 'Todos los temas de {site}, con sus feeds',
  topicsIntro:
    'Cada tema tiene sus propios feeds. Para seguirlos todos a la vez, importa {opml} en tu lector de feeds.',
  topicsOpmlLink: 'la lista de feeds del sitio (OPML)',
  articleCountOne: '{count} artículo',
  articleCountOther: '{count} artículos',
  tagsMenu: 'Etiquetas',
  updatedOn: 'actualizado el {date}',
  notFoundTitle: 'Página no encontrada',
  notFoundText:
    'No hay ninguna página en esta dirección. Puede que el enlace esté mal escrito o que el artículo se haya movido o retirado.',
  notFoundLink: 'Los artículos más recientes de {site}',
  movedTo: 'Este artículo se encuentra ahora en {link}.',
  weekOf: 'Semana del {date}',
  subjectMoreOne: '(+{count} más)',
  subjectMoreOther: '(+{count} más)',
  subscriber: 'Suscriptor',
  viewInBrowser: 'Ver en el navegador',
  readArticle: 'Leer el artículo',
  listen: 'Escuchar',
  watch: 'Ver',
  download: 'Descargar',
  digestFooter: 'Recibes este boletín porque te suscribiste a {site}.',
  unsubscribe: 'Darse de baja',
  pastDigests: 'Boletines anteriores',
  digestsTitle: 'Boletines',
  digestsFeedTitle: 'Boletines de {site}',
  digestsIntro:
    '{site} en un boletín {cadence}: todos los artículos del periodo, del más reciente al más antiguo. También como feed: {feeds}.',
  digestsFeedDescription: 'Cada boletín {cadence} de {site}',
  daily: 'diario',
  weekly: 'semanal',
  monthly: 'mensual',
  unsubscribeText:
    'Cada boletín de {site} enviado por correo electrónico incluye un enlace personal para darse de baja: al pie del mensaje y como el botón «Cancelar suscripción» que la mayoría de las aplicaciones de correo muestran junto al remitente. Úsalo y no volverás a recibir ningún boletín.',
  unsubscribeHelp:
    'Esta página no puede darte de baja por sí sola, porque no conoce tu dirección. Si el mensaje que recibiste no incluye ese enlace, respóndelo y pide la baja.',
  opmlTitle: 'Feeds de {site}',
  opmlTags: 'Temas',
  opmlDigests: 'Cada boletín {cadence}',
  opmlTag: 'Artículos sobre «{tag}»',
  feedNotice:
    'Esto es un feed web. Copia la dirección de esta página en un lector de feeds para seguir los nuevos artículos.',
};

// "Newsletter" is feminine in Italian; "aggiornato: {date}" avoids "il 8" (which Italian elides, "l’8").
const ITALIAN_LABELS: Labels = {
  pagesMenu: 'Pagine',
  feedsMenu: 'Iscriviti',
  pagerMenu: 'Altri articoli',
  newerArticles: 'Articoli più recenti',
  olderArticles: 'Articoli meno recenti',
  noArticles: 'Ancora nessun articolo.',
  olderArticlesPage: 'Articoli meno recenti, pagina {page}',
  pageNumber: 'Pagina {page}',
  pageDates: 'Pagina {page}: {from} – {to}',
  topics: 'Argomenti',
  followTag: 'Segui questo argomento:',
  allTopics: 'Tutti gli argomenti',
  tagOlderArticles: '{tag}: articoli meno recenti',
  tagOlderArticlesPage: '{tag}, articoli meno recenti, pagina {page}',
  tagDescription: 'Articoli su «{tag}» di {site}',
  topicsDescription: 'Tutti gli argomenti di {site}, con i loro feed',
  topicsIntro:
    'Ogni argomento ha i suoi feed. Per seguirli tutti in una volta, importa {opml} nel tuo lettore di feed.',
  topicsOpmlLink: 'l’elenco dei feed del sito (OPML)',
  articleCountOne: '{count} articolo',
  articleCountOther: '{count} articoli',
  tagsMenu: 'Tag',
  updatedOn: 'aggiornato: {date}',
  notFoundTitle: 'Pagina non trovata',
  notFoundText:
    'Non esiste alcuna pagina a questo indirizzo. Il link potrebbe contenere un errore, oppure l’articolo potrebbe essere stato spostato o rimosso.',
  notFoundLink: 'Gli ultimi articoli di {site}',
  movedTo: 'Questo articolo ora si trova all’indirizzo {link}.',
  weekOf: 'Settimana del {date}',
  subjectMoreOne: '(+{count} altro)',
  subjectMoreOther: '(+{count} altri)',
  subscriber: 'Iscritto',
  viewInBrowser: 'Visualizza nel browser',
  readArticle: 'Leggi l’articolo',
  listen: 'Ascolta',
  watch: 'Guarda',
  download: 'Scarica',
  digestFooter: 'Ricevi questa newsletter perché sei iscritto a {site}.',
  unsubscribe: 'Annulla l’iscrizione',
  pastDigests: 'Numeri precedenti',
  digestsTitle: 'Newsletter',
  digestsFeedTitle: 'Newsletter di {site}',
  digestsIntro:
    '{site} in una newsletter {cadence}: tutti gli articoli del periodo, dal più recente al meno recente. Anche come feed: {feeds}.',
  digestsFeedDescription: 'Ogni newsletter {cadence} di {site}',
  daily: 'quotidiana',
  weekly: 'settimanale',
  monthly: 'mensile',
  unsubscribeText:
    'Ogni newsletter di {site} inviata per email contiene un link personale per annullare l’iscrizione: in fondo al messaggio e come pulsante «Annulla iscrizione» che la maggior parte delle app di posta mostra accanto al mittente. Usalo e non riceverai più alcuna newsletter.',
  unsubscribeHelp:
    'Questa pagina non può annullare l’iscrizione da sola, perché non conosce il tuo indirizzo. Se il messaggio che hai ricevuto non contiene quel link, rispondi chiedendo la cancellazione.',
  opmlTitle: 'Feed di {site}',
  opmlTags: 'Argomenti',
  opmlDigests: 'Ogni newsletter {cadence}',
  opmlTag: 'Articoli su «{tag}»',
  feedNotice:
    'Questo è un feed web. Copia l’indirizzo di questa pagina in un lettore di feed per seguire i nuovi articoli.',
};

// Brazilian usage (the larger readership); a site in pt-PT may override the few words that differ.
const PORTUGUESE_LABELS: Labels = {
  pagesMenu: 'Páginas',
  feedsMenu: 'Assinar',
  pagerMenu: 'Mais artigos',
  newerArticles: 'Artigos mais recentes',
  olderArticles: 'Artigos anteriores',
  noArticles: 'Ainda não há artigos.',
  olderArticlesPage: 'Artigos anteriores, página {page}',
  pageNumber: 'Página {page}',
  pageDates: 'Página {page}: de {from} a {to}',
  topics: 'Temas',
  followTag: 'Seguir este tema:',
  allTopics: 'Todos os temas',
  tagOlderArticles: '{tag}: artigos anteriores',
  tagOlderArticlesPage: '{tag}, artigos anteriores, página {page}',
  tagDescription: 'Artigos sobre “{tag}” em {site}',
  topicsDescription: 'Todos os temas de {site}, com seus feeds',
  topicsIntro:
    'Cada tema tem seus próprios feeds. Para seguir todos de uma vez, importe {opml} no seu leitor de feeds.',
  topicsOpmlLink: 'a lista de feeds do site (OPML)',
  articleCountOne: '{count} artigo',
  articleCountOther: '{count} artigos',
  tagsMenu: 'Tags',
  updatedOn: 'atualizado em {date}',
  notFoundTitle: 'Página não encontrada',
  notFoundText:
    'Não há nenhuma página neste endereço. O link pode estar errado, ou o artigo pode ter sido movido ou removido.',
  notFoundLink: 'Os artigos mais recentes de {site}',
  movedTo: 'Este artigo agora está em {link}.',
  weekOf: 'Semana de {date}',
  subjectMoreOne: '(e mais {count})',
  subjectMoreOther: '(e mais {count})',
  subscriber: 'Assinante',
  viewInBrowser: 'Ver no navegador',
  readArticle: 'Ler o artigo',
  listen: 'Ouvir',
  watch: 'Assistir',
  download: 'Baixar',
  digestFooter: 'Você está recebendo este resumo porque se inscreveu em {site}.',
  unsubscribe: 'Cancelar inscrição',
  pastDigests: 'Resumos anteriores',
  digestsTitle: 'Resumos',
  digestsFeedTitle: 'Resumos de {site}',
  digestsIntro:
    '{site} em um resumo {cadence}: todos os artigos do período, do mais recente ao mais antigo. Também como feed: {feeds}.',
  digestsFeedDescription: 'Cada resumo {cadence} de {site}',
  daily: 'diário',
  weekly: 'semanal',
  monthly: 'mensal',
  unsubscribeText:
    'Cada resumo de {site} enviado por e-mail traz um link pessoal para cancelar a inscrição: no fim da mensagem e como o botão “Cancelar inscrição” que a maioria dos aplicativos de e-mail mostra ao lado do remetente. Use-o e você não receberá mais nenhum resumo.',
  unsubscribeHelp:
    'Esta página não consegue cancelar sua inscrição sozinha, porque não sabe o seu endereço. Se a mensagem que você recebeu não tiver esse link, responda a ela e peça o cancelamento.',
  opmlTitle: 'Feeds de {site}',
  opmlTags: 'Temas',
  opmlDigests: 'Cada resumo {cadence}',
  opmlTag: 'Artigos sobre “{tag}”',
  feedNotice:
    'Este é um feed web. Copie o endereço desta página em um leitor de feeds para acompanhar os novos artigos.',
};

const DUTCH_LABELS: Labels = {
  pagesMenu: 'Pagina’s',
  feedsMenu: 'Abonneren',
  pagerMenu: 'Meer artikelen',
  newerArticles: 'Nieuwere artikelen',
  olderArticles: 'Oudere artikelen',
  noArticles: 'Nog geen artikelen.',
  olderArticlesPage: 'Oudere artikelen, pagina {page}',
  pageNumber: 'Pagina {page}',
  pageDates: 'Pagina {page}: van {from} tot en met {to}',
  topics: 'Onderwerpen',
  followTag: 'Volg dit onderwerp:',
  allTopics: 'Alle onderwerpen',
  tagOlderArticles: '{tag}: oudere artikelen',
  tagOlderArticlesPage: '{tag}, oudere artikelen, pagina {page}',
  tagDescription: 'Artikelen over “{tag}” op {site}',
  topicsDescription: 'Alle onderwerpen op {site}, met hun feeds',
  topicsIntro:
    'Elk onderwerp heeft eigen feeds. Wil je ze allemaal in één keer volgen, importeer dan {opml} in je feedlezer.',
  topicsOpmlLink: 'de feedlijst van de site (OPML)',
  articleCountOne: '{count} artikel',
  articleCountOther: '{count} artikelen',
  tagsMenu: 'Tags',
  updatedOn: 'bijgewerkt op {date}',
  notFoundTitle: 'Pagina niet gevonden',
  notFoundText:
    'Op dit adres staat geen pagina. Misschien is de link verkeerd getypt, of is het artikel verplaatst of verwijderd.',
  notFoundLink: 'De nieuwste artikelen op {site}',
  movedTo: 'Dit artikel staat nu op {link}.',
  weekOf: 'Week van {date}',
  subjectMoreOne: '(+{count} meer)',
  subjectMoreOther: '(+{count} meer)',
  subscriber: 'Abonnee',
  viewInBrowser: 'Bekijk in je browser',
  readArticle: 'Lees het artikel',
  listen: 'Luisteren',
  watch: 'Bekijken',
  download: 'Downloaden',
  digestFooter: 'Je ontvangt dit overzicht omdat je je hebt aangemeld voor {site}.',
  unsubscribe: 'Afmelden',
  pastDigests: 'Eerdere overzichten',
  digestsTitle: 'Overzichten',
  digestsFeedTitle: 'Overzichten van {site}',
  digestsIntro:
    '{site} als {cadence} overzicht: alle artikelen van de periode, de nieuwste eerst. Ook als feed: {feeds}.',
  digestsFeedDescription: 'Elk {cadence} overzicht van {site}',
  daily: 'dagelijks',
  weekly: 'wekelijks',
  monthly: 'maandelijks',
  unsubscribeText:
    'Elk overzicht van {site} dat per e-mail wordt verstuurd, bevat een persoonlijke afmeldlink: onderaan het bericht, en als de knop ‘Afmelden’ die de meeste e-mailprogramma’s naast de afzender tonen. Gebruik die en je ontvangt geen overzichten meer.',
  unsubscribeHelp:
    'Deze pagina kan je niet zelf afmelden, want ze kent je adres niet. Staat er in het bericht dat je hebt ontvangen geen afmeldlink, antwoord er dan op en vraag erom.',
  opmlTitle: 'Feeds van {site}',
  opmlTags: 'Onderwerpen',
  opmlDigests: 'Elk {cadence} overzicht',
  opmlTag: 'Artikelen over “{tag}”',
  feedNotice:
    'Dit is een webfeed. Kopieer het adres van deze pagina naar een feedlezer om nieuwe artikelen te volgen.',
};

/** The built-in tables, by primary language subtag. */
export const BUILT_IN_LABELS: Readonly<Record<string, Labels>> = {
  en: ENGLISH_LABELS,
  fr: FRENCH_LABELS,
  de: GERMAN_LABELS,
  es: SPANISH_LABELS,
  it: ITALIAN_LABELS,
  pt: PORTUGUESE_LABELS,
  nl: DUTCH_LABELS,
};

/** The built-in table for a language tag (`fr-CA` → French), else English. */
export function builtInLabels(language: string): Labels {
  const primary = language.split('-')[0]?.toLowerCase() ?? '';
  return Object.hasOwn(BUILT_IN_LABELS, primary) ? (BUILT_IN_LABELS[primary] as Labels) : ENGLISH_LABELS;
}

/** What a site's words are made of: its language and `site.yaml`'s `labels:` (a `SiteConfig` is one). */
export interface LabelSettings {
  readonly language: string;
  readonly labels?: Partial<Labels>;
}

/**
 * The site's words: its language's table with `site.yaml`'s overrides on top. Kept per configuration
 * object, since every page asks for them.
 */
export function labelsOf(settings: LabelSettings): Labels {
  let labels = resolved.get(settings);
  if (!labels) {
    const table = builtInLabels(settings.language);
    labels = settings.labels ? { ...table, ...definedOnly(settings.labels) } : table;
    resolved.set(settings, labels);
  }
  return labels;
}
const resolved = new WeakMap<LabelSettings, Labels>();

function definedOnly(labels: Partial<Labels>): Partial<Labels> {
  return Object.fromEntries(Object.entries(labels).filter(([, value]) => value !== undefined));
}

const PLACEHOLDER = /\{([A-Za-z]+)\}/g;

/** The placeholders a template uses: `['site']` for `'Every topic on {site}'`. */
export function placeholdersOf(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((match) => match[1] as string))];
}

/**
 * A label with its placeholders filled in with plain text, for places that escape the whole afterwards
 * (a `<title>`, an email subject, a feed's title). One pass over the template, so a value that itself
 * reads `{site}` stays as written.
 */
export function fillLabel(template: string, values: Readonly<Record<string, string | number>> = {}): string {
  return template.replace(PLACEHOLDER, (whole, name: string) =>
    Object.hasOwn(values, name) ? String(values[name]) : whole,
  );
}

/**
 * A label as HTML: its own text escaped, each placeholder replaced by the HTML given for it (escaped by
 * the caller, or markup such as a link).
 */
export function labelHtml(template: string, html: Readonly<Record<string, string | number>> = {}): string {
  let out = '';
  let at = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1] as string;
    if (!Object.hasOwn(html, name)) continue;
    out += escapeLabelText(template.slice(at, match.index)) + String(html[name]);
    at = match.index + match[0].length;
  }
  return out + escapeLabelText(template.slice(at));
}

/**
 * Escapes what HTML text and double-quoted attributes need (`&<>"`) and leaves `'` alone, so that an
 * English label writes the bytes the page had before (`the site's feed list`). No label goes into a
 * single-quoted attribute.
 */
export function escapeLabelText(text: string): string {
  return text.replace(/[&<>"]/g, (ch) => LABEL_ESCAPES[ch] ?? ch);
}
const LABEL_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** "1 article", "3 articles", in the site's words. */
export function articleCount(labels: Labels, count: number): string {
  // Only counts of 1 or more are shown, where "one" and "other" are all the languages built in need.
  return fillLabel(count === 1 ? labels.articleCountOne : labels.articleCountOther, { count });
}
