import type { Storage, StoreItems } from 'botbuilder';
import { KvStore } from '../storage';

/**
 * Bot Framework `Storage` (conversation, user and dialog state) over the project's KvStore, so
 * state lives in SQLite or PostgreSQL and a stale write fails instead of overwriting a newer one.
 */
export class KvBotStorage implements Storage {
  constructor(private readonly kv: KvStore, private readonly prefix = 'bot:') {}

  async read(keys: string[]): Promise<StoreItems> {
    const found = await this.kv.read<Record<string, unknown>>(keys.map((k) => this.prefix + k));
    const items: StoreItems = {};
    for (const key of keys) {
      const item = found.get(this.prefix + key);
      if (item) items[key] = { ...item.value, eTag: item.etag };
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    for (const [key, item] of Object.entries(changes)) {
      const { eTag, ...value } = (item ?? {}) as { eTag?: string } & Record<string, unknown>;
      const newTag = await this.kv.write(this.prefix + key, value, eTag);
      // botbuilder reads the new eTag from the item it wrote, as MemoryStorage does.
      if (item && typeof item === 'object') (item as { eTag?: string }).eTag = newTag;
    }
  }

  async delete(keys: string[]): Promise<void> {
    await this.kv.delete(keys.map((k) => this.prefix + k));
  }
}
