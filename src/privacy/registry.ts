/**
 * The one list of every place that keeps personal data. Each store says what it holds, how long
 * (a period from configuration) and how to delete it for one person. "Meine Daten löschen" and
 * the retention job walk this list; a store that is not registered here is a privacy bug.
 */

/** Everything known that points at one person; stores match on whatever they keep. */
export interface DataSubject {
  /** Channel the request came from ('msteams', 'directline', …), when known. */
  channelId?: string;
  /** Channel user ids (Teams AAD object id and/or the channel's from.id; Direct Line user id). */
  userIds: string[];
  /** Conversations of this person (Direct Line transcripts, dialog state, feedback). */
  conversationIds: string[];
  /** Contact e-mail addresses, lower case (found by `identify`, e.g. from the person's bookings). */
  emails: string[];
  /** Booking references the person holds (KDLZ-2026-…). */
  references: string[];
}

export interface RetentionRule {
  /** How long an entry lives, in milliseconds (from configuration). */
  ms: number;
  /** The configuration variable that sets it, for docs and operators. */
  variable: string;
  /** From when the period counts, in German for the retention table ("nach dem Termin"). */
  countsFrom: string;
}

export interface PersonalDataStore {
  /** Stable id, e.g. 'booking.contacts'; docs/security.md lists every id. */
  id: string;
  /** What personal data the store holds, in German. */
  holds: string;
  retention: RetentionRule;
  /**
   * More identifiers this store knows for the subject (a booking knows its contact e-mail), so
   * stores keyed differently find the same person. Runs before any deletion.
   */
  identify?(subject: DataSubject): Promise<Partial<DataSubject>>;
  /** Deletes (or anonymises) everything of the subject; returns how many entries. Idempotent. */
  deleteFor(subject: DataSubject): Promise<number>;
  /** Deletes entries whose retention period has passed at `nowMs`; returns how many. */
  deleteExpired(nowMs: number): Promise<number>;
}

export interface StoreOutcome {
  store: string;
  removed: number;
  /** Set when this store failed; the others still ran. */
  error?: string;
}

export interface DeletionReport {
  subject: DataSubject;
  outcomes: StoreOutcome[];
  /** True when every store succeeded. */
  complete: boolean;
  /** Entries removed by one store (0 when unknown or failed). */
  removed(storeId: string): number;
}

type Ids = readonly (string | undefined | null)[];

/** A subject from whatever identifiers are at hand (blanks dropped, lists de-duplicated, e-mails lower-cased). */
export function dataSubject(parts: { channelId?: string; userIds?: Ids; conversationIds?: Ids; emails?: Ids; references?: Ids }): DataSubject {
  const clean = (xs: Ids | undefined, lower = false) => [
    ...new Set((xs ?? []).filter((x): x is string => typeof x === 'string' && x.trim() !== '').map((x) => (lower ? x.trim().toLowerCase() : x.trim()))),
  ];
  return {
    ...(parts.channelId ? { channelId: parts.channelId } : {}),
    userIds: clean(parts.userIds),
    conversationIds: clean(parts.conversationIds),
    emails: clean(parts.emails, true),
    references: clean(parts.references),
  };
}

function merge(a: DataSubject, b: Partial<DataSubject>): { subject: DataSubject; grew: boolean } {
  const subject = dataSubject({
    channelId: a.channelId,
    userIds: [...a.userIds, ...(b.userIds ?? [])],
    conversationIds: [...a.conversationIds, ...(b.conversationIds ?? [])],
    emails: [...a.emails, ...(b.emails ?? [])],
    references: [...a.references, ...(b.references ?? [])],
  });
  const size = (s: DataSubject) => s.userIds.length + s.conversationIds.length + s.emails.length + s.references.length;
  return { subject, grew: size(subject) > size(a) };
}

export class PersonalDataRegistry {
  private readonly list: PersonalDataStore[] = [];

  /** `afterDeletion`: runs after a person's data went from every store (e.g. the database's scrub). */
  constructor(private readonly opts: { afterDeletion?: () => Promise<void> } = {}) {}

  /** Adds a store; ids must be unique. Registration order is deletion order. */
  register(store: PersonalDataStore): void {
    if (this.list.some((s) => s.id === store.id)) throw new Error(`personal-data store ${store.id} is registered twice`);
    if (!(store.retention.ms > 0)) throw new Error(`personal-data store ${store.id} needs a positive retention period`);
    this.list.push(store);
  }

  stores(): readonly PersonalDataStore[] {
    return this.list;
  }

  /**
   * "Meine Daten löschen": first lets every store add what it knows about the person (a few
   * rounds, until nothing new turns up), then deletes in every store. A failing store does not
   * stop the others; the report says which failed so the person can be told.
   */
  async deleteFor(start: DataSubject): Promise<DeletionReport> {
    let subject = dataSubject(start);
    for (let round = 0; round < 3; round++) {
      let grew = false;
      for (const store of this.list) {
        if (!store.identify) continue;
        const found = await store.identify(subject).catch(() => ({}));
        const m = merge(subject, found);
        subject = m.subject;
        grew ||= m.grew;
      }
      if (!grew) break;
    }
    const outcomes: StoreOutcome[] = [];
    for (const store of this.list) {
      try {
        outcomes.push({ store: store.id, removed: await store.deleteFor(subject) });
      } catch (e) {
        outcomes.push({ store: store.id, removed: 0, error: (e as Error)?.message ?? String(e) });
      }
    }
    await this.opts.afterDeletion?.().catch((e: unknown) => outcomes.push({ store: 'after-deletion', removed: 0, error: (e as Error)?.message ?? String(e) }));
    return {
      subject,
      outcomes,
      complete: outcomes.every((o) => !o.error),
      removed: (id) => outcomes.find((o) => o.store === id)?.removed ?? 0,
    };
  }

  /** The retention pass: every store removes what has outlived its period. */
  async deleteExpired(nowMs: number): Promise<StoreOutcome[]> {
    const outcomes: StoreOutcome[] = [];
    for (const store of this.list) {
      try {
        outcomes.push({ store: store.id, removed: await store.deleteExpired(nowMs) });
      } catch (e) {
        outcomes.push({ store: store.id, removed: 0, error: (e as Error)?.message ?? String(e) });
      }
    }
    return outcomes;
  }
}
