import type { Db, Queryable } from '../storage';
import type { BookingCatalog } from './catalog';
import { bookingEvent } from './presentation';
import { isIdempotencyClash, type BookingRepository } from './repository';
import type { Booking, BookingEventKind, OutboxChannel } from './types';

export interface WriterOptions {
  db: Db;
  repo: BookingRepository;
  catalog: BookingCatalog;
  /** Channels an event is written to (one outbox row each). */
  channels: readonly OutboxChannel[];
  /** Called after a transaction that wrote outbox rows committed (wakes the delivery loop). */
  onOutbox?: () => void;
}

/**
 * Transactions that change a booking and write its event: the change, its history row and one
 * outbox row per channel commit together, so a crash leaves all of it or nothing.
 */
export class BookingWriter {
  constructor(private readonly opts: WriterOptions) {}

  /** Runs fn in a transaction, then wakes the outbox; a lost race on the idempotency key returns the winner. */
  async commit<T>(fn: (tx: Queryable) => Promise<T>, idempotencyKey?: string): Promise<T> {
    try {
      const result = await this.opts.db.transaction(fn);
      this.opts.onOutbox?.();
      return result;
    } catch (e) {
      if (idempotencyKey && isIdempotencyClash(e)) {
        const winner = await this.opts.repo.byIdempotencyKey(idempotencyKey);
        if (winner) return winner as T;
      }
      throw e;
    }
  }

  /** Writes the event of a change (inside the change's transaction). */
  async event(tx: Queryable, kind: BookingEventKind, b: Booking, now: number, previousStartMs?: number): Promise<void> {
    const { catalog } = this.opts;
    const facts = { type: catalog.appointmentType(b.appointmentTypeId)!, advisor: catalog.advisor(b.advisorId)!, location: catalog.location(b) };
    await this.opts.repo.enqueue(tx, this.opts.channels, bookingEvent(kind, b, facts, now, previousStartMs), now);
  }
}
