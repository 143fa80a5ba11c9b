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

/**
 * A booking's contact data is being removed: delivered events (whose snapshot holds it) go, and
 * the snapshot in events still to be delivered loses the contact (they go out without it).
 */
export async function scrubOutboxContact(tx: Queryable, bookingId: string): Promise<number> {
  let n = (await tx.run('DELETE FROM booking_outbox WHERE booking_id = $1 AND delivered_ms IS NOT NULL', [bookingId])).changes;
  const rows = await tx.query<{ event_id: string; channel: string; payload: string }>(
    'SELECT event_id, channel, payload FROM booking_outbox WHERE booking_id = $1 AND delivered_ms IS NULL',
    [bookingId],
  );
  for (const r of rows) {
    const event = JSON.parse(r.payload) as BookingEvent;
    if (event.booking.contact === null) continue;
    event.booking.contact = null;
    await tx.run('UPDATE booking_outbox SET payload = $3, last_error = NULL WHERE event_id = $1 AND channel = $2', [r.event_id, r.channel, JSON.stringify(event)]);
    n++;
  }
  return n;
}

/** A delivery the outbox gave up on (shown to staff, who can retry it). */
export interface AbandonedDelivery {
  eventId: string;
  channel: OutboxChannel;
  kind: string;
  attempts: number;
  createdMs: number;
  abandonedMs: number;
  lastError: string | null;
  reference: string | null;
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
       WHERE delivered_ms IS NULL AND abandoned_ms IS NULL AND attempts < $1 AND next_attempt_ms <= $2 AND (lease_until_ms IS NULL OR lease_until_ms < $2)
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

  /** Records a failed attempt; `abandonedAt` set: no more automatic attempts (staff can retry). */
  async failed(eventId: string, channel: OutboxChannel, owner: string, nextAttemptMs: number, error: string, abandonedAt: number | null = null): Promise<void> {
    await this.db.run(
      `UPDATE booking_outbox SET attempts = attempts + 1, next_attempt_ms = $4, lease_owner = NULL, lease_until_ms = NULL, last_error = $5, abandoned_ms = $6
       WHERE event_id = $1 AND channel = $2 AND lease_owner = $3`,
      [eventId, channel, owner, nextAttemptMs, error.slice(0, 500), abandonedAt],
    );
  }

  /** Deliveries given up after the last attempt, oldest first (staff API). */
  async abandoned(limit = 500): Promise<AbandonedDelivery[]> {
    const rows = await this.db.query<{ event_id: string; channel: OutboxChannel; kind: string; attempts: number; created_ms: number; abandoned_ms: number; last_error: string | null; booking_id: string; reference: string | null }>(
      `SELECT o.event_id, o.channel, o.kind, o.attempts, o.created_ms, o.abandoned_ms, o.last_error, o.booking_id, b.reference
       FROM booking_outbox o LEFT JOIN booking_bookings b ON b.id = o.booking_id
       WHERE o.abandoned_ms IS NOT NULL AND o.delivered_ms IS NULL ORDER BY o.created_ms LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({
      eventId: r.event_id,
      channel: r.channel,
      kind: r.kind,
      attempts: Number(r.attempts),
      createdMs: Number(r.created_ms),
      abandonedMs: Number(r.abandoned_ms),
      lastError: r.last_error,
      reference: r.reference,
    }));
  }

  /** Puts an abandoned delivery back in the queue, due now; false when there is no such abandoned row. */
  async retry(eventId: string, channel: string, now: number): Promise<boolean> {
    const r = await this.db.run(
      `UPDATE booking_outbox SET attempts = 0, abandoned_ms = NULL, next_attempt_ms = $3, last_error = NULL
       WHERE event_id = $1 AND channel = $2 AND abandoned_ms IS NOT NULL AND delivered_ms IS NULL`,
      [eventId, channel, now],
    );
    return r.changes === 1;
  }

  /** Retention: finished rows (delivered or abandoned) created before cutoffMs. */
  async deleteFinishedBefore(cutoffMs: number): Promise<number> {
    const r = await this.db.run('DELETE FROM booking_outbox WHERE created_ms < $1 AND (delivered_ms IS NOT NULL OR abandoned_ms IS NOT NULL)', [cutoffMs]);
    return r.changes;
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
