import { describe, expect, it } from 'vitest';
import { planDigests } from '../../functions/core/digest/plan-digests.ts';
import {
  type ClaimStore,
  type Clock,
  claimKey,
  FROZEN_DIGESTS_KEY,
  frozenDigestPeriods,
  hasPausedSend,
  isFrozenDigestKey,
  isFrozenDigestOutput,
  type Mailer,
  type MailerSendOptions,
  pacer,
  partKey,
  readFrozenDigestPeriods,
  resumeKey,
  type SendDigestsOptions,
  type SentRecord,
  sendDigests,
  sentKey,
} from '../../functions/core/digest/send-digests.ts';
import { silentLogger } from '../../functions/core/ports.ts';
import { DIGEST_NOW, digestModel } from '../fixtures/digests.ts';
import { MemoryStore } from '../fixtures/memory.ts';

const encoder = new TextEncoder();

/** A clock that only moves when the code sleeps. */
function fakeClock(start = DIGEST_NOW): Clock & { slept: number[] } {
  let t = start.getTime();
  const slept: number[] = [];
  return {
    slept,
    now: () => new Date(t),
    sleep: async (ms) => {
      slept.push(ms);
      t += ms;
    },
  };
}

class MemoryClaims implements ClaimStore {
  constructor(private readonly store: MemoryStore) {}
  async putIfAbsent(key: string, body: Uint8Array): Promise<boolean> {
    if (this.store.objects.has(key)) return false;
    await this.store.write(key, body, { contentType: 'application/json', cacheControl: 'no-store' });
    return true;
  }
}

class FakeMailer implements Mailer {
  readonly sent: { raw: string; options: MailerSendOptions }[] = [];
  constructor(private readonly failFor: string[] = []) {}
  async send(raw: Uint8Array, options: MailerSendOptions) {
    if (this.failFor.includes(options.to)) throw new Error(`rejected ${options.to}`);
    this.sent.push({ raw: new TextDecoder().decode(raw), options });
    return { messageId: `m-${this.sent.length}` };
  }
}

/** A site bucket holding what the publisher wrote for DIGEST_NOW. */
async function publishedStore(): Promise<MemoryStore> {
  const store = new MemoryStore();
  for (const plan of planDigests(digestModel(), DIGEST_NOW)) {
    await store.write(plan.key, encoder.encode(plan.render()), { contentType: 'x', cacheControl: 'x' });
  }
  return store;
}

function options(store: MemoryStore, overrides: Partial<SendDigestsOptions> = {}): SendDigestsOptions {
  return {
    store,
    claims: new MemoryClaims(store),
    mailer: new FakeMailer(),
    contacts: { list: async () => ['b@example.org', 'a@example.org', 'b@example.org'] },
    cadence: 'weekly',
    timeZone: 'Europe/Paris',
    sender: 'Dispatch <news@example.com>',
    contactList: 'readers',
    topic: 'digest',
    maxSendRate: 2,
    now: DIGEST_NOW,
    clock: fakeClock(),
    logger: silentLogger,
    runId: 'run-1',
    ...overrides,
  };
}

describe('sendDigests', () => {
  it('sends the last finished period once to each contact and records it', async () => {
    const store = await publishedStore();
    const mailer = new FakeMailer();
    const outcome = await sendDigests(options(store, { mailer }));
    expect(outcome).toEqual({ status: 'sent', period: '2025-W03', sent: 2, failed: 0 });
    expect(mailer.sent.map((m) => m.options.to)).toEqual(['a@example.org', 'b@example.org']);
    expect(mailer.sent[0]?.options).toEqual({
      from: 'Dispatch <news@example.com>',
      to: 'a@example.org',
      contactList: 'readers',
      topic: 'digest',
    });
    expect(mailer.sent[0]?.raw).toMatch(/^From: Dispatch <news@example\.com>\r\nTo: a@example\.org\r\n/);
    expect(mailer.sent[0]?.raw).not.toMatch(/^List-Unsubscribe/m);
    const record = JSON.parse(store.text(sentKey('2025-W03'))) as SentRecord;
    expect(record.recipients).toEqual([
      { to: 'a@example.org', messageId: 'm-1' },
      { to: 'b@example.org', messageId: 'm-2' },
    ]);
    expect(record.emlSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(store.objects.has(claimKey('2025-W03'))).toBe(true);
    // never the older unsent period
    expect(store.objects.has(claimKey('2025-W02'))).toBe(false);
  });

  it('a retried run sends nothing', async () => {
    const store = await publishedStore();
    const mailer = new FakeMailer();
    await sendDigests(options(store));
    expect(await sendDigests(options(store, { mailer }))).toEqual({
      status: 'already-sent',
      period: '2025-W03',
    });
    expect(mailer.sent).toHaveLength(0);
  });

  it('a run that finds the claim taken (another run is sending) sends nothing', async () => {
    const store = await publishedStore();
    await store.write(claimKey('2025-W03'), encoder.encode('{}'), { contentType: 'x', cacheControl: 'x' });
    const mailer = new FakeMailer();
    expect(await sendDigests(options(store, { mailer }))).toEqual({
      status: 'claimed-elsewhere',
      period: '2025-W03',
    });
    expect(mailer.sent).toHaveLength(0);
  });

  it('two overlapping runs send once', async () => {
    const store = await publishedStore();
    const mailer = new FakeMailer();
    const outcomes = await Promise.all([
      sendDigests(options(store, { mailer, runId: 'a' })),
      sendDigests(options(store, { mailer, runId: 'b' })),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['claimed-elsewhere', 'sent']);
    expect(mailer.sent).toHaveLength(2);
  });

  it('claims nothing when the period has no digest', async () => {
    const store = await publishedStore();
    const quiet = new Date('2025-02-03T12:00:00Z'); // W05 just finished, with no articles
    const outcome = await sendDigests(options(store, { now: quiet }));
    expect(outcome).toEqual({ status: 'no-digest', period: '2025-W05' });
    expect([...store.objects.keys()].some((k) => k.startsWith('_state/'))).toBe(false);
  });

  it('records a contact that failed and still sends to the others', async () => {
    const store = await publishedStore();
    const outcome = await sendDigests(options(store, { mailer: new FakeMailer(['a@example.org']) }));
    expect(outcome).toEqual({ status: 'sent', period: '2025-W03', sent: 1, failed: 1 });
    const record = JSON.parse(store.text(sentKey('2025-W03'))) as SentRecord;
    expect(record.failed).toEqual([{ to: 'a@example.org', error: 'rejected a@example.org' }]);
  });

  it('paces sends to the account rate with the injected clock', async () => {
    const store = await publishedStore();
    const clock = fakeClock();
    const contacts = { list: async () => ['a@x.org', 'b@x.org', 'c@x.org', 'd@x.org'] };
    await sendDigests(options(store, { clock, contacts, maxSendRate: 2 }));
    expect(clock.slept).toEqual([500, 500, 500]);
  });

  describe('a run that runs out of time while sending', () => {
    const contacts = (n: number) => ({
      list: async () => Array.from({ length: n }, (_, i) => `c${String(i).padStart(2, '0')}@x.org`),
    });
    /** Out of time after `asks` questions, as a Lambda near its timeout. */
    const outOfTimeAfter = (asks: number) => {
      let asked = 0;
      return () => ++asked > asks;
    };

    it('stops between messages and the next runs send to the others, each contact once', async () => {
      const store = await publishedStore();
      const mailer = new FakeMailer(['c05@x.org']);
      const run = (runId: string) =>
        sendDigests(options(store, { mailer, contacts: contacts(10), runId, outOfTime: outOfTimeAfter(4) }));
      expect(await run('r1')).toEqual({ status: 'paused', period: '2025-W03', sent: 4, failed: 0 });
      expect(store.objects.has(partKey('2025-W03', 1))).toBe(true);
      expect(await run('r2')).toEqual({ status: 'paused', period: '2025-W03', sent: 7, failed: 1 });
      expect(await run('r3')).toEqual({ status: 'sent', period: '2025-W03', sent: 9, failed: 1 });
      expect(await run('r4')).toEqual({ status: 'already-sent', period: '2025-W03' });

      const to = mailer.sent.map((m) => m.options.to);
      const everyone = await contacts(10).list();
      expect(to).toEqual(everyone.filter((c) => c !== 'c05@x.org'));
      expect(new Set(to).size).toBe(to.length);
      const record = JSON.parse(store.text(sentKey('2025-W03'))) as SentRecord;
      expect(record.recipients.map((r) => r.to)).toEqual(to);
      expect(record.failed.map((f) => f.to)).toEqual(['c05@x.org']);
      expect(record.runs).toBe(3);
      expect(record.runId).toBe('r3');
    });

    it('a continuation tick carries on a paused sending and never starts one', async () => {
      const store = await publishedStore();
      const mailer = new FakeMailer();
      const tick = () => sendDigests(options(store, { mailer, contacts: contacts(6), resumeOnly: true }));
      const paused = () => hasPausedSend(store, DIGEST_NOW, 'weekly', 'Europe/Paris');
      expect(await tick()).toEqual({ status: 'nothing-to-resume', period: '2025-W03' });
      expect(store.objects.has(claimKey('2025-W03'))).toBe(false);
      expect(await paused()).toBe(false);

      const first = sendDigests(
        options(store, { mailer, contacts: contacts(6), outOfTime: outOfTimeAfter(2) }),
      );
      expect(await first).toEqual({ status: 'paused', period: '2025-W03', sent: 2, failed: 0 });
      expect(await paused()).toBe(true);
      expect(await tick()).toEqual({ status: 'sent', period: '2025-W03', sent: 6, failed: 0 });
      expect(await paused()).toBe(false);
      const to = mailer.sent.map((m) => m.options.to);
      expect(to.sort()).toEqual((await contacts(6).list()).sort());
      expect(await tick()).toEqual({ status: 'already-sent', period: '2025-W03' });
    });

    it('lets one of two overlapping runs carry on, never both', async () => {
      const store = await publishedStore();
      const mailer = new FakeMailer();
      const run = (runId: string, outOfTime?: () => boolean) =>
        sendDigests(options(store, { mailer, contacts: contacts(6), runId, outOfTime }));
      await run('first', outOfTimeAfter(2));
      const outcomes = await Promise.all([run('a'), run('b')]);
      expect(outcomes.map((o) => o.status).sort()).toEqual(['claimed-elsewhere', 'sent']);
      expect(mailer.sent.map((m) => m.options.to)).toHaveLength(6);
      expect(store.objects.has(resumeKey('2025-W03', 1))).toBe(true);
    });

    it('does not carry on after a run that died without recording whom it sent to', async () => {
      const store = await publishedStore();
      const first = new FakeMailer();
      await sendDigests(
        options(store, { mailer: first, contacts: contacts(6), outOfTime: outOfTimeAfter(2) }),
      );
      // The continuation claimed, then died mid-send: no part-2.json.
      await store.write(resumeKey('2025-W03', 1), encoder.encode('{}'), {
        contentType: 'x',
        cacheControl: 'x',
      });
      const mailer = new FakeMailer();
      const outcome = await sendDigests(options(store, { mailer, contacts: contacts(6) }));
      expect(outcome.status).toBe('claimed-elsewhere');
      expect(mailer.sent).toHaveLength(0);
    });

    it('refuses to carry on from a damaged part, naming it', async () => {
      const store = await publishedStore();
      await sendDigests(options(store, { contacts: contacts(6), outOfTime: outOfTimeAfter(2) }));
      await store.write(partKey('2025-W03', 1), encoder.encode('{"version":1'), {
        contentType: 'x',
        cacheControl: 'x',
      });
      const mailer = new FakeMailer();
      await expect(sendDigests(options(store, { mailer, contacts: contacts(6) }))).rejects.toThrow(
        /part-1\.json is damaged/,
      );
      expect(mailer.sent).toHaveLength(0);
    });
  });

  it('freezes the period before sending', async () => {
    const store = await publishedStore();
    let frozenWhenSending: Set<string> | undefined;
    const mailer: Mailer = {
      send: async () => {
        frozenWhenSending ??= await readFrozenDigestPeriods(store);
        return { messageId: 'x' };
      },
    };
    await sendDigests(options(store, { mailer }));
    expect(frozenWhenSending).toEqual(new Set(['2025-W03']));
    expect(JSON.parse(store.text(FROZEN_DIGESTS_KEY))).toEqual({ version: 1, periods: ['2025-W03'] });
  });
});

describe('pacer', () => {
  it('does not wait when sends are already slower than the rate', async () => {
    const clock = fakeClock();
    const pace = pacer(10, clock);
    await pace();
    await clock.sleep(1000);
    await pace();
    expect(clock.slept).toEqual([1000]);
  });
});

describe('frozen digests', () => {
  it('reads periods from state keys, ignoring anything else', () => {
    expect(
      frozenDigestPeriods([
        '_state/digests/2025-W03/sent.json',
        '_state/digests/2025-01-08/claim.json',
        '_state/digests/latest/sent.json',
        '_state/digests/2025-W03/other.json',
        'digests/2025-W04/digest.eml',
      ]),
    ).toEqual(new Set(['2025-W03', '2025-01-08']));
  });

  it('marks the outputs of a frozen digest, latest/ included while it shows it', () => {
    const frozen = new Set(['2025-W03']);
    const plans = planDigests(digestModel(), DIGEST_NOW);
    const frozenKeys = plans.filter((p) => isFrozenDigestOutput(p, frozen)).map((p) => p.key);
    expect(frozenKeys).toEqual([
      'digests/2025-W03/index.html',
      'digests/2025-W03/digest.txt',
      'digests/2025-W03/digest.eml',
      'digests/latest/index.html',
      'digests/latest/digest.txt',
      'digests/latest/digest.eml',
    ]);
    expect(isFrozenDigestKey('digests/2025-W03/digest.eml', frozen)).toBe(true);
    expect(isFrozenDigestKey('digests/2025-W02/digest.eml', frozen)).toBe(false);
    expect(isFrozenDigestKey('digests/index.html', frozen)).toBe(false);
  });

  it('a damaged frozen.json freezes nothing', async () => {
    const store = new MemoryStore();
    await store.write(FROZEN_DIGESTS_KEY, encoder.encode('{oops'), { contentType: 'x', cacheControl: 'x' });
    expect(await readFrozenDigestPeriods(store)).toEqual(new Set());
  });
});
