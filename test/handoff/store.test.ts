import { afterEach, describe, expect, it } from 'vitest';
import { emailIn, handoffMigrations, HandoffService, HandoffStateError, HandoffStore, ServiceHours, type Handoff, type HandoffChange } from '../../src/handoff';
import type { Db } from '../../src/storage';
import { DB_KINDS, openTestDb } from '../helpers/db';

const ALWAYS_OPEN = new ServiceHours(Object.fromEntries(['mo', 'di', 'mi', 'do', 'fr', 'sa', 'so'].map((d) => [d, [{ from: 0, to: 1440 }]])), { holiday: () => null });
const NEVER_OPEN = new ServiceHours({ mo: [{ from: 480, to: 960 }] }, { holiday: () => null });

function request(over: Partial<Parameters<HandoffService['request']>[0]> = {}) {
  return {
    conversationId: 'conv-1',
    channel: 'directline',
    userKey: 'directline:user-1',
    conversationRef: { conversation: { id: 'conv-1' } },
    kommune: 'Buseck',
    kommuneAgs: '06531003',
    topic: 'Verdacht auf Phishing',
    contact: 'Erika Muster, erika.muster@gemeinde.example, 0123 456',
    transcript: [
      { from: 'user' as const, text: 'Was tun bei Phishing?', timestamp: '2026-06-01T08:00:00.000Z' },
      { from: 'bot' as const, text: 'Dazu habe ich keine gesicherte Information.', timestamp: '2026-06-01T08:00:01.000Z' },
    ],
    ...over,
  };
}

describe.each(DB_KINDS)('handoff store and service on %s', (kind) => {
  let db: Db;
  let now = Date.parse('2026-06-01T08:00:00Z');
  const changes: { id: string; change: HandoffChange; status: string }[] = [];
  const make = (hours = ALWAYS_OPEN) => {
    changes.length = 0;
    const service = new HandoffService({ store: new HandoffStore(db), hours, waitTimeoutMs: 5 * 60_000, retentionMs: 30 * 86_400_000, now: () => now });
    service.setNotifier({ changed: async (h: Handoff, change) => void changes.push({ id: h.id, change, status: h.status }) });
    return service;
  };
  afterEach(async () => db?.close());

  it('stores a live request with the earlier turns as its transcript, then tells the notifier', async () => {
    db = await openTestDb(kind, handoffMigrations);
    const s = make();
    const h = await s.request(request());
    expect(h).toMatchObject({ status: 'waiting', kommune: 'Buseck', topic: 'Verdacht auf Phishing', channel: 'directline', takenBy: null, messageCount: 2 });
    expect(h.id).toMatch(/^h-[\w-]{16}$/);
    expect((await s.transcript(h.id)).map((t) => [t.from, t.text])).toEqual([
      ['user', 'Was tun bei Phishing?'],
      ['bot', 'Dazu habe ich keine gesicherte Information.'],
    ]);
    expect(changes).toEqual([{ id: h.id, change: { kind: 'created' }, status: 'waiting' }]);
    expect((await s.openForConversation('conv-1'))?.id).toBe(h.id);
  });

  it('outside service hours the request is a callback with the next opening as the promise', async () => {
    db = await openTestDb(kind, handoffMigrations);
    now = Date.parse('2026-06-02T10:00:00Z'); // a Tuesday; the schedule has only Mondays
    const h = await make(NEVER_OPEN).request(request());
    expect(h.status).toBe('callback');
    expect(new Date(h.callbackFromMs!).toISOString()).toBe('2026-06-08T06:00:00.000Z'); // Monday 08:00 in Berlin
  });

  it('of ten concurrent "Übernehmen" exactly one wins; the others learn who has it', async () => {
    db = await openTestDb(kind, handoffMigrations);
    const s = make();
    const h = await s.request(request());
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => s.take(h.id, `Person ${i}`)));
    const winners = results.filter((r) => r.ok);
    expect(winners).toHaveLength(1);
    const owner = winners[0].handoff.takenBy;
    expect(results.filter((r) => !r.ok).every((r) => r.handoff.takenBy === owner && r.handoff.status === 'active')).toBe(true);
    expect((await s.get(h.id))?.takenBy).toBe(owner);
    expect(changes.filter((c) => c.change.kind === 'taken')).toHaveLength(1);
  });

  it('numbers concurrent transcript lines without gaps or clashes', async () => {
    db = await openTestDb(kind, handoffMigrations);
    const s = make();
    const h = await s.request(request({ transcript: [] }));
    await s.take(h.id, 'Anna');
    await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? s.userMessage(h.id, `u${i}`) : s.staffMessage(h.id, 'Anna', `s${i}`))));
    const t = await s.transcript(h.id);
    expect(t).toHaveLength(8);
    expect(t.map((x) => x.text).sort()).toEqual(['s0', 's2', 's4', 's6', 'u1', 'u3', 'u5', 'u7']);
    expect(t.filter((x) => x.from === 'staff').every((x) => x.agentName === 'Anna')).toBe(true);
  });

  it('a staff message on a waiting request takes it; closed and callback requests refuse messages', async () => {
    db = await openTestDb(kind, handoffMigrations);
    const s = make();
    const h = await s.request(request());
    const r = await s.staffMessage(h.id, 'Bernd', 'Guten Tag, hier Bernd.');
    expect(r.handoff).toMatchObject({ status: 'active', takenBy: 'Bernd' });
    expect(r.delivered).toBe(true);
    await s.close(h.id, 'Bernd', 'Ich schließe die Anfrage.');
    await expect(s.staffMessage(h.id, 'Bernd', 'noch was')).rejects.toBeInstanceOf(HandoffStateError);
    await expect(s.close(h.id)).rejects.toBeInstanceOf(HandoffStateError);
    expect(await s.userMessage(h.id, 'hallo?')).toBeUndefined();
    expect((await s.transcript(h.id)).at(-1)).toMatchObject({ from: 'staff', text: 'Ich schließe die Anfrage.', agentName: 'Bernd' });
  });

  it('the user leaving closes a live request once; a second leave changes nothing', async () => {
    db = await openTestDb(kind, handoffMigrations);
    const s = make();
    const h = await s.request(request());
    expect((await s.leave(h.id))?.status).toBe('closed');
    expect(await s.leave(h.id)).toBeUndefined();
    expect(changes.filter((c) => c.change.kind === 'closed')).toHaveLength(1);
    expect(await s.openForConversation('conv-1')).toBeUndefined();
  });

  it('a waiting request nobody takes in time becomes a callback; a taken one does not', async () => {
    db = await openTestDb(kind, handoffMigrations);
    now = Date.parse('2026-06-01T08:00:00Z');
    const s = make();
    const lonely = await s.request(request({ conversationId: 'a' }));
    const taken = await s.request(request({ conversationId: 'b' }));
    await s.take(taken.id, 'Anna');
    now += 4 * 60_000;
    expect(await s.expireWaiting()).toEqual([]);
    now += 2 * 60_000;
    const expired = await s.expireWaiting();
    expect(expired.map((h) => [h.id, h.status])).toEqual([[lonely.id, 'callback']]);
    expect(await s.expireWaiting()).toEqual([]);
    expect(changes.filter((c) => c.change.kind === 'timedOut').map((c) => c.id)).toEqual([lonely.id]);
    // A callback can be owned and then marked done.
    expect((await s.take(lonely.id, 'Carla')).ok).toBe(true);
    expect((await s.callbackDone(lonely.id, 'Carla')).status).toBe('closed');
  });

  it('deletes by user, conversation and e-mail, and after the retention period', async () => {
    db = await openTestDb(kind, handoffMigrations);
    now = Date.parse('2026-06-01T08:00:00Z');
    const s = make();
    const store = new HandoffStore(db);
    await s.request(request({ conversationId: 'c1', userKey: 'msteams:u1', contact: undefined }));
    await s.request(request({ conversationId: 'c2', userKey: 'msteams:u2', contact: 'Tel. 0123, Mail: <Erika.Muster@Gemeinde.example>.' }));
    await s.request(request({ conversationId: 'c3', userKey: 'directline:x' }));
    await s.request(request({ conversationId: 'c4', userKey: 'directline:y', contact: undefined }));
    expect(await store.deleteByUser('msteams:u1')).toBe(1);
    expect(await store.deleteByEmail('erika.muster@gemeinde.example')).toBe(2);
    expect(await store.deleteByConversation('c4')).toBe(0 + 1);
    expect(await store.counts()).toEqual({ requests: 0, messages: 0 });
    await s.request(request({ conversationId: 'old' }));
    now += 31 * 86_400_000;
    const fresh = await s.request(request({ conversationId: 'new' }));
    expect(await s.purgeExpired()).toBe(1);
    expect((await s.list()).map((h) => h.id)).toEqual([fresh.id]);
  });
});

describe.each(DB_KINDS)('"Meine Daten löschen" for handoffs on %s', (kind) => {
  it('deletes the person\'s requests by user, conversation or contact e-mail, and tells the relay to erase the cards', async () => {
    const db = await openTestDb(kind, handoffMigrations);
    try {
      const erased: string[] = [];
      const s = new HandoffService({ store: new HandoffStore(db), hours: ALWAYS_OPEN, waitTimeoutMs: 60_000, retentionMs: 86_400_000 });
      s.setNotifier({ changed: async (h, c) => void (c.kind === 'erased' && erased.push(h.id)) });
      const mine = await s.request(request({ conversationId: 'c-mine', userKey: 'aad-erika' }));
      const byMail = await s.request(request({ conversationId: 'c-other', userKey: 'someone', contact: 'erika.muster@gemeinde.example' }));
      const others = await s.request(request({ conversationId: 'c-x', userKey: 'x', contact: 'bernd@example.org' }));
      const store = new HandoffStore(db);
      expect(await store.identify(['aad-erika'])).toEqual({ emails: ['erika.muster@gemeinde.example'], conversationIds: ['c-mine'] });
      expect(await s.deleteFor({ userIds: ['aad-erika'], conversationIds: [], emails: ['erika.muster@gemeinde.example'] })).toBe(2);
      expect(erased.sort()).toEqual([mine.id, byMail.id].sort());
      expect((await s.list()).map((h) => h.id)).toEqual([others.id]);
      expect(await s.deleteFor({ userIds: [], conversationIds: [], emails: [] })).toBe(0);
    } finally {
      await db.close();
    }
  });
});

describe('e-mail in a free-text contact', () => {
  it.each([
    ['Erika, erika@x.de, 0123', 'erika@x.de'],
    ['<E.M@Gemeinde.Example>.', 'e.m@gemeinde.example'],
    ['nur Telefon 0611 123', null],
    ['@ und a@b', null],
  ])('%s → %s', (text, email) => expect(emailIn(text)).toBe(email));
});
