import { describe, expect, it } from 'vitest';
import { createPubSub } from '../../src/storage/pubsub';
import { PostgresDb } from '../../src/storage/postgres';
import { SqliteDb } from '../../src/storage/sqlite';
import { createPgDatabase, createSqliteFile } from '../helpers/db';

async function until(pred: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('pubsub', () => {
  it('SQLite: reaches subscribers of the same database file in this process, not others', async () => {
    const file = createSqliteFile();
    const db1 = new SqliteDb(file);
    const db2 = new SqliteDb(file);
    const other = new SqliteDb(createSqliteFile());
    const [p1, p2, p3] = [createPubSub(db1), createPubSub(db2), createPubSub(other)];
    const got: (string | null)[] = [];
    const elsewhere: (string | null)[] = [];
    const off = await p2.subscribe('chan_a', (m) => got.push(m));
    await p3.subscribe('chan_a', (m) => elsewhere.push(m));
    await p1.publish('chan_a', 'eins');
    await p1.publish('chan_b', 'anderer Kanal');
    off();
    await p1.publish('chan_a', 'nach dem Abmelden');
    expect(got).toEqual(['eins']);
    expect(elsewhere).toEqual([]);
    await expect(p1.publish('Bad Name; DROP', 'x')).rejects.toThrow(/invalid pubsub channel/);
    for (const p of [p1, p2, p3]) await p.close();
    for (const d of [db1, db2, other]) await d.close();
  });

  it('PostgreSQL: NOTIFY from one instance reaches LISTEN on another, and a lost LISTEN connection recovers with a resync', async () => {
    const url = await createPgDatabase();
    const dbA = new PostgresDb(url);
    const dbB = new PostgresDb(url);
    const a = createPubSub(dbA, url);
    const b = createPubSub(dbB, url);
    const got: (string | null)[] = [];
    await b.subscribe('kdlz_test', (m) => got.push(m));
    await a.publish('kdlz_test', 'hallo');
    await until(() => got.includes('hallo'));

    // Kill B's LISTEN connection from the server side, as a failover or idle timeout would.
    await dbA.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()");
    await until(() => got.includes(null), 10_000);
    await a.publish('kdlz_test', 'nach dem Wiederverbinden');
    await until(() => got.includes('nach dem Wiederverbinden'));
    expect(got.filter((m) => m === 'hallo')).toHaveLength(1);

    await a.close();
    await b.close();
    await dbA.close();
    await dbB.close();
  });
});
