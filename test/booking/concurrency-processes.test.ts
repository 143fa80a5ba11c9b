import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { bookingMigrations } from '../../src/booking/schema';
import { projectRoot } from '../../src/paths';
import { migrate } from '../../src/storage';
import { PostgresDb } from '../../src/storage/postgres';
import { SqliteDb } from '../../src/storage/sqlite';
import { createPgDatabase, createSqliteFile, DB_KINDS } from '../helpers/db';
import { ensureBuilt } from './built';
import { TEST_CALENDAR_YAML } from './fixtures';

const run = promisify(execFile);
const WORKER = path.join(projectRoot(), 'test/booking/fixtures/book-race.js');

beforeAll(() => ensureBuilt(), 180_000);

describe.each(DB_KINDS)('two processes on one %s database', (kind) => {
  it('50 simultaneous confirmations for one slot (25 per process): exactly one booking', async () => {
    const target = kind === 'postgres' ? { databaseUrl: await createPgDatabase() } : { sqliteFile: createSqliteFile() };
    const db = kind === 'postgres' ? new PostgresDb(target.databaseUrl!) : new SqliteDb(target.sqliteFile!);
    await migrate(db, bookingMigrations);
    const goAt = Date.now() + 1500; // both processes are up by then and start together
    const args = (prefix: string) =>
      JSON.stringify({ ...target, calendarYaml: TEST_CALENDAR_YAML, startMs: Date.parse('2026-06-03T06:00:00Z'), count: 25, keyPrefix: prefix, goAt, nowMs: Date.parse('2026-06-01T06:00:00Z') });
    const outputs = await Promise.all(['a', 'b'].map((p) => run(process.execPath, [WORKER, projectRoot(), args(p)], { timeout: 60_000 })));
    const results = outputs.map((o) => JSON.parse(o.stdout) as { ok: string[]; taken: number; other: string[] });
    expect(results.flatMap((r) => r.other)).toEqual([]);
    expect(results.flatMap((r) => r.ok)).toEqual(['KDLZ-2026-00001']);
    expect(results.reduce((n, r) => n + r.taken, 0)).toBe(49);
    const rows = await db.query<{ status: string; n: number }>('SELECT status, COUNT(*) AS n FROM booking_bookings GROUP BY status');
    expect(rows.map((r) => [r.status, Number(r.n)])).toEqual([['confirmed', 1]]);
    const [{ n }] = await db.query<{ n: number }>(`SELECT COUNT(*) AS n FROM booking_outbox WHERE kind = 'booking.confirmed'`);
    expect(Number(n)).toBe(3); // one event, three channels: nothing from the losers
    await db.close();
  });
});
