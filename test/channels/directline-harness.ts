import type { AddressInfo } from 'node:net';
import type { TurnContext } from 'botbuilder';
import { WebSocket } from 'ws';
import { createDirectLine, createPubSub, directLineMigrations, type DirectLine, type DirectLineOptions } from '../../src/channels/directline';
import { registerTokenService } from '../../src/channels/token-service';
import { createLogger } from '../../src/log';
import { createServer } from '../../src/server';
import { Db, KvStore, kvMigrations, migrate, RateCounter, rateCounterMigrations } from '../../src/storage';
import type { PubSub } from '../../src/storage/pubsub';

export const MIGRATIONS = [...kvMigrations, ...rateCounterMigrations, ...directLineMigrations];
export const SECRET = 'test-direct-line-secret-0123456789';

/** The stub bot of these tests: greets new members, echoes messages, fails on "kaputt". */
export const echoBot = {
  async run(ctx: TurnContext): Promise<void> {
    const a = ctx.activity;
    if (a.type === 'conversationUpdate') {
      for (const m of a.membersAdded ?? []) if (m.id !== a.recipient.id) await ctx.sendActivity('Willkommen!');
      return;
    }
    if (a.type === 'message') {
      if (a.text === 'kaputt') throw new Error('boom');
      if (a.text === 'zwei') {
        await ctx.sendActivities([{ type: 'typing' }, { type: 'message', text: 'Eins' }, { type: 'message', text: 'Zwei' }]);
        return;
      }
      await ctx.sendActivity('Echo: ' + (a.text ?? JSON.stringify(a.value)));
    }
  },
};

export interface Harness {
  url: string;
  directLine: DirectLine;
  db: Db;
  close(): Promise<void>;
}

/**
 * A tiny restify server with only the Direct Line channel and the token service on loopback,
 * over a database the caller owns (so several harnesses can share one, or a restart can reopen it).
 */
export async function startHarness(
  db: Db,
  opts: Partial<DirectLineOptions> & { databaseUrl?: string; ratePerMinute?: number; allowedOrigins?: string[]; trustProxyHops?: number } = {},
): Promise<Harness> {
  await migrate(db, MIGRATIONS);
  const logger = createLogger({ level: 'silent' });
  const server = createServer(logger);
  const pubsub: PubSub = createPubSub(db, opts.databaseUrl);
  const directLine = await createDirectLine({
    db,
    kv: new KvStore(db),
    pubsub,
    bot: echoBot,
    onTurnError: async (ctx) => {
      await ctx.sendActivity('Entschuldigung, da ist etwas schiefgegangen.');
    },
    secret: SECRET,
    tokenTtlSec: 60,
    conversationTtlHours: 1,
    logger,
    ...opts,
  });
  directLine.register(server);
  registerTokenService(server, {
    directLine,
    ratePerMinute: opts.ratePerMinute ?? 1000,
    counter: new RateCounter(db, opts.now),
    allowedOrigins: opts.allowedOrigins ?? [],
    trustProxyHops: opts.trustProxyHops,
    logger,
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    directLine,
    db,
    async close() {
      await directLine.close();
      await pubsub.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export async function call(
  url: string,
  method: string,
  path: string,
  opts: { auth?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.auth) headers.authorization = `Bearer ${opts.auth}`;
  let body: string | undefined;
  if (opts.rawBody !== undefined) body = opts.rawBody;
  else if (opts.body !== undefined) body = JSON.stringify(opts.body);
  if (body !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
  const res = await fetch(url + path, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* keep text */
  }
  return { status: res.status, body: parsed, headers: res.headers };
}

/** Waits until `pred` holds for the collected items (or fails after timeoutMs). */
export async function waitFor<T>(get: () => T[], pred: (items: T[]) => boolean, timeoutMs = 5000): Promise<T[]> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const items = get();
    if (pred(items)) return items;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('timed out; had: ' + JSON.stringify(get()).slice(0, 2000));
}

/** Opens a stream socket and collects every activity set it receives. */
export function openStream(streamUrl: string): Promise<{ ws: WebSocket; sets: { activities: any[]; watermark: string }[]; texts: () => string[] }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(streamUrl);
    const sets: { activities: any[]; watermark: string }[] = [];
    ws.on('message', (data) => {
      const s = data.toString();
      if (s) sets.push(JSON.parse(s));
    });
    ws.once('open', () => resolve({ ws, sets, texts: () => sets.flatMap((x) => x.activities.map((a) => a.text)) }));
    ws.once('unexpected-response', (_req, res) => reject(new Error('status ' + res.statusCode)));
    ws.once('error', reject);
  });
}

/** The HTTP status with which the server refuses a stream upgrade. */
export function streamRefusal(streamUrl: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(streamUrl);
    ws.once('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      ws.terminate();
    });
    ws.once('open', () => reject(new Error('stream unexpectedly opened')));
    ws.once('error', () => undefined);
  });
}
