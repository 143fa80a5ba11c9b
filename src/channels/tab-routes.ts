/**
 * HTTP routes of the Teams personal tab "Meine Termine": the page, its stylesheet and script,
 * and the JSON API that returns the signed-in user's appointments after checking the Teams SSO
 * token.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Request, Response, Server } from 'restify';
import { projectRoot } from '../paths';
import type { TabAppointment, TabAppointmentsResponse } from '../web/tab/appointment';
import { bearerToken, EntraTokenError, type EntraTokenValidator, type EntraUser } from './entra-token';

export interface TabRoutesDeps {
  validator: EntraTokenValidator;
  /** The user's appointments; the user is identified by the validated token only. */
  listAppointmentsForUser(user: { oid: string; tid: string; upn?: string }): Promise<TabAppointment[]>;
  /** The bot's Microsoft App ID, for the tab's "open chat with the bot" buttons. */
  botAppId?: string;
  /** Problem codes only; never tokens or user data. */
  log?: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

const tabDir = (): string => path.join(projectRoot(), 'src', 'web', 'tab');
const GUID = /^[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;

/**
 * Teams (classic and new), and the Microsoft 365 hosts that can show Teams tabs, may frame the
 * page; nothing else may. Scripts and styles only from this server: no inline code.
 */
export const TAB_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  // teams-js fetches its current list of Teams host origins from this CDN (falls back to a built-in list).
  "connect-src 'self' https://res.cdn.office.net",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'self' https://teams.microsoft.com https://*.teams.microsoft.com https://*.skype.com " +
    'https://*.cloud.microsoft https://*.office.com https://outlook.office.com https://outlook.office365.com',
].join('; ');

const pageHeaders = (contentType: string): Record<string, string> => ({
  'Content-Type': contentType,
  'Content-Security-Policy': TAB_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-cache',
});

let bundlePromise: Promise<string> | undefined;

/**
 * Bundles the tab's browser script with esbuild on first use and keeps it in memory, so a fresh
 * clone serves it without a separate build step. Call early to warm it up.
 */
export function bundleTabScript(): Promise<string> {
  bundlePromise ??= (async () => {
    const esbuild = await import('esbuild');
    const result = await esbuild.build({
      entryPoints: [path.join(tabDir(), 'tab.browser.ts')],
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      target: ['es2020'],
      minify: true,
      legalComments: 'none',
      logLevel: 'silent',
    });
    return result.outputFiles[0].text;
  })();
  // A failed build must not be cached forever: the next request tries again.
  bundlePromise.catch(() => (bundlePromise = undefined));
  return bundlePromise;
}

function sendJson(res: Response, status: number, body: unknown, extra: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...extra });
  res.end(JSON.stringify(body));
}

/** Messages for API clients (the tab script shows its own German text to users). */
const apiErrors: Record<string, string> = {
  missing: 'Anmeldung fehlt: Authorization-Header mit Teams-SSO-Token erwartet.',
  keys_unavailable: 'Die Schlüssel von Microsoft Entra ID sind gerade nicht abrufbar. Bitte später erneut versuchen.',
  not_configured: 'Die Teams-Einmalanmeldung ist auf diesem Server nicht eingerichtet (MicrosoftAppId fehlt).',
};

export function registerTabRoutes(server: Server, deps: TabRoutesDeps): void {
  const botAppId = deps.botAppId && GUID.test(deps.botAppId) ? deps.botAppId : '';
  let pagePromise: Promise<string> | undefined;
  const page = () =>
    (pagePromise ??= readFile(path.join(tabDir(), 'index.html'), 'utf8').then((html) =>
      html.replace('{{BOT_APP_ID}}', botAppId),
    ));

  server.get('/tab', async (_req: Request, res: Response) => {
    res.writeHead(200, pageHeaders('text/html; charset=utf-8'));
    res.end(await page());
  });

  server.get('/tab/tab.css', async (_req: Request, res: Response) => {
    res.writeHead(200, pageHeaders('text/css; charset=utf-8'));
    res.end(await readFile(path.join(tabDir(), 'tab.css'), 'utf8'));
  });

  server.get('/tab/icon.png', async (_req: Request, res: Response) => {
    res.writeHead(200, { ...pageHeaders('image/png'), 'Cache-Control': 'public, max-age=86400' });
    res.end(await readFile(path.join(projectRoot(), 'manifest', 'color.png')));
  });

  server.get('/tab/tab.js', async (_req: Request, res: Response) => {
    let script: string;
    try {
      script = await bundleTabScript();
    } catch (err) {
      deps.log?.error({ err: (err as Error).message }, 'tab script bundle failed');
      return sendJson(res, 503, { error: 'Das Skript des Tabs konnte nicht erstellt werden.' });
    }
    res.writeHead(200, pageHeaders('text/javascript; charset=utf-8'));
    res.end(script);
  });

  server.get('/api/tab/appointments', async (req: Request, res: Response) => {
    let user: EntraUser;
    try {
      user = await deps.validator.validate(bearerToken(req.header('authorization')));
    } catch (err) {
      if (!(err instanceof EntraTokenError)) throw err;
      deps.log?.warn({ problem: err.problem }, 'tab token rejected');
      const message = apiErrors[err.problem] ?? `Anmeldung abgelehnt: ${err.message}.`;
      return sendJson(res, err.statusCode, { error: message }, err.statusCode === 401 ? { 'WWW-Authenticate': 'Bearer' } : {});
    }
    let appointments: TabAppointment[];
    try {
      appointments = await deps.listAppointmentsForUser({ oid: user.oid, tid: user.tid, upn: user.upn });
    } catch (err) {
      deps.log?.error({ err: (err as Error).message }, 'tab appointments lookup failed');
      return sendJson(res, 500, { error: 'Die Termine können gerade nicht geladen werden.' });
    }
    const body: TabAppointmentsResponse = { appointments };
    sendJson(res, 200, body);
  });
}
