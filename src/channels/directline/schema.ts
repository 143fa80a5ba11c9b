import type { Migration } from '../../storage';

/**
 * Direct Line conversations and their activities. `last_seq` is the conversation's watermark:
 * it is raised with a row-locking UPDATE inside the transaction that inserts the activities, so
 * two instances never hand out one number twice and readers always see a gap-free prefix.
 */
export const directLineMigrations: Migration[] = [
  {
    id: 'directline-001-conversations',
    sql: [
      `CREATE TABLE IF NOT EXISTS directline_conversations (
         id TEXT PRIMARY KEY,
         user_id TEXT NOT NULL,
         created_at BIGINT NOT NULL,
         expires_at BIGINT NOT NULL,
         last_seq BIGINT NOT NULL DEFAULT 0,
         started INTEGER NOT NULL DEFAULT 0
       )`,
      'CREATE INDEX IF NOT EXISTS directline_conversations_expires ON directline_conversations (expires_at)',
      `CREATE TABLE IF NOT EXISTS directline_activities (
         conversation_id TEXT NOT NULL REFERENCES directline_conversations (id) ON DELETE CASCADE,
         seq BIGINT NOT NULL,
         body TEXT NOT NULL,
         PRIMARY KEY (conversation_id, seq)
       )`,
    ],
  },
];
