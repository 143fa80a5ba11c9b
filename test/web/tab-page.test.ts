/**
 * The "Meine Termine" tab in a real headless Chromium. Outside Teams (as anyone following the link
 * in a browser would) it must say so in German, log no errors, and pass axe at WCAG 2.1 AA. Inside
 * a stand-in Teams host that speaks the teams-js postMessage protocol it must sign in with SSO, show
 * the user's appointments in the Teams theme and open the chat through a deep link.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import restify from 'restify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEntraTokenValidator, EntraTokenError } from '../../src/channels/entra-token';
import { tabAppointmentsFor } from '../../src/app';
import { registerTabRoutes } from '../../src/channels/tab-routes';
import type { Db } from '../../src/storage';
import { tabTexts } from '../../src/web/tab/texts';
import { clock, contact, makeService } from '../booking/fixtures';
import { CLIENT_ID, startTestIssuer, TENANT, USER_OID, type TestIssuer } from '../channels/test-issuer';

const CHROMIUM = '/usr/bin/chromium';
const TEAMS_JS_CDN = 'https://res.cdn.office.net/teams-js/validDomains/json/validDomains.json';
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

let server: restify.Server;
let base: string;
let context: BrowserContext;
let profileDir: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} fehlt: apt-get install -y chromium`);
  server = restify.createServer();
  registerTabRoutes(server, {
    validator: {
      validate: async () => {
        throw new EntraTokenError('missing', 'not used outside Teams');
      },
    },
    botAppId: '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
    listAppointmentsForUser: async () => [],
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  profileDir = mkdtempSync(path.join(tmpdir(), 'kdlz-tab-chromium-'));
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  // teams-js asks Microsoft's CDN for the current Teams host origins; the test stays offline and
  // answers for it, and any other request leaving loopback fails the test.
  await context.route(TEAMS_JS_CDN, (route) => route.fulfill({ json: { validOrigins: ['teams.microsoft.com', '*.teams.microsoft.com'] } }));
}, 60_000);

afterAll(async () => {
  await context?.close();
  await new Promise<void>((resolve) => server?.close(() => resolve()));
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
});

/** Opens the tab and collects everything the browser reports as an error. */
async function openTab(): Promise<{ page: Page; errors: string[] }> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(err.message));
  page.on('requestfailed', (req) => errors.push(`request failed: ${req.url()}`));
  page.on('request', (req) => {
    if (!req.url().startsWith(base) && req.url() !== TEAMS_JS_CDN) errors.push(`unexpected request: ${req.url()}`);
  });
  await page.goto(`${base}/tab`);
  return { page, errors };
}

async function axeViolations(page: Page) {
  const result = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

describe('tab page outside Teams', () => {
  it('says in German that it must be opened in Teams, without errors', async () => {
    const { page, errors } = await openTab();
    await expect.poll(() => page.locator('#status').textContent(), { timeout: 15_000 }).toBe(tabTexts.outsideTeams);
    expect(await page.locator('h1').textContent()).toBe('Meine Termine');
    // Nothing that only works inside Teams is offered.
    expect(await page.locator('#actions').isHidden()).toBe(true);
    expect(await page.locator('#appointments').isHidden()).toBe(true);
    // Give late failures (timers, rejected promises) a moment to surface.
    await page.waitForTimeout(500);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('has no axe violations at WCAG 2.1 AA', async () => {
    const { page } = await openTab();
    await expect.poll(() => page.locator('#status').textContent(), { timeout: 15_000 }).toBe(tabTexts.outsideTeams);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });

  it.each(['default', 'dark', 'contrast'])('the full layout (table, buttons) passes axe in the %s theme', async (theme) => {
    const { page } = await openTab();
    await expect.poll(() => page.locator('#status').textContent(), { timeout: 15_000 }).toBe(tabTexts.outsideTeams);
    // Show what Teams users see, with one appointment row, under the theme's colours.
    await page.evaluate((t) => {
      document.body.className = `theme-${t}`;
      const row = document.createElement('tr');
      for (const text of ['KDLZ-7Q4M', 'Mittwoch, 2. Dezember 2026 um 10:00 Uhr', 'Vor-Ort-Beratung', 'bestätigt']) {
        const td = document.createElement('td');
        td.textContent = text;
        row.append(td);
      }
      document.getElementById('appointment-rows')!.append(row);
      document.querySelectorAll<HTMLButtonElement>('button[data-intent]').forEach((b) => (b.textContent = b.dataset.intent!));
      document.getElementById('appointments')!.hidden = false;
      document.getElementById('actions')!.hidden = false;
    }, theme);
    expect(await axeViolations(page)).toEqual([]);
    await page.close();
  });
});

/**
 * A stand-in for the Teams client: a page on https://teams.microsoft.com (served by Playwright, never
 * the real site) that frames the tab from https://kdlz.test (routed to the local server) and answers
 * the tab's teams-js messages the way a Teams web client does.
 */
const TAB_ORIGIN = 'https://kdlz.test';
const HOST_URL = 'https://teams.microsoft.com/kdlz-test-host';

function hostPage(context: object, token: string): string {
  return `<!doctype html><html lang="de"><head><title>Teams (Test)</title></head><body>
<iframe id="tab" title="Meine Termine" src="${TAB_ORIGIN}/tab" style="width:900px;height:700px"></iframe>
<script>
  window.calls = [];
  const answers = {
    initialize: ['content', 'web', '2.0.0', '2.0.0'],
    getContext: [${JSON.stringify(context)}],
    'authentication.getAuthToken': [true, ${JSON.stringify(token)}],
  };
  window.addEventListener('message', (event) => {
    const msg = event.data;
    if (!msg || typeof msg.func !== 'string') return;
    window.calls.push({ func: msg.func, args: msg.args });
    event.source.postMessage({ id: msg.id, uuidAsString: msg.uuidAsString, args: answers[msg.func] || [true] }, event.origin);
  });
</script></body></html>`;
}

describe('tab page inside a Teams host', () => {
  let issuer: TestIssuer;
  let teamsServer: restify.Server;
  let teamsBase: string;
  const BOT_ID = '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';

  let db: Db;
  let refs: { online: string; onSite: string };

  beforeAll(async () => {
    issuer = await startTestIssuer(new Date());
    // Real bookings through the booking service, listed by the app's own mapping (src/app.ts).
    const made = await makeService('sqlite', { now: clock('2026-11-30T08:00:00Z').now });
    db = made.db;
    const book = async (startIso: string, appointmentTypeId: string, channelUserId: string, key: string) =>
      (await made.service.book({ ags: '06531005', appointmentTypeId, startMs: Date.parse(startIso), contact, idempotencyKey: key, channelId: 'msteams', channelUserId })).booking;
    const online = await book('2027-01-12T08:00:00Z', 'online', USER_OID, 'tab-1');
    const onSite = await book('2026-12-02T09:00:00Z', 'vor-ort', USER_OID, 'tab-2');
    await book('2026-12-03T08:00:00Z', 'online', 'someone-else', 'tab-3');
    const cancelled = await book('2026-12-04T08:00:00Z', 'online', USER_OID, 'tab-4');
    await made.service.cancel(cancelled.reference!);
    refs = { online: online.reference!, onSite: onSite.reference! };
    teamsServer = restify.createServer();
    registerTabRoutes(teamsServer, {
      validator: createEntraTokenValidator({ clientId: CLIENT_ID, tenantId: TENANT, jwksUri: issuer.jwksUri }),
      botAppId: BOT_ID,
      listAppointmentsForUser: (user) => tabAppointmentsFor(made.service, user),
    });
    await new Promise<void>((resolve) => teamsServer.listen(0, '127.0.0.1', resolve));
    teamsBase = `http://127.0.0.1:${(teamsServer.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => teamsServer?.close(() => resolve()));
    await issuer?.stop();
    await db?.close();
  });

  /** `foreignKey`: Teams hands out a token our server must refuse (signed by an unknown key). */
  async function openInTeams(theme: string, foreignKey = false) {
    const token = await issuer.sign(issuer.claims(), { stranger: foreignKey });
    const legacyContext = {
      locale: 'de-DE',
      theme,
      userObjectId: USER_OID,
      userPrincipalName: 'erika@buseck.example',
      userDisplayName: 'Erika Mustermann',
      tid: TENANT,
      hostClientType: 'web',
      frameContext: 'content',
    };
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (msg) => {
      if (msg.type() === 'error') errors.push(msg.text());
    });
    page.on('pageerror', (err) => errors.push(err.message));
    await page.route(HOST_URL, (route) => route.fulfill({ contentType: 'text/html', body: hostPage(legacyContext, token) }));
    await page.route(`${TAB_ORIGIN}/**`, async (route) => {
      const url = teamsBase + new URL(route.request().url()).pathname;
      await route.fulfill({ response: await route.fetch({ url }) });
    });
    await page.goto(HOST_URL);
    const tab = page.frameLocator('#tab');
    return { page, tab, errors };
  }

  it('signs in with SSO and lists the user’s appointments in Berlin time, oldest first', async () => {
    const { page, tab, errors } = await openInTeams('default');
    await expect.poll(() => tab.locator('#status').textContent(), { timeout: 15_000 }).toBe(tabTexts.count(2));
    expect(await tab.locator('#user').textContent()).toBe(tabTexts.signedInAs('Erika Mustermann'));
    const rows = await tab.locator('#appointment-rows tr').evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
    );
    // Not the other user's booking, not the cancelled one.
    expect(rows).toEqual([
      [refs.onSite, 'Mittwoch, 2. Dezember 2026 um 10:00 Uhr (120 Minuten)', 'Vor-Ort-Analyse', 'bestätigt'],
      [refs.online, 'Dienstag, 12. Januar 2027 um 09:00 Uhr (60 Minuten)', 'Online-Beratung', 'bestätigt'],
    ]);
    const calls = await page.evaluate(() => (window as unknown as { calls: Array<{ func: string }> }).calls.map((c) => c.func));
    expect(calls).toEqual(expect.arrayContaining(['initialize', 'getContext', 'authentication.getAuthToken']));
    expect(errors).toEqual([]);
    await page.close();
  });

  it('follows the Teams theme and passes axe in it', async () => {
    for (const theme of ['dark', 'contrast']) {
      const { page, tab } = await openInTeams(theme);
      await expect.poll(() => tab.locator('body').getAttribute('class'), { timeout: 15_000 }).toBe(`theme-${theme}`);
      await expect.poll(() => tab.locator('#status').textContent(), { timeout: 15_000 }).toBe(tabTexts.count(2));
      const frame = page.frames().find((f) => f.url().startsWith(TAB_ORIGIN))!;
      const result = await new AxeBuilder({ page }).include('#tab').withTags(AXE_TAGS).analyze();
      expect(result.violations.map((v) => v.id)).toEqual([]);
      expect(await frame.locator('h1').textContent()).toBe('Meine Termine');
      await page.close();
    }
  });

  it('opens the chat with the bot, pre-filled with the command, from the buttons', async () => {
    const { page, tab, errors } = await openInTeams('default');
    await expect.poll(() => tab.locator('#status').textContent(), { timeout: 15_000 }).toBe(tabTexts.count(2));
    await tab.getByRole('button', { name: 'Termin vereinbaren' }).click();
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { calls: Array<{ func: string; args: string[] }> }).calls.filter((c) => c.func === 'executeDeepLink').map((c) => c.args[0])))
      .toEqual([`https://teams.microsoft.com/l/chat/0/0?users=28:${BOT_ID}&message=Termin%20vereinbaren`]);
    expect(await tab.getByRole('button', { name: 'Förderfähigkeit prüfen' }).isVisible()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says the sign-in was refused when the server rejects the token', async () => {
    const { page, tab } = await openInTeams('default', true);
    await expect.poll(() => tab.locator('#status').textContent(), { timeout: 15_000 }).toBe(tabTexts.notAuthorized);
    expect(await tab.locator('#appointments').isHidden()).toBe(true);
    await page.close();
  });
});
