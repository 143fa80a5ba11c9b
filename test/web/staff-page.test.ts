/**
 * The staff page /staff in Debian's Chromium: token sign-in by keyboard, open handoffs with
 * details and a reply, the charts (Chart.js from this server) with their data tables, axe at
 * WCAG 2.1 AA with 0 violations, no CSP violation and no request leaving the server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations, type Browser, launchBrowser, watchPage } from '../helpers/browser';
import { startTestServer, type TestServer } from '../helpers/server';
import { staffCall, STAFF_TOKEN, testClock } from '../handoff/helpers';

const clock = testClock('2026-06-01T10:00');
let srv: TestServer;
let browser: Browser;
let handoffId = '';

beforeAll(async () => {
  srv = await startTestServer({ STAFF_API_TOKEN: STAFF_TOKEN }, { now: clock.now });
  const h = await srv.app.domain.handoffs.request({
    conversationId: 'c-staff-page',
    channel: 'directline',
    userKey: 'u-staff-page',
    conversationRef: null,
    kommune: 'Buseck',
    topic: 'Verdacht auf Phishing-Mail',
    transcript: [{ from: 'user', text: 'Was tun bei Phishing?', timestamp: new Date().toISOString() }],
  });
  handoffId = h.id;
  for (const k of ['answer', 'answer', 'answer', 'clarify', 'decline']) srv.app.domain.insights.countAnswer(k);
  const now = new Date().toISOString();
  for (const [i, q] of ['Wie backe ich Käsekuchen für erika@example.org?', 'Käsekuchen backen: wie geht das?', 'Wer ist Bürgermeister von Mainz?'].entries()) {
    await srv.app.db.run('INSERT INTO knowledge_unanswered (id, asked_at, question, reason, score, coverage) VALUES ($1, $2, $3, $4, 0, 0)', [`u${i}`, now, q, 'no-match']);
  }
  await srv.app.domain.knowledge.recordFeedback({ question: 'Käsekuchen richtig backen?', helpful: false, answerKind: 'answer' });
  await srv.app.domain.knowledge.recordFeedback({ question: 'Was ist das Hessen3C?', helpful: true, answerKind: 'answer' });
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await srv?.close();
});

/** Presses Tab until the focused element matches, at most `max` times: proves keyboard reachability. */
async function tabTo(page: Page, selector: string, max = 40): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`${selector} not reached by keyboard`);
}

describe('staff page /staff', () => {
  it('serves figures without personal data and refuses them without sign-in', async () => {
    expect((await staffCall(srv.url, 'GET', '/api/staff/stats', undefined, '')).status).toBe(401);
    expect((await staffCall(srv.url, 'GET', '/api/staff/stats?days=abc')).status).toBe(400);
    const s = (await staffCall(srv.url, 'GET', '/api/staff/stats')).body;
    expect(s.questionsPerDay).toHaveLength(30);
    const today = s.questionsPerDay.at(-1);
    expect(today).toMatchObject({ total: 5, answer: 3, clarify: 1, decline: 1 });
    expect(s.feedbackPerDay.reduce((a: number, x: { up: number }) => a + x.up, 0)).toBe(1);
    const cake = s.topUnanswered[0];
    expect(cake).toMatchObject({ count: 3, declined: 2, downVoted: 1 });
    expect(JSON.stringify(s)).not.toContain('erika@example.org');
    expect(JSON.stringify(s)).not.toContain('c-staff-page');
    expect((await staffCall(srv.url, 'GET', '/api/staff/config', undefined, '')).body).toEqual({ oidc: null });
  });

  it('signs in with the token by keyboard, shows requests, charts and tables, passes axe, and replies', async () => {
    const page = await browser.context.newPage();
    const problems = await watchPage(page);
    const foreign: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(srv.url) && !r.url().startsWith('data:')) foreign.push(r.url());
    });
    const res = await page.goto(srv.url + '/staff');
    expect(res?.headers()['content-security-policy']).toMatch(/script-src 'self'/);
    expect(res?.headers()['content-security-policy']).not.toMatch(/unsafe-inline/);
    await page.locator('#token-form').waitFor();
    expect(await axeViolations(page)).toEqual([]);

    await tabTo(page, '#token');
    await page.keyboard.type(STAFF_TOKEN);
    await page.keyboard.press('Enter');
    await page.getByText('Daten geladen.').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('kdlz-staff-token'))).toBe(STAFF_TOKEN);
    await expect.poll(() => page.locator('#open-rows tr').count()).toBe(1);
    expect(await page.locator('#open-rows tr').first().innerText()).toMatch(/wartet\s+Buseck\s+Verdacht auf Phishing-Mail\s+Web-Chat/);
    // Charts are drawn (Chart.js) with a text summary; the tables hold the same numbers.
    expect(await page.locator('#chart-questions').getAttribute('aria-label')).toMatch(/5 Fragen, davon 60 % beantwortet, 20 % rückgefragt, 20 % abgelehnt/);
    expect(await page.evaluate(() => (document.getElementById('chart-bookings') as HTMLCanvasElement).width)).toBeGreaterThan(0);
    expect(await page.locator('#table-questions tbody tr').count()).toBe(30);
    const unanswered = await page.locator('#table-unanswered').innerText();
    expect(unanswered).toMatch(/Käsekuchen/);
    expect(unanswered).not.toContain('erika@example.org');
    expect(await axeViolations(page)).toEqual([]);
    // The tables open by keyboard too, and still pass axe.
    await tabTo(page, '#questions-heading ~ details summary');
    await page.keyboard.press('Enter');
    expect(await page.locator('#questions-heading ~ details').getAttribute('open')).not.toBeNull();
    expect(await axeViolations(page)).toEqual([]);

    // Details and a reply, by keyboard only.
    await page.locator('#open-heading').focus();
    await tabTo(page, '#open-rows button');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('detail-heading');
    expect(await page.locator('#detail-transcript').innerText()).toContain('Was tun bei Phishing?');
    await tabTo(page, '#agent');
    await page.keyboard.type('Anna Beispiel');
    await tabTo(page, '#reply');
    await page.keyboard.type('Guten Tag, wir kümmern uns.');
    await tabTo(page, '#send');
    await page.keyboard.press('Enter');
    await page.getByText('Nachricht gesendet.').waitFor();
    const h = (await staffCall(srv.url, 'GET', `/api/handoffs/${handoffId}`)).body;
    expect(h).toMatchObject({ status: 'active', takenBy: 'Anna Beispiel' });
    expect(h.transcript.at(-1)).toMatchObject({ from: 'staff', text: 'Guten Tag, wir kümmern uns.', agentName: 'Anna Beispiel' });
    await expect.poll(() => page.locator('#detail-transcript li').count()).toBe(2);
    expect(await axeViolations(page)).toEqual([]);

    // Signing out forgets the token.
    await page.locator('#signout').focus();
    await page.keyboard.press('Enter');
    await page.locator('#token-form').waitFor();
    expect(await page.evaluate(() => sessionStorage.getItem('kdlz-staff-token'))).toBeNull();

    expect(problems).toEqual({ consoleErrors: [], pageErrors: [], cspViolations: [] });
    expect(foreign).toEqual([]);
    await page.close();
  });

  it('a wrong token is refused with a German message and the sign-in form again', async () => {
    const page = await browser.context.newPage();
    await page.goto(srv.url + '/staff');
    await page.locator('#token').fill('falsch');
    await page.locator('#token').press('Enter');
    await page.getByText(/Anmeldung ist abgelaufen oder ungültig/).waitFor();
    expect(await page.locator('#signin').isVisible()).toBe(true);
    expect(await page.locator('#content').isVisible()).toBe(false);
    await page.close();
  });
});
