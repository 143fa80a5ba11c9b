/**
 * The portal side of the web chat: the demo portal page, the privacy notice and the
 * accessibility statement, the embeddable widget (widget.js, widget.css) and the official
 * Web Chat bundle from node_modules (no CDN). Also installs the security headers for every
 * response of the server.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { Request, Response, Server } from 'restify';
import { projectRoot } from '../paths';
import { sendJsonError } from '../server';
import { renderAccessibilityPage } from '../web/pages/accessibility';
import { renderPortalPage } from '../web/pages/portal';
import { renderPrivacyPage, type PrivacyConfig } from '../web/pages/privacy';
import { bundleWidget, widgetSourceDir } from '../web/widget/bundle';
import { registerSecurityHeaders, type SecurityHeaderConfig } from './security-headers';

export type WebRoutesConfig = SecurityHeaderConfig & PrivacyConfig;

export interface WebRoutesDeps {
  config: WebRoutesConfig;
  log?: { error(obj: object, msg: string): void };
}

const gzipAsync = promisify(gzip);

/** A response body prepared once: its bytes, a gzip copy and an ETag. */
interface Asset {
  type: string;
  body: Buffer;
  gz: Buffer;
  etag: string;
  cacheControl: string;
}

async function makeAsset(type: string, content: string | Buffer, cacheControl: string): Promise<Asset> {
  const body = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8');
  const gz = await gzipAsync(body, { level: 9 });
  const etag = '"' + createHash('sha256').update(body).digest('base64url').slice(0, 27) + '"';
  return { type, body, gz, etag, cacheControl };
}

/** Caches a lazily built asset; a failure is not cached so the next request retries. */
function lazy(build: () => Promise<Asset>): () => Promise<Asset> {
  let p: Promise<Asset> | undefined;
  return () => {
    p ??= build();
    p.catch(() => (p = undefined));
    return p;
  };
}

function sendAsset(req: Request, res: Response, asset: Asset, extraHeaders: Record<string, string> = {}): void {
  const headers: Record<string, string> = {
    'Content-Type': asset.type,
    'Cache-Control': asset.cacheControl,
    ETag: asset.etag,
    Vary: 'Accept-Encoding',
    ...extraHeaders,
  };
  if (req.headers['if-none-match'] === asset.etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  const useGzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  const body = useGzip ? asset.gz : asset.body;
  if (useGzip) headers['Content-Encoding'] = 'gzip';
  headers['Content-Length'] = String(body.length);
  res.writeHead(200, headers);
  res.end(body);
}

/** Public scripts and styles a portal on another origin loads with <script>/<link>. */
const EMBEDDABLE = { 'Access-Control-Allow-Origin': '*', 'Cross-Origin-Resource-Policy': 'cross-origin' };

export function webChatBundlePath(): string {
  return path.join(projectRoot(), 'node_modules', 'botframework-webchat', 'dist', 'webchat.js');
}

export function registerWebRoutes(server: Server, deps: WebRoutesDeps): void {
  const { config } = deps;
  registerSecurityHeaders(server, config);

  const privacyUrl = config.PRIVACY_URL && /^https?:\/\//i.test(config.PRIVACY_URL) ? config.PRIVACY_URL : '/datenschutz';
  const html = 'text/html; charset=utf-8';
  const pages: Record<string, () => Promise<Asset>> = {
    '/': lazy(() => makeAsset(html, renderPortalPage({ privacyUrl }), 'no-cache')),
    '/datenschutz': lazy(() => makeAsset(html, renderPrivacyPage(config), 'no-cache')),
    '/barrierefreiheit': lazy(() => makeAsset(html, renderAccessibilityPage(config), 'no-cache')),
  };
  const siteCss = lazy(async () =>
    makeAsset('text/css; charset=utf-8', await readFile(path.join(projectRoot(), 'src', 'web', 'pages', 'site.css')), 'no-cache'),
  );
  const widgetCss = lazy(async () =>
    makeAsset('text/css; charset=utf-8', await readFile(path.join(widgetSourceDir(), 'widget.css')), 'no-cache'),
  );
  const widgetJs = lazy(async () => makeAsset('text/javascript; charset=utf-8', await bundleWidget(), 'no-cache'));
  // Web Chat changes only with the package version; an hour of caching, then revalidation.
  const webChatJs = lazy(async () => makeAsset('text/javascript; charset=utf-8', await readFile(webChatBundlePath()), 'public, max-age=3600'));

  const serve = (load: () => Promise<Asset>, what: string, extra: Record<string, string> = {}) =>
    async (req: Request, res: Response) => {
      let asset: Asset;
      try {
        asset = await load();
      } catch (err) {
        deps.log?.error({ err: (err as Error).message, what }, 'web asset unavailable');
        return sendJsonError(res, 503, 'Diese Datei ist gerade nicht verfügbar.');
      }
      sendAsset(req, res, asset, extra);
    };

  for (const [route, load] of Object.entries(pages)) server.get(route, serve(load, route));
  server.get('/assets/site.css', serve(siteCss, 'site.css'));
  server.get('/widget.css', serve(widgetCss, 'widget.css', EMBEDDABLE));
  server.get('/widget.js', serve(widgetJs, 'widget.js', EMBEDDABLE));
  server.get('/webchat/webchat.js', serve(webChatJs, 'webchat.js', EMBEDDABLE));

  // Warm up in the background so the first visitor does not wait for esbuild and gzip.
  void Promise.allSettled([widgetJs(), webChatJs()]);
}
