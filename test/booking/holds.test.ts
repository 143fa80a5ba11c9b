import { afterEach, describe, expect, it } from 'vitest';
import { HOLD_LIMITS, HoldLimitReached } from '../../src/booking';
import type { BookingService } from '../../src/booking/service';
import type { Db } from '../../src/storage';
import { DB_KINDS } from '../helpers/db';
import { clock, contact, makeService } from './fixtures';

const BUSECK = '06531005';
const dbs: Db[] = [];
afterEach(async () => {
  while (dbs.length) await dbs.pop()!.close();
});

async function setup(kind: (typeof DB_KINDS)[number]) {
  const c = clock('2026-06-01T06:00:00Z'); // Monday 08:00 Berlin
  const { db, service } = await makeService(kind, { now: c.now });
  dbs.push(db);
  const slots = await service.searchSlots({ ags: BUSECK, appointmentTypeId: 'online', days: 40, limit: 60 });
  return { db, service, clock: c, slots };
}
const statusOf = async (service: BookingService, db: Db, id: string) => (await db.query<{ status: string }>('SELECT status FROM booking_bookings WHERE id = $1', [id]))[0].status;

describe.each(DB_KINDS)('holds (%s)', (kind) => {
  it('one live hold per user and conversation: a new hold gives the earlier one back', async () => {
    const { db, service, slots } = await setup(kind);
    const owner = { channelUserId: 'u1', conversationId: 'c1' };
    const first = await service.hold({ ags: BUSECK, appointmentTypeId: 'online', startMs: slots[0].startMs, ...owner });
    const second = await service.hold({ ags: BUSECK, appointmentTypeId: 'online', startMs: slots[1].startMs, ...owner });
    expect(await statusOf(service, db, first.booking.id)).toBe('expired');
    expect(await statusOf(service, db, second.booking.id)).toBe('held');
    // The same user in another conversation, and another user in this one, keep their own.
    const elsewhere = await service.hold({ ags: BUSECK, appointmentTypeId: 'online', startMs: slots[2].startMs, channelUserId: 'u1', conversationId: 'c2' });
    const other = await service.hold({ ags: BUSECK, appointmentTypeId: 'online', startMs: slots[3].startMs, channelUserId: 'u2', conversationId: 'c1' });
    expect(await statusOf(service, db, second.booking.id)).toBe('held');
    expect(await statusOf(service, db, elsewhere.booking.id)).toBe('held');
    expect(await statusOf(service, db, other.booking.id)).toBe('held');
    // Picking the slot already held here again (a double click) takes it again.
    const again = await service.hold({ ags: BUSECK, appointmentTypeId: 'online', startMs: slots[1].startMs, ...owner });
    expect(await statusOf(service, db, again.booking.id)).toBe('held');
    expect(await statusOf(service, db, second.booking.id)).toBe('expired');
    // A dropped dialog gives back everything of the pair.
    expect(await service.releaseHoldsOf(owner)).toBe(1);
    expect(await statusOf(service, db, again.booking.id)).toBe('expired');
    expect(await service.releaseHoldsOf({ channelUserId: 'u1' })).toBe(0);
  });

  it('confirming a hold that a newer one of the same person replaced (a turn that ran twice) still books the slot', async () => {
    const { db, service, slots } = await setup(kind);
    const owner = { channelUserId: 'u1', conversationId: 'c1' };
    const first = await service.hold({ ags: BUSECK, appointmentTypeId: 'online', startMs: slots[0].startMs, ...owner });
    const rerun = await service.hold({ ags: BUSECK, appointmentTypeId: 'online', startMs: slots[0].startMs, ...owner });
    expect(await statusOf(service, db, first.booking.id)).toBe('expired');
    const booked = await service.confirm({ holdToken: first.holdToken, contact });
    expect(booked.status).toBe('confirmed');
    expect(await statusOf(service, db, rerun.booking.id)).toBe('expired');
  });

  it(`at most ${HOLD_LIMITS.perUser} holds per user and ${HOLD_LIMITS.perClient} per client address an hour; a refused hold stores nothing`, async () => {
    const { db, service, clock: c, slots } = await setup(kind);
    expect(slots.length).toBeGreaterThan(HOLD_LIMITS.perUser + HOLD_LIMITS.perClient + 2);
    const hold = (i: number, who: { channelUserId?: string; clientKey?: string; conversationId?: string }) =>
      service.hold({ ags: BUSECK, appointmentTypeId: 'online', startMs: slots[i].startMs, ...who });
    for (let i = 0; i < HOLD_LIMITS.perUser; i++) await hold(i, { channelUserId: 'busy', conversationId: 'c' + i });
    const count = async () => Number((await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM booking_bookings'))[0].n);
    const before = await count();
    const refused = await hold(0, { channelUserId: 'busy', conversationId: 'c-next' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(HoldLimitReached);
    expect((refused as HoldLimitReached).reason).toMatch(/erst in etwa \d+ Minuten/);
    expect(await count()).toBe(before);

    // One client address with many user ids (Web Chat conversations are cheap to make).
    const free = HOLD_LIMITS.perUser;
    for (let i = 0; i < HOLD_LIMITS.perClient; i++) await hold(free + i, { channelUserId: 'dl_' + i, conversationId: 'x' + i, clientKey: '2001:db8:1:2::/64' });
    const next = free + HOLD_LIMITS.perClient;
    await expect(hold(next, { channelUserId: 'dl_new', conversationId: 'y', clientKey: '2001:db8:1:2::/64' })).rejects.toBeInstanceOf(HoldLimitReached);
    await expect(hold(next, { channelUserId: 'dl_new2', conversationId: 'z', clientKey: '198.51.100.7' })).resolves.toBeDefined();

    // An hour later the user may hold again.
    c.advance(HOLD_LIMITS.windowMs);
    await expect(hold(next + 1, { channelUserId: 'busy', conversationId: 'c-later' })).resolves.toBeDefined();
  });
});
