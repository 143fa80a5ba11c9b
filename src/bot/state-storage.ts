import type { Storage, StoreItems } from 'botbuilder';
import type { PersonalDataStore } from '../privacy';
import { KvStore } from '../storage';

/** A made-up eTag for a state object this storage did not hand out: written only if the key is still absent. */
const CREATE_ONLY = 'create-only';

/**
 * Bot Framework `Storage` (conversation, user and dialog state) over the project's KvStore, so
 * state lives in SQLite or PostgreSQL and a stale write fails (ETagConflict) instead of
 * overwriting a newer one.
 *
 * botbuilder's BotState writes every state with eTag '*' ("overwrite whatever is there"), so on
 * its own two instances answering one conversation at once would silently lose one turn's
 * changes. BotState writes back the very object `read` returned; the eTag that object was read
 * with is remembered here (per object, so per turn) and the write is conditional on it.
 */
export class KvBotStorage implements Storage {
  private readonly readWith = new WeakMap<object, string>();

  constructor(private readonly kv: KvStore, private readonly prefix = 'bot:') {}

  async read(keys: string[]): Promise<StoreItems> {
    const found = await this.kv.read<Record<string, unknown>>(keys.map((k) => this.prefix + k));
    const items: StoreItems = {};
    for (const key of keys) {
      const item = found.get(this.prefix + key);
      if (!item) continue;
      const state = { ...item.value, eTag: item.etag };
      this.readWith.set(state, item.etag);
      items[key] = state;
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    for (const [key, item] of Object.entries(changes)) {
      const { eTag, ...value } = (item ?? {}) as { eTag?: string } & Record<string, unknown>;
      const known = item && typeof item === 'object' ? this.readWith.get(item as object) : undefined;
      // '*' from BotState means "the state of this turn": the eTag it was read with, or, for a
      // state this turn created, "only if nobody created it meanwhile".
      const expected = eTag === '*' || eTag === undefined ? (known ?? CREATE_ONLY) : eTag;
      const newTag = await this.kv.write(this.prefix + key, value, expected);
      // botbuilder reads the new eTag from the item it wrote, as MemoryStorage does; a second
      // save in the same turn is conditional on this write.
      if (item && typeof item === 'object') {
        (item as { eTag?: string }).eTag = newTag;
        this.readWith.set(item as object, newTag);
      }
    }
  }

  async delete(keys: string[]): Promise<void> {
    await this.kv.delete(keys.map((k) => this.prefix + k));
  }
}

/**
 * Conversation, user and dialog state (kv_state rows under `bot:`) as a personal-data store: a
 * dialog in progress holds what the person typed (contact data, Kommune) and the user state
 * holds their booking references. Deleted for the person on request, and for everyone
 * BOT_STATE_RETENTION_DAYS after the last write.
 */
export function botStateStore(kv: KvStore, retentionDays: number, prefix = 'bot:'): PersonalDataStore {
  const retentionMs = retentionDays * 86_400_000;
  return {
    id: 'bot.state',
    holds: 'Gesprächs-, Dialog- und Nutzerzustand (laufende Eingaben wie Kontaktdaten, gemerkte Kommune und Buchungsnummern)',
    retention: { ms: retentionMs, variable: 'BOT_STATE_RETENTION_DAYS', countsFrom: 'nach der letzten Änderung' },
    async deleteFor(s) {
      let n = 0;
      // Keys are "<channel>/users/<id>/" and "<channel>/conversations/<id>/" (botbuilder's layout).
      for (const id of s.userIds.slice(0, 20)) n += await kv.deleteMatching(prefix, `/users/${id}/`);
      for (const id of s.conversationIds.slice(0, 100)) n += await kv.deleteMatching(prefix, `/conversations/${id}/`);
      return n;
    },
    deleteExpired: (nowMs) => kv.deleteOlderThan(prefix, nowMs - retentionMs),
  };
}
