import {
  GetAccountCommand,
  ListContactsCommand,
  type ListContactsCommandInput,
  type SESv2Client,
  SendEmailCommand,
} from '@aws-sdk/client-sesv2';
import type { ContactSource, Mailer, MailerSendOptions } from '../core/digest/send-digests.ts';
import type { Logger } from '../core/ports.ts';

/**
 * SESv2 `SendEmail` with Raw content and `ListManagementOptions`: SES then adds the contact's personal
 * one-click List-Unsubscribe headers and unsubscribe footer, and refuses to mail a contact who left the
 * list or topic.
 */
export class SesMailer implements Mailer {
  constructor(private readonly client: SESv2Client) {}

  async send(raw: Uint8Array, options: MailerSendOptions): Promise<{ messageId: string }> {
    const result = await this.client.send(
      new SendEmailCommand({
        FromEmailAddress: options.from,
        Destination: { ToAddresses: [options.to] },
        Content: { Raw: { Data: raw } },
        ListManagementOptions: {
          ContactListName: options.contactList,
          ...(options.topic ? { TopicName: options.topic } : {}),
        },
      }),
    );
    if (!result.MessageId) throw new Error('SES SendEmail returned no MessageId');
    return { messageId: result.MessageId };
  }
}

/** The fallback pace when the account's quota cannot be read: SES's lowest (sandbox) rate. */
export const FALLBACK_SEND_RATE = 1;

/** `GetAccount` → `SendQuota.MaxSendRate` (messages per second). */
export async function readMaxSendRate(client: SESv2Client, logger: Logger): Promise<number> {
  try {
    const account = await client.send(new GetAccountCommand({}));
    const rate = account.SendQuota?.MaxSendRate;
    if (rate && rate > 0) return rate;
  } catch (error) {
    // Sending slowly is safe; failing the run over a quota read is not worth it.
    logger.warn('could not read the SES send rate', { error: (error as Error).message });
  }
  return FALLBACK_SEND_RATE;
}

/**
 * The list's contacts who want the digest: opted in to the topic (or by its default) when there is one,
 * and never a contact who unsubscribed from everything.
 */
export class SesContactSource implements ContactSource {
  constructor(
    private readonly client: SESv2Client,
    private readonly contactList: string,
    private readonly topic?: string,
  ) {}

  async list(): Promise<string[]> {
    const addresses: string[] = [];
    let NextToken: string | undefined;
    do {
      const input: ListContactsCommandInput = {
        ContactListName: this.contactList,
        PageSize: 1000,
        NextToken,
        ...(this.topic
          ? {
              Filter: {
                FilteredStatus: 'OPT_IN',
                TopicFilter: { TopicName: this.topic, UseDefaultIfPreferenceUnavailable: true },
              },
            }
          : {}),
      };
      const page = await this.client.send(new ListContactsCommand(input));
      for (const contact of page.Contacts ?? []) {
        if (contact.EmailAddress && !contact.UnsubscribeAll) addresses.push(contact.EmailAddress);
      }
      NextToken = page.NextToken;
    } while (NextToken);
    return addresses;
  }
}
