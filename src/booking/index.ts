import path from 'node:path';
import type { Config } from '../config';
import { projectRoot } from '../paths';
import type { Db } from '../storage';
import { type BookingAvailability, bookingAvailability } from './availability';
import { type AppointmentType, type BookingCalendarConfig, loadBookingConfig } from './calendar';
import { createEmailDeliverer, createTeamsDeliverer, createWebhookDeliverer, type Deliverer } from './delivery';
import { BookingService, type KommuneRef } from './service';
import type { OutboxChannel } from './types';
import type { PersonalDataStore } from '../privacy';
import { bookingContactsStore, bookingMailFilesStore, bookingOutboxStore } from './personal-data';
import { type BookingWorkers, startBookingWorkers, type WorkerLog } from './workers';

export * from './types';
export * from './contact';
export { bookingMigrations } from './schema';
export { BookingService, formatReference, HOLD_LIMITS, LOOKUP_LIMITS, normaliseReference, REFERENCE_PATTERN, toBookingEntity, type KommuneRef, type SearchRequest, type Hold } from './service';
export { loadBookingConfig, parseBookingConfig, formatBerlin, formatBerlinDay, formatBerlinTime, berlinDay, type BookingCalendarConfig, type AppointmentType, type Advisor } from './calendar';
export { buildIcs } from './ics';
export { eventIcs, signWebhook, staffCard, SIGNATURE_HEADER, TIMESTAMP_HEADER, EVENT_ID_HEADER, type Deliverer } from './delivery';
export { startBookingWorkers, OutboxWorker, type BookingWorkers } from './workers';
export { bookingIcs } from './invite';
export { bookingContactsStore, bookingMailFilesStore, bookingOutboxStore } from './personal-data';
export { bookingAvailability, placeholderFindings, type BookingAvailability } from './availability';

export type BookingConfigSubset = Pick<
  Config,
  'BOOKING_WEBHOOK_URL' | 'BOOKING_WEBHOOK_SECRET' | 'SMTP_URL' | 'SMTP_FROM' | 'OUTBOX_DIR' | 'CONTACT_RETENTION_DAYS' | 'BOOKING_OUTBOX_LEASE_SEC' | 'BOOKING_RETRY_BASE_SEC'
> & Partial<Pick<Config, 'NODE_ENV'>>;

export interface BookingModuleDeps {
  db: Db;
  config: BookingConfigSubset;
  kommune: (ags: string) => KommuneRef | undefined;
  /** "Who may book": e.g. the eligibility engine's verdict for the type's programme. */
  isEligible?: (ags: string, type: AppointmentType) => boolean | Promise<boolean>;
  /** The bot's proactive post to the KDLZ staff channel (throws when none is registered). */
  notifyStaffChannel?: (card: object) => Promise<void>;
  calendar?: BookingCalendarConfig;
  now?: () => number;
}

export interface BookingModule {
  service: BookingService;
  /** The module's personal-data stores, in deletion order (contacts first: they name references and e-mails). */
  personalData: PersonalDataStore[];
  /** Off in production while booking.yaml is the example; the dialog and /readyz read it. */
  availability: BookingAvailability;
  deliverers: Partial<Record<OutboxChannel, Deliverer>>;
  /** Starts outbox delivery and reminders on this instance (retention: the personal-data registry). */
  startWorkers(log?: WorkerLog): BookingWorkers;
}

/**
 * Builds the booking service and its deliverers from configuration. Channels: Teams when a
 * staff-channel function is given, the webhook when BOOKING_WEBHOOK_URL is set, e-mail always
 * (SMTP when SMTP_URL is set, .eml files under OUTBOX_DIR otherwise).
 */
export function createBookingModule(deps: BookingModuleDeps): BookingModule {
  const calendar = deps.calendar ?? loadBookingConfig();
  const c = deps.config;
  const organizer = { name: calendar.organizer.name, email: fromAddress(c.SMTP_FROM) ?? calendar.organizer.email };
  const deliverers: Partial<Record<OutboxChannel, Deliverer>> = {};
  if (deps.notifyStaffChannel) deliverers.teams = createTeamsDeliverer(deps.notifyStaffChannel);
  if (c.BOOKING_WEBHOOK_URL && c.BOOKING_WEBHOOK_SECRET) deliverers.webhook = createWebhookDeliverer({ url: c.BOOKING_WEBHOOK_URL, secret: c.BOOKING_WEBHOOK_SECRET });
  const outboxDir = path.resolve(projectRoot(), c.OUTBOX_DIR);
  deliverers.email = createEmailDeliverer({
    smtpUrl: c.SMTP_URL,
    from: c.SMTP_FROM ?? `${organizer.name} <${organizer.email}>`,
    organizer,
    outboxDir,
  });
  let workers: BookingWorkers | undefined;
  const service = new BookingService({
    db: deps.db,
    calendar,
    now: deps.now,
    kommune: deps.kommune,
    isEligible: deps.isEligible,
    outboxChannels: Object.keys(deliverers) as OutboxChannel[],
    organizerEmail: organizer.email,
    onOutbox: () => workers?.outbox.kick(),
  });
  return {
    service,
    personalData: [
      bookingContactsStore({ service, retentionDays: c.CONTACT_RETENTION_DAYS }),
      bookingOutboxStore({ service, retentionDays: c.CONTACT_RETENTION_DAYS }),
      bookingMailFilesStore({ dir: outboxDir, retentionDays: c.CONTACT_RETENTION_DAYS, now: deps.now }),
    ],
    availability: bookingAvailability(calendar, { production: c.NODE_ENV === 'production', smtpFrom: c.SMTP_FROM }),
    deliverers,
    startWorkers(log) {
      workers = startBookingWorkers({
        db: deps.db,
        service,
        deliverers,
        leaseMs: c.BOOKING_OUTBOX_LEASE_SEC * 1000,
        baseBackoffMs: c.BOOKING_RETRY_BASE_SEC * 1000,
        pollMs: Math.min(2000, c.BOOKING_RETRY_BASE_SEC * 1000),
        log,
        now: deps.now,
      });
      return workers;
    },
  };
}

/** "KDLZ <termine@x.de>" or "termine@x.de" → the address. */
function fromAddress(from: string | undefined): string | undefined {
  if (!from) return undefined;
  const m = /<([^>]+)>/.exec(from);
  return (m ? m[1] : from).trim() || undefined;
}
