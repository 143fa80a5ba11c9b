/**
 * Booking speed with a realistic history: 100,000 existing bookings (three years back, one
 * year ahead, 30 advisors), then slot searches (one Kommune, one type, one week) and
 * confirmations (a free slot booked with its outbox rows in one transaction), on SQLite and on
 * PostgreSQL. Target: search p95 < 10 ms. The anchor beside each figure is the floor any
 * database call has on this machine: one primary-key SELECT on the same database.
 * Run: npm run bench:booking [-- --searches 2000 --confirms 500 --bookings 100000 --only sqlite]
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { addDays, berlinDay, berlinTime, closedReason, parseBookingConfig } from '../src/booking/calendar';
import { bookingMigrations } from '../src/booking/schema';
import { BookingService } from '../src/booking/service';
import { SlotUnavailable } from '../src/booking/types';
import { projectRoot } from '../src/paths';
import { type Db, migrate, type SqlValue } from '../src/storage';
import { PostgresDb } from '../src/storage/postgres';
import { SqliteDb } from '../src/storage/sqlite';
import { startCluster } from '../test/setup/postgres-cluster';
import { percentile } from './lib/stats';

const args = process.argv.slice(2);
const opt = (name: string, fallback: number): number => {
  const i = args.indexOf('--' + name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
const BOOKINGS = opt('bookings', 100_000);
const SEARCHES = opt('searches', 2000);
const CONFIRMS = opt('confirms', 500);

const ADVISORS = 30;
/** A bench calendar: 30 advisors over the three Regierungsbezirke, a year's horizon. */
const calendar = parseBookingConfig(`
organizer: { name: "Bench", email: "bench@example.invalid" }
rules: { leadTimeDays: 1, horizonDays: 365, holdMinutes: 10, slotStepMinutes: 30, maxSlotsShown: 6 }
onlineLocation: "Online"
appointmentTypes:
  - { id: vor-ort, name: "Vor-Ort-Analyse", durationMinutes: 180, place: vor-ort, eligibility: kdlz }
  - { id: online, name: "Online-Beratung", durationMinutes: 60, place: online, eligibility: alle }
advisors:
${Array.from({ length: ADVISORS }, (_, i) => `  - { id: a${i}, name: "Beratung ${i} (Beispiel)", email: "a${i}@example.invalid", covers: ["06${4 + (i % 3)}"], appointmentTypes: [vor-ort, online], travelBufferMinutes: 30, maxPerDay: 6,
      hours: { mo: ["08:00-12:00", "13:00-17:00"], di: ["08:00-12:00", "13:00-17:00"], mi: ["08:00-12:00", "13:00-17:00"], do: ["08:00-12:00", "13:00-17:00"], fr: ["08:00-13:00"] } }`).join('\n')}
`);
const KOMMUNEN = ['06411000', '06531003', '06633001', '06438001', '06532001', '06631001'];
const contact = { name: 'Erika Muster', role: 'IT-Leitung', email: 'erika@gemeinde.example', phone: '0123 456789' };

/** 100k rows: random advisor, random working day from 3 years back to 1 year ahead, random grid start. */
async function seed(db: Db, now: number): Promise<number> {
  const today = berlinDay(now);
  const used = new Set<string>();
  const rows: SqlValue[][] = [];
  let seq = 0;
  while (rows.length < BOOKINGS) {
    const day = addDays(today, Math.floor(Math.random() * 4 * 365) - 3 * 365);
    if (closedReason(day)) continue;
    const advisor = `a${Math.floor(Math.random() * ADVISORS)}`;
    const minute = 8 * 60 + 60 * Math.floor(Math.random() * 8);
    const key = `${advisor}@${day}@${minute}`;
    if (used.has(key)) continue;
    used.add(key);
    const start = berlinTime(day, minute);
    const past = start < now;
    const year = Number(day.slice(0, 4));
    rows.push([
      randomUUID(), `BENCH-${year}-${++seq}`, Math.random() < 0.1 ? 'cancelled' : 'confirmed', advisor, 'online', KOMMUNEN[seq % KOMMUNEN.length], 'Bench',
      start, start + 3_600_000, 0, past ? null : contact.name, past ? null : contact.role, past ? null : contact.email, past ? null : contact.phone, 2, now, now,
    ]);
  }
  const cols = '(id, reference, status, advisor_id, appointment_type, ags, municipality_name, start_ms, end_ms, on_site, contact_name, contact_role, contact_email, contact_phone, version, created_ms, updated_ms)';
  const BATCH = 400;
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH);
    await db.transaction(async (tx) => {
      const values = batch.map((_, r) => `(${Array.from({ length: 17 }, (_, c) => `$${r * 17 + c + 1}`).join(', ')})`).join(', ');
      await tx.run(`INSERT INTO booking_bookings ${cols} VALUES ${values}`, batch.flat());
    });
  }
  return rows.filter((r) => r[2] === 'confirmed' && Number(r[7]) > now).length;
}

interface Figures { p50: number; p95: number; p99: number; n: number }
const figures = (t: number[]): Figures => {
  const s = [...t].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p95: percentile(s, 95), p99: percentile(s, 99), n: s.length };
};

async function bench(kind: 'sqlite' | 'postgres', db: Db): Promise<string[]> {
  const now = Date.now();
  const t0 = performance.now();
  await migrate(db, bookingMigrations);
  const future = await seed(db, now);
  if (kind === 'postgres') await db.run('ANALYZE booking_bookings');
  const seedS = (performance.now() - t0) / 1000;
  const service = new BookingService({ db, calendar, now: () => now, kommune: (ags) => ({ ags, name: 'Bench' }), outboxChannels: ['teams', 'webhook', 'email'] });

  const anchorIds = (await db.query<{ id: string }>('SELECT id FROM booking_bookings LIMIT 500')).map((r) => r.id);
  const anchor: number[] = [];
  for (let i = 0; i < SEARCHES; i++) {
    const a = performance.now();
    await db.query('SELECT * FROM booking_bookings WHERE id = $1', [anchorIds[i % anchorIds.length]]);
    anchor.push(performance.now() - a);
  }

  const search: number[] = [];
  for (let i = 0; i < SEARCHES; i++) {
    const fromDay = addDays(berlinDay(now), 1 + Math.floor(Math.random() * 300));
    const a = performance.now();
    await service.searchSlots({ ags: KOMMUNEN[i % KOMMUNEN.length], appointmentTypeId: i % 2 ? 'online' : 'vor-ort', fromDay, days: 7 });
    search.push(performance.now() - a);
  }

  const confirm: number[] = [];
  let taken = 0;
  for (let i = 0; confirm.length < CONFIRMS && i < CONFIRMS * 3; i++) {
    const ags = KOMMUNEN[i % KOMMUNEN.length];
    const [slot] = await service.searchSlots({ ags, appointmentTypeId: 'online', fromDay: addDays(berlinDay(now), 1 + Math.floor(Math.random() * 300)), days: 7, limit: 1 });
    if (!slot) continue;
    const a = performance.now();
    try {
      await service.book({ ags, appointmentTypeId: 'online', advisorId: slot.advisorId, startMs: slot.startMs, contact, idempotencyKey: `bench-${i}` });
      confirm.push(performance.now() - a);
    } catch (e) {
      if (!(e instanceof SlotUnavailable)) throw e;
      taken++;
    }
  }
  const [{ n }] = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM booking_bookings');
  const A = figures(anchor);
  const S = figures(search);
  const C = figures(confirm);
  const f = (v: number): string => `${v.toFixed(2)} ms`;
  return [
    `| ${kind} | ${Number(n).toLocaleString('en')} rows (${future.toLocaleString('en')} upcoming), seeded in ${seedS.toFixed(1)} s | | | |`,
    `| ${kind} | slot search (1 Kommune, 1 type, 1 week), n=${S.n} | ${f(S.p50)} | ${f(S.p95)} | ${f(S.p99)} | anchor PK SELECT p50 ${f(A.p50)} p95 ${f(A.p95)}; target p95 < 10 ms: ${S.p95 < 10 ? 'met' : 'NOT met'} |`,
    `| ${kind} | confirm (validate, lock, reference, insert, history, 3 outbox rows), n=${C.n}${taken ? `, ${taken} lost races` : ''} | ${f(C.p50)} | ${f(C.p95)} | ${f(C.p99)} | anchor PK SELECT p95 ${f(A.p95)} |`,
  ];
}

async function main(): Promise<void> {
  const lines = ['| backend | what | p50 | p95 | p99 | anchor / note |', '| --- | --- | --- | --- | --- | --- |'];
  if (!only || only === 'sqlite') {
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'kdlz-bench-booking-')), 'bench.db');
    const db = new SqliteDb(file);
    lines.push(...(await bench('sqlite', db)));
    await db.close();
  }
  if (!only || only === 'postgres') {
    const cluster = await startCluster();
    try {
      const admin = new pg.Client({ connectionString: cluster.url });
      await admin.connect();
      await admin.query('CREATE DATABASE bench_booking');
      await admin.end();
      const url = new URL(cluster.url);
      url.pathname = '/bench_booking';
      const db = new PostgresDb(url.toString());
      lines.push(...(await bench('postgres', db)));
      await db.close();
    } finally {
      cluster.stop();
    }
  }
  const header = `Booking benchmark, ${new Date().toISOString()}, ${os.cpus()[0]?.model ?? 'cpu'} × ${os.cpus().length}, Node ${process.version}, sequential calls (one client)`;
  const out = `${header}\n\n${lines.join('\n')}\n`;
  console.log(out);
  mkdirSync(path.join(projectRoot(), 'bench', 'results'), { recursive: true });
  writeFileSync(path.join(projectRoot(), 'bench', 'results', 'booking.md'), out);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
