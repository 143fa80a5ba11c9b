import { readdirSync, statSync, unlinkSync } from 'node:fs';
import path from 'node:path';
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
    deleteExpired: (nowMs) => service.anonymiseExpired(retentionDays, nowMs),
  };
}

/**
 * The notification outbox: each row holds a snapshot of the booking with the contact data.
 * "Meine Daten löschen" goes through the booking's anonymisation (delivered rows go, undelivered
 * ones lose the contact); this store also runs that for references whose booking is already
 * anonymised, and removes finished rows (delivered or abandoned) after CONTACT_RETENTION_DAYS.
 */
export function bookingOutboxStore(deps: { service: BookingService; retentionDays: number }): PersonalDataStore {
  return {
    id: 'booking.outbox',
    holds: 'Benachrichtigungen über Buchungen (Schnappschuss mit Kontaktdaten) bis zur Zustellung, aufgegebene Zustellungen bis zur Frist',
    retention: { ms: deps.retentionDays * DAY_MS, variable: 'CONTACT_RETENTION_DAYS', countsFrom: 'nach dem Anlegen der Benachrichtigung' },
    deleteFor: async (s) => deps.service.scrubDeliveries(s.references),
    deleteExpired: (nowMs) => deps.service.deleteOldDeliveries(deps.retentionDays, nowMs),
  };
}

/**
 * E-mails written as .eml files under OUTBOX_DIR when no SMTP server is configured (named
 * `<reference>-<event>-<who>.eml`): deleted by the person's references, and for everyone
 * CONTACT_RETENTION_DAYS after they were written.
 */
export function bookingMailFilesStore(deps: { dir: string; retentionDays: number; now?: () => number }): PersonalDataStore {
  const now = deps.now ?? Date.now;
  const files = (): string[] => {
    try {
      return readdirSync(deps.dir).filter((f) => f.endsWith('.eml') || f.endsWith('.eml.tmp'));
    } catch {
      return [];
    }
  };
  const remove = (f: string): number => {
    try {
      unlinkSync(path.join(deps.dir, f));
      return 1;
    } catch {
      return 0;
    }
  };
  return {
    id: 'booking.mail-files',
    holds: 'E-Mails an Ansprechperson und Beratung als .eml-Dateien unter OUTBOX_DIR (ohne SMTP_URL)',
    retention: { ms: deps.retentionDays * DAY_MS, variable: 'CONTACT_RETENTION_DAYS', countsFrom: 'nach dem Schreiben der Datei' },
    async deleteFor(s) {
      // By reference only: the references come from the person's own bookings. (Matching by an
      // address the person merely typed would let anyone delete other people's mail copies.)
      let n = 0;
      for (const f of files()) if (s.references.some((r) => f.startsWith(r + '-'))) n += remove(f);
      return n;
    },
    async deleteExpired(nowMs = now()) {
      let n = 0;
      for (const f of files()) {
        try {
          if (statSync(path.join(deps.dir, f)).mtimeMs < nowMs - deps.retentionDays * DAY_MS) n += remove(f);
        } catch {
          /* gone meanwhile */
        }
      }
      return n;
    },
  };
}
