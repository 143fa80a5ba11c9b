import type { Contact } from './contact';

export type BookingStatus = 'held' | 'confirmed' | 'cancelled' | 'expired';

/** One booking as stored; times are UTC epoch milliseconds. */
export interface Booking {
  id: string;
  /** KDLZ-2026-7KQ3MZ (older: KDLZ-2026-00042); null while only held. */
  reference: string | null;
  status: BookingStatus;
  advisorId: string;
  appointmentTypeId: string;
  ags: string;
  municipalityName: string;
  startMs: number;
  endMs: number;
  onSite: boolean;
  /** Null once anonymised (retention, "Meine Daten löschen") or while held. */
  contact: Contact | null;
  channelId: string | null;
  channelUserId: string | null;
  /** Increases with every change; the .ics SEQUENCE. */
  version: number;
  holdExpiresMs: number | null;
  createdMs: number;
  updatedMs: number;
}

/** A bookable start offered to the user. */
export interface Slot {
  advisorId: string;
  appointmentTypeId: string;
  startMs: number;
  endMs: number;
}

export interface HistoryEntry {
  atMs: number;
  action: 'held' | 'confirmed' | 'cancelled' | 'rescheduled' | 'anonymised' | 'reminded';
  detail: Record<string, unknown>;
}

/** The machine-readable booking entity on the confirmation activity (DESIGN.md). */
export interface BookingEntity {
  type: 'booking';
  reference: string;
  status: BookingStatus;
  /** ISO-8601 UTC */
  start: string;
  end: string;
  appointmentType: string;
  municipality: { ags: string; name: string };
}

export type BookingEventKind = 'booking.confirmed' | 'booking.cancelled' | 'booking.rescheduled' | 'booking.reminder';
export type OutboxChannel = 'teams' | 'webhook' | 'email';

/** What every receiver gets: a snapshot of the booking at the time of the change. */
export interface BookingEvent {
  /** Same for all channels of one change; receivers de-duplicate on it. */
  id: string;
  type: BookingEventKind;
  occurredAt: string;
  booking: {
    id: string;
    reference: string;
    status: BookingStatus;
    start: string;
    end: string;
    /** e.g. "Montag, 15.06.2026, 09:00 Uhr" (Europe/Berlin) */
    startText: string;
    previousStart?: string;
    version: number;
    appointmentType: { id: string; name: string; place: 'vor-ort' | 'online' };
    location: string;
    advisor: { id: string; name: string; email: string };
    municipality: { ags: string; name: string };
    contact: Contact | null;
  };
}

export class SlotUnavailable extends Error {
  /** 'taken': someone else was faster; 'invalid': the time is not bookable at all (reason says why). */
  constructor(readonly kind: 'taken' | 'invalid', readonly reason: string) {
    super(reason);
    this.name = 'SlotUnavailable';
  }
}

/** Too many holds in a short time by one user or from one client address; `reason` is German, for the user. */
export class HoldLimitReached extends Error {
  constructor(readonly reason: string, readonly retryAfterSec: number) {
    super(reason);
    this.name = 'HoldLimitReached';
  }
}

/** "Meine Termine": too many wrong reference/e-mail pairs from this conversation or client; `reason` is German. */
export class LookupLocked extends Error {
  constructor(readonly reason: string, readonly retryAfterSec: number) {
    super(reason);
    this.name = 'LookupLocked';
  }
}

export class BookingNotFound extends Error {
  constructor() {
    super('nicht gefunden');
    this.name = 'BookingNotFound';
  }
}

export class BookingRequestInvalid extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'BookingRequestInvalid';
  }
}
