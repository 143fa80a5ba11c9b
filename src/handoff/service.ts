import type { ServiceHours } from './hours';
import { isLive } from './status';
import type { HandoffStore } from './store';
import {
  type Handoff,
  type HandoffChange,
  HandoffNotFound,
  type HandoffNotifier,
  type HandoffRequest,
  HandoffStateError,
  type HandoffStatus,
  LIMITS,
  type TranscriptEntry,
} from './types';

/** Just enough of a logger (pino fits) so the domain does not depend on the app's logger. */
export interface HandoffLog {
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface HandoffServiceOptions {
  store: HandoffStore;
  hours: ServiceHours;
  /** A live request nobody takes within this time becomes a callback request. */
  waitTimeoutMs: number;
  /** Requests untouched for this long are deleted with their transcripts. */
  retentionMs: number;
  now?: () => number;
  log?: HandoffLog;
}

/** The result of "Übernehmen": the winner gets the request, everyone else learns who has it. */
export type TakeResult = { ok: true; handoff: Handoff } | { ok: false; handoff: Handoff };

const staffName = (s: string | undefined): string => (s ?? '').replace(/\s+/g, ' ').trim().slice(0, LIMITS.agentName);

/**
 * What the bot and the staff API do with handoffs. Data first, then the notifier: a change is
 * stored before anyone is told, so a failed delivery never loses it (staff see it in the API).
 */
export class HandoffService {
  readonly store: HandoffStore;
  readonly hours: ServiceHours;
  private notifier: HandoffNotifier | undefined;
  private readonly now: () => number;

  constructor(private readonly opts: HandoffServiceOptions) {
    this.store = opts.store;
    this.hours = opts.hours;
    this.now = opts.now ?? Date.now;
  }

  /** The bot layer registers how changes reach users and staff (it is built after the domain). */
  setNotifier(notifier: HandoffNotifier): void {
    this.notifier = notifier;
  }

  clock(): number {
    return this.now();
  }

  /** Would a request made now be live (true) or a callback request (false)? */
  isLiveNow(): boolean {
    return this.hours.isOpen(this.now());
  }

  /** Stores the request (live within service hours, callback outside), then tells the team. */
  async request(req: HandoffRequest): Promise<Handoff> {
    const now = this.now();
    const live = this.hours.isOpen(now);
    const h = await this.store.create({
      status: live ? 'waiting' : 'callback',
      conversationId: req.conversationId,
      channel: req.channel,
      userKey: req.userKey,
      conversationRef: req.conversationRef,
      kommune: req.kommune,
      kommuneAgs: req.kommuneAgs,
      topic: req.topic,
      contact: req.contact,
      callbackFromMs: live ? undefined : this.hours.nextOpening(now),
      transcript: req.transcript,
      nowMs: now,
    });
    await this.tell(h, { kind: 'created' });
    return h;
  }

  async get(id: string): Promise<Handoff | undefined> {
    return this.store.get(id);
  }

  async require(id: string): Promise<Handoff> {
    const h = await this.store.get(id);
    if (!h) throw new HandoffNotFound(id);
    return h;
  }

  list(statuses: readonly HandoffStatus[] = []): Promise<Handoff[]> {
    return this.store.list(statuses);
  }

  transcript(id: string): Promise<TranscriptEntry[]> {
    return this.store.transcript(id);
  }

  openForConversation(conversationId: string): Promise<Handoff | undefined> {
    return this.store.openForConversation(conversationId);
  }

  byCard(activityId: string): Promise<Handoff | undefined> {
    return this.store.byCard(activityId);
  }

  /** "Übernehmen": exactly one of any number of concurrent callers becomes the owner. */
  async take(id: string, agentName: string): Promise<TakeResult> {
    const name = staffName(agentName) || 'KDLZ-Team';
    const now = this.now();
    const current = await this.require(id);
    const to = current.status === 'callback' ? 'callback' : 'active';
    // Pinned to the status just read: a request that timed out meanwhile must not turn active.
    const pin = current.status === 'callback' ? "status = 'callback'" : "status = 'waiting'";
    const won = await this.store.transition(id, 'take', to, now, { taken_by: name, taken_ms: now }, `taken_by IS NULL AND ${pin}`);
    if (!won) return { ok: false, handoff: await this.require(id) };
    await this.tell(won, { kind: 'taken', by: name });
    return { ok: true, handoff: won };
  }

  /**
   * A staff message for the user. On a waiting request the writer takes it first. Returns
   * whether the user's conversation was reached.
   */
  async staffMessage(id: string, agentName: string, text: string): Promise<{ handoff: Handoff; delivered: boolean }> {
    const name = staffName(agentName) || 'KDLZ-Team';
    const body = text.trim().slice(0, LIMITS.text);
    let h = await this.require(id);
    if (h.status === 'waiting') h = (await this.take(id, name)).handoff;
    if (h.status !== 'active') throw new HandoffStateError(h, h.status === 'closed' ? 'Die Anfrage ist geschlossen.' : 'Rückrufanfrage: Die Person ist nicht mehr im Chat verbunden, bitte zurückrufen.');
    const after = await this.store.append(id, { role: 'staff', text: body, agentName: name }, this.now(), ['active']);
    if (!after) throw new HandoffStateError(await this.require(id), 'Die Anfrage wurde inzwischen geschlossen.');
    const delivered = await this.tell(after, { kind: 'staffMessage', text: body, agentName: name });
    return { handoff: after, delivered };
  }

  /** A message the user wrote while the request is live; undefined when it is no longer live. */
  async userMessage(id: string, text: string): Promise<Handoff | undefined> {
    const after = await this.store.append(id, { role: 'user', text }, this.now(), ['waiting', 'active']);
    if (after) await this.tell(after, { kind: 'userMessage', text });
    return after;
  }

  /** Closes from the staff side (with an optional closing note for the user). */
  async close(id: string, agentName?: string, note?: string): Promise<Handoff> {
    const name = staffName(agentName) || undefined;
    const text = note?.trim().slice(0, LIMITS.text) || undefined;
    const now = this.now();
    const h = await this.store.transition(id, 'close', 'closed', now, { closed_ms: now }, '', text ? { role: 'staff', text, agentName: name } : undefined);
    if (!h) {
      const current = await this.require(id);
      throw new HandoffStateError(current, 'Die Anfrage ist bereits geschlossen.');
    }
    await this.tell(h, { kind: 'closed', by: 'staff', agentName: name, note: text });
    return h;
  }

  /** "zurück zum Bot": the user leaves a live request; undefined when it was not live any more. */
  async leave(id: string): Promise<Handoff | undefined> {
    const now = this.now();
    const h = await this.store.transition(id, 'leave', 'closed', now, { closed_ms: now });
    if (h) await this.tell(h, { kind: 'closed', by: 'user' });
    return h;
  }

  /** "Rückruf erledigt". */
  async callbackDone(id: string, agentName: string): Promise<Handoff> {
    const name = staffName(agentName) || 'KDLZ-Team';
    const now = this.now();
    const h = await this.store.transition(id, 'callbackDone', 'closed', now, { closed_ms: now, taken_by: name });
    if (!h) throw new HandoffStateError(await this.require(id), 'Nur eine offene Rückrufanfrage kann erledigt werden.');
    await this.tell(h, { kind: 'callbackDone', by: name });
    return h;
  }

  /** Live requests that nobody took in time become callback requests; returns those changed here. */
  async expireWaiting(): Promise<Handoff[]> {
    const now = this.now();
    const changed: Handoff[] = [];
    for (const id of await this.store.waitingSince(now - this.opts.waitTimeoutMs)) {
      const h = await this.store.transition(id, 'timeout', 'callback', now, { callback_from_ms: this.hours.nextOpening(now) ?? null }, 'taken_by IS NULL');
      if (!h) continue; // taken or closed meanwhile, or another instance was first
      changed.push(h);
      await this.tell(h, { kind: 'timedOut' });
    }
    return changed;
  }

  /** Retention: deletes requests untouched for the retention period (before `nowMs`). */
  purgeExpired(nowMs = this.now()): Promise<number> {
    return this.store.deleteUntouchedSince(nowMs - this.opts.retentionMs);
  }

  get retentionMs(): number {
    return this.opts.retentionMs;
  }

  /**
   * "Meine Daten löschen": every request of these users, conversations or contact e-mails,
   * with its transcript. The staff card of each is replaced by a stub ("gelöscht").
   */
  async deleteFor(subject: { userIds: readonly string[]; conversationIds: readonly string[]; emails: readonly string[] }): Promise<number> {
    const gone = await this.store.deleteFor(subject);
    for (const h of gone) await this.tell(h, { kind: 'erased' });
    return gone.length;
  }

  isLive(h: Handoff): boolean {
    return isLive(h.status);
  }

  /** Runs the notifier; returns false when delivery failed (logged, never thrown unless asked). */
  private async tell(h: Handoff, change: HandoffChange): Promise<boolean> {
    if (!this.notifier) return false;
    try {
      await this.notifier.changed(h, change);
      return true;
    } catch (err) {
      this.opts.log?.warn({ err: (err as Error).message, handoff: h.id, change: change.kind }, 'handoff notification failed');
      return false;
    }
  }
}
