import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { Db, Migration, migrate } from '../../src/storage';
import { PostgresDb } from '../../src/storage/postgres';
import { SqliteDb } from '../../src/storage/sqlite';

export type DbKind = 'sqlite' | 'postgres';
export const DB_KINDS: DbKind[] = ['sqlite', 'postgres'];

export function pgAdminUrl(): string {
  return process.env.KDLZ_TEST_PG_URL ?? inject('pgUrl');
}

/** A new, empty PostgreSQL database in the test cluster; returns its URL. */
export async function createPgDatabase(): Promise<string> {
  const name = 't_' + randomBytes(6).toString('hex');
  const admin = new pg.Client({ connectionString: pgAdminUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(pgAdminUrl());
  url.pathname = '/' + name;
  return url.toString();
}

/** A new SQLite file in a fresh temp dir; returns its path. */
export function createSqliteFile(): string {
  return path.join(mkdtempSync(path.join(os.tmpdir(), 'kdlz-sqlite-')), 'test.db');
}

/** A fresh, migrated database of the given kind. */
export async function openTestDb(kind: DbKind, migrations: readonly Migration[] = []): Promise<Db> {
  const db: Db = kind === 'postgres' ? new PostgresDb(await createPgDatabase()) : new SqliteDb(createSqliteFile());
  await migrate(db, migrations);
  return db;
}
