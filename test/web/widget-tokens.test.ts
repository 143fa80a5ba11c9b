/**
 * Token lifetime in the widget, in Chromium against the real app with 10-second tokens on an
 * injectable clock (nothing waits a real token lifetime): the
 * widget refreshes before expiry; when refresh is refused it gets a new token for the same
 * conversation from the token service; a token that expired while the page could not renew it
 * is replaced on the next load — without losing history or what the user had typed.
 */
import type { Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import { watchPage } from '../helpers/browser';
import { withServerAndBrowser } from '../helpers/fixtures';
import type { TestServer } from '../helpers/server';
import { openWidget, send, SENDBOX, sessionState, userTexts, waitForBotMessages } from './chat-page';

const TTL_SEC = 10;

/**
 * The injectable clock: the server's Direct Line runs on `serverNow` and every page on Playwright's
 * fake clock; `advance` moves both forward together, so a token lifetime passes without waiting.
 */
let offsetMs = 0;
const serverNow = () => Date.now() + offsetMs;
async function advance(page: Page, ms: number): Promise<void> {
  offsetMs += ms;
  await page.clock.fastForward(ms);
}

const it = withServerAndBrowser({ DIRECT_LINE_SECRET: 'token-test-secret-0123456789', DIRECT_LINE_TOKEN_TTL_SEC: String(TTL_SEC) }, { now: serverNow });

const isRenewal = (body: string | null) => !!body && JSON.parse(body).token !== undefined;

async function startConversation(server: TestServer, page: Page): Promise<string> {
  await page.clock.install();
  await page.goto(server.url + '/');
  await openWidget(page);
  await send(page, 'Erste Nachricht');
  await waitForBotMessages(page, 1);
  return (await sessionState(page))!.session!.conversationId;
}

describe('widget tokens', () => {
  it('refreshes the token before it expires, so the conversation goes on past the token lifetime', async ({ server, browser }) => {
    const page = await browser.context.newPage();
    const problems = await watchPage(page);
    const conversationId = await startConversation(server, page);
    const firstToken = (await sessionState(page))!.session!.token;

    // Past half the lifetime the widget refreshes.
    const refreshed = page.waitForResponse((r) => r.url().endsWith('/v3/directline/tokens/refresh'), { timeout: 10_000 });
    await advance(page, 0.6 * TTL_SEC * 1000);
    expect((await refreshed).status()).toBe(200);
    // Past the first token's lifetime (the server refuses it now): the conversation goes on.
    await advance(page, 0.6 * TTL_SEC * 1000);

    const before = (await waitForBotMessages(page, 1)).length;
    await send(page, 'Nach Ablauf des ersten Tokens');
    await waitForBotMessages(page, before + 1);
    const now = (await sessionState(page))!.session!;
    expect(now.conversationId).toBe(conversationId);
    expect(now.token).not.toBe(firstToken);
    expect(await page.locator('.kdlz-chat__status--error').count()).toBe(0);
    expect(problems.consoleErrors.filter((e) => !/status of 40[13]/.test(e))).toEqual([]);
    await page.close();
  }, 40_000);

  it('when refresh is refused, renews at the token service for the same conversation and keeps the typed text', async ({ server, browser }) => {
    const page = await browser.context.newPage();
    await page.route('**/v3/directline/tokens/refresh', (r) => r.fulfill({ status: 403, contentType: 'application/json', body: '{"error":"abgelaufen"}' }));
    const conversationId = await startConversation(server, page);
    await page.locator(SENDBOX).fill('Halb getippte Frage');

    const renewal = page.waitForResponse((r) => r.url().endsWith('/api/webchat/token') && isRenewal(r.request().postData()), { timeout: 10_000 });
    await advance(page, 0.6 * TTL_SEC * 1000);
    expect((await renewal).status()).toBe(200);
    expect((await (await renewal).json()).conversationId).toBe(conversationId);

    // Web Chat was reconnected with the new token: history replayed, typed text still there.
    await page.waitForFunction(() => document.querySelectorAll('.webchat__bubble--from-user').length >= 1, undefined, { timeout: 10_000 });
    expect(await userTexts(page)).toContain('Erste Nachricht');
    await expect.poll(() => page.locator(SENDBOX).inputValue()).toBe('Halb getippte Frage');
    expect((await sessionState(page))!.session!.conversationId).toBe(conversationId);

    const before = (await waitForBotMessages(page, 1)).length;
    await page.locator(SENDBOX).press('Enter');
    await waitForBotMessages(page, before + 1);
    expect(await userTexts(page)).toContain('Halb getippte Frage');
    await page.close();
  }, 40_000);

  it('replaces a token that expired while the page could not renew it, on the next load, with history', async ({ server, browser }) => {
    const page = await browser.context.newPage();
    // Neither refresh nor renewal gets through, so the stored token runs out.
    await page.route('**/v3/directline/tokens/refresh', (r) => r.abort());
    const conversationId = await startConversation(server, page);
    await page.route('**/api/webchat/token', (r) => r.abort());
    await advance(page, (TTL_SEC + 2) * 1000);
    const { expiresAt } = (await sessionState(page))!.session!;
    expect(await page.evaluate(() => Date.now())).toBeGreaterThan(expiresAt);
    await page.unroute('**/v3/directline/tokens/refresh');
    await page.unroute('**/api/webchat/token');

    const renewal = page.waitForResponse((r) => r.url().endsWith('/api/webchat/token') && isRenewal(r.request().postData()), { timeout: 10_000 });
    await page.reload();
    expect((await renewal).status()).toBe(200);
    await page.waitForFunction(() => document.querySelectorAll('.webchat__bubble--from-user').length >= 1, undefined, { timeout: 10_000 });
    expect(await userTexts(page)).toContain('Erste Nachricht');
    const session = (await sessionState(page))!.session!;
    expect(session.conversationId).toBe(conversationId);
    expect(session.expiresAt).toBeGreaterThan(await page.evaluate(() => Date.now()));
    expect(await page.locator('.kdlz-chat__status--error').count()).toBe(0);
    await page.close();
  }, 40_000);
});
