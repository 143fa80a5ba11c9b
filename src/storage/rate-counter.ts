import { createHash } from 'node:crypto';
import type { Db, Migration } from './db';

export const rateCounterMigrations: Migration[] = [
  {
    id: 'storage-003-rate-counters',
    sql: [
      `CREATE TABLE IF NOT EXISTS rate_counters (
         bucket TEXT NOT NULL,
         window_start BIGINT NOT NULL,
         count INTEGER NOT NULL,
         PRIMARY KEY (bucket, window_start)
       )`,
      `CREATE INDEX IF NOT EXISTS rate_counters_window ON rate_counters (window_start)`,
    ],
  },
];

/** The longest window any caller uses; rows older than twice this are removed. */
export const RATE_COUNTER_MAX_WINDOW_MS = 24 * 3600_000;

/**
 * Counters in fixed time windows, kept in the shared database so every instance counts the same
 * requests (rate limits, lock-outs after failed attempts). Keys are stored as a SHA-256 digest:
 * they are often client addresses, which need not lie readable in the database.
 */
export class RateCounter {
  private lastPrune = 0;

  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  private static bucket(key: string): string {
    return createHash('sha256').update(key).digest('base64url').slice(0, 32);
  }

  /** Counts one event for `key` in the current window; returns the count including it. */
  async hit(key: string, windowMs: number): Promise<{ count: number; retryAfterSec: number }> {
    const now = this.now();
    const start = Math.floor(now / windowMs) * windowMs;
    const [row] = await this.db.query<{ count: number }>(
      `INSERT INTO rate_counters (bucket, window_start, count) VALUES ($1, $2, 1)
       ON CONFLICT (bucket, window_start) DO UPDATE SET count = rate_counters.count + 1
       RETURNING count`,
      [RateCounter.bucket(key), start],
    );
    void this.prune(now);
    return { count: Number(row.count), retryAfterSec: Math.max(1, Math.ceil((start + windowMs - now) / 1000)) };
  }

  /** Events counted for `key` in the current window, without counting one. */
  async count(key: string, windowMs: number): Promise<number> {
    const start = Math.floor(this.now() / windowMs) * windowMs;
    const [row] = await this.db.query<{ count: number }>('SELECT count FROM rate_counters WHERE bucket = $1 AND window_start = $2', [RateCounter.bucket(key), start]);
    return row ? Number(row.count) : 0;
  }

  /** A request may pass (0) or must wait this many seconds: at most `limit` per window. */
  async take(key: string, limit: number, windowMs: number): Promise<number> {
    const { count, retryAfterSec } = await this.hit(key, windowMs);
    return count > limit ? retryAfterSec : 0;
  }

  /** Removes windows that ended long ago (at most once a minute per instance). */
  async prune(now = this.now(), force = false): Promise<number> {
    if (!force && now - this.lastPrune < 60_000) return 0;
    this.lastPrune = now;
    try {
      return (await this.db.run('DELETE FROM rate_counters WHERE window_start < $1', [now - 2 * RATE_COUNTER_MAX_WINDOW_MS])).changes;
    } catch {
      return 0;
    }
  }
}

/**
 * The key a client is counted under: an IPv4 address as it is, an IPv6 address by its /64
 * network (one subscriber gets a whole /64 and could otherwise rotate through 2^64 addresses).
 */
export function clientKey(address: string): string {
  let a = address.trim().toLowerCase();
  if (a.startsWith('::ffff:') && a.includes('.')) return a.slice(7);
  const zone = a.indexOf('%');
  if (zone >= 0) a = a.slice(0, zone);
  if (!a.includes(':')) return a;
  const groups = expandIpv6(a);
  return groups ? `${groups.slice(0, 4).join(':')}::/64` : a;
}

/** The eight 16-bit groups of an IPv6 address, or undefined when it is not one. */
function expandIpv6(a: string): string[] | undefined {
  const halves = a.split('::');
  if (halves.length > 2) return undefined;
  const part = (s: string) => (s === '' ? [] : s.split(':'));
  const head = part(halves[0]);
  const tail = halves.length === 2 ? part(halves[1]) : [];
  // An embedded IPv4 tail (::ffff:1.2.3.4 is handled above; 64:ff9b::1.2.3.4 and the like here).
  const last = tail.length ? tail : head;
  if (last.length && last[last.length - 1].includes('.')) {
    const v4 = last.pop()!.split('.').map(Number);
    if (v4.length !== 4 || v4.some((n) => !Number.isInteger(n) || n < 0 || n > 255)) return undefined;
    last.push(((v4[0] << 8) | v4[1]).toString(16), ((v4[2] << 8) | v4[3]).toString(16));
  }
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const groups = [...head, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return undefined;
  return groups.map((g) => g.replace(/^0+(?=.)/, ''));
}
