import { randomBytes, randomUUID } from 'node:crypto';
import type { Db, Queryable } from '../storage';
import { type Advisor, advisorsFor, type AppointmentType, blockedRange } from './calendar';
import type { BookingCatalog } from './catalog';
import type { Contact } from './contact';
import { isSlotClash, type BookingRepository } from './repository';
import { bookingErrorTexts as T } from './texts';
import type { RateCounter } from '../storage';
import { type Booking, BookingNotFound, HoldLimitReached, SlotUnavailable } from './types';
import type { BookingWriter } from './writer';

export interface ChannelUser {
  channelId?: string;
  channelUserId?: string;
  /** The conversation a hold is made in (one live hold per user and conversation). */
  conversationId?: string;
  /** The client address (IPv6: its /64) where the channel knows it (Web Chat), for rate limits. */
  clientKey?: string;
}

/** Holds per hour: a person books one appointment; a script reserving the calendar does not get far. */
export const HOLD_LIMITS = { perUser: 10, perClient: 30, windowMs: 3600_000 };

export interface Hold {
  holdToken: string;
  expiresMs: number;
  booking: Booking;
}

export interface HoldRequest extends ChannelUser {
  ags: string;
  appointmentTypeId: string;
  advisorId?: string;
  startMs: number;
}

export interface BookRequest extends HoldRequest {
  contact: Contact;
  idempotencyKey: string;
}

export interface CommandOptions {
  db: Db;
  repo: BookingRepository;
  catalog: BookingCatalog;
  writer: BookingWriter;
  counter: RateCounter;
  /** The code part of new references (default: random; tests pass a counter). */
  referenceCode: () => string;
  now: () => number;
}

/**
 * The commands that change the calendar: hold, confirm, book, reschedule, cancel. Each change
 * runs in one transaction with its history row and outbox rows (BookingWriter).
 */
export class BookingCommands {
  private readonly repo: BookingRepository;
  private readonly catalog: BookingCatalog;
  private readonly writer: BookingWriter;

  constructor(private readonly opts: CommandOptions) {
    this.repo = opts.repo;
    this.catalog = opts.catalog;
    this.writer = opts.writer;
  }

  /**
   * Reserves a slot for holdMinutes while the user enters contact data; no personal data yet.
   * A new hold releases the user's earlier hold in the same conversation (in the same
   * transaction), and holds per user and per client address are limited (HoldLimitReached).
   */
  async hold(req: HoldRequest): Promise<Hold> {
    const { type, kommune, advisors } = this.catalog.requireType(req.ags, req.appointmentTypeId);
    await this.catalog.requireEligible(req.ags, type);
    await this.limitHolds(req);
    const now = this.opts.now();
    const ok = this.catalog.advisorsForStart(type, advisors, req.advisorId, req.startMs, now);
    const holdToken = randomBytes(18).toString('base64url');
    const expiresMs = now + this.catalog.calendar.rules.holdMinutes * 60_000;
    // A hold writes no event, so it needs no outbox wake-up: a plain transaction.
    const booking = await this.tryEachAdvisor(ok, (advisor) =>
      this.opts.db.transaction(async (tx) => {
        // First, so picking the slot already held here (a double click) takes it again.
        await this.repo.releaseHoldsOf(tx, req, now);
        await this.claimable(tx, advisor, type, req.startMs, now);
        const id = randomUUID();
        await this.repo.insert(tx, {
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
        await this.repo.addHistory(tx, id, now, 'held', { advisorId: advisor.id, start: new Date(req.startMs).toISOString() });
        return this.repo.load(tx, id);
      }),
    );
    return { holdToken, expiresMs, booking };
  }

  /** Gives a held slot back (the user went back or cancelled). */
  async releaseHold(holdToken: string): Promise<void> {
    await this.repo.releaseHold(holdToken, this.opts.now());
  }

  /** Gives back every live hold of this user in this conversation (a dialog was dropped); returns how many. */
  releaseHoldsOf(owner: Pick<ChannelUser, 'channelUserId' | 'conversationId'>): Promise<number> {
    return this.repo.releaseHoldsOf(this.opts.db, owner, this.opts.now());
  }

  /** Counts this hold attempt for the user and the client address; throws when one is over its limit. */
  private async limitHolds(req: ChannelUser): Promise<void> {
    const keys = [
      ...(req.channelUserId ? [[`hold:user:${req.channelUserId}`, HOLD_LIMITS.perUser] as const] : []),
      ...(req.clientKey ? [[`hold:client:${req.clientKey}`, HOLD_LIMITS.perClient] as const] : []),
    ];
    for (const [key, limit] of keys) {
      const wait = await this.opts.counter.take(key, limit, HOLD_LIMITS.windowMs);
      if (wait) throw new HoldLimitReached(T.tooManyHolds(Math.max(1, Math.ceil(wait / 60))), wait);
    }
  }

  /**
   * Turns a hold into a confirmed booking with reference. Repeating it with the same hold token
   * or idempotency key returns the same booking. A hold that expired meanwhile is re-taken when
   * the slot is still free; otherwise SlotUnavailable('taken').
   */
  async confirm(req: { holdToken: string; contact: Contact; idempotencyKey?: string }): Promise<Booking> {
    const contact = this.catalog.validContact(req.contact);
    const key = req.idempotencyKey ?? 'hold:' + req.holdToken;
    const existing = await this.repo.byIdempotencyKey(key);
    if (existing) return existing;
    const now = this.opts.now();
    try {
      return await this.writer.commit(async (tx) => {
        // Locks the held row first (PostgreSQL): a second confirm of the same hold waits here and then finds it confirmed.
        const claimed = await this.repo.lockHold(tx, req.holdToken, now);
        const held = await this.repo.byHoldToken(tx, req.holdToken);
        if (!held) throw new BookingNotFound();
        if (claimed === 0) {
          if (held.status === 'confirmed') return held;
          throw new SlotUnavailable('taken', T.holdGone);
        }
        if (held.status === 'expired' || (held.holdExpiresMs ?? 0) < now) {
          await this.repo.markExpired(tx, held.id);
          // This hold was given back for a newer one of the same person and conversation (a
          // turn that ran twice): confirming it wins, the newer one goes.
          await this.repo.releaseSiblingHolds(tx, held.id, now);
          await this.claimable(tx, this.catalog.advisor(held.advisorId)!, this.catalog.appointmentType(held.appointmentTypeId)!, held.startMs, now, held.id);
        }
        const reference = await this.repo.nextReference(tx, now, this.opts.referenceCode);
        await this.repo.confirmHeld(tx, held.id, { reference, idempotencyKey: key, contact, now });
        await this.repo.addHistory(tx, held.id, now, 'confirmed', { reference });
        const booking = await this.repo.load(tx, held.id);
        await this.writer.event(tx, 'booking.confirmed', booking, now);
        return booking;
      }, key);
    } catch (e) {
      // Re-taking an expired hold can lose the slot to a booking made meanwhile.
      if (isSlotClash(e)) throw new SlotUnavailable('taken', T.slotTaken);
      throw e;
    }
  }

  /**
   * Books directly (staff API, integrations): validates the time, takes the first free advisor,
   * confirms in one transaction. The same idempotency key always returns the same booking.
   */
  async book(req: BookRequest): Promise<{ booking: Booking; created: boolean }> {
    const existing = await this.repo.byIdempotencyKey(req.idempotencyKey);
    if (existing) return { booking: existing, created: false };
    const { type, kommune, advisors } = this.catalog.requireType(req.ags, req.appointmentTypeId);
    await this.catalog.requireEligible(req.ags, type);
    const contact = this.catalog.validContact(req.contact);
    const now = this.opts.now();
    const ok = this.catalog.advisorsForStart(type, advisors, req.advisorId, req.startMs, now);
    const id = randomUUID();
    const booking = await this.tryEachAdvisor(
      ok,
      (advisor) =>
        this.writer.commit(async (tx) => {
          await this.claimable(tx, advisor, type, req.startMs, now);
          const reference = await this.repo.nextReference(tx, now, this.opts.referenceCode);
          await this.repo.insert(tx, {
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
          await this.repo.addHistory(tx, id, now, 'confirmed', { reference, advisorId: advisor.id, start: new Date(req.startMs).toISOString() });
          const b = await this.repo.load(tx, id);
          await this.writer.event(tx, 'booking.confirmed', b, now);
          return b;
        }, req.idempotencyKey),
      // The same request may have won on another advisor meanwhile.
      () => this.repo.byIdempotencyKey(req.idempotencyKey),
    );
    return { booking, created: booking.id === id };
  }

  /** Cancels a confirmed booking; cancelling twice is harmless and returns the cancelled booking. */
  async cancel(reference: string, by: 'user' | 'staff' = 'user'): Promise<Booking> {
    const now = this.opts.now();
    return this.writer.commit(async (tx) => {
      const b = await this.repo.byReference(tx, reference);
      if (!b) throw new BookingNotFound();
      if (!(await this.repo.cancelConfirmed(tx, b.id, now))) {
        const latest = await this.repo.load(tx, b.id);
        if (latest.status === 'cancelled') return latest;
        throw new BookingNotFound();
      }
      await this.repo.addHistory(tx, b.id, now, 'cancelled', { by });
      const after = await this.repo.load(tx, b.id);
      await this.writer.event(tx, 'booking.cancelled', after, now);
      return after;
    });
  }

  /** Moves a confirmed booking to another free start (same type, same Kommune, same reference). */
  async reschedule(reference: string, to: { startMs: number; advisorId?: string }): Promise<Booking> {
    const now = this.opts.now();
    const current = await this.repo.byReference(this.opts.db, reference);
    if (!current || current.status !== 'confirmed') throw new BookingNotFound();
    const type = this.catalog.appointmentType(current.appointmentTypeId)!;
    const ok = this.catalog.advisorsForStart(type, advisorsFor(this.catalog.calendar, type.id, current.ags), to.advisorId, to.startMs, now);
    return this.tryEachAdvisor(ok, (advisor) =>
      this.writer.commit(async (tx) => {
        // Lock the booking's row before the advisor's calendar, so two moves of one booking run one after the other.
        if (!(await this.repo.lockConfirmed(tx, reference, now))) throw new BookingNotFound();
        const b = (await this.repo.byReference(tx, reference))!;
        await this.claimable(tx, advisor, type, to.startMs, now, b.id);
        await this.repo.move(tx, b.id, { advisorId: advisor.id, startMs: to.startMs, endMs: to.startMs + type.durationMinutes * 60_000 }, now);
        await this.repo.addHistory(tx, b.id, now, 'rescheduled', {
          from: new Date(b.startMs).toISOString(),
          to: new Date(to.startMs).toISOString(),
          advisorId: advisor.id,
        });
        const after = await this.repo.load(tx, b.id);
        await this.writer.event(tx, 'booking.rescheduled', after, now, b.startMs);
        return after;
      }),
    );
  }

  /**
   * Tries the advisors in order until one attempt succeeds. An attempt that finds the slot taken
   * (SlotUnavailable from claimable, or another active booking at the same start in the unique
   * index) moves on to the next advisor, after asking `afterClash` whether the request has been
   * answered meanwhile. Any other error, including any other unique violation, is a real error.
   */
  private async tryEachAdvisor<T>(advisors: readonly Advisor[], attempt: (a: Advisor) => Promise<T>, afterClash?: () => Promise<T | undefined>): Promise<T> {
    for (const advisor of advisors) {
      try {
        return await attempt(advisor);
      } catch (e) {
        if (!(e instanceof SlotUnavailable || isSlotClash(e))) throw e;
        const answered = await afterClash?.();
        if (answered !== undefined) return answered;
      }
    }
    throw new SlotUnavailable('taken', T.slotTaken);
  }

  /**
   * Inside a transaction: serialises work on one advisor's calendar, expires stale holds, and
   * throws SlotUnavailable unless [start, end) plus buffers is free and the day limit allows it.
   */
  private async claimable(tx: Queryable, advisor: Advisor, type: AppointmentType, startMs: number, now: number, exceptId = ''): Promise<void> {
    await this.repo.lockAdvisor(tx, advisor.id, now);
    const endMs = startMs + type.durationMinutes * 60_000;
    const [bs, be] = blockedRange({ startMs, endMs, onSite: type.place === 'vor-ort' }, advisor);
    const buf = advisor.travelBufferMinutes * 60_000;
    const near = await this.repo.busy(tx, [advisor.id], bs - buf, be + buf, now, exceptId);
    if (near.some((b) => {
      const [s, e] = blockedRange(b, advisor);
      return s < be && bs < e;
    })) {
      throw new SlotUnavailable('taken', T.slotTaken);
    }
    if ((await this.repo.activeOnDay(tx, advisor.id, startMs, exceptId)) >= advisor.maxPerDay) throw new SlotUnavailable('taken', T.dayFull);
  }
}
