/**
 * Helpers for driving the portal page and its chat widget in Chromium: opening the widget,
 * reading the transcript, pressing Tab until something is focused, and injecting a bot
 * activity into the Direct Line stream (for content the real bot does not send on demand).
 */
import type { Page, Request, WebSocketRoute } from 'playwright-core';

export const LAUNCHER = { name: 'Chat mit dem KDLZ-Bot öffnen' };
export const SENDBOX = '[data-id="webchat-sendbox-input"]';

export async function openWidget(page: Page): Promise<void> {
  await page.getByRole('button', LAUNCHER).click();
  await page.locator(SENDBOX).waitFor({ state: 'visible', timeout: 15_000 });
}

export const botTexts = (page: Page): Promise<string[]> =>
  page.locator('.webchat__bubble:not(.webchat__bubble--from-user) .webchat__bubble__content').allInnerTexts();
export const userTexts = (page: Page): Promise<string[]> =>
  page.locator('.webchat__bubble--from-user .webchat__bubble__content').allInnerTexts();

/** Waits until at least `count` bot bubbles are shown. */
export async function waitForBotMessages(page: Page, count: number, timeout = 15_000): Promise<string[]> {
  await page.waitForFunction(
    (n) => document.querySelectorAll('.webchat__bubble:not(.webchat__bubble--from-user) .webchat__bubble__content').length >= n,
    count,
    { timeout },
  );
  return botTexts(page);
}

/**
 * Waits until no new activity has appeared in the transcript for `quietMs`: keyboard navigation
 * through the transcript must not start while the bot's replies are still arriving (a new
 * message moves the activities the arrow keys walk through).
 */
export async function waitForQuietTranscript(page: Page, quietMs = 1_000, timeout = 15_000): Promise<void> {
  const deadline = Date.now() + timeout;
  let last = -1;
  let since = Date.now();
  while (Date.now() < deadline) {
    const n = await page.evaluate(() => document.querySelectorAll('.webchat__basic-transcript__activity').length);
    if (n !== last) {
      last = n;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) {
      return;
    }
    await page.waitForTimeout(100);
  }
  throw new Error('the transcript kept changing');
}

/** Types into the send box and presses Enter; resolves with the activity Web Chat posted. */
export async function send(page: Page, text: string): Promise<Record<string, unknown>> {
  const posted = page.waitForRequest((r) => isActivityPost(r), { timeout: 10_000 });
  await page.locator(SENDBOX).fill(text);
  await page.locator(SENDBOX).press('Enter');
  return (await posted).postDataJSON();
}

export const isActivityPost = (r: Request): boolean => r.method() === 'POST' && /\/v3\/directline\/conversations\/[^/]+\/activities$/.test(r.url());

/**
 * Presses (Shift+)Tab until the focused element matches the CSS selector (and contains `text`,
 * if given); fails after `max` presses.
 */
export async function tabUntil(page: Page, matches: string, opts: { shift?: boolean; max?: number; text?: string } = {}): Promise<void> {
  for (let i = 0; i < (opts.max ?? 40); i++) {
    await page.keyboard.press(opts.shift ? 'Shift+Tab' : 'Tab');
    const hit = await page.evaluate(
      ([sel, text]) => !!document.activeElement?.matches(sel) && (!text || (document.activeElement.textContent ?? '').includes(text)),
      [matches, opts.text ?? ''] as const,
    );
    if (hit) return;
  }
  const focused = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 200));
  throw new Error(`focus never reached ${matches}; last focused: ${focused}`);
}

export const sessionState = (page: Page): Promise<{ session?: { conversationId: string; token: string; expiresAt: number; watermark?: string }; open: boolean } | null> =>
  page.evaluate(() => {
    const key = Object.keys(sessionStorage).find((k) => k.startsWith('kdlz-webchat:'));
    return key ? JSON.parse(sessionStorage.getItem(key)!) : null;
  });

/**
 * Lets the page's Direct Line stream pass through unchanged, and returns a function that sends
 * an extra activity set to the page as if the server had sent it.
 */
export async function interceptStream(page: Page): Promise<(activity: Record<string, unknown>) => Promise<void>> {
  let route: WebSocketRoute | undefined;
  let conversationId = '';
  await page.routeWebSocket(/\/v3\/directline\/conversations\/.*\/stream/, (ws) => {
    route = ws;
    conversationId = decodeURIComponent(new URL(ws.url()).pathname.split('/')[4] ?? '');
    ws.connectToServer();
  });
  let n = 0;
  return async (activity) => {
    for (let i = 0; i < 100 && !route; i++) await page.waitForTimeout(100);
    if (!route) throw new Error('no Direct Line stream was opened');
    const id = `${conversationId}|injected-${++n}`;
    route.send(
      JSON.stringify({
        activities: [
          {
            type: 'message',
            id,
            timestamp: new Date().toISOString(),
            channelId: 'directline',
            from: { id: 'kdlz-bot', name: 'KDLZ-Bot', role: 'bot' },
            conversation: { id: conversationId },
            ...activity,
          },
        ],
      }),
    );
  };
}
