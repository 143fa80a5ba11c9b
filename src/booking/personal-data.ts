import type { DataSubject, PersonalDataStore } from '../privacy';
import type { BookingService } from './service';

const DAY_MS = 86_400_000;

/**
 * Contact data of bookings (name, function, e-mail, phone, channel user id) as a personal-data
 * store: anonymised for the person on request, and for everyone CONTACT_RETENTION_DAYS after
 * the appointment ended. The appointment itself stays for the KDLZ team.
 */
export function bookingContactsStore(deps: { service: BookingService; retentionDays: number }): PersonalDataStore {
  const { service, retentionDays } = deps;
  /** Teams user ids are the signed-in person; elsewhere the person proves a booking by its reference. */
  const userIds = (s: DataSubject) => (s.channelId === 'msteams' ? s.userIds.slice(0, 20) : []);
  return {
    id: 'booking.contacts',
    holds: 'Kontaktdaten in Buchungen (Name, Funktion, E-Mail, Telefon) und die Kanal-Nutzerkennung',
    retention: { ms: retentionDays * DAY_MS, variable: 'CONTACT_RETENTION_DAYS', countsFrom: 'nach dem Ende des Termins' },
    async identify(s) {
      const found = { references: [] as string[], emails: [] as string[] };
      const add = (x: { references: string[]; emails: string[] }) => {
        found.references.push(...x.references);
        found.emails.push(...x.emails);
      };
      if (s.references.length) add(await service.contactsOf({ references: s.references }));
      for (const id of userIds(s)) add(await service.contactsOf({ channelUserId: id }));
      return found;
    },
    async deleteFor(s) {
      // One query per user id; the references go with the first (a row is counted once).
      const [first, ...more] = userIds(s);
      let n = await service.anonymiseForUser({ channelUserId: first, references: s.references });
      for (const id of more) n += await service.anonymiseForUser({ channelUserId: id });
      return n;
    },
    deleteExpired: () => service.anonymiseExpired(retentionDays),
  };
}
