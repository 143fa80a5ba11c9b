import { randomBytes } from 'node:crypto';
import type { Db, Queryable } from '../storage';
import { type HandoffEvent, statusesAllowing } from './status';
import { type Handoff, type HandoffRequest, type HandoffStatus, LIMITS, type TranscriptEntry, type TranscriptRole } from './types';

interface Row {
  id: string;
  status: HandoffStatus;
  kommune: string | null;
  kommune_ags: string | null;
  topic: string;
  channel: string;
  conversation_id: string;
  user_key: string;
  contact: string | null;
  conversation_ref: string;
  created_ms: number;
  updated_ms: number;
  taken_by: string | null;
  taken_ms: number | null;
  closed_ms: number | null;
  callback_from_ms: number | null;
  card_activity_id: string | null;
  card_conversation_id: string | null;
  message_count: number;
}

const COLUMNS =
  'id, status, kommune, kommune_ags, topic, channel, conversation_id, user_key, contact, conversation_ref, created_ms, updated_ms, taken_by, taken_ms, closed_ms, callback_from_ms, card_activity_id, card_conversation_id, message_count';

function toHandoff(r: Row): Handoff {
  let ref: unknown = null;
  try {
    ref = JSON.parse(r.conversation_ref);
  } catch {
    /* an unreadable reference only means the user cannot be reached */
  }
  return {
    id: r.id,
    status: r.status,
    kommune: r.kommune,
    kommuneAgs: r.kommune_ags,
    topic: r.topic,
    channel: r.channel,
    conversationId: r.conversation_id,
    userKey: r.user_key,
    contact: r.contact,
    conversationRef: ref,
    createdMs: Number(r.created_ms),
    updatedMs: Number(r.updated_ms),
    takenBy: r.taken_by,
    takenMs: r.taken_ms === null ? null : Number(r.taken_ms),
    closedMs: r.closed_ms === null ? null : Number(r.closed_ms),
    callbackFromMs: r.callback_from_ms === null ? null : Number(r.callback_from_ms),
    card: r.card_activity_id && r.card_conversation_id ? { activityId: r.card_activity_id, conversationId: r.card_conversation_id } : null,
    messageCount: Number(r.message_count),
  };
}

/** An opaque id: 96 random bits, URL-safe. */
export function newHandoffId(): string {
  return 'h-' + randomBytes(12).toString('base64url');
}

const cap = (s: string | undefined | null, n: number): string | null => {
  const t = (s ?? '').trim();
  return t ? t.slice(0, n) : null;
};

/** First e-mail-like token of a free-text contact, lower case (for deletion by e-mail); token logic, no regex over the text. */
export function emailIn(text: string | null): string | null {
  if (!text) return null;
  for (const raw of text.split(/\s+/)) {
    const t = raw.replace(/^[<(,;:"']+|[>),;:"'.]+$/g, '').toLowerCase();
    const at = t.indexOf('@');
    if (at > 0 && at < t.length - 3 && t.indexOf('.', at) > at + 1 && t.length <= 254) return t;
  }
  return null;
}

const placeholders = (values: readonly unknown[], offset: number) => values.map((_, i) => `$${i + offset}`).join(', ');

/** The repository of handoff requests and transcripts; every multi-row change runs in one transaction. */
export class HandoffStore {
  constructor(private readonly db: Db) {}

  async create(input: HandoffRequest & { status: 'waiting' | 'callback'; callbackFromMs?: number; nowMs: number }): Promise<Handoff> {
    const id = newHandoffId();
    const lines = input.transcript.slice(-LIMITS.transcriptEntries);
    const contact = cap(input.contact, LIMITS.contact);
    await this.db.transaction(async (tx) => {
      await tx.run(
        `INSERT INTO handoff_requests (${COLUMNS}, contact_email) VALUES (${placeholders(Array.from({ length: 20 }), 1)})`,
        [
          id,
          input.status,
          cap(input.kommune, LIMITS.kommune),
          cap(input.kommuneAgs, 12),
          cap(input.topic, LIMITS.topic) ?? '',
          input.channel.slice(0, 40),
          input.conversationId,
          input.userKey,
          contact,
          JSON.stringify(input.conversationRef ?? null),
          input.nowMs,
          input.nowMs,
          null,
          null,
          null,
          input.callbackFromMs ?? null,
          null,
          null,
          lines.length,
          emailIn(contact),
        ],
      );
      let seq = 0;
      for (const line of lines) {
        const at = Date.parse(line.timestamp);
        await tx.run('INSERT INTO handoff_messages (handoff_id, seq, role, text, agent_name, created_ms) VALUES ($1, $2, $3, $4, $5, $6)', [
          id,
          ++seq,
          line.from,
          line.text.slice(0, LIMITS.text),
          line.agentName ? line.agentName.slice(0, LIMITS.agentName) : null,
          Number.isFinite(at) ? at : input.nowMs,
        ]);
      }
    });
    return (await this.get(id))!;
  }

  async get(id: string, q: Queryable = this.db): Promise<Handoff | undefined> {
    const rows = await q.query<Row>(`SELECT ${COLUMNS} FROM handoff_requests WHERE id = $1`, [id]);
    return rows[0] ? toHandoff(rows[0]) : undefined;
  }

  /** Requests with one of the statuses (all when empty), oldest first. */
  async list(statuses: readonly HandoffStatus[] = [], limit = 200): Promise<Handoff[]> {
    const where = statuses.length ? `WHERE status IN (${placeholders(statuses, 2)})` : '';
    const rows = await this.db.query<Row>(`SELECT ${COLUMNS} FROM handoff_requests ${where} ORDER BY created_ms, id LIMIT $1`, [limit, ...statuses]);
    return rows.map(toHandoff);
  }

  /** The newest request of a conversation that is not closed. */
  async openForConversation(conversationId: string): Promise<Handoff | undefined> {
    const rows = await this.db.query<Row>(
      `SELECT ${COLUMNS} FROM handoff_requests WHERE conversation_id = $1 AND status <> 'closed' ORDER BY created_ms DESC LIMIT 1`,
      [conversationId],
    );
    return rows[0] ? toHandoff(rows[0]) : undefined;
  }

  async byCard(activityId: string): Promise<Handoff | undefined> {
    const rows = await this.db.query<Row>(`SELECT ${COLUMNS} FROM handoff_requests WHERE card_activity_id = $1`, [activityId]);
    return rows[0] ? toHandoff(rows[0]) : undefined;
  }

  async transcript(id: string): Promise<TranscriptEntry[]> {
    const rows = await this.db.query<{ role: TranscriptRole; text: string; agent_name: string | null; created_ms: number }>(
      'SELECT role, text, agent_name, created_ms FROM handoff_messages WHERE handoff_id = $1 ORDER BY seq',
      [id],
    );
    return rows.map((r) => ({
      from: r.role,
      text: r.text,
      timestamp: new Date(Number(r.created_ms)).toISOString(),
      ...(r.agent_name ? { agentName: r.agent_name } : {}),
    }));
  }

  /**
   * Applies `event` if the current status allows it, with extra column changes; returns the
   * updated request, or undefined when the status (or `extraWhere`) did not allow it. The
   * conditional UPDATE is the arbiter: of concurrent callers exactly one wins.
   */
  async transition(
    id: string,
    event: HandoffEvent,
    to: HandoffStatus,
    nowMs: number,
    set: Record<string, string | number | null> = {},
    extraWhere = '',
    line?: { role: TranscriptRole; text: string; agentName?: string },
  ): Promise<Handoff | undefined> {
    const allowed = statusesAllowing(event);
    return this.db.transaction(async (tx) => {
      const cols = Object.keys(set);
      const params: (string | number | null)[] = [id, to, nowMs, ...cols.map((c) => set[c]), ...allowed];
      const assignments = cols.map((c, i) => `, ${c} = $${i + 4}`).join('');
      const r = await tx.run(
        `UPDATE handoff_requests SET status = $2, updated_ms = $3${assignments}
         WHERE id = $1 AND status IN (${placeholders(allowed, 4 + cols.length)})${extraWhere ? ' AND ' + extraWhere : ''}`,
        params,
      );
      if (r.changes !== 1) return undefined;
      if (line) await this.appendIn(tx, id, line, nowMs);
      return this.get(id, tx);
    });
  }

  /** Adds a transcript line unless the request is closed; false when it is closed or gone. */
  async append(id: string, line: { role: TranscriptRole; text: string; agentName?: string }, nowMs: number, onlyIn: readonly HandoffStatus[]): Promise<Handoff | undefined> {
    return this.db.transaction(async (tx) => {
      const ok = await tx.query<{ status: string }>(`SELECT status FROM handoff_requests WHERE id = $1 AND status IN (${placeholders(onlyIn, 2)})`, [id, ...onlyIn]);
      if (!ok.length) return undefined;
      await this.appendIn(tx, id, line, nowMs);
      return this.get(id, tx);
    });
  }

  private async appendIn(tx: Queryable, id: string, line: { role: TranscriptRole; text: string; agentName?: string }, nowMs: number): Promise<void> {
    const [{ message_count: seq }] = await tx.query<{ message_count: number }>(
      'UPDATE handoff_requests SET message_count = message_count + 1, updated_ms = $2 WHERE id = $1 RETURNING message_count',
      [id, nowMs],
    );
    await tx.run('INSERT INTO handoff_messages (handoff_id, seq, role, text, agent_name, created_ms) VALUES ($1, $2, $3, $4, $5, $6)', [
      id,
      Number(seq),
      line.role,
      line.text.slice(0, LIMITS.text),
      line.agentName ? line.agentName.slice(0, LIMITS.agentName) : null,
      nowMs,
    ]);
  }

  async setCard(id: string, card: { activityId: string; conversationId: string }): Promise<void> {
    await this.db.run('UPDATE handoff_requests SET card_activity_id = $2, card_conversation_id = $3 WHERE id = $1', [id, card.activityId, card.conversationId]);
  }

  /** Waiting requests created before `beforeMs` (candidates for the callback timeout). */
  async waitingSince(beforeMs: number): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>("SELECT id FROM handoff_requests WHERE status = 'waiting' AND created_ms < $1", [beforeMs]);
    return rows.map((r) => r.id);
  }

  /** Deletes requests with their transcripts; returns how many requests went. */
  private async deleteWhere(where: string, params: (string | number)[]): Promise<number> {
    return this.db.transaction(async (tx) => {
      const ids = (await tx.query<{ id: string }>(`SELECT id FROM handoff_requests WHERE ${where}`, params)).map((r) => r.id);
      for (const id of ids) {
        await tx.run('DELETE FROM handoff_messages WHERE handoff_id = $1', [id]);
        await tx.run('DELETE FROM handoff_requests WHERE id = $1', [id]);
      }
      return ids.length;
    });
  }

  /** Deletes every request of these users, conversations or contact e-mails; returns what was deleted. */
  async deleteFor(s: { userIds: readonly string[]; conversationIds: readonly string[]; emails: readonly string[] }): Promise<Handoff[]> {
    const users = s.userIds.slice(0, 20);
    const convs = s.conversationIds.slice(0, 100);
    const emails = s.emails.slice(0, 20).map((e) => e.toLowerCase());
    const parts: string[] = [];
    const params: string[] = [];
    const add = (col: string, values: string[]) => {
      if (!values.length) return;
      parts.push(`${col} IN (${placeholders(values, params.length + 1)})`);
      params.push(...values);
    };
    add('user_key', users);
    add('conversation_id', convs);
    add('contact_email', emails);
    if (!parts.length) return [];
    const where = parts.join(' OR ');
    const rows = await this.db.query<Row>(`SELECT ${COLUMNS} FROM handoff_requests WHERE ${where}`, params);
    await this.deleteWhere(where, params);
    return rows.map(toHandoff);
  }

  /** Contact e-mails and conversations of these users' requests (to find the same person in other stores). */
  async identify(userIds: readonly string[]): Promise<{ emails: string[]; conversationIds: string[] }> {
    const users = userIds.slice(0, 20);
    if (!users.length) return { emails: [], conversationIds: [] };
    const rows = await this.db.query<{ contact_email: string | null; conversation_id: string }>(
      `SELECT contact_email, conversation_id FROM handoff_requests WHERE user_key IN (${placeholders(users, 1)})`,
      users,
    );
    return { emails: rows.flatMap((r) => (r.contact_email ? [r.contact_email] : [])), conversationIds: rows.map((r) => r.conversation_id) };
  }

  deleteByUser(userKey: string): Promise<number> {
    return this.deleteWhere('user_key = $1', [userKey]);
  }

  deleteByConversation(conversationId: string): Promise<number> {
    return this.deleteWhere('conversation_id = $1', [conversationId]);
  }

  deleteByEmail(email: string): Promise<number> {
    return this.deleteWhere('contact_email = $1', [email.trim().toLowerCase()]);
  }

  /** Retention: requests without any change since `beforeMs`. */
  deleteUntouchedSince(beforeMs: number): Promise<number> {
    return this.deleteWhere('updated_ms < $1', [beforeMs]);
  }

  /** Row counts, for tests and readiness checks. */
  async counts(): Promise<{ requests: number; messages: number }> {
    const [a] = await this.db.query<{ c: number }>('SELECT COUNT(*) AS c FROM handoff_requests');
    const [b] = await this.db.query<{ c: number }>('SELECT COUNT(*) AS c FROM handoff_messages');
    return { requests: Number(a.c), messages: Number(b.c) };
  }
}
