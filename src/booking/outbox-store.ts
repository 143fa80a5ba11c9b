import type { Db, Queryable } from '../storage';
import type { BookingEvent, OutboxChannel } from './types';

/** Writes one row per channel for an event, inside the caller's booking transaction. */
export async function enqueueEvent(tx: Queryable, channels: readonly OutboxChannel[], event: BookingEvent, now: number): Promise<void> {
  for (const channel of channels) {
    await tx.run(
      `INSERT INTO booking_outbox (event_id, channel, booking_id, kind, payload, created_ms, attempts, next_attempt_ms)
       VALUES ($1, $2, $3, $4, $5, $6, 0, $6)`,
      [event.id, channel, event.booking.id, event.type, JSON.stringify(event), now],
    );
  }
}

export interface OutboxRow {
  eventId: string;
  channel: OutboxChannel;
  attempts: number;
  event: BookingEvent;
}

/** The outbox table: find due rows, claim them with a lease, record the outcome. */
export class OutboxStore {
  constructor(private readonly db: Db) {}

  async due(now: number, maxAttempts: number, limit = 20): Promise<{ eventId: string; channel: OutboxChannel }[]> {
    const rows = await this.db.query<{ event_id: string; channel: OutboxChannel }>(
      `SELECT event_id, channel FROM booking_outbox
       WHERE delivered_ms IS NULL AND attempts < $1 AND next_attempt_ms <= $2 AND (lease_until_ms IS NULL OR lease_until_ms < $2)
       ORDER BY created_ms LIMIT $3`,
      [maxAttempts, now, limit],
    );
    return rows.map((r) => ({ eventId: r.event_id, channel: r.channel }));
  }

  /** Takes the row for `leaseMs` unless another instance holds an unexpired lease or it is done. */
  async claim(eventId: string, channel: OutboxChannel, owner: string, now: number, leaseMs: number): Promise<OutboxRow | undefined> {
    const r = await this.db.run(
      `UPDATE booking_outbox SET lease_owner = $3, lease_until_ms = $4
       WHERE event_id = $1 AND channel = $2 AND delivered_ms IS NULL AND (lease_until_ms IS NULL OR lease_until_ms < $5)`,
      [eventId, channel, owner, now + leaseMs, now],
    );
    if (r.changes !== 1) return undefined;
    const [row] = await this.db.query<{ attempts: number; payload: string }>(
      'SELECT attempts, payload FROM booking_outbox WHERE event_id = $1 AND channel = $2 AND lease_owner = $3',
      [eventId, channel, owner],
    );
    if (!row) return undefined;
    return { eventId, channel, attempts: Number(row.attempts), event: JSON.parse(row.payload) as BookingEvent };
  }

  async delivered(eventId: string, channel: OutboxChannel, owner: string, now: number): Promise<void> {
    await this.db.run(
      `UPDATE booking_outbox SET delivered_ms = $4, attempts = attempts + 1, lease_owner = NULL, lease_until_ms = NULL, last_error = NULL
       WHERE event_id = $1 AND channel = $2 AND lease_owner = $3`,
      [eventId, channel, owner, now],
    );
  }

  async failed(eventId: string, channel: OutboxChannel, owner: string, nextAttemptMs: number, error: string): Promise<void> {
    await this.db.run(
      `UPDATE booking_outbox SET attempts = attempts + 1, next_attempt_ms = $4, lease_owner = NULL, lease_until_ms = NULL, last_error = $5
       WHERE event_id = $1 AND channel = $2 AND lease_owner = $3`,
      [eventId, channel, owner, nextAttemptMs, error.slice(0, 500)],
    );
  }

  /** Rows not yet delivered (for readiness, tests and operators). */
  async pending(): Promise<number> {
    const [{ n }] = await this.db.query<{ n: number }>('SELECT COUNT(*) AS n FROM booking_outbox WHERE delivered_ms IS NULL');
    return Number(n);
  }

  async list(): Promise<{ eventId: string; channel: string; kind: string; attempts: number; delivered: boolean; lastError: string | null }[]> {
    const rows = await this.db.query<{ event_id: string; channel: string; kind: string; attempts: number; delivered_ms: number | null; last_error: string | null }>(
      'SELECT event_id, channel, kind, attempts, delivered_ms, last_error FROM booking_outbox ORDER BY created_ms',
    );
    return rows.map((r) => ({ eventId: r.event_id, channel: r.channel, kind: r.kind, attempts: Number(r.attempts), delivered: r.delivered_ms !== null, lastError: r.last_error }));
  }
}
