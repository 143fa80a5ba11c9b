import { WebSocket } from 'ws';
import XMLHttpRequest from 'xhr2';
import { DateTime } from 'luxon';
import { call } from '../channels/directline-harness';

// The official client library expects a browser: rxjs' ajax needs XMLHttpRequest and the
// stream needs a global WebSocket (Node 20 has neither).
(globalThis as any).XMLHttpRequest = XMLHttpRequest;
(globalThis as any).WebSocket = WebSocket;

export const STAFF_TOKEN = 'staff-token-for-tests-0123456789';

/** A Berlin wall-clock time as epoch ms. */
export const berlin = (iso: string): number => DateTime.fromISO(iso, { zone: 'Europe/Berlin' }).toMillis();

/** A settable clock for the handoff module. */
export function testClock(iso: string): { now: () => number; set(iso: string): void; advance(ms: number): void } {
  let t = berlin(iso);
  return { now: () => t, set: (x) => (t = berlin(x)), advance: (ms) => (t += ms) };
}

export interface WebChatUser {
  conversationId: string;
  all: any[];
  /** Messages from the bot (and the team, relayed by the bot). */
  botMessages(): any[];
  say(text: string): Promise<void>;
  /** Waits for the first matching bot message after the last one `next` returned (or after index `after`). */
  next(pred: (a: any) => boolean, opts?: { after?: number; timeoutMs?: number }): Promise<any>;
  end(): void;
}

/** A Web Chat user over the real botframework-directlinejs client and the WebSocket stream. */
export async function webChatUser(baseUrl: string): Promise<WebChatUser> {
  const { DirectLine } = await import('botframework-directlinejs');
  const t = await call(baseUrl, 'POST', '/api/webchat/token', { body: {} });
  if (t.status !== 200) throw new Error('token service: ' + t.status);
  const client = new DirectLine({ token: t.body.token, domain: t.body.domain, webSocket: true });
  const all: any[] = [];
  const waiters: { pred: (a: any) => boolean; resolve: (a: any) => void }[] = [];
  client.activity$.subscribe(
    (a: any) => {
      all.push(a);
      for (const w of [...waiters]) {
        if (a.type !== 'message' || a.from?.role !== 'bot' || !w.pred(a)) continue;
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(a);
      }
    },
    () => undefined,
  );
  const botMessages = () => all.filter((a) => a.type === 'message' && a.from?.role === 'bot');
  let cursor = 0;
  const take = (a: any) => {
    cursor = Math.max(cursor, botMessages().indexOf(a) + 1);
    return a;
  };
  return {
    conversationId: t.body.conversationId,
    all,
    botMessages,
    say: (text) =>
      new Promise((resolve, reject) =>
        client.postActivity({ type: 'message', text, from: { id: 'ignored' } } as any).subscribe(() => resolve(), reject),
      ),
    next(pred, opts = {}) {
      const after = opts.after ?? cursor;
      const hit = botMessages().slice(after).find(pred);
      if (hit) return Promise.resolve(take(hit));
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error('no matching bot message in time; had: ' + JSON.stringify(botMessages().map((m) => m.text)).slice(0, 2000))),
          opts.timeoutMs ?? 10_000,
        );
        waiters.push({ pred, resolve: (a) => (clearTimeout(timer), resolve(take(a))) });
      });
    },
    end: () => client.end(),
  };
}

export const handoffEntityOf = (a: any): { type: string; id: string; status: string } | undefined =>
  (a.entities ?? []).find((e: { type: string }) => e.type === 'handoff');

/** Waits until `check` returns a value (explicit signal, polled), or fails. */
export async function until<T>(check: () => Promise<T | undefined | false>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function staffCall(baseUrl: string, method: string, path: string, body?: unknown, token = STAFF_TOKEN) {
  return call(baseUrl, method, path, { auth: token || undefined, body });
}
