import { randomUUID } from 'node:crypto';
import type { PersonalDataStore } from '../privacy';
import type { Db, Migration } from '../storage/db';

/**
 * Two tables for the people who maintain the knowledge base: questions the bot declined and
 * the 👍/👎 feedback on answers. Question text lives only here, never in application logs.
 */
export const knowledgeMigrations: Migration[] = [
  {
    id: 'knowledge-001-unanswered-and-feedback',
    sql: [
      `CREATE TABLE knowledge_unanswered (
        id TEXT PRIMARY KEY,
        asked_at TEXT NOT NULL,
        question TEXT NOT NULL,
        reason TEXT NOT NULL,
        score DOUBLE PRECISION NOT NULL,
        coverage DOUBLE PRECISION NOT NULL
      )`,
      `CREATE INDEX knowledge_unanswered_asked_at ON knowledge_unanswered (asked_at)`,
      `CREATE TABLE knowledge_feedback (
        id TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        question TEXT NOT NULL,
        helpful INTEGER NOT NULL,
        answer_kind TEXT NOT NULL,
        conversation_id TEXT
      )`,
      `CREATE INDEX knowledge_feedback_created_at ON knowledge_feedback (created_at)`,
    ],
  },
];

/** Why a question was not answered; shown in the maintainers' report. */
export type DeclineReason = 'no-match' | 'injection' | 'empty' | 'model-declined' | 'clarified';

export interface UnansweredEntry {
  at: string;
  question: string;
  kind: 'declined' | 'down-voted';
  detail: string;
}

/** Longest question text kept; longer input is cut, it is only for reading. */
const MAX_QUESTION = 2000;

export class KnowledgeStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async recordDeclined(question: string, reason: DeclineReason, score: number, coverage: number): Promise<void> {
    await this.db.run(
      'INSERT INTO knowledge_unanswered (id, asked_at, question, reason, score, coverage) VALUES ($1, $2, $3, $4, $5, $6)',
      [randomUUID(), this.now().toISOString(), question.slice(0, MAX_QUESTION), reason, score, coverage],
    );
  }

  async recordFeedback(f: { question: string; helpful: boolean; answerKind: 'answer' | 'decline'; conversationId?: string }): Promise<void> {
    await this.db.run(
      'INSERT INTO knowledge_feedback (id, created_at, question, helpful, answer_kind, conversation_id) VALUES ($1, $2, $3, $4, $5, $6)',
      [randomUUID(), this.now().toISOString(), f.question.slice(0, MAX_QUESTION), f.helpful ? 1 : 0, f.answerKind, f.conversationId ?? null],
    );
  }

  /** Declined and down-voted questions, newest first: the maintainers' to-do list. */
  async unanswered(limit = 500): Promise<UnansweredEntry[]> {
    const declined = await this.db.query<{ asked_at: string; question: string; reason: string }>(
      'SELECT asked_at, question, reason FROM knowledge_unanswered ORDER BY asked_at DESC LIMIT $1',
      [limit],
    );
    const down = await this.db.query<{ created_at: string; question: string; answer_kind: string }>(
      'SELECT created_at, question, answer_kind FROM knowledge_feedback WHERE helpful = 0 ORDER BY created_at DESC LIMIT $1',
      [limit],
    );
    const entries: UnansweredEntry[] = [
      ...declined.map((r) => ({ at: r.asked_at, question: r.question, kind: 'declined' as const, detail: r.reason })),
      ...down.map((r) => ({ at: r.created_at, question: r.question, kind: 'down-voted' as const, detail: r.answer_kind })),
    ];
    return entries.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)).slice(0, limit);
  }

  /**
   * "Meine Daten löschen": feedback given in these conversations, and every kept question that
   * contains one of these e-mail addresses (people type them into questions). Returns rows removed.
   */
  async deleteFor(subject: { conversationIds: readonly string[]; emails: readonly string[] }): Promise<number> {
    let n = 0;
    for (const id of subject.conversationIds.slice(0, 100)) {
      n += (await this.db.run('DELETE FROM knowledge_feedback WHERE conversation_id = $1', [id])).changes;
    }
    for (const email of subject.emails.slice(0, 100)) {
      const pattern = '%' + email.toLowerCase().replace(/[\\%_]/g, (c) => '\\' + c) + '%';
      n += (await this.db.run("DELETE FROM knowledge_unanswered WHERE LOWER(question) LIKE $1 ESCAPE '\\'", [pattern])).changes;
      n += (await this.db.run("DELETE FROM knowledge_feedback WHERE LOWER(question) LIKE $1 ESCAPE '\\'", [pattern])).changes;
    }
    return n;
  }

  /** Retention: declined questions and feedback recorded before `cutoff`. */
  async deleteOlderThan(cutoff: Date): Promise<number> {
    const iso = cutoff.toISOString();
    const a = await this.db.run('DELETE FROM knowledge_unanswered WHERE asked_at < $1', [iso]);
    const b = await this.db.run('DELETE FROM knowledge_feedback WHERE created_at < $1', [iso]);
    return a.changes + b.changes;
  }
}

/**
 * Declined questions and answer feedback as a personal-data store: question text may name
 * people or carry an address, so it is kept only KNOWLEDGE_LOG_RETENTION_DAYS.
 */
export function knowledgeLogStore(db: Db, retentionDays: number): PersonalDataStore {
  const store = new KnowledgeStore(db);
  return {
    id: 'knowledge.questions',
    holds: 'Fragetexte unbeantworteter Fragen (knowledge_unanswered) und bewerteter Antworten (knowledge_feedback, mit Gesprächskennung)',
    retention: { ms: retentionDays * 86_400_000, variable: 'KNOWLEDGE_LOG_RETENTION_DAYS', countsFrom: 'nach dem Stellen der Frage' },
    deleteFor: (s) => store.deleteFor(s),
    deleteExpired: (nowMs) => store.deleteOlderThan(new Date(nowMs - retentionDays * 86_400_000)),
  };
}
