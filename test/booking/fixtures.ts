import { parseBookingConfig, type BookingCalendarConfig } from '../../src/booking/calendar';
import { BookingService, type BookingServiceOptions } from '../../src/booking/service';
import { bookingMigrations } from '../../src/booking/schema';
import type { Contact } from '../../src/booking/contact';
import type { Db } from '../../src/storage';
import { openTestDb, type DbKind } from '../helpers/db';

/** A small, stable calendar for tests (the shipped booking.yaml is operators' to change). */
export const TEST_CALENDAR_YAML = `
organizer: { name: "KDLZ Test", email: "termine@example.invalid" }
rules: { leadTimeDays: 2, horizonDays: 60, holdMinutes: 10, slotStepMinutes: 60, maxSlotsShown: 6 }
onlineLocation: "Online (Link folgt)"
appointmentTypes:
  - { id: vor-ort, name: "Vor-Ort-Analyse", durationMinutes: 120, place: vor-ort, eligibility: kdlz }
  - { id: online, name: "Online-Beratung", durationMinutes: 60, place: online, eligibility: alle }
advisors:
  - id: nord
    name: "Berater:in Nord (Beispiel)"
    email: "nord@example.invalid"
    covers: ["065", "066"]
    appointmentTypes: [vor-ort, online]
    travelBufferMinutes: 60
    maxPerDay: 3
    hours: { mo: ["08:00-12:00", "13:00-16:00"], di: ["08:00-12:00"], mi: ["08:00-12:00"], do: ["08:00-12:00"], fr: ["08:00-12:00"] }
  - id: sued
    name: "Berater:in Süd (Beispiel)"
    email: "sued@example.invalid"
    covers: ["064"]
    appointmentTypes: [online]
    travelBufferMinutes: 0
    maxPerDay: 8
    hours: { mo: ["09:00-12:00"], di: ["09:00-12:00"], mi: ["09:00-12:00"], do: ["09:00-12:00"], fr: ["09:00-12:00"] }
`;

export const testCalendar = (): BookingCalendarConfig => parseBookingConfig(TEST_CALENDAR_YAML);

export const KOMMUNEN: Record<string, string> = { '06531005': 'Buseck', '06411000': 'Darmstadt', '06633001': 'Ahnatal' };

export const contact: Contact = { name: 'Erika Muster', role: 'IT-Leitung', email: 'erika.muster@gemeinde.example', phone: '0123 456789' };

/** A mutable clock for the service. */
export function clock(iso: string): { now: () => number; set(iso: string): void; advance(ms: number): void } {
  let t = Date.parse(iso);
  return { now: () => t, set: (s) => (t = Date.parse(s)), advance: (ms) => (t += ms) };
}

/**
 * Reference codes 00001, 00002, … so expectations stay readable. Production codes are random
 * (presentation.ts randomReferenceCode); service.test.ts checks those.
 */
export function sequentialCodes(): () => string {
  let n = 0;
  return () => String(++n).padStart(5, '0');
}

export async function makeService(kind: DbKind, opts: Partial<BookingServiceOptions> = {}): Promise<{ db: Db; service: BookingService }> {
  const db = await openTestDb(kind, bookingMigrations);
  const service = new BookingService({
    db,
    calendar: testCalendar(),
    kommune: (ags) => (KOMMUNEN[ags] ? { ags, name: KOMMUNEN[ags] } : undefined),
    outboxChannels: ['teams', 'webhook', 'email'],
    referenceCode: sequentialCodes(),
    ...opts,
  });
  return { db, service };
}

/** Berlin wall clock → ISO UTC, for readable expectations. */
export const utc = (ms: number): string => new Date(ms).toISOString();
