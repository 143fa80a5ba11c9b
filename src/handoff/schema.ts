import type { Migration } from '../storage';

/**
 * Handoff requests and their transcripts. `message_count` is the transcript's sequence: it is
 * raised with a row-locking UPDATE … RETURNING inside the transaction that inserts the line, so
 * two instances never give two lines one number. Ownership ("Übernehmen") is a conditional
 * UPDATE on `status`/`taken_by`: of two concurrent presses exactly one changes the row.
 */
export const handoffMigrations: Migration[] = [
  {
    id: 'handoff-001-requests',
    sql: [
      `CREATE TABLE handoff_requests (
        id TEXT PRIMARY KEY,
        status TEXT NOT NULL,
        kommune TEXT,
        kommune_ags TEXT,
        topic TEXT NOT NULL,
        channel TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        user_key TEXT NOT NULL,
        contact TEXT,
        contact_email TEXT,
        conversation_ref TEXT NOT NULL,
        created_ms BIGINT NOT NULL,
        updated_ms BIGINT NOT NULL,
        taken_by TEXT,
        taken_ms BIGINT,
        closed_ms BIGINT,
        callback_from_ms BIGINT,
        card_activity_id TEXT,
        card_conversation_id TEXT,
        message_count INTEGER NOT NULL
      )`,
      `CREATE INDEX handoff_by_status ON handoff_requests (status, created_ms)`,
      `CREATE INDEX handoff_by_conversation ON handoff_requests (conversation_id)`,
      `CREATE INDEX handoff_by_user ON handoff_requests (user_key)`,
      `CREATE INDEX handoff_by_card ON handoff_requests (card_activity_id)`,
      `CREATE TABLE handoff_messages (
        handoff_id TEXT NOT NULL REFERENCES handoff_requests (id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        role TEXT NOT NULL,
        text TEXT NOT NULL,
        agent_name TEXT,
        created_ms BIGINT NOT NULL,
        PRIMARY KEY (handoff_id, seq)
      )`,
    ],
  },
];
