import { randomBytes, randomUUID } from 'node:crypto';
import type { Db, Queryable, SqlValue } from '../storage';
import { UniqueViolation } from '../storage';
import {
  addDays,
  type Advisor,
  advisorsFor,
  type AppointmentType,
  berlinDay,
  berlinTime,
  blockedRange,
  bookableWindow,
  type BookingCalendarConfig,
  type BusyInterval,
  type Candidate,
  formatBerlinDay,
  formatBerlinTime,
  freeStartsOnDay,
  slotProblem,
} from './calendar';
import { checkContact, type Contact } from './contact';
import { enqueueEvent } from './outbox-store';
import {
  type Booking,
  type BookingEntity,
  type BookingEventKind,
  BookingNotFound,
  BookingRequestInvalid,
  type HistoryEntry,
  type OutboxChannel,
  type Slot,
  SlotUnavailable,
} from './types';

export interface KommuneRef {
  ags: string;
  name: string;
}

export interface BookingServiceOptions {
  db: Db;
  calendar: BookingCalendarConfig;
  /** Clock (epoch ms); injected so tests can stand on a DST week or a holiday. */
  now?: () => number;
  /** Resolves an AGS to the Kommune's name; undefined = unknown AGS. */
  kommune: (ags: string) => KommuneRef | undefined;
  /** Who may book which type; the composition root asks the eligibility engine. Default: everyone. */
  isEligible?: (ags: string, type: AppointmentType) => boolean | Promise<boolean>;
  /** Channels an event is written to (one outbox row each). */
  outboxChannels?: readonly OutboxChannel[];
  /** Organizer e-mail shown in invitations (SMTP_FROM, else booking.yaml's placeholder). */
  organizerEmail?: string;
  /** Called after a transaction that wrote outbox rows committed (wakes the delivery loop). */
  onOutbox?: () => void;
}

export interface SearchRequest {
  ags: string;
  appointmentTypeId: string;
  /** First Berlin day to search (YYYY-MM-DD); default the first bookable day. */
  fromDay?: string;
  /** Number of days to search from fromDay; default 7. */
  days?: number;
  /** Most slots to return; default rules.maxSlotsShown. */
  limit?: number;
}

export interface ChannelUser {
  channelId?: string;
  channelUserId?: string;
}

export interface Hold {
  holdToken: string;
  expiresMs: number;
  booking: Booking;
}

const ACTIVE = `status IN ('held', 'confirmed')`;

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

/** "KDLZ-2026-00042" with the year and a per-year counter. */
export function formatReference(year: number, n: number): string {
  return `KDLZ-${year}-${String(n).padStart(5, '0')}`;
}

/** Accepts "kdlz 2026 42", "KDLZ-2026-00042" …; returns the canonical form or undefined. */
export function normaliseReference(input: string): string | undefined {
  const m = /^\s*kdlz[\s-]*(\d{4})[\s-]*(\d{1,6})\s*$/i.exec(input);
  return m ? formatReference(Number(m[1]), Number(m[2])) : undefined;
}

export function toBookingEntity(b: Booking, typeName: string): BookingEntity {
  return {
    type: 'booking',
    reference: b.reference ?? '',
    status: b.status,
    start: new Date(b.startMs).toISOString(),
    end: new Date(b.endMs).toISOString(),
    appointmentType: typeName,
    municipality: { ags: b.ags, name: b.municipalityName },
  };
}

/**
 * The calendar and its bookings. Every change runs in one database transaction together with
 * its history row and its outbox rows, so a crash leaves either all of it or nothing.
 */
export class BookingService {
  readonly calendar: BookingCalendarConfig;
  private readonly db: Db;
  private readonly now: () => number;
  private readonly channels: readonly OutboxChannel[];
  private readonly longestMs: number;

  constructor(private readonly opts: BookingServiceOptions) {
    this.db = opts.db;
    this.calendar = opts.calendar;
    this.now = opts.now ?? Date.now;
    this.channels = opts.outboxChannels ?? ['teams', 'webhook', 'email'];
    this.longestMs = Math.max(...this.calendar.appointmentTypes.map((t) => t.durationMinutes)) * 60_000;
  }

  get organizerEmail(): string {
    return this.opts.organizerEmail ?? this.calendar.organizer.email;
  }

  clock(): number {
    return this.now();
  }

  appointmentType(id: string): AppointmentType | undefined {
    return this.calendar.appointmentTypes.find((t) => t.id === id);
  }

  advisor(id: string): Advisor | undefined {
    return this.calendar.advisors.find((a) => a.id === id);
  }

  kommune(ags: string): KommuneRef | undefined {
    return this.opts.kommune(ags);
  }

  /** Types this Kommune may book and an advisor covers. */
  async typesFor(ags: string): Promise<AppointmentType[]> {
    const out: AppointmentType[] = [];
    for (const t of this.calendar.appointmentTypes) {
      if (!advisorsFor(this.calendar, t.id, ags).length) continue;
      if (this.opts.isEligible && !(await this.opts.isEligible(ags, t))) continue;
      out.push(t);
    }
    return out;
  }

  /** The first and last bookable Berlin day as of now. */
  window(): { first: string; last: string } {
    return bookableWindow(this.calendar, this.now());
  }

  private requireType(ags: string, typeId: string): { type: AppointmentType; kommune: KommuneRef; advisors: Advisor[] } {
    const kommune = this.opts.kommune(ags);
    if (!kommune) throw new BookingRequestInvalid('Unbekannter Gemeindeschlüssel (AGS).');
    const type = this.appointmentType(typeId);
    if (!type) throw new BookingRequestInvalid('Unbekannter Termintyp.');
    const advisors = advisorsFor(this.calendar, typeId, ags);
    if (!advisors.length) throw new BookingRequestInvalid('Für diese Kommune bietet niemand diesen Termintyp an.');
    return { type, kommune, advisors };
  }

  private async requireEligible(ags: string, type: AppointmentType): Promise<void> {
    if (this.opts.isEligible && !(await this.opts.isEligible(ags, type))) {
      throw new BookingRequestInvalid('Diese Kommune kann diesen Termintyp nicht buchen.');
    }
  }

  /** Active bookings of these advisors overlapping [fromMs, toMs) (for slot search). */
  private async busy(q: Queryable, advisorIds: readonly string[], fromMs: number, toMs: number, now: number, exceptId = ''): Promise<BusyInterval[]> {
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
   * Free slots, at most `limit`, spread over the days searched (mornings and afternoons) so the
   * user sees choices rather than six starts of the same morning.
   */
  async searchSlots(req: SearchRequest): Promise<Slot[]> {
    const { type, advisors } = this.requireType(req.ags, req.appointmentTypeId);
    const now = this.now();
    const { first, last } = bookableWindow(this.calendar, now);
    let from = req.fromDay && req.fromDay > first ? req.fromDay : first;
    const until = addDays(from, Math.max(1, req.days ?? 7) - 1);
    const to = until < last ? until : last;
    if (from > to) return [];
    const maxBuffer = Math.max(...advisors.map((a) => a.travelBufferMinutes)) * 60_000;
    const busy = await this.busy(
      this.db,
      advisors.map((a) => a.id),
      berlinTime(from, 0) - maxBuffer - type.durationMinutes * 60_000,
      berlinTime(addDays(to, 1), 0) + maxBuffer,
      now,
    );
    const byDay: Candidate[][] = [];
    for (; from <= to; from = addDays(from, 1)) {
      const seen = new Set<number>();
      // One slot per start time: the user picks a time, not a person.
      const day = freeStartsOnDay(this.calendar, type, advisors, from, busy, now).filter((c) => !seen.has(c.startMs) && seen.add(c.startMs));
      if (day.length) byDay.push(spreadOrder(day));
    }
    const limit = req.limit ?? this.calendar.rules.maxSlotsShown;
    const picked: Candidate[] = [];
    for (let round = 0; picked.length < limit && byDay.some((d) => d.length > round); round++) {
      for (const d of byDay) if (d[round] && picked.length < limit) picked.push(d[round]);
    }
    return picked
      .sort((a, b) => a.startMs - b.startMs)
      .map((c) => ({ advisorId: c.advisorId, appointmentTypeId: c.typeId, startMs: c.startMs, endMs: c.endMs }));
  }

  /**
   * Inside a transaction: serialises work on one advisor's calendar, expires stale holds, and
   * throws SlotUnavailable unless [start, end) plus buffers is free and the day limit allows it.
   */
  private async claimable(tx: Queryable, advisor: Advisor, type: AppointmentType, startMs: number, now: number, exceptId = ''): Promise<void> {
    if (this.db.kind === 'postgres') await tx.query(`SELECT pg_advisory_xact_lock(hashtext('kdlz-booking:' || $1::text))`, [advisor.id]);
    await tx.run(`UPDATE booking_bookings SET status = 'expired', updated_ms = $1 WHERE advisor_id = $2 AND status = 'held' AND hold_expires_ms < $1`, [now, advisor.id]);
    const endMs = startMs + type.durationMinutes * 60_000;
    const [bs, be] = blockedRange({ startMs, endMs, onSite: type.place === 'vor-ort' }, advisor);
    const buf = advisor.travelBufferMinutes * 60_000;
    const near = await this.busy(tx, [advisor.id], bs - buf, be + buf, now, exceptId);
    if (near.some((b) => {
      const [s, e] = blockedRange(b, advisor);
      return s < be && bs < e;
    })) {
      throw new SlotUnavailable('taken', 'Dieser Termin ist gerade vergeben.');
    }
    const day = berlinDay(startMs);
    const [{ n }] = await tx.query<{ n: number }>(
      `SELECT COUNT(*) AS n FROM booking_bookings WHERE advisor_id = $1 AND ${ACTIVE} AND start_ms >= $2 AND start_ms < $3 AND id <> $4`,
      [advisor.id, berlinTime(day, 0), berlinTime(addDays(day, 1), 0), exceptId],
    );
    if (Number(n) >= advisor.maxPerDay) throw new SlotUnavailable('taken', 'An diesem Tag sind keine weiteren Termine frei.');
  }

  private pickAdvisor(advisors: Advisor[], advisorId: string | undefined): Advisor[] {
    if (!advisorId) return advisors;
    const a = advisors.find((x) => x.id === advisorId);
    if (!a) throw new BookingRequestInvalid('Diese Beraterin / dieser Berater bietet den Termin für die Kommune nicht an.');
    return [a];
  }

  /** Why a start is not bookable with any of the advisors, or null (first advisor it fits). */
  private validStart(type: AppointmentType, advisors: Advisor[], startMs: number, now: number): { ok: Advisor[]; reason: string } {
    const ok: Advisor[] = [];
    let reason = '';
    for (const a of advisors) {
      const p = slotProblem(this.calendar, type, a, startMs, now);
      if (p) reason = reason || p;
      else ok.push(a);
    }
    return { ok, reason };
  }

  /** Reserves a slot for holdMinutes while the user enters contact data; no personal data yet. */
  async hold(req: { ags: string; appointmentTypeId: string; advisorId?: string; startMs: number } & ChannelUser): Promise<Hold> {
    const { type, kommune, advisors } = this.requireType(req.ags, req.appointmentTypeId);
    await this.requireEligible(req.ags, type);
    const now = this.now();
    const { ok, reason } = this.validStart(type, this.pickAdvisor(advisors, req.advisorId), req.startMs, now);
    if (!ok.length) throw new SlotUnavailable('invalid', reason);
    const holdToken = randomBytes(18).toString('base64url');
    const expiresMs = now + this.calendar.rules.holdMinutes * 60_000;
    for (const advisor of ok) {
      try {
        const booking = await this.db.transaction(async (tx) => {
          await this.claimable(tx, advisor, type, req.startMs, now);
          const id = randomUUID();
          await this.insert(tx, {
            id,
            status: 'held',
            reference: null,
            advisor,
            type,
            kommune,
            startMs: req.startMs,
            holdToken,
            holdExpiresMs: expiresMs,
            idempotencyKey: null,
            contact: null,
            user: req,
            now,
          });
          await this.addHistory(tx, id, now, 'held', { advisorId: advisor.id, start: new Date(req.startMs).toISOString() });
          return this.load(tx, id);
        });
        return { holdToken, expiresMs, booking };
      } catch (e) {
        if (!(e instanceof SlotUnavailable || e instanceof UniqueViolation)) throw e;
      }
    }
    throw new SlotUnavailable('taken', 'Dieser Termin ist gerade vergeben.');
  }

  /** Gives a held slot back (the user went back or cancelled). */
  async releaseHold(holdToken: string): Promise<void> {
    await this.db.run(`UPDATE booking_bookings SET status = 'expired', updated_ms = $1 WHERE hold_token = $2 AND status = 'held'`, [this.now(), holdToken]);
  }

  /**
   * Turns a hold into a confirmed booking with reference. Repeating it with the same hold token
   * or idempotency key returns the same booking. A hold that expired meanwhile is re-taken when
   * the slot is still free; otherwise SlotUnavailable('taken').
   */
  async confirm(req: { holdToken: string; contact: Contact; idempotencyKey?: string }): Promise<Booking> {
    const contact = this.validContact(req.contact);
    const key = req.idempotencyKey ?? 'hold:' + req.holdToken;
    const existing = await this.byIdempotencyKey(key);
    if (existing) return existing;
    const now = this.now();
    try {
      return await this.commit(
        async (tx) => {
          // Locks the held row first (PostgreSQL): a second confirm of the same hold waits here and then finds it confirmed.
          const claimed = await tx.run(`UPDATE booking_bookings SET updated_ms = $2 WHERE hold_token = $1 AND status IN ('held', 'expired')`, [req.holdToken, now]);
          const [row] = await tx.query<Row>('SELECT * FROM booking_bookings WHERE hold_token = $1', [req.holdToken]);
          if (!row) throw new BookingNotFound();
          const held = toBooking(row);
          if (claimed.changes === 0) {
            if (held.status === 'confirmed') return held;
            throw new SlotUnavailable('taken', 'Dieser Termin ist nicht mehr reserviert.');
          }
          const advisor = this.advisor(held.advisorId)!;
          const type = this.appointmentType(held.appointmentTypeId)!;
          if (held.status === 'expired' || (held.holdExpiresMs ?? 0) < now) {
            await tx.run(`UPDATE booking_bookings SET status = 'expired' WHERE id = $1`, [held.id]);
            await this.claimable(tx, advisor, type, held.startMs, now, held.id);
          }
          const reference = await this.nextReference(tx, now);
          await tx.run(
            `UPDATE booking_bookings SET status = 'confirmed', reference = $2, idempotency_key = $3, contact_name = $4, contact_role = $5,
               contact_email = $6, contact_phone = $7, hold_expires_ms = NULL, version = version + 1, updated_ms = $8 WHERE id = $1`,
            [held.id, reference, key, contact.name, contact.role, contact.email, contact.phone, now],
          );
          await this.addHistory(tx, held.id, now, 'confirmed', { reference });
          const booking = await this.load(tx, held.id);
          await this.event(tx, 'booking.confirmed', booking, now);
          return booking;
        },
        key,
      );
    } catch (e) {
      if (e instanceof UniqueViolation) throw new SlotUnavailable('taken', 'Dieser Termin ist gerade vergeben.');
      throw e;
    }
  }

  /**
   * Books directly (staff API, integrations): validates the time, takes the first free advisor,
   * confirms in one transaction. The same idempotency key always returns the same booking.
   */
  async book(
    req: { ags: string; appointmentTypeId: string; advisorId?: string; startMs: number; contact: Contact; idempotencyKey: string } & ChannelUser,
  ): Promise<{ booking: Booking; created: boolean }> {
    const existing = await this.byIdempotencyKey(req.idempotencyKey);
    if (existing) return { booking: existing, created: false };
    const { type, kommune, advisors } = this.requireType(req.ags, req.appointmentTypeId);
    await this.requireEligible(req.ags, type);
    const contact = this.validContact(req.contact);
    const now = this.now();
    const { ok, reason } = this.validStart(type, this.pickAdvisor(advisors, req.advisorId), req.startMs, now);
    if (!ok.length) throw new SlotUnavailable('invalid', reason);
    for (const advisor of ok) {
      try {
        const id = randomUUID();
        const booking = await this.commit(async (tx) => {
          await this.claimable(tx, advisor, type, req.startMs, now);
          const reference = await this.nextReference(tx, now);
          await this.insert(tx, {
            id,
            status: 'confirmed',
            reference,
            advisor,
            type,
            kommune,
            startMs: req.startMs,
            holdToken: null,
            holdExpiresMs: null,
            idempotencyKey: req.idempotencyKey,
            contact,
            user: req,
            now,
          });
          await this.addHistory(tx, id, now, 'confirmed', { reference, advisorId: advisor.id, start: new Date(req.startMs).toISOString() });
          const b = await this.load(tx, id);
          await this.event(tx, 'booking.confirmed', b, now);
          return b;
        }, req.idempotencyKey);
        return { booking, created: booking.id === id };
      } catch (e) {
        if (e instanceof SlotUnavailable || e instanceof UniqueViolation) {
          const again = await this.byIdempotencyKey(req.idempotencyKey);
          if (again) return { booking: again, created: false };
          continue;
        }
        throw e;
      }
    }
    throw new SlotUnavailable('taken', 'Dieser Termin ist gerade vergeben.');
  }

  /** Cancels a confirmed booking; cancelling twice is harmless and returns the cancelled booking. */
  async cancel(reference: string, by: 'user' | 'staff' = 'user'): Promise<Booking> {
    const now = this.now();
    return this.commit(async (tx) => {
      const b = await this.loadByReference(tx, reference);
      // Conditional: of two concurrent cancellations only one changes the row and writes an event.
      const r = await tx.run(`UPDATE booking_bookings SET status = 'cancelled', version = version + 1, updated_ms = $2 WHERE id = $1 AND status = 'confirmed'`, [b.id, now]);
      if (r.changes === 0) {
        if ((await this.load(tx, b.id)).status === 'cancelled') return this.load(tx, b.id);
        throw new BookingNotFound();
      }
      await this.addHistory(tx, b.id, now, 'cancelled', { by });
      const after = await this.load(tx, b.id);
      await this.event(tx, 'booking.cancelled', after, now);
      return after;
    });
  }

  /** Moves a confirmed booking to another free start (same type, same Kommune, same reference). */
  async reschedule(reference: string, to: { startMs: number; advisorId?: string }): Promise<Booking> {
    const now = this.now();
    const current = await this.getByReference(reference);
    if (!current || current.status !== 'confirmed') throw new BookingNotFound();
    const type = this.appointmentType(current.appointmentTypeId)!;
    const candidates = this.pickAdvisor(advisorsFor(this.calendar, type.id, current.ags), to.advisorId);
    const { ok, reason } = this.validStart(type, candidates, to.startMs, now);
    if (!ok.length) throw new SlotUnavailable('invalid', reason);
    for (const advisor of ok) {
      try {
        return await this.commit(async (tx) => {
          // Lock the booking's row before the advisor's calendar, so two moves of one booking run one after the other.
          const locked = await tx.run(`UPDATE booking_bookings SET updated_ms = $2 WHERE reference = $1 AND status = 'confirmed'`, [reference, now]);
          if (locked.changes === 0) throw new BookingNotFound();
          const b = await this.loadByReference(tx, reference);
          await this.claimable(tx, advisor, type, to.startMs, now, b.id);
          await tx.run(
            `UPDATE booking_bookings SET advisor_id = $2, start_ms = $3, end_ms = $4, reminder_ms = NULL, version = version + 1, updated_ms = $5 WHERE id = $1`,
            [b.id, advisor.id, to.startMs, to.startMs + type.durationMinutes * 60_000, now],
          );
          await this.addHistory(tx, b.id, now, 'rescheduled', {
            from: new Date(b.startMs).toISOString(),
            to: new Date(to.startMs).toISOString(),
            advisorId: advisor.id,
          });
          const after = await this.load(tx, b.id);
          await this.event(tx, 'booking.rescheduled', after, now, b.startMs);
          return after;
        });
      } catch (e) {
        if (!(e instanceof SlotUnavailable || e instanceof UniqueViolation)) throw e;
      }
    }
    throw new SlotUnavailable('taken', 'Dieser Termin ist gerade vergeben.');
  }

  async getByReference(reference: string): Promise<Booking | undefined> {
    const [row] = await this.db.query<Row>('SELECT * FROM booking_bookings WHERE reference = $1', [reference]);
    return row ? toBooking(row) : undefined;
  }

  /**
   * The booking only when reference and contact e-mail both match; otherwise undefined, the
   * same for an unknown reference and a wrong e-mail, so nobody can probe references.
   */
  async findByReferenceAndEmail(reference: string, email: string): Promise<Booking | undefined> {
    const ref = normaliseReference(reference);
    if (!ref) return undefined;
    const b = await this.getByReference(ref);
    if (!b || !b.contact) return undefined;
    return b.contact.email.toLowerCase() === email.trim().toLowerCase() ? b : undefined;
  }

  /** Upcoming confirmed bookings of a channel user (Teams) or with one of these references. */
  async listForUser(user: { channelUserId?: string; references?: readonly string[] }): Promise<Booking[]> {
    const refs = (user.references ?? []).slice(0, 100);
    const params: SqlValue[] = [this.now(), user.channelUserId ?? '\u0000'];
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

  async history(bookingId: string): Promise<HistoryEntry[]> {
    const rows = await this.db.query<{ at_ms: number; action: HistoryEntry['action']; detail: string }>(
      'SELECT at_ms, action, detail FROM booking_history WHERE booking_id = $1 ORDER BY seq',
      [bookingId],
    );
    return rows.map((r) => ({ atMs: Number(r.at_ms), action: r.action, detail: JSON.parse(r.detail) as Record<string, unknown> }));
  }

  /**
   * "Meine Daten löschen": removes contact data and the channel user id from this user's
   * bookings (by user id or reference); the appointments themselves stay for the KDLZ team.
   */
  async anonymiseForUser(user: { channelUserId?: string; references?: readonly string[] }): Promise<number> {
    const refs = (user.references ?? []).slice(0, 100);
    const params: SqlValue[] = [user.channelUserId ?? '\u0000'];
    const refMarks = refs.map((r, i) => (params.push(r), `$${i + 2}`));
    const rows = await this.db.query<{ id: string }>(
      `SELECT id FROM booking_bookings WHERE channel_user_id = $1${refMarks.length ? ` OR reference IN (${refMarks.join(', ')})` : ''}`,
      params,
    );
    for (const r of rows) await this.anonymise(r.id, 'user');
    return rows.length;
  }

  /** Retention: contact data of appointments that ended more than `days` ago. */
  async anonymiseExpired(days: number): Promise<number> {
    const cutoff = this.now() - days * 86_400_000;
    const rows = await this.db.query<{ id: string }>(
      `SELECT id FROM booking_bookings WHERE end_ms < $1 AND anonymised_ms IS NULL AND (contact_email IS NOT NULL OR channel_user_id IS NOT NULL) LIMIT 1000`,
      [cutoff],
    );
    for (const r of rows) await this.anonymise(r.id, 'retention');
    return rows.length;
  }

  private async anonymise(id: string, why: 'user' | 'retention'): Promise<void> {
    const now = this.now();
    await this.db.transaction(async (tx) => {
      await tx.run(
        `UPDATE booking_bookings SET contact_name = NULL, contact_role = NULL, contact_email = NULL, contact_phone = NULL,
           channel_user_id = NULL, anonymised_ms = $2, updated_ms = $2 WHERE id = $1`,
        [id, now],
      );
      // Delivered events still hold a snapshot with the contact; undelivered ones must go out first.
      await tx.run('DELETE FROM booking_outbox WHERE booking_id = $1 AND delivered_ms IS NOT NULL', [id]);
      await this.addHistory(tx, id, now, 'anonymised', { why });
    });
  }

  /**
   * Reminder the day before, exactly once across instances: the conditional UPDATE claims the
   * booking and the outbox rows are written in the same transaction.
   */
  async queueReminders(): Promise<number> {
    const now = this.now();
    // Not in the middle of the night: the job runs every few minutes, the reminder goes out from 07:00.
    if (now < berlinTime(berlinDay(now), 7 * 60)) return 0;
    const tomorrow = addDays(berlinDay(now), 1);
    const rows = await this.db.query<{ id: string }>(
      `SELECT id FROM booking_bookings WHERE status = 'confirmed' AND reminder_ms IS NULL AND start_ms >= $1 AND start_ms < $2`,
      [berlinTime(tomorrow, 0), berlinTime(addDays(tomorrow, 1), 0)],
    );
    let queued = 0;
    for (const r of rows) {
      const done = await this.commit(async (tx) => {
        const claimed = await tx.run(`UPDATE booking_bookings SET reminder_ms = $2 WHERE id = $1 AND reminder_ms IS NULL AND status = 'confirmed'`, [r.id, now]);
        if (claimed.changes !== 1) return false;
        await this.addHistory(tx, r.id, now, 'reminded', {});
        await this.event(tx, 'booking.reminder', await this.load(tx, r.id), now);
        return true;
      });
      if (done) queued++;
    }
    return queued;
  }

  toEntity(b: Booking): BookingEntity {
    return toBookingEntity(b, this.appointmentType(b.appointmentTypeId)?.name ?? b.appointmentTypeId);
  }

  /** Where the appointment takes place, for invitations and summaries. */
  location(b: Pick<Booking, 'onSite' | 'municipalityName'>): string {
    return b.onSite ? `Vor Ort bei: ${b.municipalityName}` : this.calendar.onlineLocation;
  }

  private validContact(c: Contact): Contact {
    const r = checkContact(c);
    if (!r.ok) throw new BookingRequestInvalid(`Ungültige Kontaktdaten: ${r.invalid.join(', ')}`);
    return r.contact;
  }

  private async byIdempotencyKey(key: string): Promise<Booking | undefined> {
    const [row] = await this.db.query<Row>('SELECT * FROM booking_bookings WHERE idempotency_key = $1', [key]);
    return row ? toBooking(row) : undefined;
  }

  /** A transaction that may write outbox rows; a lost race on the idempotency key returns the winner. */
  private async commit<T>(fn: (tx: Queryable) => Promise<T>, idempotencyKey?: string): Promise<T> {
    try {
      const result = await this.db.transaction(fn);
      this.opts.onOutbox?.();
      return result;
    } catch (e) {
      if (e instanceof UniqueViolation && idempotencyKey) {
        const winner = await this.byIdempotencyKey(idempotencyKey);
        if (winner) return winner as T;
      }
      throw e;
    }
  }

  private async nextReference(tx: Queryable, now: number): Promise<string> {
    const year = Number(berlinDay(now).slice(0, 4));
    await tx.run('INSERT INTO booking_sequences (year, last_value) VALUES ($1, 0) ON CONFLICT (year) DO NOTHING', [year]);
    const [{ last_value }] = await tx.query<{ last_value: number }>(
      'UPDATE booking_sequences SET last_value = last_value + 1 WHERE year = $1 RETURNING last_value',
      [year],
    );
    return formatReference(year, Number(last_value));
  }

  private async insert(
    tx: Queryable,
    v: {
      id: string;
      status: 'held' | 'confirmed';
      reference: string | null;
      advisor: Advisor;
      type: AppointmentType;
      kommune: KommuneRef;
      startMs: number;
      holdToken: string | null;
      holdExpiresMs: number | null;
      idempotencyKey: string | null;
      contact: Contact | null;
      user: ChannelUser;
      now: number;
    },
  ): Promise<void> {
    await tx.run(
      `INSERT INTO booking_bookings (id, reference, status, advisor_id, appointment_type, ags, municipality_name, start_ms, end_ms, on_site,
         hold_token, hold_expires_ms, idempotency_key, contact_name, contact_role, contact_email, contact_phone, channel_id, channel_user_id,
         version, created_ms, updated_ms)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, 1, $20, $20)`,
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
      ],
    );
  }

  private async load(q: Queryable, id: string): Promise<Booking> {
    const [row] = await q.query<Row>('SELECT * FROM booking_bookings WHERE id = $1', [id]);
    if (!row) throw new BookingNotFound();
    return toBooking(row);
  }

  private async loadByReference(q: Queryable, reference: string): Promise<Booking> {
    const [row] = await q.query<Row>('SELECT * FROM booking_bookings WHERE reference = $1', [reference]);
    if (!row) throw new BookingNotFound();
    return toBooking(row);
  }

  private async addHistory(tx: Queryable, bookingId: string, now: number, action: HistoryEntry['action'], detail: object): Promise<void> {
    const [{ n }] = await tx.query<{ n: number }>('SELECT COUNT(*) AS n FROM booking_history WHERE booking_id = $1', [bookingId]);
    await tx.run('INSERT INTO booking_history (booking_id, seq, at_ms, action, detail) VALUES ($1, $2, $3, $4, $5)', [
      bookingId,
      Number(n) + 1,
      now,
      action,
      JSON.stringify(detail),
    ]);
  }

  private async event(tx: Queryable, kind: BookingEventKind, b: Booking, now: number, previousStartMs?: number): Promise<void> {
    const type = this.appointmentType(b.appointmentTypeId)!;
    const advisor = this.advisor(b.advisorId)!;
    await enqueueEvent(tx, this.channels, {
      id: randomUUID(),
      type: kind,
      occurredAt: new Date(now).toISOString(),
      booking: {
        id: b.id,
        reference: b.reference ?? '',
        status: b.status,
        start: new Date(b.startMs).toISOString(),
        end: new Date(b.endMs).toISOString(),
        startText: `${formatBerlinDay(b.startMs)}, ${formatBerlinTime(b.startMs)}–${formatBerlinTime(b.endMs)} Uhr`,
        ...(previousStartMs !== undefined ? { previousStart: new Date(previousStartMs).toISOString() } : {}),
        version: b.version,
        appointmentType: { id: type.id, name: type.name, place: type.place },
        location: this.location(b),
        advisor: { id: advisor.id, name: advisor.name, email: advisor.email },
        municipality: { ags: b.ags, name: b.municipalityName },
        contact: b.contact,
      },
    }, now);
  }
}

/** Day's candidates reordered: first morning, first afternoon, then the rest in time order. */
function spreadOrder(day: Candidate[]): Candidate[] {
  const afternoon = day.find((c) => Number(formatBerlinTime(c.startMs).slice(0, 2)) >= 12);
  const head = [day[0], ...(afternoon && afternoon !== day[0] ? [afternoon] : [])];
  return [...head, ...day.filter((c) => !head.includes(c))];
}
