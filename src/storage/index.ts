import path from 'node:path';
import { Db, Migration } from './db';
import { migrate } from './migrate';
import { PostgresDb } from './postgres';
import { SqliteDb } from './sqlite';

export * from './db';
export { migrate } from './migrate';
export { KvStore, ETagConflict, kvMigrations } from './kv-store';
export { jobLeaseMigrations, withJobLease } from './job-lease';
export { clientKey, RateCounter, rateCounterMigrations, RATE_COUNTER_MAX_WINDOW_MS } from './rate-counter';

export interface StorageOptions {
  /** postgres://… selects PostgreSQL; otherwise SQLite at sqliteFile. */
  databaseUrl?: string;
  sqliteFile: string;
}

/** Opens the configured backend and brings its schema up to date. */
export async function openDatabase(opts: StorageOptions, migrations: readonly Migration[]): Promise<Db> {
  const db: Db = opts.databaseUrl ? new PostgresDb(opts.databaseUrl) : new SqliteDb(path.resolve(opts.sqliteFile));
  try {
    await migrate(db, migrations);
  } catch (e) {
    await db.close().catch(() => undefined);
    throw e;
  }
  return db;
}
