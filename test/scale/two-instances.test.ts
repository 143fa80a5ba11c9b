import { createHmac } from 'node:crypto';
import http from 'node:http';
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import pg from 'pg';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt } from '../booking/built';
import { channelActivity, startChannelServer } from '../helpers/channel-server';
import { createPgDatabase } from '../helpers/db';
import { spawnServer, type SpawnedServer } from '../helpers/server';

/**
 * Scale-out: two real server processes (the built `dist/src/index.js`, as in production) on one
 * PostgreSQL database. Whatever one instance starts, the other continues; what must happen once
 * (a booking of a slot, an outbox delivery, a reminder) happens once, not once per instance.
 * No timing assertions: generous deadlines only, so a loaded machine slows the test, not fails it.
 */

const SECRET = 'two-instances-direct-line-secret-0123456789';
const STAFF_TOKEN = 'two-instances-staff-token';
const HOOK_SECRET = 'two-instances-hook-secret';
const DL = '/v3/directline';
const staff = { authorization: `Bearer ${STAFF_TOKEN}`, 'content-type': 'application/json' };
const contact = { name: 'Erika Muster', role: 'IT-Leitung', email: 'erika@gemeinde.example', phone: '06408 1234' };

interface HookEvent {
  id: string;
  type: string;
  booking: { reference: string };
}

/** The KDLZ team's system behind BOOKING_WEBHOOK_URL: records every delivery it receives. */
const deliveries: HookEvent[] = [];
let badSignatures = 0;
const hook = http.createServer((req, res) => {
  let body = '';
  req.on('data', (d) => (body += d));
  req.on('end', () => {
    const ts = String(req.headers['x-kdlz-timestamp']);
    if (req.headers['x-kdlz-signature'] !== 'sha256=' + createHmac('sha256', HOOK_SECRET).update(`${ts}.${body}`).digest('hex')) badSignatures++;
    deliveries.push(JSON.parse(body) as HookEvent);
    res.statusCode = 200;
    res.end();
  });
});

/**
 * Reminders go out the day before, from 07:00 Berlin time. So that the test passes at any hour,
 * the restarted instances run on a clock moved to daytime (a preloaded Date.now offset, the same
 * for both); 0 when it is daytime already.
 */
function daytimeOffsetMs(): number {
  const berlin = DateTime.now().setZone('Europe/Berlin');
  if (berlin.hour >= 7 && berlin.hour < 22) return 0;
  const next8 = (berlin.hour < 7 ? berlin : berlin.plus({ days: 1 })).set({ hour: 8, minute: 0, second: 0, millisecond: 0 });
  return next8.toMillis() - berlin.toMillis();
}

function clockPreload(offsetMs: number): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'kdlz-clock-')), 'clock.js');
  writeFileSync(
    file,
    `const offset = ${offsetMs};
const RealDate = Date;
const realNow = RealDate.now.bind(RealDate);
class ShiftedDate extends RealDate {
  constructor(...args) { if (args.length === 0) super(realNow() + offset); else super(...args); }
  static now() { return realNow() + offset; }
}
globalThis.Date = ShiftedDate;
`,
  );
  return file;
}

async function until<T>(what: string, get: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function json(url: string, init: RequestInit = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

let databaseUrl = '';
let env: Record<string, string> = {};
let a: SpawnedServer;
let b: SpawnedServer;
let channel: Awaited<ReturnType<typeof startChannelServer>>;

beforeAll(async () => {
  ensureBuilt();
  databaseUrl = await createPgDatabase();
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  channel = await startChannelServer();
  env = {
    DATABASE_URL: databaseUrl,
    DIRECT_LINE_SECRET: SECRET,
    STAFF_API_TOKEN: STAFF_TOKEN,
    BOOKING_WEBHOOK_URL: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`,
    BOOKING_WEBHOOK_SECRET: HOOK_SECRET,
    OUTBOX_DIR: mkdtempSync(path.join(os.tmpdir(), 'kdlz-two-outbox-')),
    LOG_LEVEL: 'warn',
  };
  // A first: it applies the migrations; B finds them applied.
  a = await spawnServer(env);
  b = await spawnServer(env);
}, 240_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await channel?.close();
  await new Promise<void>((r) => hook.close(() => r()));
}, 60_000);

describe('two instances on one PostgreSQL', () => {
  it('continues a Direct Line conversation created on A on B: post on B, the reply is read on A by polling and by the stream', async () => {
    const started = await json(`${a.url}${DL}/conversations`, { method: 'POST', headers: { authorization: `Bearer ${SECRET}` } });
    expect(started.status).toBe(201);
    const { conversationId, token, streamUrl } = started.body as { conversationId: string; token: string; streamUrl: string };
    expect(streamUrl).toContain(new URL(a.url).host);

    // Web Chat's socket, on A.
    const frames: any[] = [];
    const ws = new WebSocket(streamUrl);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    ws.on('message', (d) => {
      const s = d.toString();
      if (s) frames.push(...(JSON.parse(s) as { activities: any[] }).activities);
    });
    try {
      // The question goes to B.
      const posted = await json(`${b.url}${DL}/conversations/${conversationId}/activities`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ type: 'message', text: 'hilfe', from: { id: 'web-user' }, channelData: { clientActivityID: 'via-b-1' } }),
      });
      expect(posted.status).toBe(200);
      const questionId = posted.body.id as string;

      // A's socket hears B's activities: the user's message and the bot's answer to it.
      const answer = await until('the answer on the stream of A', () => frames.find((x) => x.replyToId === questionId && x.type === 'message'));
      expect(frames.find((x) => x.id === questionId)?.channelData?.clientActivityID).toBe('via-b-1');
      expect(answer.from.role).toBe('bot');
      // The bot's help text, not an apology for an error on B.
      expect(answer.text).toMatch(/So kann ich helfen/);

      // A polling client on A sees the same activities.
      const polled = await json(`${a.url}${DL}/conversations/${conversationId}/activities`, { headers: { authorization: `Bearer ${token}` } });
      expect(polled.status).toBe(200);
      const ids = (polled.body.activities as any[]).map((x) => x.id);
      expect(ids).toContain(questionId);
      expect(ids).toContain(answer.id);
    } finally {
      ws.close();
    }
  }, 120_000);

  it('continues a dialog started on A on B: the eligibility check alternates instances turn by turn', async () => {
    const conversationId = 'two-instances-eligibility';
    const from = { id: 'clerk-two-instances', name: 'Sachbearbeitung' };
    const say = async (server: SpawnedServer, text: string) => {
      const activity = channelActivity(channel.url, conversationId, { text, from });
      const res = await fetch(`${server.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
      expect(res.status).toBeLessThan(300);
      return (await channel.waitFor((r) => r.activity.replyToId === activity.id && r.activity.type === 'message', 60_000)).activity;
    };
    // Each answer only makes sense with the state the other instance wrote.
    expect((await say(a, 'Förderfähigkeit prüfen')).text).toMatch(/Für welche Kommune/);
    expect((await say(b, 'Buseck')).text).toMatch(/Was möchten Sie prüfen/);
    expect((await say(a, 'KDLZ-CS (Sicherheitsprüfung)')).text).toMatch(/Welche Stufe/);
    const result = await say(b, 'Stufe 1: Vor-Ort-Bewertung');
    const entity = (result.entities ?? []).find((e: any) => e.type === 'eligibility');
    expect(entity).toMatchObject({ type: 'eligibility', eligible: true, municipality: { ags: '06531003', name: 'Buseck' } });
  }, 120_000);

  /** A fresh slot (day `dayOffset` of the search) booked once through the staff API of A. */
  async function bookOne(key: string, dayOffset: number): Promise<string> {
    const slots = await json(`${a.url}/api/slots?ags=06531003&type=kdlz-cs-stufe-2&days=30&limit=20`, { headers: staff });
    expect(slots.status).toBe(200);
    const slot = (slots.body.slots as { advisorId: string; start: string }[]).at(-1 - dayOffset)!;
    const r = await json(`${a.url}/api/bookings`, {
      method: 'POST',
      headers: { ...staff, 'idempotency-key': key },
      body: JSON.stringify({ ags: '06531003', appointmentTypeId: 'kdlz-cs-stufe-2', advisorId: slot.advisorId, start: slot.start, contact }),
    });
    expect(r.status).toBe(201);
    return r.body.reference as string;
  }

  it('books one slot exactly once when both instances are asked for it at the same time', async () => {
    const slots = await json(`${a.url}/api/slots?ags=06531003&type=kdlz-cs-stufe-2&days=30&limit=5`, { headers: staff });
    expect(slots.status).toBe(200);
    const slot = slots.body.slots[0] as { advisorId: string; start: string };
    expect(slot).toBeDefined();
    const attempts = await Promise.all(
      Array.from({ length: 12 }, (_x, i) =>
        json(`${(i % 2 ? b : a).url}/api/bookings`, {
          method: 'POST',
          headers: { ...staff, 'idempotency-key': `two-instances-race-${i}` },
          body: JSON.stringify({ ags: '06531003', appointmentTypeId: 'kdlz-cs-stufe-2', advisorId: slot.advisorId, start: slot.start, contact }),
        }),
      ),
    );
    const statuses = attempts.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s !== 201 && s !== 409)).toEqual([]);
    const reference = attempts.find((r) => r.status === 201)!.body.reference;

    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const rows = await db.query(`SELECT reference FROM booking_bookings WHERE advisor_id = $1 AND start_ms = $2 AND status = 'confirmed'`, [slot.advisorId, Date.parse(slot.start)]);
      expect(rows.rows.map((r) => r.reference)).toEqual([reference]);
    } finally {
      await db.end();
    }
  }, 120_000);

  it('delivers the outbox and the reminder once, not once per instance', async () => {
    // Its own booking: this test does not depend on the race test above.
    const reference = await bookOne('two-instances-outbox', 0);
    const of = (type: string) => deliveries.filter((d) => d.type === type && d.booking.reference === reference);
    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    const undelivered = async () => Number((await db.query(`SELECT COUNT(*) AS n FROM booking_outbox WHERE delivered_ms IS NULL`)).rows[0].n);
    try {
      // Both instances poll the outbox; the confirmation reaches the webhook once.
      await until('the confirmation at the webhook', () => of('booking.confirmed').length > 0 || undefined);
      // Explicit signal instead of a pause: every outbox row is marked delivered. A row can only be
      // claimed while undelivered and not leased, so no second delivery can still be under way.
      await until('an empty outbox', async () => (await undelivered()) === 0 || undefined);
      expect(of('booking.confirmed')).toHaveLength(1);

      // Reminders go out the day before. Bookings start at the earliest in two days, so the
      // appointment is moved to tomorrow in the database; both instances run the reminder job
      // when they start, and are started together.
      const offset = daytimeOffsetMs();
      const tomorrow = DateTime.fromMillis(Date.now() + offset, { zone: 'Europe/Berlin' }).plus({ days: 1 }).set({ hour: 10, minute: 0, second: 0, millisecond: 0 });
      await db.query(`UPDATE booking_bookings SET start_ms = $1, end_ms = $2 WHERE reference = $3`, [tomorrow.toMillis(), tomorrow.plus({ minutes: 45 }).toMillis(), reference]);
      await Promise.all([a.stop(), b.stop()]);
      const daytime = offset ? { ...env, NODE_OPTIONS: `--require ${clockPreload(offset)}` } : env;
      [a, b] = await Promise.all([spawnServer(daytime), spawnServer(daytime)]);

      await until('the reminder at the webhook', () => of('booking.reminder').length > 0 || undefined);
      await until('an empty outbox', async () => (await undelivered()) === 0 || undefined);
      expect(of('booking.reminder')).toHaveLength(1);
      const queued = await db.query(`SELECT COUNT(*) AS n FROM booking_outbox WHERE kind = 'booking.reminder' AND channel = 'webhook'`);
      expect(Number(queued.rows[0].n)).toBe(1);
      // Every event id arrived once.
      const ids = deliveries.map((d) => d.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(badSignatures).toBe(0);
    } finally {
      await db.end();
    }
  }, 180_000);
});
