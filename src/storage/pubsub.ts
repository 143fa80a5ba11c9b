import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { Db } from './db';

/**
 * A small notification bus between the instances that share one database: "something new was
 * stored for X". Payloads are short hints (PostgreSQL NOTIFY carries at most 8000 bytes), the
 * data itself is always read from the database. A handler may be called with `null`, meaning
 * "notifications may have been lost (reconnect): check everything you watch".
 */
export interface PubSub {
  publish(channel: string, payload: string): Promise<void>;
  /** Returns the function that ends this subscription. */
  subscribe(channel: string, handler: (payload: string | null) => void): Promise<() => void>;
  close(): Promise<void>;
}

/** Channel names double as PostgreSQL identifiers, so they are kept to a safe alphabet. */
function checkChannel(channel: string): void {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) throw new Error(`invalid pubsub channel name: ${channel}`);
}

/**
 * SQLite serves one process, so an in-process emitter reaches everyone. It is shared per
 * database file: two app instances in one process on the same file (tests) hear each other.
 */
const sqliteBuses = new Map<string, { emitter: EventEmitter; users: number }>();

class LocalPubSub implements PubSub {
  private closed = false;
  private readonly unsubs = new Set<() => void>();

  constructor(private readonly key: string) {
    const bus = sqliteBuses.get(key) ?? { emitter: new EventEmitter(), users: 0 };
    bus.emitter.setMaxListeners(0);
    bus.users++;
    sqliteBuses.set(key, bus);
  }

  private get emitter(): EventEmitter {
    return sqliteBuses.get(this.key)!.emitter;
  }

  async publish(channel: string, payload: string): Promise<void> {
    checkChannel(channel);
    if (this.closed) return;
    this.emitter.emit(channel, payload);
  }

  async subscribe(channel: string, handler: (payload: string | null) => void): Promise<() => void> {
    checkChannel(channel);
    const emitter = this.emitter;
    emitter.on(channel, handler);
    const off = () => {
      emitter.off(channel, handler);
      this.unsubs.delete(off);
    };
    this.unsubs.add(off);
    return off;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const off of [...this.unsubs]) off();
    const bus = sqliteBuses.get(this.key);
    if (bus && --bus.users <= 0) sqliteBuses.delete(this.key);
  }
}

/**
 * PostgreSQL LISTEN/NOTIFY. LISTEN needs one connection held for good, so it gets its own
 * pg.Client outside the query pool; NOTIFY goes through the pool. A lost connection is
 * reopened with backoff, and every handler is then told to resynchronise (payload null).
 */
class PostgresPubSub implements PubSub {
  private client: pg.Client | undefined;
  private connecting: Promise<void> | undefined;
  private readonly handlers = new Map<string, Set<(payload: string | null) => void>>();
  private closed = false;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelayMs = 500;

  constructor(
    private readonly db: Db,
    private readonly url: string,
    private readonly onError: (err: unknown) => void,
  ) {}

  async publish(channel: string, payload: string): Promise<void> {
    checkChannel(channel);
    await this.db.query('SELECT pg_notify($1, $2)', [channel, payload]);
  }

  async subscribe(channel: string, handler: (payload: string | null) => void): Promise<() => void> {
    checkChannel(channel);
    let set = this.handlers.get(channel);
    const isNew = !set;
    if (!set) {
      set = new Set();
      this.handlers.set(channel, set);
    }
    set.add(handler);
    await this.ensureConnected();
    if (isNew && this.client) await this.client.query(`LISTEN ${channel}`);
    return () => {
      const s = this.handlers.get(channel);
      if (!s) return;
      s.delete(handler);
      if (s.size === 0) {
        this.handlers.delete(channel);
        this.client?.query(`UNLISTEN ${channel}`).catch(() => undefined);
      }
    };
  }

  private ensureConnected(): Promise<void> {
    if (this.client) return Promise.resolve();
    if (!this.connecting) {
      this.connecting = this.connect().finally(() => (this.connecting = undefined));
    }
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    client.on('notification', (msg) => {
      const set = this.handlers.get(msg.channel);
      if (set) for (const h of [...set]) h(msg.payload ?? '');
    });
    const lost = (err?: unknown) => {
      if (this.client !== client) return;
      this.client = undefined;
      client.end().catch(() => undefined);
      if (err) this.onError(err);
      this.scheduleReconnect();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    await client.connect();
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    for (const channel of this.handlers.keys()) await client.query(`LISTEN ${channel}`);
    this.client = client;
    this.retryDelayMs = 500;
  }

  private scheduleReconnect(): void {
    if (this.closed || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.ensureConnected().then(
        () => {
          // Whatever was published while we were away was not heard: everyone re-reads.
          for (const set of this.handlers.values()) for (const h of [...set]) h(null);
        },
        (err) => {
          this.onError(err);
          this.retryDelayMs = Math.min(this.retryDelayMs * 2, 30_000);
          this.scheduleReconnect();
        },
      );
    }, this.retryDelayMs);
    this.retryTimer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.handlers.clear();
    await this.connecting?.catch(() => undefined);
    const c = this.client;
    this.client = undefined;
    if (c) await c.end().catch(() => undefined);
  }
}

/**
 * The bus for the configured backend: PostgreSQL LISTEN/NOTIFY when databaseUrl is given (every
 * instance on that database hears it), otherwise in-process.
 */
export function createPubSub(db: Db, databaseUrl?: string, onError: (err: unknown) => void = () => undefined): PubSub {
  if (db.kind === 'postgres') {
    if (!databaseUrl) throw new Error('createPubSub: PostgreSQL needs its databaseUrl for LISTEN');
    return new PostgresPubSub(db, databaseUrl, onError);
  }
  return new LocalPubSub((db as { file?: string }).file ?? 'sqlite');
}
