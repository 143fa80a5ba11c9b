import restify from 'restify';
import type { Logger } from './log';

/** The largest request body accepted anywhere (Bot Framework activities are far smaller). */
export const MAX_BODY_BYTES = 256 * 1024;

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
  return server;
}
