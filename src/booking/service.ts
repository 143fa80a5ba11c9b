import { type Db, RateCounter } from '../storage';
import { type Advisor, type AppointmentType, type BookingCalendarConfig, bookableWindow } from './calendar';
import { BookingCatalog, type KommuneRef } from './catalog';
import { type BookRequest, BookingCommands, type Hold, type HoldRequest } from './commands';
import type { Contact } from './contact';
import { BookingJobs } from './jobs';
import { type AbandonedDelivery, OutboxStore, scrubOutboxContact } from './outbox-store';
import { normaliseReference, randomReferenceCode, toBookingEntity } from './presentation';
import { BookingRepository, type UserRef } from './repository';
import { searchSlots, type SearchRequest } from './search';
import { bookingErrorTexts } from './texts';
import { type Booking, type BookingEntity, type HistoryEntry, LookupLocked, type OutboxChannel, type Slot } from './types';
import { BookingWriter } from './writer';

export type { KommuneRef } from './catalog';
export type { ChannelUser, Hold } from './commands';
export { HOLD_LIMITS } from './commands';
export type { SearchRequest } from './search';
export { formatReference, normaliseReference, REFERENCE_PATTERN, toBookingEntity } from './presentation';

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
  /** The code part of new references; default random (tests pass a counter for readable expectations). */
  referenceCode?: () => string;
}

/**
 * "Meine Termine" by reference and e-mail: wrong pairs per hour before the lookup is locked, per
 * conversation (and user) and per client address.
 */
export const LOOKUP_LIMITS = { perConversation: 5, perClient: 20, windowMs: 3600_000 };

/**
 * The booking module's one entry point for dialogs, the staff API and the workers. It wires and
 * delegates: what can be booked (catalog.ts), the changes (commands.ts), free slots (search.ts),
 * the background jobs and deletion (jobs.ts), all SQL (repository.ts), entities and reference
 * formats (presentation.ts).
 */
export class BookingService {
  readonly calendar: BookingCalendarConfig;
  private readonly db: Db;
  private readonly now: () => number;
  private readonly catalog: BookingCatalog;
  private readonly repo: BookingRepository;
  private readonly commands: BookingCommands;
  private readonly jobs: BookingJobs;
  private readonly counter: RateCounter;
  private readonly outbox: OutboxStore;

  constructor(private readonly opts: BookingServiceOptions) {
    this.db = opts.db;
    this.calendar = opts.calendar;
    this.now = opts.now ?? Date.now;
    this.catalog = new BookingCatalog({ calendar: opts.calendar, kommune: opts.kommune, isEligible: opts.isEligible });
    const longestMs = Math.max(...this.calendar.appointmentTypes.map((t) => t.durationMinutes)) * 60_000;
    this.repo = new BookingRepository(this.db, longestMs);
    const writer = new BookingWriter({
      db: this.db,
      repo: this.repo,
      catalog: this.catalog,
      channels: opts.outboxChannels ?? ['teams', 'webhook', 'email'],
      onOutbox: opts.onOutbox,
    });
    this.counter = new RateCounter(this.db, this.now);
    this.outbox = new OutboxStore(this.db);
    this.commands = new BookingCommands({
      db: this.db,
      repo: this.repo,
      catalog: this.catalog,
      writer,
      counter: this.counter,
      referenceCode: opts.referenceCode ?? randomReferenceCode,
      now: this.now,
    });
    this.jobs = new BookingJobs({ db: this.db, repo: this.repo, writer, now: this.now });
  }

  get organizerEmail(): string {
    return this.opts.organizerEmail ?? this.calendar.organizer.email;
  }

  clock(): number {
    return this.now();
  }

  appointmentType(id: string): AppointmentType | undefined {
    return this.catalog.appointmentType(id);
  }

  advisor(id: string): Advisor | undefined {
    return this.catalog.advisor(id);
  }

  kommune(ags: string): KommuneRef | undefined {
    return this.catalog.kommune(ags);
  }

  /** Types this Kommune may book and an advisor covers. */
  typesFor(ags: string): Promise<AppointmentType[]> {
    return this.catalog.typesFor(ags);
  }

  /** The first and last bookable Berlin day as of now. */
  window(): { first: string; last: string } {
    return bookableWindow(this.calendar, this.now());
  }

  searchSlots(req: SearchRequest): Promise<Slot[]> {
    return searchSlots({ db: this.db, repo: this.repo, catalog: this.catalog, now: this.now() }, req);
  }

  hold(req: HoldRequest): Promise<Hold> {
    return this.commands.hold(req);
  }

  releaseHold(holdToken: string): Promise<void> {
    return this.commands.releaseHold(holdToken);
  }

  /** Releases every live hold of a user in a conversation (its dialog was dropped). */
  releaseHoldsOf(owner: { channelUserId?: string; conversationId?: string }): Promise<number> {
    return this.commands.releaseHoldsOf(owner);
  }

  confirm(req: { holdToken: string; contact: Contact; idempotencyKey?: string }): Promise<Booking> {
    return this.commands.confirm(req);
  }

  book(req: BookRequest): Promise<{ booking: Booking; created: boolean }> {
    return this.commands.book(req);
  }

  cancel(reference: string, by: 'user' | 'staff' = 'user'): Promise<Booking> {
    return this.commands.cancel(reference, by);
  }

  reschedule(reference: string, to: { startMs: number; advisorId?: string }): Promise<Booking> {
    return this.commands.reschedule(reference, to);
  }

  getByReference(reference: string): Promise<Booking | undefined> {
    return this.repo.byReference(this.db, reference);
  }

  /**
   * The booking only when reference and contact e-mail both match; otherwise undefined, the
   * same for an unknown reference and a wrong e-mail, so nobody can probe references. After
   * LOOKUP_LIMITS wrong pairs in an hour from the same conversation (or user) or client address,
   * every lookup from there throws LookupLocked, also with a right pair, until the hour is over.
   */
  async findByReferenceAndEmail(reference: string, email: string, who: { channelUserId?: string; conversationId?: string; clientKey?: string } = {}): Promise<Booking | undefined> {
    const keys = [
      ...(who.conversationId ? [[`lookup:conv:${who.conversationId}`, LOOKUP_LIMITS.perConversation] as const] : []),
      ...(who.channelUserId ? [[`lookup:user:${who.channelUserId}`, LOOKUP_LIMITS.perConversation] as const] : []),
      ...(who.clientKey ? [[`lookup:client:${who.clientKey}`, LOOKUP_LIMITS.perClient] as const] : []),
    ];
    for (const [key, limit] of keys) {
      if ((await this.counter.count(key, LOOKUP_LIMITS.windowMs)) >= limit) throw this.locked();
    }
    const ref = normaliseReference(reference);
    const b = ref ? await this.getByReference(ref) : undefined;
    if (b?.contact && b.contact.email.toLowerCase() === email.trim().toLowerCase()) return b;
    for (const [key] of keys) await this.counter.hit(key, LOOKUP_LIMITS.windowMs);
    return undefined;
  }

  private locked(): LookupLocked {
    const now = this.now();
    const waitSec = Math.ceil((Math.floor(now / LOOKUP_LIMITS.windowMs) * LOOKUP_LIMITS.windowMs + LOOKUP_LIMITS.windowMs - now) / 1000);
    return new LookupLocked(bookingErrorTexts.lookupLocked(Math.max(1, Math.ceil(waitSec / 60))), waitSec);
  }

  /** Upcoming confirmed bookings of a channel user (Teams) or with one of these references. */
  listForUser(user: UserRef): Promise<Booking[]> {
    return this.repo.upcomingForUser(user, this.now());
  }

  /** Confirmed and cancelled bookings starting in [fromMs, toMs) (staff API). */
  listRange(fromMs: number, toMs: number, advisorId?: string): Promise<Booking[]> {
    return this.repo.listRange(fromMs, toMs, advisorId);
  }

  history(bookingId: string): Promise<HistoryEntry[]> {
    return this.repo.history(bookingId);
  }

  /** The references and contact e-mail addresses of a person's bookings (for the personal-data registry). */
  async contactsOf(user: UserRef): Promise<{ references: string[]; emails: string[] }> {
    const rows = await this.repo.contactsForUser(user);
    return {
      references: rows.map((r) => r.reference).filter((r): r is string => !!r),
      emails: rows.map((r) => r.email).filter((e): e is string => !!e),
    };
  }

  anonymiseForUser(user: UserRef): Promise<number> {
    return this.jobs.anonymiseForUser(user);
  }

  anonymiseExpired(days: number, nowMs?: number): Promise<number> {
    return this.jobs.anonymiseExpired(days, nowMs);
  }

  /** Notifications the outbox gave up on (staff API). */
  abandonedDeliveries(): Promise<AbandonedDelivery[]> {
    return this.outbox.abandoned();
  }

  /** Staff: deliver an abandoned notification again (now); false when there is no such abandoned delivery. */
  async retryDelivery(eventId: string, channel: string): Promise<boolean> {
    const ok = await this.outbox.retry(eventId, channel, this.now());
    if (ok) this.opts.onOutbox?.();
    return ok;
  }

  /** "Meine Daten löschen" for bookings already anonymised: their outbox rows lose the contact too. */
  async scrubDeliveries(references: readonly string[]): Promise<number> {
    let n = 0;
    for (const reference of references.slice(0, 100)) {
      const b = await this.getByReference(reference);
      if (b) n += await this.db.transaction((tx) => scrubOutboxContact(tx, b.id));
    }
    return n;
  }

  /** Retention: delivered and abandoned notifications (their snapshots hold contact data) older than `days`. */
  deleteOldDeliveries(days: number, nowMs = this.now()): Promise<number> {
    return this.outbox.deleteFinishedBefore(nowMs - days * 86_400_000);
  }

  queueReminders(): Promise<number> {
    return this.jobs.queueReminders();
  }

  toEntity(b: Booking): BookingEntity {
    return toBookingEntity(b, this.appointmentType(b.appointmentTypeId)?.name ?? b.appointmentTypeId);
  }

  /** Where the appointment takes place, for invitations and summaries. */
  location(b: Pick<Booking, 'onSite' | 'municipalityName'>): string {
    return this.catalog.location(b);
  }
}
