import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type restify from 'restify';
import type { Config } from './config';
import { createLogger, type Logger } from './log';
import { createServer } from './server';
import { type Db, jobLeaseMigrations, KvStore, kvMigrations, type Migration, openDatabase, RateCounter, rateCounterMigrations } from './storage';
import type { DomainServices } from '../dialogs/services';
import { buildBot, type BotRuntime, createStaffChannel, staffChannelNotifier } from './bot/runtime';
import { createCloudAdapter, registerBotEndpoint } from './channels/bot-endpoint';
import { createNlu } from './nlu';
import { createEligibilityService } from './eligibility';
import { createKnowledgeService, knowledgeLogStore, knowledgeMigrations } from './knowledge';
import { registerWebRoutes } from './channels/web-routes';
import { createDirectLine, createPubSub, directLineMigrations, type DirectLine } from './channels/directline';
import { registerTokenService } from './channels/token-service';
import { createEntraTokenValidator, notConfiguredValidator } from './channels/entra-token';
import { registerTabRoutes } from './channels/tab-routes';
import { bookingMigrations, type BookingService, type BookingWorkers, createBookingModule } from './booking';
import type { TabAppointment } from './web/tab/appointment';
import { registerStaffApi } from './channels/staff-api';
import { PersonalDataRegistry, startRetentionJob } from './privacy';
import { botStateStore } from './bot/state-storage';
import { createHandoffModule, handoffMigrations, unionHours } from './handoff';
import { registerHandoffApi } from './channels/handoff-api';
import { createStaffGuard } from './channels/staff-auth';
import { registerStaffPage } from './channels/staff-page';
import { InsightsService, insightsMigrations } from './insights';
import type { EntraTokenValidator } from './channels/entra-token';

/**
 * The Teams tab's list: the user's upcoming confirmed bookings (the user is the Teams SSO
 * token's object id, the channel user id the bot stored at booking time).
 */
export async function tabAppointmentsFor(booking: BookingService, user: { oid: string }): Promise<TabAppointment[]> {
  const bookings = await booking.listForUser({ channelUserId: user.oid });
  return bookings
    .filter((b) => b.reference !== null)
    .map((b) => ({
      reference: b.reference!,
      start: new Date(b.startMs).toISOString(),
      durationMinutes: Math.round((b.endMs - b.startMs) / 60_000),
      type: booking.appointmentType(b.appointmentTypeId)?.name ?? b.appointmentTypeId,
      status: 'confirmed' as const,
    }));
}

export interface AppOptions {
  logger?: Logger;
  /** Clock of the handoff module (service hours, timeouts) and of the Direct Line channel (token lifetimes); tests fix or move it. */
  now?: () => number;
  /** Validates Entra tokens of staff (tests hand in one for their own issuer). */
  staffValidator?: EntraTokenValidator;
}

export interface App {
  server: restify.Server;
  db: Db;
  kv: KvStore;
  bot: BotRuntime;
  /** The self-hosted Direct Line channel (its adapter serves proactive messages to Web Chat users). */
  directLine: DirectLine;
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
  return [...kvMigrations, ...jobLeaseMigrations, ...rateCounterMigrations, ...knowledgeMigrations, ...directLineMigrations, ...bookingMigrations, ...handoffMigrations, ...insightsMigrations];
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
  // Shared counters (rate limits, lock-outs): every instance counts the same requests.
  const rateCounter = new RateCounter(db);
  const server = createServer(logger);

  const eligibility = createEligibilityService();
  // The Bot Framework adapter comes first: booking notifications to the Teams staff channel go
  // through it, and the bot (built after the domain services it serves) answers through it.
  const cloudAdapter = createCloudAdapter(config);
  const staffChannel = createStaffChannel(config, kv, cloudAdapter, logger);
  // Booking: calendar service, outbox deliverers, staff API, background workers.
  const bookingModule = createBookingModule({
    db,
    config,
    kommune: (ags) => {
      const k = eligibility.register.byAgs(ags);
      return k ? { ags: k.ags, name: k.shortName } : undefined;
    },
    isEligible: (ags, type) => {
      if (type.eligibility === 'alle') return true;
      const kommune = eligibility.register.byAgs(ags);
      try {
        return !!kommune && eligibility.evaluate(type.eligibility, { kommune }, new Date()).outcome !== 'not-eligible';
      } catch {
        return false;
      }
    },
    // Teams exists only with a bot registration; without one no staff-channel rows are queued.
    notifyStaffChannel: config.MicrosoftAppId ? staffChannelNotifier(staffChannel, cloudAdapter, config.MicrosoftAppId) : undefined,
  });

  // Handoff: service hours are the booking calendar's hours (any advisor) on Hessian working days.
  const handoffModule = createHandoffModule({
    db,
    weeklyHours: unionHours(bookingModule.service.calendar.advisors.map((a) => a.hours)),
    waitTimeoutMinutes: config.HANDOFF_WAIT_TIMEOUT_MIN,
    retentionDays: config.HANDOFF_RETENTION_DAYS,
    now: opts.now,
    log: logger,
  });

  const domain: DomainServices = {
    knowledge: await createKnowledgeService({
      db,
      logger,
      llm: config.LLM_PROVIDER
        ? { provider: config.LLM_PROVIDER, endpoint: config.LLM_ENDPOINT, model: config.LLM_MODEL!, apiKey: config.LLM_API_KEY, timeoutMs: config.LLM_TIMEOUT_MS }
        : undefined,
    }),
    eligibility,
    booking: bookingModule.service,
    personalData: new PersonalDataRegistry({ afterDeletion: () => db.scrub() }),
    bookingAvailability: bookingModule.availability,
    handoffs: handoffModule.service,
    insights: new InsightsService({ db }),
    // Trained from dialogs/nlu/*.yaml at start (tens of milliseconds); a broken file stops the start.
    nlu: createNlu({ eligibility }),
  };
  const bookingState = bookingModule.availability;
  // Said once at start, so operators see it in the log as well as in /readyz.
  if (bookingState.status === 'off') logger.warn({ booking: bookingState.status }, bookingState.reason);
  else if (bookingState.status === 'example') logger.info({ booking: bookingState.status }, bookingState.reason);

  const bot = await buildBot({ config, kv, logger, domain, adapter: cloudAdapter, staffChannel });
  // Teams and other Azure Bot Service channels: POST /api/messages (JWT-checked with an app id).
  cloudAdapter.onTurnError = bot.onTurnError;
  registerBotEndpoint(server, cloudAdapter, bot.run, logger);

  // Self-hosted Direct Line (portal Web Chat, `npm run chat`) and the widget's token service.
  const pubsub = createPubSub(db, config.DATABASE_URL, (err) => logger.warn({ err }, 'pubsub connection lost; reconnecting'));
  const directLine = await createDirectLine({
    now: opts.now,
    db,
    kv,
    pubsub,
    bot,
    onTurnError: bot.onTurnError,
    secret: config.DIRECT_LINE_SECRET,
    tokenTtlSec: config.DIRECT_LINE_TOKEN_TTL_SEC,
    conversationTtlHours: config.DIRECT_LINE_CONVERSATION_TTL_HOURS,
    publicBaseUrl: config.PUBLIC_BASE_URL,
    allowedOrigins: config.WEBCHAT_ALLOWED_ORIGINS,
    trustProxyHops: config.TRUST_PROXY_HOPS,
    logger,
  });
  directLine.register(server);
  bot.addChannelAdapter(directLine.adapter);

  // Personal data: one registry, walked by "Meine Daten löschen" and the retention job.
  // Registration order is deletion order: the booking store first names the person's e-mail
  // addresses and references, which the stores after it search for.
  const personalData = domain.personalData;
  for (const store of bookingModule.personalData) personalData.register(store);
  personalData.register(knowledgeLogStore(db, config.KNOWLEDGE_LOG_RETENTION_DAYS));
  personalData.register(directLine.personalData);
  personalData.register(botStateStore(kv, config.BOT_STATE_RETENTION_DAYS));
  personalData.register(handoffModule.personalData);

  registerTokenService(server, {
    directLine,
    ratePerMinute: config.TOKEN_RATE_LIMIT_PER_MIN,
    counter: rateCounter,
    allowedOrigins: config.WEBCHAT_ALLOWED_ORIGINS,
    publicBaseUrl: config.PUBLIC_BASE_URL,
    trustProxyHops: config.TRUST_PROXY_HOPS,
    logger,
  });

  let ready = true;
  server.get('/healthz', async (_req: restify.Request, res: restify.Response) => {
    res.json({ status: 'ok' });
  });
  server.get('/readyz', async (_req: restify.Request, res: restify.Response) => {
    const dbOk = await db.ping();
    const knowledgeOk = domain.knowledge.articleCount > 0 && domain.eligibility.register.all().length > 0;
    const ok = ready && dbOk && knowledgeOk;
    res.status(ok ? 200 : 503);
    // Booking off does not make the instance unready: answers and eligibility checks still work,
    // and the booking dialog says where to register instead. The field says why.
    const booking = { status: bookingState.status, ...(bookingState.reason ? { reason: bookingState.reason } : {}) };
    res.json({ status: ok ? 'ready' : 'not ready', storage: dbOk ? 'ok' : 'unreachable', knowledge: knowledgeOk ? 'loaded' : 'missing', backend: db.kind, booking });
  });

  // Portal web chat: demo page, privacy and accessibility pages, widget.js, the Web Chat bundle,
  // and the security headers on every response.
  registerWebRoutes(server, { config, log: logger });

  registerStaffApi(server, { booking: bookingModule.service, token: config.STAFF_API_TOKEN });

  // Staff routes of the handoff (and the /staff page): the staff token, or Entra sign-in with the staff role.
  const staffValidator =
    opts.staffValidator ??
    (config.STAFF_OIDC_CLIENT_ID ? createEntraTokenValidator({ clientId: config.STAFF_OIDC_CLIENT_ID, tenantId: config.STAFF_OIDC_TENANT_ID }) : undefined);
  const staffGuard = createStaffGuard({ token: config.STAFF_API_TOKEN, entra: staffValidator ? { validator: staffValidator, role: config.STAFF_OIDC_ROLE } : undefined });
  registerHandoffApi(server, { handoffs: handoffModule.service, guard: staffGuard });
  registerStaffPage(server, {
    guard: staffGuard,
    insights: domain.insights,
    oidc: config.STAFF_OIDC_CLIENT_ID && config.STAFF_OIDC_TENANT_ID ? { clientId: config.STAFF_OIDC_CLIENT_ID, tenantId: config.STAFF_OIDC_TENANT_ID } : undefined,
    log: logger,
  });

  // Teams personal tab "Meine Termine": the user is whoever the validated Teams SSO token names.
  registerTabRoutes(server, {
    validator: config.MicrosoftAppId
      ? createEntraTokenValidator({
          clientId: config.MicrosoftAppId,
          tenantId: config.MicrosoftAppType === 'SingleTenant' ? config.MicrosoftAppTenantId : undefined,
          applicationIdHost: config.PUBLIC_BASE_URL ? new URL(config.PUBLIC_BASE_URL).host : undefined,
        })
      : notConfiguredValidator(),
    listAppointmentsForUser: (user) => tabAppointmentsFor(bookingModule.service, user),
    botAppId: config.MicrosoftAppId,
    log: logger,
  });
  const bookingWorkers: BookingWorkers = bookingModule.startWorkers(logger);
  const retentionJob = startRetentionJob({ db, registry: personalData, log: logger });
  const handoffJobs = handoffModule.startJobs();

  const app: App = {
    server,
    db,
    kv,
    bot,
    directLine,
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
      // Open WebSockets would keep server.close() waiting: Direct Line closes them (clients
      // reconnect to another instance) and lets its running turns finish first.
      await directLine.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await bot.close();
      await bookingWorkers.stop();
      await retentionJob.stop();
      handoffJobs.stop();
      await domain.insights.close();
      await pubsub.close();
      await db.close();
    },
  };
  return app;
}

const instanceId = randomUUID().slice(0, 8);
