import { randomUUID } from 'node:crypto';
import { Db, Migration } from './db';

export const kvMigrations: Migration[] = [
  {
    id: 'storage-001-kv',
    sql: [
      `CREATE TABLE IF NOT EXISTS kv_state (
         key TEXT PRIMARY KEY,
         etag TEXT NOT NULL,
         data TEXT NOT NULL,
         updated_at BIGINT NOT NULL
       )`,
    ],
  },
];

/** A write lost the optimistic-concurrency race: someone changed the item since it was read. */
export class ETagConflict extends Error {
  constructor(readonly key: string) {
    super(`eTag conflict for key ${key}`);
    this.name = 'ETagConflict';
  }
}

export interface KvItem<T = unknown> {
  value: T;
  etag: string;
}

/**
 * Key/value items with an eTag per item: conversation and user state, and small settings
 * such as the KDLZ staff channel reference. A write that names an eTag only succeeds while the
 * stored item still has it; `undefined` or '*' writes unconditionally.
 */
export class KvStore {
  constructor(private readonly db: Db) {}

  async read<T = unknown>(keys: readonly string[]): Promise<Map<string, KvItem<T>>> {
    const out = new Map<string, KvItem<T>>();
    if (keys.length === 0) return out;
    const marks = keys.map((_k, i) => `$${i + 1}`).join(', ');
    const rows = await this.db.query<{ key: string; etag: string; data: string }>(
      `SELECT key, etag, data FROM kv_state WHERE key IN (${marks})`,
      keys,
    );
    for (const r of rows) out.set(r.key, { value: JSON.parse(r.data) as T, etag: r.etag });
    return out;
  }

  async get<T = unknown>(key: string): Promise<T | undefined> {
    return (await this.read<T>([key])).get(key)?.value;
  }

  /** Returns the new eTag. Throws ETagConflict when `expectedEtag` no longer matches. */
  async write(key: string, value: unknown, expectedEtag?: string): Promise<string> {
    const etag = randomUUID();
    const data = JSON.stringify(value);
    const now = Date.now();
    if (expectedEtag === undefined || expectedEtag === '*') {
      await this.db.run(
        `INSERT INTO kv_state (key, etag, data, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (key) DO UPDATE SET etag = excluded.etag, data = excluded.data, updated_at = excluded.updated_at`,
        [key, etag, data, now],
      );
      return etag;
    }
    const updated = await this.db.run(
      'UPDATE kv_state SET etag = $1, data = $2, updated_at = $3 WHERE key = $4 AND etag = $5',
      [etag, data, now, key, expectedEtag],
    );
    if (updated.changes === 1) return etag;
    // Bot Framework semantics: an eTag on an item that does not exist yet is a first write.
    const inserted = await this.db.run(
      'INSERT INTO kv_state (key, etag, data, updated_at) VALUES ($1, $2, $3, $4) ON CONFLICT (key) DO NOTHING',
      [key, etag, data, now],
    );
    if (inserted.changes === 1) return etag;
    throw new ETagConflict(key);
  }

  async delete(keys: readonly string[]): Promise<void> {
    for (const key of keys) await this.db.run('DELETE FROM kv_state WHERE key = $1', [key]);
  }

  /** Keys with a prefix, for deleting everything of one user on request. */
  async deletePrefix(prefix: string): Promise<number> {
    const r = await this.db.run("DELETE FROM kv_state WHERE key LIKE $1 ESCAPE '\\'", [escapeLike(prefix) + '%']);
    return r.changes;
  }

  /** Keys with this prefix not written since `cutoffMs` (retention of conversation state). */
  async deleteOlderThan(prefix: string, cutoffMs: number): Promise<number> {
    const r = await this.db.run("DELETE FROM kv_state WHERE key LIKE $1 ESCAPE '\\' AND updated_at < $2", [escapeLike(prefix) + '%', cutoffMs]);
    return r.changes;
  }

  /** Keys `<prefix>…<suffix>` (any channel segment in between), e.g. one user's state in any channel. */
  async deleteMatching(prefix: string, suffix: string): Promise<number> {
    const r = await this.db.run("DELETE FROM kv_state WHERE key LIKE $1 ESCAPE '\\'", [escapeLike(prefix) + '%' + escapeLike(suffix)]);
    return r.changes;
  }
}

const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => '\\' + c);
