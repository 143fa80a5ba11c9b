import { createHmac } from 'node:crypto';
import { mkdtempSync, readdirSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBookingConfig } from '../../src/booking/calendar';
import { bookingMigrations } from '../../src/booking/schema';
import { BookingService } from '../../src/booking/service';
import { migrate } from '../../src/storage';
import { SqliteDb } from '../../src/storage/sqlite';
import { createSqliteFile } from '../helpers/db';
import { spawnServer, type SpawnedServer } from '../helpers/server';
import { ensureBuilt } from './built';

const TOKEN = 'crash-test-token-123';
const SECRET = 'crash-secret';
const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
const contact = { name: 'Erika Muster', role: 'IT-Leitung', email: 'erika@gemeinde.example', phone: '0123 456789' };

/**
 * Webhook receiver. Until `releaseWebhook()` it holds every request open (a barrier), so at the
 * moment of the kill deliveries are in flight and their outbox rows undelivered, every time.
 */
const received = new Map<string, { reference: string; type: string }>();
let validSignatures = true;
let held = 0;
let releaseWebhook!: () => void;
const webhookOpen = new Promise<void>((r) => (releaseWebhook = r));
const receiver = http.createServer((req, res) => {
  let body = '';
  req.on('data', (d) => (body += d));
  req.on('end', () => {
    const ts = String(req.headers['x-kdlz-timestamp']);
    if (req.headers['x-kdlz-signature'] !== 'sha256=' + createHmac('sha256', SECRET).update(`${ts}.${body}`).digest('hex')) validSignatures = false;
    const e = JSON.parse(body) as { id: string; type: string; booking: { reference: string } };
    held++;
    void webhookOpen.then(() => {
      received.set(e.id, { reference: e.booking.reference, type: e.type });
      res.statusCode = 200;
      res.end();
    });
  });
});

let hookUrl = '';
beforeAll(async () => {
  ensureBuilt();
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
}, 180_000);
afterAll(() => new Promise<void>((r) => receiver.close(() => r())));

describe('crash: kill -9 of the server under booking load, then restart', () => {
  it('keeps every confirmed booking, lets expired holds go, and still delivers every outbox event', async () => {
    const sqliteFile = createSqliteFile();
    const outboxDir = mkdtempSync(path.join(os.tmpdir(), 'kdlz-crash-outbox-'));
    const env = {
      SQLITE_FILE: sqliteFile,
      STAFF_API_TOKEN: TOKEN,
      BOOKING_WEBHOOK_URL: hookUrl,
      BOOKING_WEBHOOK_SECRET: SECRET,
      OUTBOX_DIR: outboxDir,
      BOOKING_OUTBOX_LEASE_SEC: '2',
      BOOKING_RETRY_BASE_SEC: '1',
      LOG_LEVEL: 'warn',
    };
    let server: SpawnedServer = await spawnServer(env);
    const slotsRes = await fetch(`${server.url}/api/slots?ags=06531003&type=kdlz-cs-stufe-2&days=60&limit=50`, { headers: auth });
    const { slots } = (await slotsRes.json()) as { slots: { start: string }[] };
    expect(slots.length).toBeGreaterThanOrEqual(20);

    // A hold left by a "crashed" instance, expiring in a few seconds (its clock is 9.9 min behind).
    const heldSlot = slots.pop()!;
    const db = new SqliteDb(sqliteFile);
    await migrate(db, bookingMigrations);
    const behind = new BookingService({ db, calendar: loadBookingConfig(), now: () => Date.now() - 594_000, kommune: (ags) => ({ ags, name: 'Buseck' }) });
    await behind.hold({ ags: '06531003', appointmentTypeId: 'kdlz-cs-stufe-2', startMs: Date.parse(heldSlot.start) });

    // Load: each slot twice with different keys (one must lose). The first ten slots are booked
    // to the end; then the test takes SQLite's write lock (the barrier inside the load), so every
    // later request is stuck inside the server's booking transaction when kill -9 lands.
    const confirmed = new Set<string>();
    const load = (part: typeof slots, offset: number) => part.flatMap((s, j) =>
      ['x', 'y'].map((k) =>
        fetch(`${server.url}/api/bookings`, {
          method: 'POST',
          headers: { ...auth, 'idempotency-key': `crash-${offset + j}-${k}` },
          body: JSON.stringify({ ags: '06531003', appointmentTypeId: 'kdlz-cs-stufe-2', start: s.start, contact }),
        })
          .then(async (r) => {
            if (r.status === 201) confirmed.add(((await r.json()) as { reference: string }).reference);
            return r.status;
          })
          .catch(() => 'killed'),
      ),
    );
    const before = await Promise.all(load(slots.slice(0, 10), 0));
    expect(before.filter((s) => s === 201).length).toBeGreaterThan(0);
    expect(before.filter((s) => s !== 201 && s !== 409)).toEqual([]);
    // Deliveries of those bookings are held open at the receiver.
    while (held === 0) await new Promise((r) => setTimeout(r, 20));
    const lock = new Database(sqliteFile);
    lock.exec('BEGIN IMMEDIATE');
    const inFlight = load(slots.slice(10), 10);
    // Give the requests time to reach the server (they then wait on the lock, up to its 5 s busy timeout).
    await new Promise((r) => setTimeout(r, 500));
    await server.kill9();
    lock.exec('ROLLBACK');
    lock.close();
    const statuses = await Promise.all(inFlight);
    // Nothing could commit while the lock was held: every request of the second half died with the server.
    expect(statuses.every((s) => s === 'killed')).toBe(true);
    releaseWebhook();

    const [{ n: pendingAtCrash }] = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM booking_outbox WHERE delivered_ms IS NULL');
    expect(Number(pendingAtCrash)).toBeGreaterThan(0); // the restarted server has work left to do

    server = await spawnServer(env);
    try {
      // Every booking confirmed before the crash is there; no slot is booked twice.
      const rows = await db.query<{ reference: string; advisor_id: string; start_ms: number }>(`SELECT reference, advisor_id, start_ms FROM booking_bookings WHERE status = 'confirmed'`);
      const stored = new Set(rows.map((r) => r.reference));
      for (const ref of confirmed) expect(stored.has(ref)).toBe(true);
      expect(new Set(rows.map((r) => `${r.advisor_id}@${r.start_ms}`)).size).toBe(rows.length);

      // Every outbox event reaches the webhook (at least once) and the mail outbox after the restart.
      const deadline = Date.now() + 25_000;
      for (;;) {
        const [{ n }] = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM booking_outbox WHERE delivered_ms IS NULL');
        if (Number(n) === 0) break;
        if (Date.now() > deadline) throw new Error(`${n} outbox rows still undelivered`);
        await new Promise((r) => setTimeout(r, 200));
      }
      const hooked = new Set([...received.values()].map((e) => e.reference));
      for (const ref of stored) expect(hooked.has(ref)).toBe(true);
      expect(validSignatures).toBe(true);
      const emls = readdirSync(outboxDir).filter((f) => f.endsWith('.eml'));
      for (const ref of stored) expect(emls.filter((f) => f.startsWith(ref)).length).toBe(2); // contact + advisor

      // The crashed instance's hold has expired: its slot is bookable again.
      const waitUntil = Date.now() + 8_000;
      let status = 0;
      while (Date.now() < waitUntil) {
        const r = await fetch(`${server.url}/api/bookings`, {
          method: 'POST',
          headers: { ...auth, 'idempotency-key': 'after-hold-expiry' },
          body: JSON.stringify({ ags: '06531003', appointmentTypeId: 'kdlz-cs-stufe-2', start: heldSlot.start, contact }),
        });
        status = r.status;
        if (status === 201) break;
        expect(status).toBe(409); // still held until its expiry
        await new Promise((r) => setTimeout(r, 500));
      }
      expect(status).toBe(201);
    } finally {
      await server.stop();
      await db.close();
    }
  }, 90_000);
});
