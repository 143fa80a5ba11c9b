import type { Db, Queryable, SqlValue } from '../storage';
import { UniqueViolation } from '../storage';
import { addDays, type Advisor, type AppointmentType, berlinDay, berlinTime, type BusyInterval } from './calendar';
import type { Contact } from './contact';
import { enqueueEvent, scrubOutboxContact } from './outbox-store';
import { formatReference } from './presentation';
import { type Booking, type BookingEvent, BookingNotFound, type HistoryEntry, type OutboxChannel } from './types';

/** A row of booking_bookings as both backends return it (BIGINT may arrive as number or string). */
interface Row {
  id: string;
  reference: string | null;
  status: Booking['status'];
  advisor_id: string;
  appointment_type: string;
  ags: string;
  municipality_name: string;
  start_ms: number;
  end_ms: number;
  on_site: number;
  hold_token: string | null;
  hold_expires_ms: number | null;
  idempotency_key: string | null;
  contact_name: string | null;
  contact_role: string | null;
  contact_email: string | null;
  contact_phone: string | null;
  channel_id: string | null;
  channel_user_id: string | null;
  channel_conversation_id: string | null;
  version: number;
  created_ms: number;
  updated_ms: number;
}

function toBooking(r: Row): Booking {
  return {
    id: r.id,
    reference: r.reference,
    status: r.status,
    advisorId: r.advisor_id,
    appointmentTypeId: r.appointment_type,
    ags: r.ags,
    municipalityName: r.municipality_name,
    startMs: Number(r.start_ms),
    endMs: Number(r.end_ms),
    onSite: Number(r.on_site) === 1,
    contact:
      r.contact_email !== null
        ? { name: r.contact_name ?? '', role: r.contact_role ?? '', email: r.contact_email, phone: r.contact_phone ?? '' }
        : null,
    channelId: r.channel_id,
    channelUserId: r.channel_user_id,
    version: Number(r.version),
    holdExpiresMs: r.hold_expires_ms === null ? null : Number(r.hold_expires_ms),
    createdMs: Number(r.created_ms),
    updatedMs: Number(r.updated_ms),
  };
}

/** Another active booking (held or confirmed) of the same advisor at the same start: the index booking_active_slot. */
export function isSlotClash(e: unknown): boolean {
  return e instanceof UniqueViolation && e.on('booking_bookings', 'advisor_id', 'start_ms');
}

/** A concurrent request with the same idempotency key committed first. */
export function isIdempotencyClash(e: unknown): boolean {
  return e instanceof UniqueViolation && e.on('booking_bookings', 'idempotency_key');
}

export interface NewBooking {
  id: string;
  status: 'held' | 'confirmed';
  reference: string | null;
  advisor: Advisor;
  type: AppointmentType;
  kommune: { ags: string; name: string };
  startMs: number;
  holdToken: string | null;
  holdExpiresMs: number | null;
  idempotencyKey: string | null;
  contact: Contact | null;
  user: { channelId?: string; channelUserId?: string; conversationId?: string };
  now: number;
}

/** Who a personal-data request is about: the Teams/Web Chat user id and/or booking references. */
export interface UserRef {
  channelUserId?: string;
  references?: readonly string[];
}

const ACTIVE = `status IN ('held', 'confirmed')`;
const NO_USER = '\u0000';

/**
 * Every SQL statement on booking_bookings, booking_history and booking_sequences. Methods that
 * take a Queryable run inside the caller's transaction; the others use the database directly.
 */
export class BookingRepository {
  constructor(
    private readonly db: Db,
    /** Longest appointment: bounds the index range of overlap searches. */
    private readonly longestMs: number,
  ) {}

  /** Active bookings of these advisors overlapping [fromMs, toMs), except exceptId. */
  async busy(q: Queryable, advisorIds: readonly string[], fromMs: number, toMs: number, now: number, exceptId = ''): Promise<BusyInterval[]> {
    if (!advisorIds.length) return [];
    const marks = advisorIds.map((_, i) => `$${i + 6}`).join(', ');
    // The lower bound on start_ms keeps the (advisor_id, start_ms) index range to the window: without
    // it every past booking of the advisor would be read. No appointment is longer than the longest type.
    const rows = await q.query<{ advisor_id: string; start_ms: number; end_ms: number; on_site: number }>(
      `SELECT advisor_id, start_ms, end_ms, on_site FROM booking_bookings
       WHERE advisor_id IN (${marks}) AND start_ms < $1 AND start_ms > $5 AND end_ms > $2 AND id <> $3
         AND (status = 'confirmed' OR (status = 'held' AND hold_expires_ms >= $4))`,
      [toMs, fromMs, exceptId, now, fromMs - this.longestMs, ...advisorIds],
    );
    return rows.map((r) => ({ advisorId: r.advisor_id, startMs: Number(r.start_ms), endMs: Number(r.end_ms), onSite: Number(r.on_site) === 1 }));
  }

  /**
   * Serialises work on one advisor's calendar for the rest of the transaction (PostgreSQL; SQLite's
   * BEGIN IMMEDIATE already has one writer) and turns the advisor's stale holds into 'expired'.
   */
  async lockAdvisor(tx: Queryable, advisorId: string, now: number): Promise<void> {
    if (this.db.kind === 'postgres') await tx.query(`SELECT pg_advisory_xact_lock(hashtext('kdlz-booking:' || $1::text))`, [advisorId]);
    await tx.run(`UPDATE booking_bookings SET status = 'expired', updated_ms = $1 WHERE advisor_id = $2 AND status = 'held' AND hold_expires_ms < $1`, [now, advisorId]);
  }

  /** Active bookings of an advisor on the Berlin day of startMs, except exceptId. */
  async activeOnDay(tx: Queryable, advisorId: string, startMs: number, exceptId = ''): Promise<number> {
    const day = berlinDay(startMs);
    const [{ n }] = await tx.query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM booking_bookings WHERE advisor_id = $1 AND ${ACTIVE} AND start_ms >= $2 AND start_ms < $3 AND id <> $4`,
      [advisorId, berlinTime(day, 0), berlinTime(addDays(day, 1), 0), exceptId],
    );
    return Number(n);
  }

  async insert(tx: Queryable, v: NewBooking): Promise<void> {
    await tx.run(
      `INSERT INTO booking_bookings (id, reference, status, advisor_id, appointment_type, ags, municipality_name, start_ms, end_ms, on_site,
         hold_token, hold_expires_ms, idempotency_key, contact_name, contact_role, contact_email, contact_phone, channel_id, channel_user_id,
         channel_conversation_id, version, created_ms, updated_ms)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $21, 1, $20, $20)`,
      [
        v.id,
        v.reference,
        v.status,
        v.advisor.id,
        v.type.id,
        v.kommune.ags,
        v.kommune.name,
        v.startMs,
        v.startMs + v.type.durationMinutes * 60_000,
        v.type.place === 'vor-ort' ? 1 : 0,
        v.holdToken,
        v.holdExpiresMs,
        v.idempotencyKey,
        v.contact?.name ?? null,
        v.contact?.role ?? null,
        v.contact?.email ?? null,
        v.contact?.phone ?? null,
        v.user.channelId ?? null,
        v.user.channelUserId ?? null,
        v.now,
        v.user.conversationId ?? null,
      ],
    );
  }

  async load(q: Queryable, id: string): Promise<Booking> {
    const [row] = await q.query<Row>('SELECT * FROM booking_bookings WHERE id = $1', [id]);
    if (!row) throw new BookingNotFound();
    return toBooking(row);
  }

  async byReference(q: Queryable, reference: string): Promise<Booking | undefined> {
    const [row] = await q.query<Row>('SELECT * FROM booking_bookings WHERE reference = $1', [reference]);
    return row ? toBooking(row) : undefined;
  }

  async byHoldToken(q: Queryable, holdToken: string): Promise<Booking | undefined> {
    const [row] = await q.query<Row>('SELECT * FROM booking_bookings WHERE hold_token = $1', [holdToken]);
    return row ? toBooking(row) : undefined;
  }

  async byIdempotencyKey(key: string): Promise<Booking | undefined> {
    const [row] = await this.db.query<Row>('SELECT * FROM booking_bookings WHERE idempotency_key = $1', [key]);
    return row ? toBooking(row) : undefined;
  }

  /** Touches a held (or expired) row so a concurrent confirm of the same hold waits; 0 = nothing to confirm. */
  async lockHold(tx: Queryable, holdToken: string, now: number): Promise<number> {
    return (await tx.run(`UPDATE booking_bookings SET updated_ms = $2 WHERE hold_token = $1 AND status IN ('held', 'expired')`, [holdToken, now])).changes;
  }

  async markExpired(tx: Queryable, id: string): Promise<void> {
    await tx.run(`UPDATE booking_bookings SET status = 'expired' WHERE id = $1`, [id]);
  }

  /**
   * Releases the live holds of one user in one conversation (except `exceptId`); returns how many.
   * Both must be known: a hold without an owner is only ever released by its token.
   */
  async releaseHoldsOf(q: Queryable, owner: { channelUserId?: string; conversationId?: string }, now: number, exceptId = ''): Promise<number> {
    if (!owner.channelUserId || !owner.conversationId) return 0;
    const r = await q.run(
      `UPDATE booking_bookings SET status = 'expired', updated_ms = $1
       WHERE status = 'held' AND channel_user_id = $2 AND channel_conversation_id = $3 AND id <> $4`,
      [now, owner.channelUserId, owner.conversationId, exceptId],
    );
    return r.changes;
  }

  /** Releases the other live holds of the user and conversation that hold `id` belongs to. */
  async releaseSiblingHolds(tx: Queryable, id: string, now: number): Promise<number> {
    const [owner] = await tx.query<{ channel_user_id: string | null; channel_conversation_id: string | null }>(
      'SELECT channel_user_id, channel_conversation_id FROM booking_bookings WHERE id = $1',
      [id],
    );
    return owner ? this.releaseHoldsOf(tx, { channelUserId: owner.channel_user_id ?? undefined, conversationId: owner.channel_conversation_id ?? undefined }, now, id) : 0;
  }

  async releaseHold(holdToken: string, now: number): Promise<void> {
    await this.db.run(`UPDATE booking_bookings SET status = 'expired', updated_ms = $1 WHERE hold_token = $2 AND status = 'held'`, [now, holdToken]);
  }

  async confirmHeld(tx: Queryable, id: string, v: { reference: string; idempotencyKey: string; contact: Contact; now: number }): Promise<void> {
    const c = v.contact;
    await tx.run(
      `UPDATE booking_bookings SET status = 'confirmed', reference = $2, idempotency_key = $3, contact_name = $4, contact_role = $5,
         contact_email = $6, contact_phone = $7, hold_expires_ms = NULL, version = version + 1, updated_ms = $8 WHERE id = $1`,
      [id, v.reference, v.idempotencyKey, c.name, c.role, c.email, c.phone, v.now],
    );
  }

  /** Conditional: of two concurrent cancellations only one changes the row; returns whether this one did. */
  async cancelConfirmed(tx: Queryable, id: string, now: number): Promise<boolean> {
    const r = await tx.run(`UPDATE booking_bookings SET status = 'cancelled', version = version + 1, updated_ms = $2 WHERE id = $1 AND status = 'confirmed'`, [id, now]);
    return r.changes === 1;
  }

  /** Locks a confirmed booking's row (two moves of one booking run one after the other); false = none. */
  async lockConfirmed(tx: Queryable, reference: string, now: number): Promise<boolean> {
    const r = await tx.run(`UPDATE booking_bookings SET updated_ms = $2 WHERE reference = $1 AND status = 'confirmed'`, [reference, now]);
    return r.changes === 1;
  }

  async move(tx: Queryable, id: string, to: { advisorId: string; startMs: number; endMs: number }, now: number): Promise<void> {
    await tx.run(
      `UPDATE booking_bookings SET advisor_id = $2, start_ms = $3, end_ms = $4, reminder_ms = NULL, version = version + 1, updated_ms = $5 WHERE id = $1`,
      [id, to.advisorId, to.startMs, to.endMs, now],
    );
  }

  /** A new "KDLZ-YYYY-<code>" of the Berlin year of now, with a random code not yet used. */
  async nextReference(tx: Queryable, now: number, code: () => string): Promise<string> {
    const year = Number(berlinDay(now).slice(0, 4));
    for (let attempt = 0; attempt < 10; attempt++) {
      const reference = formatReference(year, code());
      const taken = await tx.query('SELECT 1 AS x FROM booking_bookings WHERE reference = $1', [reference]);
      if (!taken.length) return reference;
    }
    throw new Error('no free booking reference after 10 attempts');
  }

  async addHistory(tx: Queryable, bookingId: string, now: number, action: HistoryEntry['action'], detail: object): Promise<void> {
    const [{ n }] = await tx.query<{ n: number }>('SELECT COUNT(*) AS n FROM booking_history WHERE booking_id = $1', [bookingId]);
    await tx.run('INSERT INTO booking_history (booking_id, seq, at_ms, action, detail) VALUES ($1, $2, $3, $4, $5)', [
      bookingId,
      Number(n) + 1,
      now,
      action,
      JSON.stringify(detail),
    ]);
  }

  async history(bookingId: string): Promise<HistoryEntry[]> {
    const rows = await this.db.query<{ at_ms: number; action: HistoryEntry['action']; detail: string }>(
      'SELECT at_ms, action, detail FROM booking_history WHERE booking_id = $1 ORDER BY seq',
      [bookingId],
    );
    return rows.map((r) => ({ atMs: Number(r.at_ms), action: r.action, detail: JSON.parse(r.detail) as Record<string, unknown> }));
  }

  async enqueue(tx: Queryable, channels: readonly OutboxChannel[], event: BookingEvent, now: number): Promise<void> {
    await enqueueEvent(tx, channels, event, now);
  }

  /** Upcoming confirmed bookings of a channel user or with one of these references. */
  async upcomingForUser(user: UserRef, now: number): Promise<Booking[]> {
    const refs = (user.references ?? []).slice(0, 100);
    const params: SqlValue[] = [now, user.channelUserId ?? NO_USER];
    const refMarks = refs.map((r, i) => (params.push(r), `$${i + 3}`));
    const rows = await this.db.query<Row>(
      `SELECT * FROM booking_bookings WHERE status = 'confirmed' AND end_ms > $1
         AND (channel_user_id = $2${refMarks.length ? ` OR reference IN (${refMarks.join(', ')})` : ''})
       ORDER BY start_ms`,
      params,
    );
    return rows.map(toBooking);
  }

  /** Confirmed and cancelled bookings starting in [fromMs, toMs) (staff API). */
  async listRange(fromMs: number, toMs: number, advisorId?: string): Promise<Booking[]> {
    const rows = await this.db.query<Row>(
      `SELECT * FROM booking_bookings WHERE status IN ('confirmed', 'cancelled') AND start_ms >= $1 AND start_ms < $2
         AND ($3 = '' OR advisor_id = $3) ORDER BY start_ms LIMIT 5000`,
      [fromMs, toMs, advisorId ?? ''],
    );
    return rows.map(toBooking);
  }

  /** Ids of every booking (any status) of a channel user or with one of these references. */
  async idsForUser(user: UserRef): Promise<string[]> {
    const refs = (user.references ?? []).slice(0, 100);
    const params: SqlValue[] = [user.channelUserId ?? NO_USER];
    const refMarks = refs.map((r, i) => (params.push(r), `$${i + 2}`));
    const rows = await this.db.query<{ id: string }>(
      `SELECT id FROM booking_bookings WHERE channel_user_id = $1${refMarks.length ? ` OR reference IN (${refMarks.join(', ')})` : ''}`,
      params,
    );
    return rows.map((r) => r.id);
  }

  /** References and contact e-mails of a person's bookings (any status), to find them in other stores. */
  async contactsForUser(user: UserRef): Promise<{ reference: string | null; email: string | null }[]> {
    const refs = (user.references ?? []).slice(0, 100);
    const params: SqlValue[] = [user.channelUserId ?? NO_USER];
    const refMarks = refs.map((r, i) => (params.push(r), `$${i + 2}`));
    return this.db.query<{ reference: string | null; email: string | null }>(
      `SELECT reference, contact_email AS email FROM booking_bookings
       WHERE channel_user_id = $1${refMarks.length ? ` OR reference IN (${refMarks.join(', ')})` : ''} LIMIT 500`,
      params,
    );
  }

  /** Ids of bookings that ended before cutoffMs and still hold contact data or a user id (at most 1,000). */
  async idsPastRetention(cutoffMs: number): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      `SELECT id FROM booking_bookings WHERE end_ms < $1 AND anonymised_ms IS NULL AND (contact_email IS NOT NULL OR channel_user_id IS NOT NULL OR channel_conversation_id IS NOT NULL) LIMIT 1000`,
      [cutoffMs],
    );
    return rows.map((r) => r.id);
  }

  /** Removes contact data, the channel user id and delivered events (their snapshots hold the contact). */
  async anonymise(tx: Queryable, id: string, now: number): Promise<void> {
    await tx.run(
      `UPDATE booking_bookings SET contact_name = NULL, contact_role = NULL, contact_email = NULL, contact_phone = NULL,
         channel_user_id = NULL, channel_conversation_id = NULL, anonymised_ms = $2, updated_ms = $2 WHERE id = $1`,
      [id, now],
    );
    // Delivered events go; undelivered ones still go out (e.g. the cancellation), without the contact.
    await scrubOutboxContact(tx, id);
  }

  /** Confirmed bookings starting in [fromMs, toMs) without a reminder yet. */
  async idsDueForReminder(fromMs: number, toMs: number): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      `SELECT id FROM booking_bookings WHERE status = 'confirmed' AND reminder_ms IS NULL AND start_ms >= $1 AND start_ms < $2`,
      [fromMs, toMs],
    );
    return rows.map((r) => r.id);
  }

  /** Claims the reminder (exactly once across instances); false when another instance was first. */
  async claimReminder(tx: Queryable, id: string, now: number): Promise<boolean> {
    const r = await tx.run(`UPDATE booking_bookings SET reminder_ms = $2 WHERE id = $1 AND reminder_ms IS NULL AND status = 'confirmed'`, [id, now]);
    return r.changes === 1;
  }
}
