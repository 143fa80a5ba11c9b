import { Db, Migration } from './db';

/**
 * Applies each migration not yet recorded, in list order, each in its own transaction.
 * Idempotent: safe at every start and from several instances at once (PostgreSQL takes an
 * advisory lock; SQLite's BEGIN IMMEDIATE serialises writers).
 */
export async function migrate(db: Db, migrations: readonly Migration[]): Promise<string[]> {
  // A module may list a migration it depends on (booking needs the shared rate counters); the
  // same migration object twice runs once. Two different migrations with one id are a mistake.
  const byId = new Map<string, Migration>();
  const unique: Migration[] = [];
  for (const m of migrations) {
    const seen = byId.get(m.id);
    if (seen === m) continue;
    if (seen) throw new Error(`duplicate migration id ${m.id}`);
    byId.set(m.id, m);
    unique.push(m);
  }
  migrations = unique;
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
