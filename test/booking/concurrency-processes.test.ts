import { spawn } from 'node:child_process';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REFERENCE_PATTERN } from '../../src/booking';
import { bookingMigrations } from '../../src/booking/schema';
import { projectRoot } from '../../src/paths';
import { migrate } from '../../src/storage';
import { PostgresDb } from '../../src/storage/postgres';
import { SqliteDb } from '../../src/storage/sqlite';
import { createPgDatabase, createSqliteFile, DB_KINDS } from '../helpers/db';
import { ensureBuilt } from './built';
import { TEST_CALENDAR_YAML } from './fixtures';

const WORKER = path.join(projectRoot(), 'test/booking/fixtures/book-race.js');

interface RaceResult {
  ok: string[];
  taken: number;
  other: string[];
  intervals: [number, number][];
}

/**
 * Starts one worker process per argument, waits until every one has opened the database and
 * said "ready", then tells all of them "go" at once (a barrier instead of a guessed start time).
 */
async function race(argList: string[]): Promise<RaceResult[]> {
  const children = argList.map((a) => spawn(process.execPath, [WORKER, projectRoot(), a], { stdio: ['pipe', 'pipe', 'inherit'], timeout: 60_000 }));
  const outputs = children.map(() => '');
  const ready = children.map(
    (c, i) =>
      new Promise<void>((resolve, reject) => {
        c.stdout.on('data', (d: Buffer) => {
          outputs[i] += d.toString();
          if (outputs[i].startsWith('ready\n')) resolve();
        });
        c.on('exit', (code) => reject(new Error(`worker ${i} exited with ${code} before it was ready`)));
      }),
  );
  const done = children.map((c, i) => new Promise<RaceResult>((resolve, reject) =>
    c.on('exit', (code) => (code === 0 ? resolve(JSON.parse(outputs[i].slice('ready\n'.length)) as RaceResult) : reject(new Error(`worker ${i} exited with ${code}`)))),
  ));
  await Promise.all(ready);
  for (const c of children) c.stdin.end('go\n');
  return Promise.all(done);
}

beforeAll(() => ensureBuilt(), 180_000);

describe.each(DB_KINDS)('two processes on one %s database', (kind) => {
  it('50 simultaneous confirmations for one slot (25 per process): exactly one booking', async () => {
    const target = kind === 'postgres' ? { databaseUrl: await createPgDatabase() } : { sqliteFile: createSqliteFile() };
    const db = kind === 'postgres' ? new PostgresDb(target.databaseUrl!) : new SqliteDb(target.sqliteFile!);
    await migrate(db, bookingMigrations);
    const args = (prefix: string) =>
      JSON.stringify({ ...target, calendarYaml: TEST_CALENDAR_YAML, startMs: Date.parse('2026-06-03T06:00:00Z'), count: 25, keyPrefix: prefix, nowMs: Date.parse('2026-06-01T06:00:00Z') });
    const results = await race([args('a'), args('b')]);
    expect(results.flatMap((r) => r.other)).toEqual([]);
    // The race really happened: some attempt of each process was in flight while one of the other
    // process was (with one process done before the other started, the test would prove nothing).
    const [a, b] = results.map((r) => r.intervals);
    const overlapping = a.some(([s1, e1]) => b.some(([s2, e2]) => s1 < e2 && s2 < e1));
    expect(overlapping, 'both processes inside the critical window together').toBe(true);
    const booked = results.flatMap((r) => r.ok);
    expect(booked).toHaveLength(1);
    expect(booked[0]).toMatch(REFERENCE_PATTERN);
    expect(results.reduce((n, r) => n + r.taken, 0)).toBe(49);
    const rows = await db.query<{ status: string; n: number }>('SELECT status, COUNT(*) AS n FROM booking_bookings GROUP BY status');
    expect(rows.map((r) => [r.status, Number(r.n)])).toEqual([['confirmed', 1]]);
    const [{ n }] = await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM booking_outbox WHERE kind = 'booking.confirmed'`);
    expect(Number(n)).toBe(3); // one event, three channels: nothing from the losers
    await db.close();
  });
});
