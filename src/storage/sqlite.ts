import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Db, Queryable, RunResult, SqlValue, UniqueViolation } from './db';

/**
 * PostgreSQL-style $n placeholders → SQLite positional parameters. A placeholder may appear
 * several times or out of order, so the parameter list is rebuilt in textual order.
 */
function translate(sql: string, params: readonly SqlValue[]): { sql: string; args: unknown[] } {
  const args: unknown[] = [];
  const text = sql.replace(/\$(\d+)/g, (_m, n: string) => {
    const v = params[Number(n) - 1];
    args.push(typeof v === 'boolean' ? (v ? 1 : 0) : v);
    return '?';
  });
  return { sql: text, args };
}

function mapError(err: unknown): unknown {
  const code = (err as { code?: string }).code ?? '';
  if (code.startsWith('SQLITE_CONSTRAINT_UNIQUE') || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    // "UNIQUE constraint failed: booking_bookings.advisor_id, booking_bookings.start_ms"
    const message = (err as Error).message;
    const cols = message.slice(message.indexOf(':') + 1).split(',').map((c) => c.trim().split('.'));
    return new UniqueViolation(message, err, cols[0]?.[0], cols.map((c) => c[1] ?? ''));
  }
  return err;
}

/**
 * better-sqlite3 is synchronous; an async transaction body would let other callers' statements
 * run inside it. A promise chain serialises transactions and the statements outside them.
 */
class Mutex {
  private tail: Promise<void> = Promise.resolve();
  async lock<T>(fn: () => Promise<T>): Promise<T> {
    const prev = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((r) => (release = r));
    await prev;
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

export class SqliteDb implements Db {
  readonly kind = 'sqlite' as const;
  private readonly db: Database.Database;
  private readonly mutex = new Mutex();
  private readonly cache = new Map<string, Database.Statement>();

  constructor(readonly file: string) {
    if (file !== ':memory:') mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = ON');
    // Deleted and overwritten content is zeroed in the file, so a deleted e-mail address is not
    // left readable in free pages (privacy: "Meine Daten löschen", retention).
    this.db.pragma('secure_delete = ON');
  }

  private stmt(sql: string): Database.Statement {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      if (this.cache.size > 500) this.cache.clear();
      this.cache.set(sql, s);
    }
    return s;
  }

  private readonly direct: Queryable = {
    query: async <T>(sql: string, params: readonly SqlValue[] = []) => {
      const t = translate(sql, params);
      try {
        const s = this.stmt(t.sql);
        return (s.reader ? s.all(...t.args) : (s.run(...t.args), [])) as T[];
      } catch (e) {
        throw mapError(e);
      }
    },
    run: async (sql: string, params: readonly SqlValue[] = []): Promise<RunResult> => {
      const t = translate(sql, params);
      try {
        const s = this.stmt(t.sql);
        if (s.reader) {
          s.all(...t.args);
          return { changes: 0 };
        }
        return { changes: s.run(...t.args).changes };
      } catch (e) {
        throw mapError(e);
      }
    },
  };

  query<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    // Waits for an open transaction: its body must use the `tx` it was given, never `this`.
    return this.mutex.lock(() => this.direct.query<T>(sql, params));
  }

  run(sql: string, params?: readonly SqlValue[]): Promise<RunResult> {
    return this.mutex.lock(() => this.direct.run(sql, params));
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.mutex.lock(async () => {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(this.direct);
        this.db.exec('COMMIT');
        return result;
      } catch (e) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw mapError(e);
      }
    });
  }

  /** Moves the write-ahead log into the database file and empties it (old page images with deleted data go). */
  async scrub(): Promise<void> {
    await this.mutex.lock(async () => {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    });
  }

  async ping(): Promise<boolean> {
    try {
      this.db.prepare('SELECT 1').get();
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.mutex.lock(async () => {
      if (this.db.open) this.db.close();
    });
  }
}
