/**
 * The KDLZ staff page /staff: open handoffs and callbacks, and anonymised figures (questions per
 * day with answered/clarified/declined, bookings per week, 👍/👎, frequent unanswered questions).
 * The page and its script come from this server (Chart.js bundled with esbuild, no CDN), under a
 * CSP without inline script or style. Sign-in: Entra ID (OIDC with PKCE) where configured,
 * otherwise the staff token; the data routes accept either (src/channels/staff-auth.ts).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Request, Response, Server } from 'restify';
import type { InsightsService } from '../insights';
import { projectRoot } from '../paths';
import { sendJsonError } from '../server';
import { bundleBrowserEntry } from '../web/widget/bundle';
import type { StaffGuard } from './staff-auth';

export interface StaffPageDeps {
  guard: StaffGuard;
  insights: InsightsService;
  /** Entra sign-in for staff; unset: the page asks for the staff token. */
  oidc?: { clientId: string; tenantId: string };
  log?: { error(obj: object, msg: string): void };
}

const staffDir = (): string => path.join(projectRoot(), 'src', 'web', 'staff');
const ENTRA = 'https://login.microsoftonline.com';

/** Own policy: scripts and styles only from here; the token request of the sign-in goes to Entra ID. */
export const STAFF_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  `connect-src 'self' ${ENTRA}`,
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const headers = (type: string, cache = 'no-cache'): Record<string, string> => ({
  'Content-Type': type,
  'Content-Security-Policy': STAFF_CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': cache,
});

export const bundleStaffScript = (): Promise<string> => bundleBrowserEntry(path.join(staffDir(), 'browser', 'staff.ts'), 'es2020');

export function registerStaffPage(server: Server, deps: StaffPageDeps): void {
  const serveFile = (file: string, type: string) => async (_req: Request, res: Response) => {
    res.writeHead(200, headers(type));
    res.end(await readFile(path.join(staffDir(), file), 'utf8'));
  };
  server.get('/staff', serveFile('index.html', 'text/html; charset=utf-8'));
  server.get('/staff/staff.css', serveFile('staff.css', 'text/css; charset=utf-8'));
  server.get('/staff/staff.js', async (_req: Request, res: Response) => {
    let script: string;
    try {
      script = await bundleStaffScript();
    } catch (err) {
      deps.log?.error({ err: (err as Error).message }, 'staff page bundle failed');
      return sendJsonError(res, 503, 'Das Skript der Mitarbeiterseite konnte nicht erstellt werden.');
    }
    res.writeHead(200, headers('text/javascript; charset=utf-8'));
    res.end(script);
  });

  /** What the page needs before sign-in: how to sign in. No secret in here. */
  server.get('/api/staff/config', async (_req: Request, res: Response) => {
    res.header('Cache-Control', 'no-store');
    const o = deps.oidc;
    res.json({
      oidc: o
        ? { clientId: o.clientId, authority: `${ENTRA}/${o.tenantId}`, scope: `api://${o.clientId}/access_as_user openid profile` }
        : null,
    });
  });

  server.get('/api/staff/stats', async (req: Request, res: Response) => {
    if (!(await deps.guard(req, res))) return;
    const raw = (req.query ?? {}) as Record<string, unknown>;
    const days = raw.days === undefined ? 30 : Number(raw.days);
    if (!Number.isInteger(days) || days < 1 || days > 366) return sendJsonError(res, 400, 'days: eine ganze Zahl von 1 bis 366.');
    res.header('Cache-Control', 'no-store');
    res.json(await deps.insights.stats(days));
  });

  // Warm up so the first visitor does not wait for esbuild.
  void bundleStaffScript().catch(() => undefined);
}
