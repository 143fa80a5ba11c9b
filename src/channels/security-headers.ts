/**
 * Security headers for every response of this server: a Content-Security-Policy the portal demo
 * page and the chat widget (official botframework-webchat) work under without any inline script,
 * plus nosniff, a referrer policy and a permissions policy.
 *
 * Why each CSP source is there:
 * - script-src 'self': widget.js and the Web Chat bundle come from this server; no inline script,
 *   no eval (Web Chat runs without it, the browser test proves it).
 * - style-src 'unsafe-inline': Web Chat styles itself with emotion, which inserts <style> elements
 *   at run time; there is no way to hand it a hash. Inline *script* stays forbidden.
 * - img-src/media-src data: blob:: Web Chat draws avatars and attachments as data:/blob: URLs.
 * - connect-src: the token service and Direct Line over HTTP and the WebSocket stream.
 * - frame-ancestors: who may frame our pages, from FRAME_ANCESTORS.
 */
import type { Request, Response, Server } from 'restify';
import type { Config } from '../config';

export type SecurityHeaderConfig = Pick<Config, 'FRAME_ANCESTORS' | 'PUBLIC_BASE_URL'>;

/** A host header we are willing to echo into a policy: host name or IP, optional port. */
const SAFE_HOST = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/;
/** A single CSP source expression (no separators that could start another directive). */
const SAFE_SOURCE = /^[^\s;,]+$/;

/**
 * The WebSocket origins for connect-src. Older browsers do not let 'self' cover ws:/wss:, so the
 * stream origin is listed explicitly: from PUBLIC_BASE_URL when configured, else from the Host
 * header of the request (checked, so a forged header cannot inject directives).
 */
export function webSocketSources(config: SecurityHeaderConfig, hostHeader: string | undefined): string[] {
  if (config.PUBLIC_BASE_URL) {
    const u = new URL(config.PUBLIC_BASE_URL);
    return [`${u.protocol === 'https:' ? 'wss' : 'ws'}://${u.host}`];
  }
  if (!hostHeader || !SAFE_HOST.test(hostHeader)) return [];
  return [`ws://${hostHeader}`, `wss://${hostHeader}`];
}

/** FRAME_ANCESTORS is a space-separated source list; anything malformed falls back to 'self'. */
export function frameAncestors(value: string): string {
  const sources = value.split(/\s+/).filter(Boolean);
  if (sources.length === 0 || !sources.every((s) => SAFE_SOURCE.test(s))) return "'self'";
  return sources.join(' ');
}

export function contentSecurityPolicy(config: SecurityHeaderConfig, hostHeader?: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' data: blob:",
    "font-src 'self' data:",
    ['connect-src', "'self'", ...webSocketSources(config, hostHeader)].join(' '),
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors(config.FRAME_ANCESTORS)}`,
  ].join('; ');
}

export function securityHeaders(config: SecurityHeaderConfig, hostHeader?: string): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Security-Policy': contentSecurityPolicy(config, hostHeader),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    // The bot needs none of these powerful features; switching them off limits what injected
    // content could do.
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=()',
  };
  if (config.PUBLIC_BASE_URL?.startsWith('https://')) {
    headers['Strict-Transport-Security'] = 'max-age=31536000';
  }
  return headers;
}

/**
 * Sets the headers on every response before routing, so 404s and JSON errors carry them too.
 * A route with stricter needs (the Teams tab) overrides them with its own writeHead headers.
 */
export function registerSecurityHeaders(server: Server, config: SecurityHeaderConfig): void {
  server.pre((req: Request, res: Response, next: () => void) => {
    for (const [name, value] of Object.entries(securityHeaders(config, req.headers.host))) {
      res.setHeader(name, value);
    }
    next();
  });
}
