import type restify from 'restify';

export interface CorsPolicy {
  /** Portal origins allowed to call from a browser (WEBCHAT_ALLOWED_ORIGINS), e.g. https://portal.hessen.de */
  allowedOrigins: readonly string[];
  /** This service's own public base URL, if configured (its origin is always allowed). */
  publicBaseUrl?: string;
}

const normalise = (origin: string): string | undefined => {
  try {
    return new URL(origin).origin;
  } catch {
    return undefined;
  }
};

/** The origin this request was addressed to, as the browser sees it. */
function ownOrigin(req: restify.Request, publicBaseUrl?: string): string[] {
  const own: string[] = [];
  if (publicBaseUrl) {
    const o = normalise(publicBaseUrl);
    if (o) own.push(o);
  }
  const host = req.headers.host;
  if (host) own.push(`${req.isSecure() ? 'https' : 'http'}://${host}`.toLowerCase());
  return own;
}

/**
 * 'none': no Origin header (server-to-server call, or a same-origin GET); 'allowed': a listed
 * portal origin or this service itself; 'denied': any other web page.
 */
export function checkOrigin(req: restify.Request, policy: CorsPolicy): 'none' | 'allowed' | 'denied' {
  const raw = req.headers.origin;
  if (!raw) return 'none';
  const origin = normalise(raw);
  if (!origin) return 'denied';
  const allowed = new Set([...policy.allowedOrigins.map(normalise), ...ownOrigin(req, policy.publicBaseUrl)]);
  return allowed.has(origin) ? 'allowed' : 'denied';
}

/** Sets the CORS response headers for an allowed origin; returns the origin check. */
export function applyCors(req: restify.Request, res: restify.Response, policy: CorsPolicy): 'none' | 'allowed' | 'denied' {
  const verdict = checkOrigin(req, policy);
  res.setHeader('Vary', 'Origin');
  if (verdict === 'allowed') {
    res.setHeader('Access-Control-Allow-Origin', req.headers.origin as string);
    res.setHeader('Access-Control-Expose-Headers', 'Retry-After');
  }
  return verdict;
}

/**
 * Answers CORS preflights (OPTIONS) for every path under `prefix` before routing, since restify
 * would otherwise answer them 405. Allowed origins get 204 with the CORS grant, others 403.
 */
export function registerPreflight(server: restify.Server, prefix: string, policy: CorsPolicy, methods: string): void {
  server.pre((req: restify.Request, res: restify.Response, next: restify.Next) => {
    if (req.method !== 'OPTIONS' || !(req.url ?? '').startsWith(prefix)) return next();
    const verdict = applyCors(req, res, policy);
    if (verdict === 'denied' || verdict === 'none') {
      res.status(403);
      res.json({ error: 'Diese Herkunft (Origin) ist nicht freigegeben.' });
      return next(false);
    }
    res.setHeader('Access-Control-Allow-Methods', methods);
    res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, x-ms-bot-agent');
    res.setHeader('Access-Control-Max-Age', '600');
    res.status(204);
    res.end();
    return next(false);
  });
}
