import { randomUUID } from 'node:crypto';
import { formatBerlinDay, formatBerlinTime } from './calendar';
import type { Advisor, AppointmentType, BookingCalendarConfig } from './calendar';
import type { Booking, BookingEntity, BookingEvent, BookingEventKind } from './types';

/** "KDLZ-2026-00042" with the year and a per-year counter. */
export function formatReference(year: number, n: number): string {
  return `KDLZ-${year}-${String(n).padStart(5, '0')}`;
}

/** Accepts "kdlz 2026 42", "KDLZ-2026-00042" …; returns the canonical form or undefined. */
export function normaliseReference(input: string): string | undefined {
  const m = /^\s*kdlz[\s-]*(\d{4})[\s-]*(\d{1,6})\s*$/i.exec(input);
  return m ? formatReference(Number(m[1]), Number(m[2])) : undefined;
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
