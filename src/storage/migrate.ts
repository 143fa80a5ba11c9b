import { Db, Migration } from './db';

/**
 * Applies each migration not yet recorded, in list order, each in its own transaction.
 * Idempotent: safe at every start and from several instances at once (PostgreSQL takes an
 * advisory lock; SQLite's BEGIN IMMEDIATE serialises writers).
 */
export async function migrate(db: Db, migrations: readonly Migration[]): Promise<string[]> {
  const ids = new Set<string>();
  for (const m of migrations) {
    if (ids.has(m.id)) throw new Error(`duplicate migration id ${m.id}`);
    ids.add(m.id);
  }
  await db.run('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at TEXT NOT NULL)');
  const applied: string[] = [];
  for (const m of migrations) {
    const done = await db.transaction(async (tx) => {
      if (db.kind === 'postgres') await tx.query('SELECT pg_advisory_xact_lock(424242)');
      const rows = await tx.query('SELECT id FROM schema_migrations WHERE id = $1', [m.id]);
      if (rows.length) return false;
      const statements = Array.isArray(m.sql) ? m.sql : m.sql[db.kind];
      for (const s of statements) await tx.run(s);
      await tx.run('INSERT INTO schema_migrations (id, applied_at) VALUES ($1, $2)', [m.id, new Date().toISOString()]);
      return true;
    });
    if (done) applied.push(m.id);
  }
  return applied;
}
