/**
 * The portal page and its chat widget in real headless Chromium against the real app: the
 * conversation, accessibility (axe with WCAG 2.0/2.1 A+AA, keyboard only, 320 px, reduced
 * motion), resuming after reload and in a new tab, token refresh and recovery, the secret scan
 * and the Content-Security-Policy.
 */
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import { withServerAndBrowser } from '../helpers/fixtures';
import { axeViolations, type Browser, type PageProblems, watchPage } from '../helpers/browser';
import { botTexts, interceptStream, isActivityPost, LAUNCHER, openWidget, send, SENDBOX, sessionState, tabUntil, userTexts, waitForBotMessages, waitForQuietTranscript } from './chat-page';

const SECRET = 'dl-secret-' + randomBytes(16).toString('hex');

const it = withServerAndBrowser({ DIRECT_LINE_SECRET: SECRET });

/** A fresh tab with its problems recorded; sessionStorage is per tab, so no state leaks between tests. */
async function newPage(browser: Browser): Promise<{ page: Page; problems: PageProblems }> {
  const page = await browser.context.newPage();
  const problems = await watchPage(page);
  return { page, problems };
}

function expectClean(problems: PageProblems): void {
  expect(problems.cspViolations, 'CSP violations').toEqual([]);
  expect(problems.pageErrors, 'uncaught errors').toEqual([]);
  expect(problems.consoleErrors, 'console errors').toEqual([]);
}

/** A bot message with an Adaptive Card (1.5), suggested actions and hostile Markdown. */
const CARD_ACTIVITY = {
  text: 'Prüfen wir das gemeinsam. <script>window.__pwned = true</script> [Klick mich](javascript:window.__pwned=true) <img src=x onerror="window.__pwned=true">',
  textFormat: 'markdown',
  attachments: [
    {
      contentType: 'application/vnd.microsoft.card.adaptive',
      content: {
        type: 'AdaptiveCard',
        version: '1.5',
        body: [
          { type: 'TextBlock', text: 'Für welche Kommune fragen Sie?', wrap: true, weight: 'Bolder' },
          { type: 'Input.Text', id: 'kommune', label: 'Name der Kommune', isRequired: true, errorMessage: 'Bitte geben Sie eine Kommune an.' },
        ],
        actions: [{ type: 'Action.Submit', title: 'Weiter', data: { step: 'kommune' } }],
      },
    },
  ],
  suggestedActions: {
    actions: [
      { type: 'imBack', title: 'Termin vereinbaren', value: 'Termin vereinbaren' },
      { type: 'imBack', title: 'Förderung prüfen', value: 'Förderung prüfen' },
    ],
  },
};

/**
 * The string that got past the old hand-written escaping: a backslash-escaped backtick is a plain
 * backtick in Markdown, not a code span, so the "<img" between two of them was treated as code by
 * the escaper but rendered as raw HTML by Web Chat.
 */
const ESCAPED_BACKTICK_BYPASS = 'Umgehung: \\`<img src="/assets/site.css" alt="umgangen">\\` Ende';

describe('the portal page with the chat widget', () => {
  it('loads, sends a message, shows the reply, with no console errors, CSP violations or axe findings', async ({ server, browser }) => {
    const { page, problems } = await newPage(browser);
    await page.goto(server.url + '/');
    expect(await axeViolations(page), 'closed').toEqual([]);

    await openWidget(page);
    const before = (await botTexts(page)).length;
    const posted = await send(page, 'Welche Unterstützung bietet das KDLZ CS?');
    expect(posted).toMatchObject({ type: 'message', text: 'Welche Unterstützung bietet das KDLZ CS?' });
    const after = await waitForBotMessages(page, before + 1);
    expect(after.length).toBeGreaterThan(before);
    expect(await userTexts(page)).toContain('Welche Unterstützung bietet das KDLZ CS?');

    // The panel is a labelled dialog with a heading; the page keeps one h1.
    const dialog = page.getByRole('dialog', { name: 'KDLZ-Bot' });
    await expect(dialog.isVisible()).resolves.toBe(true);
    expect(await dialog.getByRole('heading', { level: 2, name: 'KDLZ-Bot' }).count()).toBe(1);
    expect(await page.getByRole('heading', { level: 1 }).count()).toBe(1);
    expect(await dialog.getByRole('link', { name: 'Datenschutzhinweise' }).getAttribute('href')).toBe(server.url + '/datenschutz');
    expect(await dialog.getByRole('button', { name: 'Neues Gespräch' }).count()).toBe(1);

    // Web Chat's live region carries the new bot message for screen readers.
    const live = await page.locator('.webchat__live-region-transcript').innerText();
    expect(live).toContain(after[after.length - 1].split('\n')[0].slice(0, 20));

    expect(await axeViolations(page), 'open, after a conversation').toEqual([]);
    expectClean(problems);
    await page.close();
  });

  it('renders a card and suggested actions accessibly, and Markdown from the bot without raw HTML or javascript: links', async ({ server, browser }) => {
    const { page, problems } = await newPage(browser);
    await page.goto(server.url + '/');
    const inject = await interceptStream(page);
    await openWidget(page);
    await inject(CARD_ACTIVITY);
    const card = page.locator('.ac-adaptiveCard');
    await card.waitFor({ timeout: 10_000 });

    expect(await page.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned)).toBeUndefined();
    const bubble = page.locator('.webchat__bubble__content', { hasText: 'Prüfen wir das gemeinsam' });
    expect(await bubble.innerText()).toContain('<script>window.__pwned = true</script>');
    expect(await bubble.locator('script, img').count()).toBe(0);
    const hrefs = await bubble.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    expect(hrefs.filter((h) => h && /^\s*javascript:/i.test(h))).toEqual([]);

    expect(await page.locator('.webchat__suggested-actions__button', { hasText: 'Termin vereinbaren' }).count()).toBe(1);
    // Screen readers hear the card as text, its field by label (Web Chat's own copy drops it).
    await expect.poll(() => page.locator('.webchat__live-region-transcript').innerText()).toContain('Eingabefeld „Name der Kommune“');
    expect(await axeViolations(page), 'after a conversation with a card').toEqual([]);

    await inject({ text: ESCAPED_BACKTICK_BYPASS, textFormat: 'markdown' });
    const bypass = page.locator('.webchat__bubble__content', { hasText: 'Umgehung' });
    await bypass.waitFor({ timeout: 10_000 });
    expect(await bypass.locator('img').count()).toBe(0);
    // (Web Chat's typographer turns the quotes into typographic ones; the tag stays text.)
    expect(await bypass.innerText()).toMatch(/<img src=.\/assets\/site\.css. alt=.umgangen.>/);
    expectClean(problems);
    await page.close();
  });

  it('works with the keyboard alone: open, type, send, suggested action, card submit, Escape, focus back to the launcher', async ({ server, browser }) => {
    const { page, problems } = await newPage(browser);
    await page.goto(server.url + '/');
    const inject = await interceptStream(page);

    await tabUntil(page, 'button.kdlz-chat__launcher');
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline, 'visible focus on the launcher').not.toBe('none');
    await page.keyboard.press('Enter');
    await page.waitForFunction((sel) => document.activeElement?.matches(sel), SENDBOX, { timeout: 15_000 });

    const typed = page.waitForRequest(isActivityPost, { timeout: 10_000 });
    await page.keyboard.type('Hallo');
    await page.keyboard.press('Enter');
    expect((await typed).postDataJSON()).toMatchObject({ text: 'Hallo' });
    await waitForBotMessages(page, 1);

    await inject(CARD_ACTIVITY);
    await page.locator('.ac-adaptiveCard').waitFor();

    // Suggested action: move back from the send box to the button and press Enter.
    // The suggested actions are one tab stop (a toolbar); arrow keys move between them.
    await tabUntil(page, '.webchat__suggested-actions__button', { shift: true });
    for (let i = 0; i < 4 && !(await focusedText(page)).includes('Förderung prüfen'); i++) await page.keyboard.press('ArrowDown');
    expect(await focusedText(page)).toContain('Förderung prüfen');
    const chosen = page.waitForRequest(isActivityPost, { timeout: 10_000 });
    await page.keyboard.press('Enter');
    expect((await chosen).postDataJSON()).toMatchObject({ text: 'Förderung prüfen' });
    await waitForQuietTranscript(page);

    // Card: Web Chat's transcript keys — focus the transcript, arrow up to the card, Enter goes in.
    await tabUntil(page, '.webchat__basic-transcript', { shift: true });
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Enter');
      if (await page.evaluate(() => !!document.activeElement?.matches('.ac-adaptiveCard input'))) break;
      // Entered a message without that input: Escape returns to the transcript before moving on.
      if (!(await page.evaluate(() => !!document.activeElement?.matches('.webchat__basic-transcript')))) await page.keyboard.press('Escape');
      await page.keyboard.press('ArrowUp');
    }
    expect(await page.evaluate(() => document.activeElement?.matches('.ac-adaptiveCard input'))).toBe(true);
    await page.keyboard.type('Buseck');
    await tabUntil(page, '.ac-adaptiveCard button', { max: 5 });
    const submitted = page.waitForRequest(isActivityPost, { timeout: 10_000 });
    await page.keyboard.press('Enter');
    expect((await submitted).postDataJSON()).toMatchObject({ value: { step: 'kommune', kommune: 'Buseck' } });

    // Escape leaves the message first (Web Chat's key), a second Escape closes the panel.
    await tabUntil(page, '.ac-adaptiveCard input, .ac-adaptiveCard button', { shift: true, max: 3 }).catch(() => undefined);
    await page.keyboard.press('Escape');
    expect(await page.locator('.kdlz-chat__panel').isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await page.waitForFunction(() => document.activeElement?.classList.contains('kdlz-chat__launcher'), undefined, { timeout: 5_000 });
    expect(await page.locator('.kdlz-chat__panel').isVisible()).toBe(false);
    expect(await page.getByRole('button', LAUNCHER).getAttribute('aria-expanded')).toBe('false');
    expectClean(problems);
    await page.close();
  });

  it('keeps the conversation across a reload and in a tab opened from the page', async ({ server, browser }) => {
    const { page, problems } = await newPage(browser);
    await page.goto(server.url + '/');
    await openWidget(page);
    await send(page, 'Erste Frage vor dem Neuladen');
    const replies = await waitForBotMessages(page, 1);
    const { session } = (await sessionState(page))!;
    expect(session?.conversationId).toBeTruthy();

    await page.reload();
    // The panel was open, so it is open again, with the history, in the same conversation.
    await page.locator(SENDBOX).waitFor({ timeout: 15_000 });
    await page.waitForFunction(() => document.querySelectorAll('.webchat__bubble--from-user').length >= 1, undefined, { timeout: 15_000 });
    expect(await userTexts(page)).toContain('Erste Frage vor dem Neuladen');
    await waitForBotMessages(page, replies.length);
    expect((await sessionState(page))!.session?.conversationId).toBe(session!.conversationId);

    const [tab] = await Promise.all([browser.context.waitForEvent('page'), page.evaluate(() => window.open(location.href, '_blank'))]);
    const tabProblems = await watchPage(tab);
    await tab.waitForLoadState();
    await tab.locator(SENDBOX).waitFor({ timeout: 15_000 });
    await tab.waitForFunction(() => document.querySelectorAll('.webchat__bubble--from-user').length >= 1, undefined, { timeout: 15_000 });
    expect(await userTexts(tab)).toContain('Erste Frage vor dem Neuladen');
    await send(tab, 'Zweite Frage im neuen Tab');
    expect((await sessionState(tab))!.session?.conversationId).toBe(session!.conversationId);

    // "Neues Gespräch" really starts over.
    await tab.getByRole('button', { name: 'Neues Gespräch' }).click();
    await tab.waitForFunction(() => document.querySelectorAll('.webchat__bubble--from-user').length === 0);
    await tab.locator('.kdlz-chat__status', { hasText: 'Ein neues Gespräch wurde begonnen.' }).waitFor();
    expect((await sessionState(tab))!.session?.conversationId).not.toBe(session!.conversationId);

    expectClean(problems);
    expectClean(tabProblems);
    await tab.close();
    await page.close();
  });

  it('stays usable at 320 px width and at 200 % zoom, and respects reduced motion', async ({ server, browser }) => {
    const { page, problems } = await newPage(browser);
    await page.setViewportSize({ width: 320, height: 640 });
    await page.goto(server.url + '/');
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    expect(await axeViolations(page), '320 px closed').toEqual([]);
    await openWidget(page);
    await send(page, 'Hallo');
    await waitForBotMessages(page, 1);
    const box = (await page.locator('.kdlz-chat__panel').boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(320);
    expect(box.y + box.height).toBeLessThanOrEqual(640);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    expect(await axeViolations(page), '320 px open').toEqual([]);

    // 200 % zoom of a 1280 × 800 window is a 640 × 400 CSS-pixel viewport.
    await page.setViewportSize({ width: 640, height: 400 });
    for (const sel of [SENDBOX, '.kdlz-chat__close', '.kdlz-chat__new', '.kdlz-chat__footer a']) {
      const b = (await page.locator(sel).first().boundingBox())!;
      expect(b.y + b.height, sel).toBeLessThanOrEqual(400);
      expect(b.x + b.width, sel).toBeLessThanOrEqual(640);
    }

    const animation = () => page.locator('.kdlz-chat__panel').evaluate((el) => getComputedStyle(el).animationName);
    await page.emulateMedia({ reducedMotion: 'no-preference' });
    expect(await animation()).toBe('kdlz-chat-in');
    await page.emulateMedia({ reducedMotion: 'reduce' });
    expect(await animation()).toBe('none');
    expectClean(problems);
    await page.close();
  });

  it('never sends the Direct Line secret to the browser', async ({ server, browser }) => {
    const { page } = await newPage(browser);
    const bodies: { url: string; text: string }[] = [];
    const pending: Promise<void>[] = [];
    page.on('response', (r) => {
      pending.push(r.body().then((b) => void bodies.push({ url: r.url(), text: b.toString('latin1') }), () => undefined));
    });
    const frames: string[] = [];
    page.on('websocket', (ws) => ws.on('framereceived', (f) => void frames.push(String(f.payload))));
    await page.goto(server.url + '/');
    await openWidget(page);
    await send(page, 'Hallo');
    await waitForBotMessages(page, 1);
    // A navigation's body can only be read while the page still shows it: read each before leaving.
    for (const path of ['/datenschutz', '/barrierefreiheit']) {
      await page.goto(server.url + path);
      await Promise.all(pending);
    }
    await Promise.all(pending);

    const urls = bodies.map((b) => new URL(b.url).pathname);
    for (const expected of ['/', '/widget.js', '/widget.css', '/webchat/webchat.js', '/api/webchat/token', '/assets/site.css', '/datenschutz', '/barrierefreiheit']) {
      expect(urls, 'scanned ' + expected).toContain(expected);
    }
    expect(frames.length).toBeGreaterThan(0);
    for (const b of bodies) expect(b.text.includes(SECRET), b.url).toBe(false);
    for (const f of frames) expect(f.includes(SECRET)).toBe(false);
    await page.close();
  });

  it('enforces the Content-Security-Policy: an inline script is blocked and reported', async ({ server, browser }) => {
    const { page, problems } = await newPage(browser);
    const response = await page.goto(server.url + '/');
    expect(response!.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__inlineRan = true';
      document.body.appendChild(s);
    });
    await page.waitForFunction(() => true);
    await expect.poll(() => problems.cspViolations.length).toBeGreaterThan(0);
    expect(await page.evaluate(() => (window as unknown as { __inlineRan?: boolean }).__inlineRan)).toBeUndefined();
    await page.close();
  });

  it('tells the user in German when the token service fails, and recovers on "Erneut versuchen"', async ({ server, browser }) => {
    const { page } = await newPage(browser);
    await page.route('**/api/webchat/token', (r) => r.fulfill({ status: 429, headers: { 'Retry-After': '30', 'Content-Type': 'application/json' }, body: '{"error":"Zu viele Anfragen."}' }));
    await page.goto(server.url + '/');
    await page.getByRole('button', LAUNCHER).click();
    const status = page.locator('.kdlz-chat__status');
    await status.filter({ hasText: 'Bitte versuchen Sie es in 30 Sekunden noch einmal.' }).waitFor();

    await page.unroute('**/api/webchat/token');
    await page.route('**/api/webchat/token', (r) => r.fulfill({ status: 503, body: '' }));
    await page.getByRole('button', { name: 'Erneut versuchen' }).click();
    await status.filter({ hasText: 'Der Chat ist gerade nicht erreichbar.' }).waitFor();

    await page.unroute('**/api/webchat/token');
    await page.getByRole('button', { name: 'Erneut versuchen' }).click();
    await page.locator(SENDBOX).waitFor({ timeout: 15_000 });
    await send(page, 'Jetzt geht es');
    await waitForBotMessages(page, 1);
    expect(await page.getByRole('button', { name: 'Erneut versuchen' }).isVisible()).toBe(false);
    await page.close();
  });
});

const focusedText = (page: Page): Promise<string> => page.evaluate(() => document.activeElement?.textContent ?? '');
