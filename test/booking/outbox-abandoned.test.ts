import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { BookingEvent } from '../../src/booking/types';
import { OutboxWorker } from '../../src/booking/workers';
import type { Db } from '../../src/storage';
import { findInDatabase } from '../helpers/find-everywhere';
import { startTestServer } from '../helpers/server';
import { clock, contact, makeService } from './fixtures';

const WED_8 = Date.parse('2026-06-03T06:00:00Z');
const dbs: Db[] = [];
afterEach(async () => {
  while (dbs.length) await dbs.pop()!.close();
});

describe('outbox rows that run out of attempts', () => {
  it('are marked abandoned with an error log (no addresses), listed for staff, and delivered after a retry', async () => {
    const c = clock('2026-06-01T06:00:00Z');
    const { db, service } = await makeService('sqlite', { now: c.now, outboxChannels: ['webhook'] });
    dbs.push(db);
    const { booking } = await service.book({ ags: '06531005', appointmentTypeId: 'vor-ort', startMs: WED_8, contact, idempotencyKey: 'k' });
    const errors: object[] = [];
    const log = { info: () => undefined, warn: () => undefined, error: (o: object) => errors.push(o) };
    let up = false;
    const delivered: BookingEvent[] = [];
    const webhook = async (e: BookingEvent) => {
      if (!up) throw new Error(`503 for ${contact.email}`);
      delivered.push(e);
    };
    const worker = new OutboxWorker({ db, log, deliverers: { webhook }, now: c.now, baseBackoffMs: 1000, maxAttempts: 3 });
    for (let i = 0; i < 5; i++) {
      await worker.runOnce();
      c.advance(3_600_000);
    }
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ channel: 'webhook', attempts: 3 });
    expect(JSON.stringify(errors)).not.toContain(contact.email);
    const [abandoned] = await service.abandonedDeliveries();
    expect(abandoned).toMatchObject({ channel: 'webhook', kind: 'booking.confirmed', reference: booking.reference, attempts: 3 });
    expect(abandoned.lastError).not.toContain(contact.email);
    // Nothing more happens on its own.
    await worker.runOnce();
    expect(delivered).toHaveLength(0);

    up = true;
    expect(await service.retryDelivery(abandoned.eventId, 'webhook')).toBe(true);
    expect(await service.retryDelivery(abandoned.eventId, 'webhook')).toBe(false);
    await worker.runOnce();
    expect(delivered.map((e) => e.booking.reference)).toEqual([booking.reference]);
    expect(await service.abandonedDeliveries()).toEqual([]);
  });

  it('the staff API lists abandoned deliveries and retries one (bearer token)', async () => {
    const token = randomBytes(32).toString('base64url');
    const srv = await startTestServer({ STAFF_API_TOKEN: token });
    try {
      const { booking } = await srv.app.domain.booking.book({ ags: '06531003', appointmentTypeId: srv.app.domain.booking.calendar.appointmentTypes[0].id, startMs: (await srv.app.domain.booking.searchSlots({ ags: '06531003', appointmentTypeId: srv.app.domain.booking.calendar.appointmentTypes[0].id, days: 30 }))[0].startMs, contact, idempotencyKey: 'staff-k' });
      // Give up on the e-mail row as the worker would after its last attempt.
      await srv.app.db.run(`UPDATE booking_outbox SET abandoned_ms = 1, attempts = 20, last_error = 'SMTP down', delivered_ms = NULL WHERE channel = 'email'`);
      const auth = { authorization: `Bearer ${token}` };
      expect((await fetch(srv.url + '/api/outbox')).status).toBe(401);
      const list = (await (await fetch(srv.url + '/api/outbox', { headers: auth })).json()) as { abandoned: { eventId: string; channel: string; reference: string; retry: string }[] };
      expect(list.abandoned).toHaveLength(1);
      expect(list.abandoned[0]).toMatchObject({ channel: 'email', reference: booking.reference });
      const retried = await fetch(srv.url + list.abandoned[0].retry, { method: 'POST', headers: auth });
      expect(retried.status).toBe(200);
      expect((await fetch(srv.url + list.abandoned[0].retry, { method: 'POST', headers: auth })).status).toBe(404);
      expect((await (await fetch(srv.url + '/api/outbox', { headers: auth })).json()).abandoned).toEqual([]);
    } finally {
      await srv.close();
    }
  });

  it('"Meine Daten löschen" takes the contact out of undelivered and abandoned rows too', async () => {
    const c = clock('2026-06-01T06:00:00Z');
    const { db, service } = await makeService('sqlite', { now: c.now, outboxChannels: ['webhook', 'email'] });
    dbs.push(db);
    const { booking } = await service.book({ ags: '06531005', appointmentTypeId: 'vor-ort', startMs: WED_8, contact, idempotencyKey: 'k' });
    await db.run(`UPDATE booking_outbox SET abandoned_ms = 1 WHERE channel = 'webhook'`);
    expect((await findInDatabase(db, contact.email)).length).toBeGreaterThan(1);
    await service.anonymiseForUser({ references: [booking.reference!] });
    expect(await findInDatabase(db, contact.email)).toEqual([]);
  });
});
