import { afterEach, describe, expect, it } from 'vitest';
import { LOOKUP_LIMITS, LookupLocked, normaliseReference, REFERENCE_PATTERN } from '../../src/booking';
import type { Db } from '../../src/storage';
import { clock, contact, makeService } from './fixtures';

const BUSECK = '06531005';
const dbs: Db[] = [];
afterEach(async () => {
  while (dbs.length) await dbs.pop()!.close();
});

describe('booking references are not sequential', () => {
  it('new references are random codes of the unambiguous alphabet, all different, not counting up', async () => {
    const c = clock('2026-06-01T06:00:00Z');
    // The production default (no referenceCode given).
    const { db, service } = await makeService('sqlite', { now: c.now, referenceCode: undefined });
    dbs.push(db);
    const slots = await service.searchSlots({ ags: BUSECK, appointmentTypeId: 'online', days: 40, limit: 30 });
    const refs: string[] = [];
    for (const [i, s] of slots.entries()) {
      const { booking } = await service.book({ ags: BUSECK, appointmentTypeId: 'online', startMs: s.startMs, contact, idempotencyKey: 'k' + i });
      refs.push(booking.reference!);
    }
    expect(refs.length).toBeGreaterThanOrEqual(20);
    for (const r of refs) expect(r).toMatch(REFERENCE_PATTERN);
    expect(new Set(refs).size).toBe(refs.length);
    // Knowing one reference says nothing about the next: no two consecutive codes differ by one step.
    const codes = refs.map((r) => r.slice(-6));
    const neighbours = codes.slice(1).filter((code, i) => [...code].filter((ch, j) => ch !== codes[i][j]).length <= 1);
    expect(neighbours).toEqual([]);
  });

  it.each([
    ['kdlz 2026 7kq3mz', 'KDLZ-2026-7KQ3MZ'],
    [' KDLZ-2026-7KQ3MZ ', 'KDLZ-2026-7KQ3MZ'],
    ['KDLZ-2026-00042', 'KDLZ-2026-00042'],
    ['kdlz 2026 42', 'KDLZ-2026-00042'],
    ['KDLZ-2026-7KQ3MZX', undefined],
    ['KDLZ-26-7KQ3MZ', undefined],
  ])('normaliseReference(%j) → %j', (input, expected) => {
    expect(normaliseReference(input)).toBe(expected);
  });
});

describe('"Meine Termine" lock-out after wrong reference/e-mail pairs', () => {
  it(`locks a conversation after ${LOOKUP_LIMITS.perConversation} wrong pairs, also for the right pair, until the hour is over`, async () => {
    const c = clock('2026-06-01T06:00:00Z');
    const { db, service } = await makeService('sqlite', { now: c.now });
    dbs.push(db);
    const [slot] = await service.searchSlots({ ags: BUSECK, appointmentTypeId: 'online', days: 14 });
    const { booking } = await service.book({ ags: BUSECK, appointmentTypeId: 'online', startMs: slot.startMs, contact, idempotencyKey: 'k' });
    const who = { conversationId: 'conv-a', clientKey: '198.51.100.9' };
    for (let i = 0; i < LOOKUP_LIMITS.perConversation; i++) {
      expect(await service.findByReferenceAndEmail(`KDLZ-2026-${String(i + 2).padStart(5, '0')}`, contact.email, who)).toBeUndefined();
    }
    const locked = await service.findByReferenceAndEmail(booking.reference!, contact.email, who).catch((e: unknown) => e);
    expect(locked).toBeInstanceOf(LookupLocked);
    expect((locked as LookupLocked).reason).toMatch(/erst in etwa \d+ Minuten/);
    // Another conversation from another address is not affected.
    expect((await service.findByReferenceAndEmail(booking.reference!, contact.email, { conversationId: 'conv-b', clientKey: '203.0.113.5' }))?.id).toBe(booking.id);
    // After the hour the conversation may try again.
    c.advance(LOOKUP_LIMITS.windowMs);
    expect((await service.findByReferenceAndEmail(booking.reference!, contact.email, who))?.id).toBe(booking.id);
  });

  it(`locks a client address after ${LOOKUP_LIMITS.perClient} wrong pairs spread over many conversations`, async () => {
    const c = clock('2026-06-01T06:00:00Z');
    const { db, service } = await makeService('sqlite', { now: c.now });
    dbs.push(db);
    const [slot] = await service.searchSlots({ ags: BUSECK, appointmentTypeId: 'online', days: 14 });
    const { booking } = await service.book({ ags: BUSECK, appointmentTypeId: 'online', startMs: slot.startMs, contact, idempotencyKey: 'k' });
    for (let i = 0; i < LOOKUP_LIMITS.perClient; i++) {
      expect(await service.findByReferenceAndEmail(booking.reference!, `guess${i}@gemeinde.example`, { conversationId: 'c' + i, clientKey: '2001:db8:9::/64' })).toBeUndefined();
    }
    await expect(service.findByReferenceAndEmail(booking.reference!, contact.email, { conversationId: 'fresh', clientKey: '2001:db8:9::/64' })).rejects.toBeInstanceOf(LookupLocked);
  });
});
