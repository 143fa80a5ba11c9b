import { randomBytes } from 'node:crypto';
import type { Activity } from 'botbuilder';
import type { Db } from '../../storage';

/** Prefix of the conversation ids this server hands out (tells our references from Azure's). */
export const CONVERSATION_ID_PREFIX = 'kdlz-dl-';

export interface Conversation {
  id: string;
  /** The user this conversation (and every token for it) is bound to. */
  userId: string;
  createdAt: number;
  expiresAt: number;
  /** Watermark of the newest stored activity (0: none yet). */
  lastSeq: number;
  /** Whether the opening conversationUpdate has been sent to the bot. */
  started: boolean;
}

export interface StoredActivity {
  seq: number;
  activity: Partial<Activity>;
}

/** A stored activity as its JSON text (what pages and streams send). */
export interface StoredJson {
  seq: number;
  json: string;
}

export class ConversationNotFound extends Error {
  constructor() {
    super('conversation not found or expired');
    this.name = 'ConversationNotFound';
  }
}

/** A conversation has reached its activity limit; the user starts a new one. */
export class ConversationFull extends Error {
  constructor() {
    super('conversation has reached its activity limit');
    this.name = 'ConversationFull';
  }
}

interface Row {
  id: string;
  user_id: string;
  created_at: number;
  expires_at: number;
  last_seq: number;
  started: number;
}

const toConversation = (r: Row): Conversation => ({
  id: r.id,
  userId: r.user_id,
  createdAt: Number(r.created_at),
  expiresAt: Number(r.expires_at),
  lastSeq: Number(r.last_seq),
  started: Number(r.started) === 1,
});

/** Activity ids in the Direct Line form `<conversation>|<watermark>` (zero-padded so they sort). */
export const activityId = (conversationId: string, seq: number): string => `${conversationId}|${String(seq).padStart(7, '0')}`;

export const newUserId = (): string => 'dl_' + randomBytes(12).toString('base64url');

/**
 * Conversations and activities in the shared database, so any instance can serve any
 * conversation and a restart loses nothing. A conversation lives `ttlMs` after its last
 * activity; expired ones read as absent and are removed by `deleteExpired`.
 */
export class DirectLineStore {
  constructor(
    private readonly db: Db,
    private readonly opts: { ttlMs: number; maxActivities: number; now: () => number },
  ) {}

  async create(userId: string): Promise<Conversation> {
    const now = this.opts.now();
    const id = CONVERSATION_ID_PREFIX + randomBytes(18).toString('base64url');
    await this.db.run(
      'INSERT INTO directline_conversations (id, user_id, created_at, expires_at, last_seq, started) VALUES ($1, $2, $3, $4, 0, 0)',
      [id, userId, now, now + this.opts.ttlMs],
    );
    return { id, userId, createdAt: now, expiresAt: now + this.opts.ttlMs, lastSeq: 0, started: false };
  }

  /** The conversation, or undefined when it never existed or has expired. */
  async get(id: string): Promise<Conversation | undefined> {
    const rows = await this.db.query<Row>(
      'SELECT id, user_id, created_at, expires_at, last_seq, started FROM directline_conversations WHERE id = $1 AND expires_at > $2',
      [id, this.opts.now()],
    );
    return rows[0] ? toConversation(rows[0]) : undefined;
  }

  /** True for exactly one caller: the one that should send the opening conversationUpdate. */
  async markStarted(id: string): Promise<boolean> {
    const r = await this.db.run('UPDATE directline_conversations SET started = 1 WHERE id = $1 AND started = 0', [id]);
    return r.changes === 1;
  }

  /**
   * Stores activities under the next watermarks, atomically. `build` gets each new watermark
   * and returns the activity to store. Also extends the conversation's lifetime.
   */
  async append(conversationId: string, activities: Partial<Activity>[], build: (a: Partial<Activity>, seq: number) => Partial<Activity>): Promise<StoredActivity[]> {
    const n = activities.length;
    if (n === 0) return [];
    const now = this.opts.now();
    return this.db.transaction(async (tx) => {
      // The row lock taken here orders concurrent writers of one conversation: commits happen
      // in watermark order, so a reader can never see 7 before 6 has become visible.
      const rows = await tx.query<{ last_seq: number }>(
        `UPDATE directline_conversations SET last_seq = last_seq + $2, expires_at = $3
         WHERE id = $1 AND expires_at > $4 AND last_seq + $2 <= $5 RETURNING last_seq`,
        [conversationId, n, now + this.opts.ttlMs, now, this.opts.maxActivities],
      );
      if (!rows[0]) {
        const exists = await tx.query('SELECT 1 AS x FROM directline_conversations WHERE id = $1 AND expires_at > $2', [conversationId, now]);
        throw exists.length ? new ConversationFull() : new ConversationNotFound();
      }
      const first = Number(rows[0].last_seq) - n + 1;
      const stored: StoredActivity[] = [];
      for (let i = 0; i < n; i++) {
        const seq = first + i;
        const activity = build(activities[i], seq);
        await tx.run('INSERT INTO directline_activities (conversation_id, seq, body) VALUES ($1, $2, $3)', [
          conversationId,
          seq,
          JSON.stringify(activity),
        ]);
        stored.push({ seq, activity });
      }
      return stored;
    });
  }

  /**
   * Activities after the watermark as stored JSON text, oldest first: at most `limit`, and no
   * more than `maxBytes` (at least one, whatever its size). The sizes are read first
   * (octet_length comes from the row header without loading the text), then only the bodies of
   * the page, so a long history of large activities is never held in memory. Callers send the
   * text as it is, without parsing it. `more`: the page stopped at a limit.
   */
  async pageAfter(conversationId: string, watermark: number, limit: number, maxBytes = Number.MAX_SAFE_INTEGER): Promise<{ rows: StoredJson[]; more: boolean }> {
    const sizes = await this.db.query<{ seq: number; n: number }>(
      'SELECT seq, octet_length(body) AS n FROM directline_activities WHERE conversation_id = $1 AND seq > $2 ORDER BY seq LIMIT $3',
      [conversationId, watermark, limit],
    );
    let bytes = 0;
    let take = 0;
    while (take < sizes.length && (take === 0 || bytes + Number(sizes[take].n) <= maxBytes)) bytes += Number(sizes[take++].n);
    const more = take < sizes.length || sizes.length === limit;
    if (take === 0) return { rows: [], more };
    const rows = await this.db.query<{ seq: number; body: string }>(
      'SELECT seq, body FROM directline_activities WHERE conversation_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq',
      [conversationId, watermark, Number(sizes[take - 1].seq)],
    );
    return { rows: rows.map((r) => ({ seq: Number(r.seq), json: r.body })), more };
  }

  /** Removes expired conversations (their activities go with them); returns how many. */
  async deleteExpired(batch = 500, nowMs = this.opts.now()): Promise<number> {
    let total = 0;
    for (;;) {
      const r = await this.db.run(
        `DELETE FROM directline_conversations WHERE id IN
           (SELECT id FROM directline_conversations WHERE expires_at <= $1 LIMIT $2)`,
        [nowMs, batch],
      );
      total += r.changes;
      if (r.changes < batch) return total;
    }
  }

  /** What the user wrote in a conversation (texts and card values), oldest first, at most `limit` activities. */
  async userInputs(conversationId: string, limit = 2000): Promise<string[]> {
    const rows = await this.db.query<{ body: string }>('SELECT body FROM directline_activities WHERE conversation_id = $1 ORDER BY seq LIMIT $2', [conversationId, limit]);
    const out: string[] = [];
    for (const r of rows) {
      const a = JSON.parse(r.body) as Partial<Activity>;
      if (a.from?.role !== 'user') continue;
      if (typeof a.text === 'string') out.push(a.text);
      if (a.value !== undefined) out.push(JSON.stringify(a.value));
    }
    return out;
  }

  /**
   * "Meine Daten löschen": the stored transcript of a conversation. The conversation itself
   * stays open (the reply that confirms the deletion is stored after it). Returns activities removed.
   */
  async deleteTranscript(conversationId: string): Promise<number> {
    return (await this.db.run('DELETE FROM directline_activities WHERE conversation_id = $1', [conversationId])).changes;
  }
}
