import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { TurnContext } from 'botbuilder';
import type restify from 'restify';
import type { Logger } from '../../log';
import { handleUpgrades } from '../../server';
import type { Db, KvStore } from '../../storage';
import type { PubSub } from '../../storage/pubsub';
import { registerPreflight } from '../cors';
import { DirectLineAdapter, type BotLike } from './adapter';
import { DIRECT_LINE_PREFIX, DirectLineRoutes } from './routes';
import { emailsIn, type PersonalDataStore } from '../../privacy';
import { CONVERSATION_ID_PREFIX, DirectLineStore, newUserId } from './store';
import { StreamHub } from './stream';
import { loadSigningKey, TokenIssuer } from './tokens';

export { directLineMigrations } from './schema';
export { createPubSub, type PubSub } from '../../storage/pubsub';
export { DirectLineAdapter, BOT_ACCOUNT, DIRECT_LINE_CHANNEL_ID } from './adapter';
export { DIRECT_LINE_PREFIX } from './routes';

export interface DirectLineOptions {
  db: Db;
  kv: KvStore;
  pubsub: PubSub;
  bot: BotLike;
  onTurnError: (context: TurnContext, error: Error) => Promise<void>;
  /** DIRECT_LINE_SECRET; without it only the in-process token service can start conversations. */
  secret?: string;
  tokenTtlSec: number;
  conversationTtlHours: number;
  publicBaseUrl?: string;
  /** Browser origins allowed to call Direct Line (WEBCHAT_ALLOWED_ORIGINS). */
  allowedOrigins?: readonly string[];
  /** TRUST_PROXY_HOPS (the client address the bot's rate limits count). */
  trustProxyHops?: number;
  logger: Logger;
  /** Limits that keep memory and disk bounded. */
  maxSockets?: number;
  maxSocketsPerConversation?: number;
  maxActivitiesPerConversation?: number;
  pingIntervalMs?: number;
  /** Clock for tests (epoch ms). */
  now?: () => number;
}

/** A token for a conversation, as tokens/generate and the token service hand it out. */
export interface ConversationToken {
  conversationId: string;
  token: string;
  expires_in: number;
  userId: string;
}

export interface DirectLine {
  adapter: DirectLineAdapter;
  /** Adds the /v3/directline routes and the WebSocket upgrade to the server. */
  register(server: restify.Server): void;
  /** A new conversation and its token (what tokens/generate does, for the in-process token service). */
  createConversationToken(userId?: string): Promise<ConversationToken>;
  /**
   * A fresh token for the conversation that an earlier token was issued for, even if that token
   * has expired (within the conversation's lifetime). 'invalid': not a token of ours; 'gone':
   * the conversation has expired or never existed.
   */
  renewToken(previousToken: string): Promise<ConversationToken | 'invalid' | 'gone'>;
  /** Removes expired conversations now (the retention job runs it through `personalData`). */
  cleanup(): Promise<number>;
  /** Transcripts as a personal-data store (registered by the composition root). */
  readonly personalData: PersonalDataStore;
  /** Open WebSocket streams on this instance. */
  readonly streamCount: number;
  /** Closes the streams, waits for running turns. */
  close(): Promise<void>;
}

export async function createDirectLine(opts: DirectLineOptions): Promise<DirectLine> {
  const now = opts.now ?? Date.now;
  const ttlMs = opts.conversationTtlHours * 3600_000;
  const store = new DirectLineStore(opts.db, { ttlMs, maxActivities: opts.maxActivitiesPerConversation ?? 5000, now });
  const issuer = new TokenIssuer(await loadSigningKey(opts.secret, opts.kv), now);
  const hub = new StreamHub({
    store,
    pubsub: opts.pubsub,
    instanceId: randomUUID(),
    logger: opts.logger,
    maxSockets: opts.maxSockets ?? 10_000,
    maxSocketsPerConversation: opts.maxSocketsPerConversation ?? 8,
    pingIntervalMs: opts.pingIntervalMs ?? 30_000,
  });
  await hub.start();
  const adapter = new DirectLineAdapter(store, (id, stored) => hub.published(id, stored), opts.logger, now);
  adapter.onTurnError = opts.onTurnError;
  const routes = new DirectLineRoutes({
    store,
    issuer,
    adapter,
    bot: opts.bot,
    secret: opts.secret,
    tokenTtlSec: opts.tokenTtlSec,
    publicBaseUrl: opts.publicBaseUrl,
    cors: { allowedOrigins: opts.allowedOrigins ?? [], publicBaseUrl: opts.publicBaseUrl },
    trustProxyHops: opts.trustProxyHops,
    logger: opts.logger,
    now,
  });
  routes.onUserActivity = (id, stored) => hub.published(id, [stored]);

  const cleanup = (nowMs?: number) => store.deleteExpired(500, nowMs);
  const ours = (ids: readonly string[]) => ids.filter((id) => id.startsWith(CONVERSATION_ID_PREFIX)).slice(0, 100);
  const personalData: PersonalDataStore = {
    id: 'directline.transcripts',
    holds: 'Web-Chat-Verläufe (alle Nachrichten eines Gesprächs, auch eingegebene Kontaktdaten) und die Direct-Line-Nutzerkennung',
    retention: { ms: ttlMs, variable: 'DIRECT_LINE_CONVERSATION_TTL_HOURS', countsFrom: 'nach der letzten Aktivität des Gesprächs' },
    /** E-mail addresses the person typed here, so stores that only keep text (questions) find them. */
    async identify(s) {
      const emails: string[] = [];
      for (const id of ours(s.conversationIds)) for (const text of await store.userInputs(id)) emails.push(...emailsIn(text));
      return { emails: emails.slice(0, 50) };
    },
    async deleteFor(s) {
      let n = 0;
      for (const id of ours(s.conversationIds)) n += await store.deleteTranscript(id);
      return n;
    },
    deleteExpired: (nowMs) => cleanup(nowMs),
  };

  const withUser = async (conversationId: string, userId: string) => {
    const t = await routes.issueToken({ id: conversationId, userId });
    return { conversationId, userId, ...t };
  };

  let removeUpgradeRoute: (() => void) | undefined;
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    routes.decideUpgrade(req).then(
      (decision) => hub.handleUpgrade(req, socket, head, decision ?? { ok: false, status: 404, reason: 'not found' }),
      (err) => {
        opts.logger.warn({ err }, 'direct line upgrade failed');
        hub.handleUpgrade(req, socket, head, { ok: false, status: 503, reason: 'unavailable' });
      },
    );
  };

  return {
    adapter,
    register(s) {
      registerPreflight(s, DIRECT_LINE_PREFIX + '/', { allowedOrigins: opts.allowedOrigins ?? [], publicBaseUrl: opts.publicBaseUrl }, 'GET, POST, OPTIONS');
      routes.register(s);
      removeUpgradeRoute = handleUpgrades(s, DIRECT_LINE_PREFIX + '/', onUpgrade);
    },
    async createConversationToken(userId) {
      const conversation = await store.create(userId ?? newUserId());
      return withUser(conversation.id, conversation.userId);
    },
    async renewToken(previousToken) {
      const check = await issuer.verify(previousToken, { scope: 'api', allowExpiredForMs: ttlMs });
      if (!check.ok) return 'invalid';
      const conversation = await store.get(check.claims.conv);
      if (!conversation) return 'gone';
      return withUser(conversation.id, conversation.userId);
    },
    cleanup: () => cleanup(),
    personalData,
    get streamCount() {
      return hub.socketCount;
    },
    async close() {
      removeUpgradeRoute?.();
      await hub.close();
      await adapter.drain();
    },
  };
}
