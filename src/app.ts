import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type restify from 'restify';
import type { Config } from './config';
import { createLogger, type Logger } from './log';
import { createServer } from './server';
import { type Db, KvStore, kvMigrations, type Migration, openDatabase } from './storage';
import { buildBot, type BotRuntime } from './bot/runtime';
import { createEligibilityService, type EligibilityService } from './eligibility';
import { createKnowledgeService, knowledgeMigrations, type KnowledgeService } from './knowledge';
import { registerWebRoutes } from './channels/web-routes';

/** The domain services, built once per process and handed to the dialogs. */
export interface DomainServices {
  knowledge: KnowledgeService;
  eligibility: EligibilityService;
}

export interface AppOptions {
  logger?: Logger;
}

export interface App {
  server: restify.Server;
  db: Db;
  kv: KvStore;
  bot: BotRuntime;
  domain: DomainServices;
  config: Config;
  logger: Logger;
  /** Base URL once listening, e.g. http://127.0.0.1:3978 */
  url: string;
  listen(port?: number, host?: string): Promise<string>;
  /** Stops accepting, lets running turns finish, stops workers, closes the database. */
  close(): Promise<void>;
}

/** Every module's schema, in the order it must be applied. */
export function allMigrations(): Migration[] {
  return [...kvMigrations, ...knowledgeMigrations];
}

/**
 * The composition root: the only place that knows every module. It opens storage, builds the
 * domain services, the bot and the channels, and registers their routes on one server.
 */
export async function createApp(config: Config, opts: AppOptions = {}): Promise<App> {
  const logger = opts.logger ?? createLogger({ level: config.LOG_LEVEL });
  const started = Date.now();
  const db = await openDatabase({ databaseUrl: config.DATABASE_URL, sqliteFile: config.SQLITE_FILE }, allMigrations());
  const kv = new KvStore(db);
  const server = createServer(logger);

  const domain: DomainServices = {
    knowledge: await createKnowledgeService({
      db,
      logger,
      llm: config.LLM_PROVIDER
        ? { provider: config.LLM_PROVIDER, endpoint: config.LLM_ENDPOINT, model: config.LLM_MODEL!, apiKey: config.LLM_API_KEY, timeoutMs: config.LLM_TIMEOUT_MS }
        : undefined,
    }),
    eligibility: createEligibilityService(),
  };

  const bot = await buildBot({ config, db, kv, logger, server, domain });

  let ready = true;
  server.get('/healthz', async (_req: restify.Request, res: restify.Response) => {
    res.json({ status: 'ok' });
  });
  server.get('/readyz', async (_req: restify.Request, res: restify.Response) => {
    const dbOk = await db.ping();
    const knowledgeOk = domain.knowledge.articleCount > 0 && domain.eligibility.register.all().length > 0;
    const ok = ready && dbOk && knowledgeOk;
    res.status(ok ? 200 : 503);
    res.json({ status: ok ? 'ready' : 'not ready', storage: dbOk ? 'ok' : 'unreachable', knowledge: knowledgeOk ? 'loaded' : 'missing', backend: db.kind });
  });

  // Portal web chat: demo page, privacy and accessibility pages, widget.js, the Web Chat bundle,
  // and the security headers on every response.
  registerWebRoutes(server, { config, log: logger });

  const app: App = {
    server,
    db,
    kv,
    bot,
    domain,
    config,
    logger,
    url: '',
    async listen(port = config.PORT, host = config.HOST) {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
      });
      const addr = server.address() as AddressInfo;
      const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
      app.url = `http://${shownHost}:${addr.port}`;
      logger.info({ port: addr.port, backend: db.kind, startupMs: Date.now() - started, instance: instanceId }, 'KDLZ-Bot bereit');
      return app.url;
    },
    async close() {
      ready = false;
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await bot.close();
      await db.close();
    },
  };
  return app;
}

const instanceId = randomUUID().slice(0, 8);
