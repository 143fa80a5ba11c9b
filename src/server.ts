import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import restify from 'restify';
import type { Logger } from './log';

export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/** Upgrade handlers by path prefix; one listener on the HTTP server dispatches to them. */
const upgradeRoutes = new WeakMap<restify.Server, Map<string, UpgradeHandler>>();

/** Takes HTTP upgrades (WebSocket) whose path starts with `prefix`; returns the function that removes the route. */
export function handleUpgrades(server: restify.Server, prefix: string, handler: UpgradeHandler): () => void {
  const routes = upgradeRoutes.get(server);
  if (!routes) throw new Error('handleUpgrades: server was not made by createServer');
  routes.set(prefix, handler);
  return () => {
    if (routes.get(prefix) === handler) routes.delete(prefix);
  };
}

/** Answers an upgrade request with a plain HTTP status and closes the connection. */
export function refuseUpgrade(socket: Duplex, status: number, reason: string): void {
  const body = JSON.stringify({ error: reason });
  const text = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests', 503: 'Service Unavailable' }[status] ?? 'Bad Request';
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
  // end() flushes the answer; a client that never reads must not keep the descriptor.
  setTimeout(() => socket.destroy(), 1000).unref();
}

/** The largest request body accepted anywhere (Bot Framework activities are far smaller). */
export const MAX_BODY_BYTES = 256 * 1024;
/** The deepest nesting of objects and arrays accepted in a JSON body (activities need about 8). */
export const MAX_JSON_DEPTH = 64;

/** True when the value nests deeper than `max` (iterative: the check itself cannot overflow the stack). */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth + 1 > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

export function sendJsonError(res: restify.Response, status: number, error: string, extra: Record<string, unknown> = {}): void {
  if (res.headersSent) return;
  res.status(status);
  res.json({ error, ...extra });
}

/**
 * restify with the body parser the Bot Framework adapter needs, a hard body limit (413) and
 * JSON errors. Malformed JSON is answered 400 before any handler can write state.
 */
export function createServer(logger: Logger): restify.Server {
  const server = restify.createServer({ name: 'kdlz-bot', handleUncaughtExceptions: false });
  server.use(restify.plugins.queryParser({ mapParams: false }));
  server.use(
    restify.plugins.bodyParser({
      mapParams: false,
      maxBodySize: MAX_BODY_BYTES,
      requestBodyOnGet: false,
    }),
  );
  // JSON.parse copes with 20,000 levels, but everything after it that walks the body recursively
  // (JSON.stringify when storing, the Bot Framework's serialisers) overflows the stack: a 500 from
  // Direct Line, and /api/messages did not answer at all. Refused before any handler runs.
  server.use((req: restify.Request, res: restify.Response, next: restify.Next) => {
    if (req.body !== undefined && nestsDeeperThan(req.body, MAX_JSON_DEPTH)) {
      sendJsonError(res, 400, `Ungültiger Inhalt: JSON zu tief verschachtelt (höchstens ${MAX_JSON_DEPTH} Ebenen).`, { code: 'TooDeep' });
      return next(false);
    }
    return next();
  });
  server.on('restifyError', (req: restify.Request, res: restify.Response, err: Error & { statusCode?: number; body?: unknown }, cb: () => void) => {
    const status = err.statusCode ?? 500;
    const reason =
      status === 413 ? 'Die Anfrage ist zu groß (höchstens 256 KB).'
      : status === 400 ? 'Ungültiger Inhalt: JSON erwartet.'
      : status === 404 ? 'Nicht gefunden.'
      : status === 405 ? 'Methode nicht erlaubt.'
      : status === 415 ? 'Nicht unterstützter Inhaltstyp.'
      : status >= 500 ? 'Interner Fehler.'
      : err.message;
    if (status >= 500) logger.error({ err, url: req.url }, 'request failed');
    // Replace restify's default body (which may echo internals) with a plain JSON reason.
    (err as { toJSON?: () => unknown }).toJSON = () => ({ error: reason });
    (err as { toString?: () => string }).toString = () => reason;
    cb();
  });
  // Node hands an upgrade request only to 'upgrade' listeners: one that nobody answers keeps its
  // socket open forever (200 requests to /x left 200 descriptors in CLOSE-WAIT). Every upgrade
  // is answered here: by the route that owns its path, otherwise 404 and closed.
  const routes = new Map<string, UpgradeHandler>();
  upgradeRoutes.set(server, routes);
  server.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const path = req.url ?? '';
    for (const [prefix, handler] of routes) if (path.startsWith(prefix)) return handler(req, socket, head);
    refuseUpgrade(socket, 404, 'not found');
  });
  return server;
}
