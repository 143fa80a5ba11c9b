import { bookingMailTexts } from './texts';
import { buildIcs } from './ics';
import type { BookingService } from './service';
import type { Booking } from './types';

/** The .ics for a booking as the user gets it in the chat (cancelled → METHOD:CANCEL). */
export function bookingIcs(service: BookingService, b: Booking): string {
  const type = service.appointmentType(b.appointmentTypeId)!;
  const advisor = service.advisor(b.advisorId)!;
  const snapshot = {
    reference: b.reference ?? '',
    appointmentType: { id: type.id, name: type.name, place: type.place },
    municipality: { ags: b.ags, name: b.municipalityName },
  };
  return buildIcs(
    [
      {
        uid: `${b.id}@kdlz-bot`,
        sequence: b.version,
        startMs: b.startMs,
        endMs: b.endMs,
        summary: bookingMailTexts.icsSummary(snapshot),
        description: bookingMailTexts.icsDescription(snapshot),
        location: service.location(b),
        organizer: { name: service.calendar.organizer.name, email: service.organizerEmail },
        attendees: [...(b.contact ? [{ name: b.contact.name, email: b.contact.email }] : []), { name: advisor.name, email: advisor.email }],
        status: b.status === 'cancelled' ? 'CANCELLED' : 'CONFIRMED',
        stampMs: b.updatedMs,
      },
    ],
    b.status === 'cancelled' ? 'CANCEL' : 'REQUEST',
  );
}
