/**
 * The "Meine Termine" tab in a real headless Chromium, opened outside Teams (as anyone following
 * the link in a browser would): it must say so in German, log no errors, and pass axe at WCAG 2.1 AA.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import restify from 'restify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EntraTokenError } from '../../src/channels/entra-token';
import { registerTabRoutes } from '../../src/channels/tab-routes';
import { tabTexts } from '../../src/web/tab/texts';

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
