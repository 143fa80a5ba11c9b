import { afterEach, describe, expect, it } from 'vitest';
import { KvBotStorage } from '../../src/bot/state-storage';
import { Db, ETagConflict, KvStore, kvMigrations, migrate, UniqueViolation } from '../../src/storage';
import { DB_KINDS, openTestDb } from '../helpers/db';

const demo = [
  { id: 'test-001', sql: ['CREATE TABLE demo (id TEXT PRIMARY KEY, n INTEGER NOT NULL, note TEXT)'] },
];

describe.each(DB_KINDS)('storage contract on %s', (kind) => {
  let db: Db;
  afterEach(async () => db?.close());

  it('runs migrations once, however often it starts', async () => {
    db = await openTestDb(kind, [...kvMigrations, ...demo]);
    expect(await migrate(db, [...kvMigrations, ...demo])).toEqual([]);
    const rows = await db.query<{ id: string }>('SELECT id FROM schema_migrations ORDER BY id');
    expect(rows.map((r) => r.id)).toEqual(['storage-001-kv', 'test-001']);
    // A module may list a migration it depends on again: the same migration runs once.
    expect(await migrate(db, [demo[0], demo[0]])).toEqual([]);
    await expect(migrate(db, [demo[0], { ...demo[0] }])).rejects.toThrow(/duplicate/);
  });

  it('binds $n placeholders by number, also repeated and out of order', async () => {
    db = await openTestDb(kind, demo);
    await db.run('INSERT INTO demo (id, n, note) VALUES ($2, $1, $2)', [7, 'a']);
    const rows = await db.query<{ id: string; n: number; note: string }>('SELECT id, n, note FROM demo WHERE n = $1', [7]);
    expect(rows).toEqual([{ id: 'a', n: 7, note: 'a' }]);
    const count = await db.query<{ c: number }>('SELECT COUNT(*) AS c FROM demo');
    expect(count[0].c).toBe(1);
  });

  it('rolls back a failed transaction completely', async () => {
    db = await openTestDb(kind, demo);
    await expect(
      db.transaction(async (tx) => {
        await tx.run('INSERT INTO demo (id, n) VALUES ($1, $2)', ['x', 1]);
        await tx.run('INSERT INTO demo (id, n) VALUES ($1, $2)', ['x', 2]);
      }),
    ).rejects.toBeInstanceOf(UniqueViolation);
    expect(await db.query('SELECT * FROM demo')).toEqual([]);
  });

  it('serialises concurrent read-modify-write transactions', async () => {
    db = await openTestDb(kind, demo);
    await db.run('INSERT INTO demo (id, n) VALUES ($1, 0)', ['c']);
    const bump = () =>
      db.transaction(async (tx) => {
        // A row lock (PostgreSQL) / the write lock (SQLite) makes the increments not overlap.
        const [row] = await tx.query<{ n: number }>(
          kind === 'postgres' ? 'SELECT n FROM demo WHERE id = $1 FOR UPDATE' : 'SELECT n FROM demo WHERE id = $1',
          ['c'],
        );
        await tx.run('UPDATE demo SET n = $1 WHERE id = $2', [row.n + 1, 'c']);
      });
    await Promise.all(Array.from({ length: 20 }, bump));
    const [row] = await db.query<{ n: number }>('SELECT n FROM demo WHERE id = $1', ['c']);
    expect(row.n).toBe(20);
  });

  it('KvStore rejects a stale eTag and accepts the current one', async () => {
    db = await openTestDb(kind, kvMigrations);
    const kv = new KvStore(db);
    const e1 = await kv.write('k', { v: 1 });
    const e2 = await kv.write('k', { v: 2 }, e1);
    expect(e2).not.toBe(e1);
    await expect(kv.write('k', { v: 3 }, e1)).rejects.toBeInstanceOf(ETagConflict);
    expect(await kv.get('k')).toEqual({ v: 2 });
    await kv.write('k', { v: 4 }, '*');
    expect(await kv.get('k')).toEqual({ v: 4 });
  });

  it('KvStore deletes by prefix without touching other keys, also with LIKE wildcards in keys', async () => {
    db = await openTestDb(kind, kvMigrations);
    const kv = new KvStore(db);
    await kv.write('user/a_1/x', 1);
    await kv.write('user/a_1/y', 2);
    await kv.write('user/ab1/z', 3);
    expect(await kv.deletePrefix('user/a_1/')).toBe(2);
    expect([...(await kv.read(['user/a_1/x', 'user/ab1/z'])).keys()]).toEqual(['user/ab1/z']);
  });

  it('Bot Framework Storage: optimistic concurrency like the SDK expects', async () => {
    db = await openTestDb(kind, kvMigrations);
    const storage = new KvBotStorage(new KvStore(db));
    await storage.write({ conv: { dialogState: 1 } });
    const first = (await storage.read(['conv'])).conv;
    const second = (await storage.read(['conv'])).conv;
    expect(first.eTag).toBeTruthy();
    await storage.write({ conv: { ...first, dialogState: 2 } });
    await expect(storage.write({ conv: { ...second, dialogState: 3 } })).rejects.toThrow(/eTag/);
    expect((await storage.read(['conv'])).conv.dialogState).toBe(2);
    await storage.delete(['conv']);
    expect(await storage.read(['conv'])).toEqual({});
  });
});
