import type { BookingCalendarConfig } from './calendar';
import type { BookingEvent, BookingEventKind } from './types';

type InviteFacts = Pick<BookingEvent['booking'], 'reference' | 'appointmentType' | 'municipality'>;

/** German wording of everything the booking module sends outside the chat (mails, staff card, invitation). */
export const bookingMailTexts = {
  kindTitle: {
    'booking.confirmed': 'Neuer Termin gebucht',
    'booking.cancelled': 'Termin abgesagt',
    'booking.rescheduled': 'Termin verschoben',
    'booking.reminder': 'Erinnerung: Termin morgen',
  } satisfies Record<BookingEventKind, string>,
  icsSummary: (e: InviteFacts) => `KDLZ CS: ${e.appointmentType.name} – ${e.municipality.name}`,
  icsDescription: (e: InviteFacts) =>
    `Termin mit dem Kommunalen Dienstleistungszentrum Cybersicherheit (KDLZ CS).\nBuchungsnummer: ${e.reference}\nKommune: ${e.municipality.name} (AGS ${e.municipality.ags})\nÄndern oder absagen: im Chat mit dem KDLZ-Bot unter „Meine Termine“.`,
  contactSubject: (e: BookingEvent) => {
    const b = e.booking;
    switch (e.type) {
      case 'booking.confirmed':
        return `Terminbestätigung ${b.reference}: ${b.appointmentType.name} am ${b.startText}`;
      case 'booking.rescheduled':
        return `Termin verschoben ${b.reference}: jetzt ${b.startText}`;
      case 'booking.cancelled':
        return `Termin abgesagt ${b.reference}`;
      case 'booking.reminder':
        return `Erinnerung an Ihren Termin morgen (${b.reference})`;
    }
  },
  contactBody: (e: BookingEvent) => {
    const b = e.booking;
    const greeting = b.contact ? `Guten Tag ${b.contact.name},` : 'Guten Tag,';
    const what: Record<BookingEventKind, string> = {
      'booking.confirmed': 'Ihr Termin mit dem KDLZ CS ist gebucht.',
      'booking.rescheduled': 'Ihr Termin mit dem KDLZ CS wurde verschoben. Es gilt die neue Zeit unten.',
      'booking.cancelled': 'Ihr Termin mit dem KDLZ CS wurde abgesagt.',
      'booking.reminder': 'wir erinnern Sie an Ihren Termin morgen.',
    };
    return [
      greeting,
      '',
      what[e.type],
      '',
      `Buchungsnummer: ${b.reference}`,
      `Termin: ${b.appointmentType.name}`,
      `Wann: ${b.startText}`,
      `Wo: ${b.location}`,
      `Kommune: ${b.municipality.name}`,
      '',
      'Die Kalendereinladung hängt an (.ics). Ändern oder absagen können Sie den Termin im Chat mit dem KDLZ-Bot unter „Meine Termine“.',
      '',
      'Diese Nachricht wurde automatisch erstellt.',
    ].join('\n');
  },
  advisorSubject: (e: BookingEvent) => `${bookingMailTexts.kindTitle[e.type]}: ${e.booking.reference}, ${e.booking.municipality.name}, ${e.booking.startText}`,
  advisorBody: (e: BookingEvent) => {
    const b = e.booking;
    const c = b.contact;
    return [
      bookingMailTexts.kindTitle[e.type],
      '',
      `Buchungsnummer: ${b.reference}`,
      `Termin: ${b.appointmentType.name}`,
      `Wann: ${b.startText}`,
      ...(b.previousStart ? [`Vorher: ${b.previousStart} (UTC)`] : []),
      `Wo: ${b.location}`,
      `Kommune: ${b.municipality.name} (AGS ${b.municipality.ags})`,
      c ? `Ansprechperson: ${c.name}, ${c.role}, ${c.email}, ${c.phone}` : 'Ansprechperson: (Kontaktdaten gelöscht)',
      '',
      `Ereignis-ID: ${e.id}`,
    ].join('\n');
  },
};

/**
 * Why a booking request was refused (SlotUnavailable / BookingRequestInvalid reasons). The chat
 * words its own answer (dialogs/texts/booking.ts); these reach the staff API and the logs.
 */
export const bookingErrorTexts = {
  slotTaken: 'Dieser Termin ist gerade vergeben.',
  dayFull: 'An diesem Tag sind keine weiteren Termine frei.',
  holdGone: 'Dieser Termin ist nicht mehr reserviert.',
  unknownAgs: 'Unbekannter Gemeindeschlüssel (AGS).',
  unknownType: 'Unbekannter Termintyp.',
  nobodyOffers: 'Für diese Kommune bietet niemand diesen Termintyp an.',
  notEligible: 'Diese Kommune kann diesen Termintyp nicht buchen.',
  advisorDoesNotOffer: 'Diese Beraterin / dieser Berater bietet den Termin für die Kommune nicht an.',
  invalidContact: (fields: readonly string[]) => `Ungültige Kontaktdaten: ${fields.join(', ')}`,
  tooManyHolds: (minutes: number) =>
    `Sie haben in kurzer Zeit sehr viele Termine vorgemerkt. Damit niemand den Kalender blockiert, kann ich erst in etwa ${minutes} Minuten wieder einen Termin für Sie vormerken.`,
  lookupLocked: (minutes: number) =>
    `Buchungsnummer und E-Mail-Adresse passten mehrmals nicht zusammen. Zum Schutz der Buchungen prüfe ich hier erst in etwa ${minutes} Minuten wieder. Ihre Buchungsnummer und die E-Mail-Adresse stehen in der Bestätigungs-E-Mail.`,
};

/**
 * What the bot says instead of booking when booking is off (production with the example calendar):
 * where to register, from booking.yaml `registration`, with its source. Never a made-up contact.
 */
export function bookingOffText(registration: BookingCalendarConfig['registration']): string {
  const intro = 'Termine kann ich hier zurzeit nicht buchen: Die Terminbuchung ist in diesem Bot noch nicht eingerichtet.';
  if (!registration) return intro;
  const s = registration.source;
  return `${intro}\n\n${registration.text.trim()}\n\nQuelle: [${s.name}](${s.url}), Stand: ${s.asOf}`;
}
