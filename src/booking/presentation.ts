import { randomBytes, randomUUID } from 'node:crypto';
import { formatBerlinDay, formatBerlinTime } from './calendar';
import type { Advisor, AppointmentType, BookingCalendarConfig } from './calendar';
import type { Booking, BookingEntity, BookingEvent, BookingEventKind } from './types';

/**
 * "KDLZ-2026-7KQ3MZ": the year and a code. Codes of bookings made before references became random
 * are a per-year counter ("KDLZ-2026-00042", zero-padded to five digits).
 */
export function formatReference(year: number, code: number | string): string {
  return `KDLZ-${year}-${typeof code === 'number' ? String(code).padStart(5, '0') : code.toUpperCase()}`;
}

/** Letters and digits a person reads and types back without mixing them up (no 0/O, 1/I). */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const REFERENCE_CODE_LENGTH = 6;
/** What a new reference looks like (for tests and checks). */
export const REFERENCE_PATTERN = /^KDLZ-\d{4}-[A-HJ-NP-Z2-9]{6}$/;

/**
 * A random reference code: 6 of 32 characters, about 10^9 codes per year, so a reference says
 * nothing about other bookings and cannot be counted up (sequential numbers made guessing easy).
 */
export function randomReferenceCode(): string {
  // 32 symbols: the low five bits of a random byte pick one without bias.
  return [...randomBytes(REFERENCE_CODE_LENGTH)].map((b) => CODE_ALPHABET[b & 31]).join('');
}

/** Accepts "kdlz 2026 7kq3mz", "KDLZ-2026-00042", "kdlz 2026 42" …; returns the canonical form or undefined. */
export function normaliseReference(input: string): string | undefined {
  const m = /^\s*kdlz[\s-]*(\d{4})[\s-]*([a-z0-9]{1,6})\s*$/i.exec(input);
  if (!m) return undefined;
  return /^\d+$/.test(m[2]) ? formatReference(Number(m[1]), Number(m[2])) : formatReference(Number(m[1]), m[2]);
}

/** The machine-readable entity on the confirmation activity (DESIGN.md). */
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

/** Where the appointment takes place, for invitations and summaries. */
export function bookingLocation(calendar: BookingCalendarConfig, b: Pick<Booking, 'onSite' | 'municipalityName'>): string {
  return b.onSite ? `Vor Ort bei: ${b.municipalityName}` : calendar.onlineLocation;
}

/** "Montag, 15.06.2026, 09:00–11:00 Uhr" (Europe/Berlin). */
export function startText(b: Pick<Booking, 'startMs' | 'endMs'>): string {
  return `${formatBerlinDay(b.startMs)}, ${formatBerlinTime(b.startMs)}–${formatBerlinTime(b.endMs)} Uhr`;
}

/** The snapshot every receiver gets for one change (one outbox row per channel). */
export function bookingEvent(
  kind: BookingEventKind,
  b: Booking,
  facts: { type: AppointmentType; advisor: Advisor; location: string },
  now: number,
  previousStartMs?: number,
): BookingEvent {
  const { type, advisor } = facts;
  return {
    id: randomUUID(),
    type: kind,
    occurredAt: new Date(now).toISOString(),
    booking: {
      id: b.id,
      reference: b.reference ?? '',
      status: b.status,
      start: new Date(b.startMs).toISOString(),
      end: new Date(b.endMs).toISOString(),
      startText: startText(b),
      ...(previousStartMs !== undefined ? { previousStart: new Date(previousStartMs).toISOString() } : {}),
      version: b.version,
      appointmentType: { id: type.id, name: type.name, place: type.place },
      location: facts.location,
      advisor: { id: advisor.id, name: advisor.name, email: advisor.email },
      municipality: { ags: b.ags, name: b.municipalityName },
      contact: b.contact,
    },
  };
}
