import { type Migration, rateCounterMigrations } from '../storage';

/**
 * Bookings, their history, per-year reference counters, the outbox and job leases.
 * Times are UTC epoch milliseconds (BIGINT). The partial unique index makes two active bookings
 * (held or confirmed) of one advisor at one start impossible in both backends; expired holds
 * are turned into 'expired' inside the booking transaction before a new one is taken.
 */
export const bookingMigrations: Migration[] = [
  // Hold limits and the lock-out of "Meine Termine" count in the shared rate counters.
  ...rateCounterMigrations,
  {
    id: 'booking-001-tables',
    sql: [
      `CREATE TABLE booking_bookings (
        id TEXT PRIMARY KEY,
        reference TEXT UNIQUE,
        status TEXT NOT NULL,
        advisor_id TEXT NOT NULL,
        appointment_type TEXT NOT NULL,
        ags TEXT NOT NULL,
        municipality_name TEXT NOT NULL,
        start_ms BIGINT NOT NULL,
        end_ms BIGINT NOT NULL,
        on_site INTEGER NOT NULL,
        hold_token TEXT UNIQUE,
        hold_expires_ms BIGINT,
        idempotency_key TEXT UNIQUE,
        contact_name TEXT,
        contact_role TEXT,
        contact_email TEXT,
        contact_phone TEXT,
        channel_id TEXT,
        channel_user_id TEXT,
        version INTEGER NOT NULL,
        reminder_ms BIGINT,
        anonymised_ms BIGINT,
        created_ms BIGINT NOT NULL,
        updated_ms BIGINT NOT NULL
      )`,
      `CREATE UNIQUE INDEX booking_active_slot ON booking_bookings (advisor_id, start_ms) WHERE status IN ('held', 'confirmed')`,
      `CREATE INDEX booking_by_advisor_time ON booking_bookings (advisor_id, start_ms)`,
      `CREATE INDEX booking_by_start ON booking_bookings (start_ms)`,
      `CREATE INDEX booking_by_user ON booking_bookings (channel_user_id)`,
      `CREATE TABLE booking_history (
        booking_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        at_ms BIGINT NOT NULL,
        action TEXT NOT NULL,
        detail TEXT NOT NULL,
        PRIMARY KEY (booking_id, seq)
      )`,
      `CREATE TABLE booking_sequences (year INTEGER PRIMARY KEY, last_value INTEGER NOT NULL)`,
      `CREATE TABLE booking_outbox (
        event_id TEXT NOT NULL,
        channel TEXT NOT NULL,
        booking_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        payload TEXT NOT NULL,
        created_ms BIGINT NOT NULL,
        attempts INTEGER NOT NULL,
        next_attempt_ms BIGINT NOT NULL,
        lease_owner TEXT,
        lease_until_ms BIGINT,
        delivered_ms BIGINT,
        last_error TEXT,
        PRIMARY KEY (event_id, channel)
      )`,
      `CREATE INDEX booking_outbox_due ON booking_outbox (delivered_ms, next_attempt_ms)`,
      `CREATE TABLE booking_job_leases (name TEXT PRIMARY KEY, owner TEXT NOT NULL, until_ms BIGINT NOT NULL)`,
    ],
  },
  {
    // Holds belong to a user and a conversation (one live hold per pair); outbox rows that ran out
    // of attempts are marked abandoned for the staff to see and retry.
    id: 'booking-002-hold-owner-and-abandoned-outbox',
    sql: [
      `ALTER TABLE booking_bookings ADD COLUMN channel_conversation_id TEXT`,
      `CREATE INDEX booking_held_by_owner ON booking_bookings (channel_user_id, channel_conversation_id) WHERE status = 'held'`,
      `ALTER TABLE booking_outbox ADD COLUMN abandoned_ms BIGINT`,
    ],
  },
];
