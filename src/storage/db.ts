/**
 * One SQL interface over both backends. Statements are written once, in the common subset of
 * SQLite and PostgreSQL, with PostgreSQL-style placeholders ($1, $2, …); the SQLite backend
 * rewrites them. Values are plain JS: strings, numbers (int8 comes back as number), null.
 * JSON is stored as TEXT in both backends so the same statements work everywhere.
 */
export type SqlValue = string | number | null | boolean;

export interface RunResult {
  /** Rows changed by INSERT/UPDATE/DELETE. */
  changes: number;
}

export interface Queryable {
  /** Rows of a SELECT (or of a statement with RETURNING). */
  query<T = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** A statement without result rows. */
  run(sql: string, params?: readonly SqlValue[]): Promise<RunResult>;
}

export interface Db extends Queryable {
  readonly kind: 'sqlite' | 'postgres';
  /**
   * Runs fn in one serialisable unit: SQLite `BEGIN IMMEDIATE` (one writer, across processes via
   * the file lock), PostgreSQL `BEGIN` on one pooled client. A thrown error rolls back everything.
   * Unique-constraint violations surface as UniqueViolation so callers need not know the backend.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** True when the database answers a trivial query. */
  ping(): Promise<boolean>;
  /**
   * After personal data was deleted: make sure no copy stays in the database's files where the
   * backend allows it (SQLite: checkpoint and empty the WAL; PostgreSQL: autovacuum's job).
   */
  scrub(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A unique or primary-key constraint was violated (both backends map their error to this).
 * `table` and `columns` say which constraint, so a caller can tell a clash it expects (two
 * bookings of one slot) from one that is a bug (a duplicate history row).
 */
export class UniqueViolation extends Error {
  constructor(
    message: string,
    override readonly cause?: unknown,
    readonly table?: string,
    readonly columns: readonly string[] = [],
  ) {
    super(message);
    this.name = 'UniqueViolation';
  }

  /** True when the violated constraint is exactly (table, columns), columns in index order. */
  on(table: string, ...columns: string[]): boolean {
    return this.table === table && this.columns.length === columns.length && columns.every((c, i) => this.columns[i] === c);
  }
}

/** One schema step. Applied once, in list order (not sorted by id), recorded in schema_migrations. */
export interface Migration {
  /** Unique and sortable, e.g. '001-bot-state'. Never renumber a migration that has shipped. */
  id: string;
  /** Statements for both backends, or one list per backend where the dialects differ. */
  sql: string[] | { sqlite: string[]; postgres: string[] };
}
