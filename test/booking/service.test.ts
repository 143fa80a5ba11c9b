import { afterEach, describe, expect, it } from 'vitest';
import { OutboxStore } from '../../src/booking/outbox-store';
import { normaliseReference } from '../../src/booking/service';
import { BookingRequestInvalid, SlotUnavailable } from '../../src/booking/types';
import { type Db, UniqueViolation } from '../../src/storage';
import { DB_KINDS } from '../helpers/db';
import { clock, contact, makeService, utc } from './fixtures';

const opened: Db[] = [];
afterEach(async () => {
  while (opened.length) await opened.pop()!.close();
});

// Monday 1 June 2026, 08:00 Berlin: first bookable day Wed 3 June; Thu 4 June is Fronleichnam.
const NOW = '2026-06-01T06:00:00Z';
const WED_8 = Date.parse('2026-06-03T06:00:00Z');

describe.each(DB_KINDS)('BookingService on %s', (kind) => {
  async function setup(iso = NOW) {
    const c = clock(iso);
    const { db, service } = await makeService(kind, { now: c.now });
    opened.push(db);
    return { db, service, c, outbox: new OutboxStore(db) };
  }

  it('searches at most six slots, spread over days, never on the holiday', async () => {
    const { service } = await setup();
    const slots = await service.searchSlots({ ags: '06531005', appointmentTypeId: 'online', fromDay: '2026-06-01', days: 7 });
    expect(slots.length).toBe(6);
    const days = slots.map((s) => utc(s.startMs).slice(0, 10));
    expect(days).not.toContain('2026-06-04');
    expect(days).not.toContain('2026-06-02'); // lead time
    expect(new Set(days).size).toBeGreaterThan(1);
    expect([...days].sort()).toEqual(days);
  });

  it('hold → confirm gives a reference, history and one outbox row per channel', async () => {
    const { service, outbox } = await setup();
    const hold = await service.hold({ ags: '06531005', appointmentTypeId: 'vor-ort', startMs: WED_8, channelId: 'msteams', channelUserId: 'u1' });
    expect(hold.booking.status).toBe('held');
    const b = await service.confirm({ holdToken: hold.holdToken, contact });
    expect(b.reference).toBe('KDLZ-2026-00001');
    expect(b.status).toBe('confirmed');
    expect(b.contact).toEqual(contact);
    expect((await service.history(b.id)).map((h) => h.action)).toEqual(['held', 'confirmed']);
    const rows = await outbox.list();
    expect(rows.map((r) => r.channel).sort()).toEqual(['email', 'teams', 'webhook']);
    expect(new Set(rows.map((r) => r.eventId)).size).toBe(1);
    expect(service.toEntity(b)).toEqual({
      type: 'booking',
      reference: 'KDLZ-2026-00001',
      status: 'confirmed',
      start: '2026-06-03T06:00:00.000Z',
      end: '2026-06-03T08:00:00.000Z',
      appointmentType: 'Vor-Ort-Analyse',
      municipality: { ags: '06531005', name: 'Buseck' },
    });
  });

  it('a repeated confirm (same hold / same idempotency key) books once and returns the same booking', async () => {
    const { service, outbox } = await setup();
    const hold = await service.hold({ ags: '06531005', appointmentTypeId: 'online', startMs: WED_8 });
    const [a, b] = await Promise.all([service.confirm({ holdToken: hold.holdToken, contact }), service.confirm({ holdToken: hold.holdToken, contact })]);
    expect(a.id).toBe(b.id);
    expect(a.reference).toBe(b.reference);
    const req = { ags: '06531005', appointmentTypeId: 'online', startMs: WED_8 + 3_600_000, contact, idempotencyKey: 'k-1' };
    const r1 = await service.book(req);
    const r2 = await service.book(req);
    expect(r1.created).toBe(true);
    expect(r2.created).toBe(false);
    expect(r2.booking.id).toBe(r1.booking.id);
    expect((await outbox.list()).length).toBe(6); // two bookings × three channels, not more
  });

  it('50 simultaneous confirmations for one slot: exactly one booking', async () => {
    const { service, db } = await setup();
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => service.book({ ags: '06531005', appointmentTypeId: 'online', startMs: WED_8, contact, idempotencyKey: `race-${i}` })),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    expect(ok.length).toBe(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(SlotUnavailable);
    const [{ n }] = await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM booking_bookings WHERE status = 'confirmed'`);
    expect(Number(n)).toBe(1);
  });

  it('50 simultaneous holds for one slot: one wins; overlapping starts are refused too', async () => {
    const { service } = await setup();
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => service.hold({ ags: '06531005', appointmentTypeId: 'vor-ort', startMs: WED_8 })));
    expect(results.filter((r) => r.status === 'fulfilled').length).toBe(1);
    // 2-hour on-site visit 08–10 + 1 h travel buffer: online starts at 09:00 and 10:00 overlap
    await expect(service.hold({ ags: '06531005', appointmentTypeId: 'online', startMs: WED_8 + 3_600_000 })).rejects.toThrow(SlotUnavailable);
    await expect(service.hold({ ags: '06531005', appointmentTypeId: 'online', startMs: WED_8 + 3 * 3_600_000 - 3_600_000 })).rejects.toThrow(SlotUnavailable);
  });

  it('an expired hold no longer blocks the slot; its late confirm is re-taken only if still free', async () => {
    const { service, c } = await setup();
    const first = await service.hold({ ags: '06531005', appointmentTypeId: 'online', startMs: WED_8 });
    c.advance(11 * 60_000);
    const slots = await service.searchSlots({ ags: '06531005', appointmentTypeId: 'online', fromDay: '2026-06-03', days: 1, limit: 20 });
    expect(slots.map((s) => s.startMs)).toContain(WED_8);
    const second = await service.hold({ ags: '06531005', appointmentTypeId: 'online', startMs: WED_8 });
    await expect(service.confirm({ holdToken: first.holdToken, contact })).rejects.toMatchObject({ kind: 'taken' });
    expect((await service.confirm({ holdToken: second.holdToken, contact })).status).toBe('confirmed');
  });

  it('refuses invalid requests with a reason', async () => {
    const { service } = await setup();
    await expect(service.hold({ ags: '06531005', appointmentTypeId: 'online', startMs: Date.parse('2026-06-04T06:00:00Z') })).rejects.toMatchObject({
      kind: 'invalid',
      reason: expect.stringContaining('Fronleichnam'),
    });
    await expect(service.hold({ ags: '99999999', appointmentTypeId: 'online', startMs: WED_8 })).rejects.toThrow(BookingRequestInvalid);
    await expect(service.hold({ ags: '06411000', appointmentTypeId: 'vor-ort', startMs: WED_8 })).rejects.toThrow(BookingRequestInvalid);
    await expect(service.book({ ags: '06531005', appointmentTypeId: 'online', startMs: WED_8, contact: { ...contact, email: 'x@y' }, idempotencyKey: 'bad' })).rejects.toThrow(
      /email/,
    );
  });

  it('eligibility decides who may book a type', async () => {
    const c = clock(NOW);
    const { db, service } = await makeService(kind, { now: c.now, isEligible: (_ags, t) => t.eligibility === 'alle' });
    opened.push(db);
    expect((await service.typesFor('06531005')).map((t) => t.id)).toEqual(['online']);
    await expect(service.hold({ ags: '06531005', appointmentTypeId: 'vor-ort', startMs: WED_8 })).rejects.toThrow(/nicht buchen/);
  });

  it('cancel frees the slot; reschedule keeps the reference; references count per year', async () => {
    const { service } = await setup();
    const { booking } = await service.book({ ags: '06531005', appointmentTypeId: 'online', startMs: WED_8, contact, idempotencyKey: 'a' });
    const moved = await service.reschedule(booking.reference!, { startMs: WED_8 + 2 * 3_600_000 });
    expect(moved.reference).toBe(booking.reference);
    expect(moved.startMs).toBe(WED_8 + 2 * 3_600_000);
    expect(moved.version).toBe(booking.version + 1);
    const other = await service.book({ ags: '06531005', appointmentTypeId: 'online', startMs: WED_8, contact, idempotencyKey: 'b' });
    expect(other.booking.reference).toBe('KDLZ-2026-00002');
    await expect(service.reschedule(booking.reference!, { startMs: WED_8 })).rejects.toMatchObject({ kind: 'taken' });
    const cancelled = await service.cancel(other.booking.reference!);
    expect(cancelled.status).toBe('cancelled');
    expect((await service.reschedule(booking.reference!, { startMs: WED_8 })).startMs).toBe(WED_8);
    expect((await service.history(booking.id)).map((h) => h.action)).toEqual(['confirmed', 'rescheduled', 'rescheduled']);
  });

  it('a unique clash that is not the slot (a duplicate history row) is a real error, not "slot unavailable"', async () => {
    const { service, db } = await setup();
    const { booking } = await service.book({ ags: '06531005', appointmentTypeId: 'online', startMs: WED_8, contact, idempotencyKey: 'a' });
    // One history row exists; a stray row with seq 3 makes the move's history insert (seq = count + 1 = 3) clash.
    await db.run(`INSERT INTO booking_history (booking_id, seq, at_ms, action, detail) VALUES ($1, 3, 0, 'reminded', '{}')`, [booking.id]);
    const err = await service.reschedule(booking.reference!, { startMs: WED_8 + 3_600_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UniqueViolation);
    expect(err).not.toBeInstanceOf(SlotUnavailable);
    expect((err as UniqueViolation).on('booking_history', 'booking_id', 'seq')).toBe(true);
    expect((await service.getByReference(booking.reference!))!.startMs).toBe(WED_8);
    // The slot index itself is reported as such by both backends.
    const slotErr = await db
      .run(
        `INSERT INTO booking_bookings (id, status, advisor_id, appointment_type, ags, municipality_name, start_ms, end_ms, on_site, version, created_ms, updated_ms)
         VALUES ('x', 'held', $1, 'online', '06531005', 'Buseck', $2, $3, 0, 1, 0, 0)`,
        [booking.advisorId, WED_8, WED_8 + 3_600_000],
      )
      .catch((e: unknown) => e);
    expect((slotErr as UniqueViolation).on('booking_bookings', 'advisor_id', 'start_ms')).toBe(true);
  });

  it('two simultaneous cancellations write one event; two simultaneous moves of one booking keep one slot', async () => {
    const { service, outbox, db } = await setup();
    const { booking } = await service.book({ ags: '06531005', appointmentTypeId: 'online', startMs: WED_8, contact, idempotencyKey: 'a' });
    const [m1, m2] = await Promise.allSettled([
      service.reschedule(booking.reference!, { startMs: WED_8 + 3_600_000 }),
      service.reschedule(booking.reference!, { startMs: WED_8 + 2 * 3_600_000 }),
    ]);
    expect([m1.status, m2.status]).toEqual(['fulfilled', 'fulfilled']);
    const [{ n: active }] = await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM booking_bookings WHERE status = 'confirmed'`);
    expect(Number(active)).toBe(1);
    await Promise.all([service.cancel(booking.reference!), service.cancel(booking.reference!)]);
    expect((await outbox.list()).filter((r) => r.kind === 'booking.cancelled').length).toBe(3);
    expect((await service.history(booking.id)).filter((h) => h.action === 'cancelled').length).toBe(1);
  });

  it('finds a booking only with reference and matching e-mail, the same "not found" otherwise', async () => {
    const { service } = await setup();
    const { booking } = await service.book({ ags: '06531005', appointmentTypeId: 'online', startMs: WED_8, contact, idempotencyKey: 'a' });
    expect((await service.findByReferenceAndEmail('kdlz 2026 1', ' Erika.Muster@gemeinde.example '))?.id).toBe(booking.id);
    expect(await service.findByReferenceAndEmail(booking.reference!, 'someone@else.example')).toBeUndefined();
    expect(await service.findByReferenceAndEmail('KDLZ-2026-00099', contact.email)).toBeUndefined();
    expect(normaliseReference('KDLZ-2026-00042')).toBe('KDLZ-2026-00042');
    expect(normaliseReference('hallo')).toBeUndefined();
  });

  it('queues the reminder the day before exactly once, even when run concurrently', async () => {
    const { service, c, outbox } = await setup();
    await service.book({ ags: '06531005', appointmentTypeId: 'online', startMs: WED_8, contact, idempotencyKey: 'a' });
    expect(await service.queueReminders()).toBe(0); // Monday: appointment is on Wednesday
    c.set('2026-06-02T04:30:00Z'); // Tuesday 06:30 Berlin: too early
    expect(await service.queueReminders()).toBe(0);
    c.set('2026-06-02T15:00:00Z');
    const counts = await Promise.all([service.queueReminders(), service.queueReminders(), service.queueReminders()]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1);
    expect((await outbox.list()).filter((r) => r.kind === 'booking.reminder').length).toBe(3); // one event, three channels
  });

  it('retention and "Meine Daten löschen" remove contact data but keep the appointment', async () => {
    const { service, c } = await setup();
    const a = await service.book({ ags: '06531005', appointmentTypeId: 'online', startMs: WED_8, contact, idempotencyKey: 'a', channelUserId: 'u1' });
    const b = await service.book({ ags: '06531005', appointmentTypeId: 'online', startMs: WED_8 + 3_600_000, contact, idempotencyKey: 'b', channelUserId: 'u2' });
    c.set('2026-06-20T06:00:00Z');
    expect(await service.anonymiseExpired(30)).toBe(0);
    c.set('2026-07-04T06:00:00Z');
    expect(await service.anonymiseExpired(30)).toBe(2);
    expect((await service.getByReference(a.booking.reference!))!.contact).toBeNull();
    expect((await service.getByReference(a.booking.reference!))!.status).toBe('confirmed');
    void b;
  });

  it('anonymiseForUser touches only that user', async () => {
    const { service } = await setup();
    const a = await service.book({ ags: '06531005', appointmentTypeId: 'online', startMs: WED_8, contact, idempotencyKey: 'a', channelUserId: 'u1' });
    const b = await service.book({ ags: '06531005', appointmentTypeId: 'online', startMs: WED_8 + 3_600_000, contact, idempotencyKey: 'b', channelUserId: 'u2' });
    expect((await service.listForUser({ channelUserId: 'u1' })).map((x) => x.reference)).toEqual([a.booking.reference]);
    expect(await service.anonymiseForUser({ channelUserId: 'u1' })).toBe(1);
    expect((await service.getByReference(a.booking.reference!))!.contact).toBeNull();
    expect((await service.getByReference(b.booking.reference!))!.contact).toEqual(contact);
    expect((await service.history(a.booking.id)).at(-1)!.action).toBe('anonymised');
  });
});
