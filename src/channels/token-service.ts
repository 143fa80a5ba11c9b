import type restify from 'restify';
import type { Logger } from '../log';
import { sendJsonError } from '../server';
import type { RateCounter } from '../storage';
import { requestClientKey } from './client-address';
import { applyCors, registerPreflight, type CorsPolicy } from './cors';
import { DIRECT_LINE_PREFIX, type DirectLine } from './directline';
import { baseUrl } from './directline/routes';

export { clientAddress } from './client-address';

export const TOKEN_SERVICE_PATH = '/api/webchat/token';

export interface TokenServiceOptions {
  directLine: Pick<DirectLine, 'createConversationToken' | 'renewToken'>;
  /** TOKEN_RATE_LIMIT_PER_MIN, per client address (IPv6: per /64), counted across all instances. */
  ratePerMinute: number;
  /** The shared counters (database) the limit is counted in. */
  counter: RateCounter;
  /** WEBCHAT_ALLOWED_ORIGINS (this service's own origin is always allowed). */
  allowedOrigins: readonly string[];
  publicBaseUrl?: string;
  /**
   * Reverse proxies in front of this service that append to X-Forwarded-For (TRUST_PROXY_HOPS).
   * 0: the socket address is the client. Untrusted X-Forwarded-For entries are ignored, so a
   * client cannot dodge the limit by sending its own header.
   */
  trustProxyHops?: number;
  logger: Logger;
}

/**
 * `POST /api/webchat/token`: what a portal backend runs for the chat widget. It hands out a
 * conversation-bound Direct Line token (never the secret). With `{ "token": "<earlier token>" }`
 * it renews the token of that same conversation, also after expiry, so a reloaded page or a
 * long-idle tab resumes its conversation instead of starting over.
 */
export function registerTokenService(server: restify.Server, opts: TokenServiceOptions): void {
  const cors: CorsPolicy = { allowedOrigins: opts.allowedOrigins, publicBaseUrl: opts.publicBaseUrl };
  registerPreflight(server, TOKEN_SERVICE_PATH, cors, 'POST, OPTIONS');

  server.post(TOKEN_SERVICE_PATH, async (req: restify.Request, res: restify.Response) => {
    res.setHeader('Cache-Control', 'no-store');
    if (applyCors(req, res, cors) === 'denied') {
      return sendJsonError(res, 403, 'Diese Herkunft (Origin) ist nicht freigegeben.', { code: 'OriginNotAllowed' });
    }
    let retryAfter: number;
    try {
      retryAfter = await opts.counter.take('token:' + requestClientKey(req, opts.trustProxyHops ?? 0), opts.ratePerMinute, 60_000);
    } catch (err) {
      opts.logger.error({ err }, 'token service: rate limit not countable');
      return sendJsonError(res, 503, 'Der Dienst ist gerade nicht verfügbar. Bitte später erneut versuchen.', { code: 'Unavailable' });
    }
    if (retryAfter) {
      res.setHeader('Retry-After', String(retryAfter));
      return sendJsonError(res, 429, `Zu viele Anfragen. Bitte in ${retryAfter} Sekunden erneut versuchen.`, { code: 'RateLimited' });
    }
    // No body at all (also an empty one sent as JSON) asks for a new conversation.
    const body = (req.body === '' ? undefined : req.body) as unknown;
    if (body !== undefined && body !== null && (typeof body !== 'object' || Array.isArray(body))) {
      return sendJsonError(res, 400, 'Ungültiger Inhalt: leeres JSON-Objekt oder {"token": "…"} erwartet.', { code: 'BadArgument' });
    }
    const previous = (body as { token?: unknown } | undefined)?.token;
    if (previous !== undefined && (typeof previous !== 'string' || previous.length > 4096)) {
      return sendJsonError(res, 400, 'Feld "token" muss ein Text sein.', { code: 'BadArgument' });
    }
    try {
      let issued;
      if (previous) {
        const renewed = await opts.directLine.renewToken(previous);
        if (renewed === 'invalid') return sendJsonError(res, 401, 'Das bisherige Token ist ungültig.', { code: 'InvalidToken' });
        if (renewed === 'gone') {
          return sendJsonError(res, 404, 'Das Gespräch ist abgelaufen. Bitte ein neues Gespräch beginnen.', { code: 'ConversationNotFound' });
        }
        issued = renewed;
      } else {
        issued = await opts.directLine.createConversationToken();
      }
      res.json({ ...issued, domain: baseUrl(req, opts.publicBaseUrl) + DIRECT_LINE_PREFIX });
    } catch (err) {
      opts.logger.error({ err }, 'token service failed');
      sendJsonError(res, 500, 'Interner Fehler.');
    }
  });
}
