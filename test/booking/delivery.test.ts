import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmailDeliverer, createWebhookDeliverer, staffCard } from '../../src/booking/delivery';
import type { BookingEvent } from '../../src/booking/types';
import { OutboxWorker, withJobLease } from '../../src/booking/workers';
import type { Db } from '../../src/storage';
import { DB_KINDS } from '../helpers/db';
import { clock, contact, makeService } from './fixtures';

const WED_8 = Date.parse('2026-06-03T06:00:00Z');
const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

async function bookOne(kind: 'sqlite' | 'postgres', channels: ('teams' | 'webhook' | 'email')[]) {
  const c = clock('2026-06-01T06:00:00Z');
  const { db, service } = await makeService(kind, { now: c.now, outboxChannels: channels });
  cleanups.push(() => db.close());
  const { booking } = await service.book({ ags: '06531005', appointmentTypeId: 'vor-ort', startMs: WED_8, contact, idempotencyKey: 'k' });
  return { db, service, booking, c };
}

/** A loopback webhook receiver that checks the HMAC like the KDLZ scheduling system would. */
async function webhookReceiver(secret: string, failFirst = 0) {
  const received: { event: BookingEvent; validSignature: boolean; eventIdHeader: string }[] = [];
  let calls = 0;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      calls++;
      if (calls <= failFirst) {
        res.statusCode = 503;
        return res.end('busy');
      }
      const ts = String(req.headers['x-kdlz-timestamp']);
      const expected = Buffer.from('sha256=' + createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex'));
      const got = Buffer.from(String(req.headers['x-kdlz-signature']));
      received.push({ event: JSON.parse(body), validSignature: got.length === expected.length && timingSafeEqual(got, expected), eventIdHeader: String(req.headers['x-kdlz-event-id']) });
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise((r) => server.close(r)));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received, calls: () => calls };
}

describe('outbox delivery against real local peers', () => {
  it('webhook: signed JSON with the event id; a failure is retried with backoff, then delivered once', async () => {
    const { db, booking, c } = await bookOne('sqlite', ['webhook']);
    const hook = await webhookReceiver('s3cret', 1);
    const worker = new OutboxWorker({ db, deliverers: { webhook: createWebhookDeliverer({ url: hook.url, secret: 's3cret' }) }, now: c.now, baseBackoffMs: 1000 });
    expect(await worker.runOnce()).toBe(0); // 503
    let [row] = await worker.store.list();
    expect(row).toMatchObject({ attempts: 1, delivered: false, lastError: 'Webhook antwortete 503' });
    expect(await worker.runOnce()).toBe(0); // not due yet: backoff
    c.advance(1000);
    expect(await worker.runOnce()).toBe(1);
    [row] = await worker.store.list();
    expect(row).toMatchObject({ attempts: 2, delivered: true });
    expect(hook.received.length).toBe(1);
    expect(hook.received[0].validSignature).toBe(true);
    expect(hook.received[0].eventIdHeader).toBe(hook.received[0].event.id);
    expect(hook.received[0].event).toMatchObject({ type: 'booking.confirmed', booking: { reference: booking.reference, contact } });
    c.advance(60_000);
    expect(await worker.runOnce()).toBe(0); // delivered rows are never sent again
    expect(hook.calls()).toBe(2);
  });

  it('a wrong secret fails the receiver check (the test receiver really verifies)', async () => {
    const { db } = await bookOne('sqlite', ['webhook']);
    const hook = await webhookReceiver('right');
    const worker = new OutboxWorker({ db, deliverers: { webhook: createWebhookDeliverer({ url: hook.url, secret: 'wrong' }) } });
    await worker.runOnce();
    expect(hook.received[0].validSignature).toBe(false);
  });

  it('SMTP: the contact person and the advisor each receive a mail with the .ics (Europe/Berlin, organizer, location)', async () => {
    const { db, booking } = await bookOne('sqlite', ['email']);
    const mails: { to: string[]; data: string }[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, session, cb) {
        let data = '';
        stream.on('data', (d) => (data += d));
        stream.on('end', () => {
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address), data });
          cb();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => smtp.close(() => r(undefined))));
    const port = (smtp.server.address() as AddressInfo).port;
    const deliver = createEmailDeliverer({
      smtpUrl: `smtp://127.0.0.1:${port}`,
      from: 'KDLZ <termine@example.invalid>',
      organizer: { name: 'KDLZ', email: 'termine@example.invalid' },
      outboxDir: '/nonexistent',
    });
    const worker = new OutboxWorker({ db, deliverers: { email: deliver } });
    expect(await worker.runOnce()).toBe(1);
    expect(mails.map((m) => m.to[0]).sort()).toEqual([contact.email, 'nord@example.invalid']);
    for (const m of mails) {
      expect(m.data).toMatch(/^X-KDLZ-Event-Id: [0-9a-f-]{36}/im);
      const ics = decodeIcs(m.data);
      expect(ics).toContain('DTSTART;TZID=Europe/Berlin:20260603T080000');
      expect(ics).toContain('DTEND;TZID=Europe/Berlin:20260603T100000');
      expect(ics).toContain('ORGANIZER;CN="KDLZ":mailto:termine@example.invalid');
      expect(ics).toContain('LOCATION:Vor Ort bei: Buseck');
      expect(ics).toContain('METHOD:REQUEST');
      expect(ics).toContain(`UID:${booking.id}@kdlz-bot`);
    }
  });

  it('without SMTP the mails are written as .eml files, once per event even when retried', async () => {
    const { db, service, booking } = await bookOne('sqlite', ['email']);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kdlz-outbox-'));
    const deliver = createEmailDeliverer({ from: 'x@example.invalid', organizer: { name: 'KDLZ', email: 'x@example.invalid' }, outboxDir: dir });
    const worker = new OutboxWorker({ db, deliverers: { email: deliver } });
    await worker.runOnce();
    await service.cancel(booking.reference!);
    await worker.runOnce();
    const files = readdirSync(dir).sort();
    expect(files.length).toBe(4);
    const cancelMail = files.map((f) => readFileSync(path.join(dir, f), 'utf8')).find((t) => decodeIcs(t).includes('METHOD:CANCEL'));
    expect(cancelMail).toBeDefined();
    expect(decodeIcs(cancelMail!)).toContain('STATUS:CANCELLED');
  });

  it('Teams: the staff channel gets an Adaptive Card 1.5; no registered channel → retried later', async () => {
    const { db, c } = await bookOne('sqlite', ['teams']);
    const cards: object[] = [];
    let registered = false;
    const worker = new OutboxWorker({
      db,
      now: c.now,
      baseBackoffMs: 500,
      deliverers: {
        teams: async (e) => {
          if (!registered) throw new Error('kein Kanal registriert');
          cards.push(staffCard(e));
        },
      },
    });
    await worker.runOnce();
    registered = true;
    c.advance(500);
    await worker.runOnce();
    expect(cards.length).toBe(1);
    expect(cards[0]).toMatchObject({ type: 'AdaptiveCard', version: '1.5' });
    expect(JSON.stringify(cards[0])).toContain('Neuer Termin gebucht');
  });
});

describe('logging', () => {
  it('a failed delivery is logged without the addresses the receiver quoted', async () => {
    const { db } = await bookOne('sqlite', ['email']);
    const lines: object[] = [];
    const log = { info: () => undefined, error: () => undefined, warn: (o: object) => lines.push(o) };
    const reject = async (): Promise<void> => {
      throw new Error('550 <erika.muster@gemeinde.example>: mailbox unavailable');
    };
    const worker = new OutboxWorker({ db, log, deliverers: { email: reject } });
    await worker.runOnce();
    expect(JSON.stringify(lines)).toContain('550 <[adresse]>: mailbox unavailable');
    expect(JSON.stringify(lines)).not.toContain('erika');
  });
});

describe.each(DB_KINDS)('leases on %s', (kind) => {
  it('two workers never deliver the same row twice; a crashed worker\'s lease is taken over after it expires', async () => {
    const { db, c } = await bookOne(kind, ['teams', 'webhook', 'email']);
    const seen: string[] = [];
    const slow = async (e: BookingEvent) => {
      seen.push(e.id);
      await new Promise((r) => setTimeout(r, 20));
    };
    const deliverers = { teams: slow, webhook: slow, email: slow };
    const a = new OutboxWorker({ db, deliverers, owner: 'a', now: c.now });
    const b = new OutboxWorker({ db, deliverers, owner: 'b', now: c.now });
    const [na, nb] = await Promise.all([a.runOnce(), b.runOnce()]);
    expect(na + nb).toBe(3);
    expect(seen.length).toBe(3);

    // A "crashed" owner holds a lease on a fresh row: nobody else takes it until the lease expires.
    await db.run(`UPDATE booking_outbox SET delivered_ms = NULL, lease_owner = 'dead', lease_until_ms = $1 WHERE channel = 'teams'`, [c.now() + 60_000]);
    expect(await b.runOnce()).toBe(0);
    c.advance(60_001);
    expect(await b.runOnce()).toBe(1);
  });

  it('a job lease lets one instance at a time run the reminder/retention job', async () => {
    const { db, c } = await bookOne(kind, ['teams']);
    let running = 0;
    let max = 0;
    const refusedWhileHeld: boolean[] = [];
    const job = async () => {
      running++;
      max = Math.max(max, running);
      refusedWhileHeld.push(await withJobLease(db as Db, 'jobs', 'intruder', c.now(), 60_000, async () => undefined));
      await new Promise((r) => setTimeout(r, 50));
      running--;
    };
    const ran = await Promise.all(['x', 'y', 'z'].map((o) => withJobLease(db as Db, 'jobs', o, c.now(), 60_000, job)));
    expect(ran.some(Boolean)).toBe(true);
    expect(max).toBe(1);
    expect(refusedWhileHeld.every((r) => r === false)).toBe(true);
    // Released after the run: the next caller gets it.
    expect(await withJobLease(db as Db, 'jobs', 'later', c.now(), 60_000, async () => undefined)).toBe(true);
  });
});

/** The .ics attachment of a raw MIME message (base64 or quoted-printable), decoded. */
function decodeIcs(raw: string): string {
  const part = raw.split(/\r?\n--/).find((p) => /Content-Type: text\/calendar/i.test(p));
  if (!part) return '';
  const [head, ...rest] = part.split(/\r?\n\r?\n/);
  const body = rest.join('\n\n');
  if (/base64/i.test(head)) return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
}
