import pg from 'pg';
import { Db, Queryable, RunResult, SqlValue, UniqueViolation } from './db';

// int8 (COUNT(*), BIGINT epoch ms) as JS numbers: every value we store fits in 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

function mapError(err: unknown): unknown {
  const e = err as { code?: string; table?: string; detail?: string; message: string };
  if (e.code !== '23505') return err;
  // detail: "Key (advisor_id, start_ms)=(nord, 1781506800000) already exists."
  const detail = e.detail ?? '';
  const open = detail.indexOf('(');
  const close = detail.indexOf(')=');
  const columns = open >= 0 && close > open ? detail.slice(open + 1, close).split(',').map((c) => c.trim()) : [];
  return new UniqueViolation(e.message, err, e.table, columns);
}

function wrap(client: pg.Pool | pg.PoolClient): Queryable {
  return {
    async query<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
      try {
        return (await client.query(sql, params as unknown[])).rows as T[];
      } catch (e) {
        throw mapError(e);
      }
    },
    async run(sql: string, params: readonly SqlValue[] = []): Promise<RunResult> {
      try {
        return { changes: (await client.query(sql, params as unknown[])).rowCount ?? 0 };
      } catch (e) {
        throw mapError(e);
      }
    },
  };
}

export class PostgresDb implements Db {
  readonly kind = 'postgres' as const;
  private readonly pool: pg.Pool;
  private readonly q: Queryable;

  constructor(connectionString: string, opts: { max?: number } = {}) {
    this.pool = new pg.Pool({ connectionString, max: opts.max ?? 10 });
    // An idle client losing its connection must not crash the process.
    this.pool.on('error', () => undefined);
    this.q = wrap(this.pool);
  }

  query<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T[]> {
    return this.q.query<T>(sql, params);
  }

  run(sql: string, params?: readonly SqlValue[]): Promise<RunResult> {
    return this.q.run(sql, params);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(wrap(client));
      await client.query('COMMIT');
      return result;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw mapError(e);
    } finally {
      client.release();
    }
  }

  /** Dead row versions are removed by autovacuum; nothing to do per deletion. */
  async scrub(): Promise<void> {}

  async ping(): Promise<boolean> {
    try {
      await this.pool.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
