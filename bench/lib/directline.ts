import { performance } from 'node:perf_hooks';
import { WebSocket } from 'ws';
import { keepAliveAgent, request } from './http';
import { summarise, type RunFigures } from './stats';

export interface DirectLineLoadOptions {
  baseUrl: string;
  /** DIRECT_LINE_SECRET of the server (the bench opens conversations like a token service does). */
  secret: string;
  conversations: number;
  seconds: number;
  /** 'stream': replies over the WebSocket (`streamUrl`), as Web Chat does; 'poll': GET …/activities every pollMs. */
  mode: 'stream' | 'poll';
  pollMs?: number;
  /** Pause after a reply before the user's next message. */
  thinkMs: number;
  questions: readonly string[];
  /** Whether a reply is a real knowledge answer (counted, not enforced). */
  check?: (activity: Record<string, any>) => boolean;
}

export interface DirectLineRun extends RunFigures {
  checked: number;
  checkedOk: number;
  /** Time to open all conversations (and their sockets), ms. */
  setupMs: number;
  firstError?: string;
}

interface Client {
  conversationId: string;
  token: string;
  /** Bot activities seen, by the id of the user activity they answer, with the time they became visible. */
  seen: Map<string, { at: number; activity: Record<string, any> }>;
  waiting?: { id: string; resolve: () => void };
  watermark: string;
  ws?: WebSocket;
  stopPolling?: () => void;
}

/**
 * Users of the portal's Web Chat on the self-hosted Direct Line: each opens a conversation, then
 * asks questions one after another. Measured: from `POST …/activities` until the bot's reply is
 * visible to the client (a WebSocket frame, or the poll response that carries it).
 */
export async function runDirectLine(o: DirectLineLoadOptions): Promise<DirectLineRun> {
  const agent = keepAliveAgent(o.conversations * (o.mode === 'poll' ? 2 : 1));
  const setupStart = performance.now();
  const clients: Client[] = [];
  const note = (c: Client, activities: Record<string, any>[], at: number) => {
    for (const a of activities) {
      if (a.type !== 'message' || a.from?.role === 'user' || !a.replyToId) continue;
      if (!c.seen.has(a.replyToId)) c.seen.set(a.replyToId, { at, activity: a });
      const w = c.waiting;
      if (w && w.id === a.replyToId) w.resolve();
    }
  };
  let opened = 0;
  const open = async (): Promise<void> => {
    while (opened < o.conversations) {
      opened++;
      const r = await request(agent, 'POST', o.baseUrl + '/v3/directline/conversations', {}, { authorization: `Bearer ${o.secret}` });
      if (r.status !== 201) throw new Error(`Direct Line conversation not created: HTTP ${r.status} ${r.body.slice(0, 200)}`);
      const body = JSON.parse(r.body) as { conversationId: string; token: string; streamUrl: string };
      const c: Client = { conversationId: body.conversationId, token: body.token, seen: new Map(), watermark: '' };
      if (o.mode === 'stream') {
        const ws = new WebSocket(body.streamUrl, { perMessageDeflate: false });
        await new Promise<void>((resolve, reject) => {
          ws.once('open', () => resolve());
          ws.once('error', reject);
        });
        ws.on('message', (data) => {
          const at = performance.now();
          const text = data.toString();
          if (!text) return;
          note(c, (JSON.parse(text) as { activities: Record<string, any>[] }).activities, at);
        });
        c.ws = ws;
      } else {
        let stop = false;
        c.stopPolling = () => (stop = true);
        void (async () => {
          // A random phase, as real clients do not poll in lockstep.
          await new Promise((r) => setTimeout(r, Math.random() * (o.pollMs ?? 1000)));
          while (!stop) {
            const p = await request(agent, 'GET', `${o.baseUrl}/v3/directline/conversations/${c.conversationId}/activities?watermark=${c.watermark}`, undefined, {
              authorization: `Bearer ${c.token}`,
            }).catch(() => undefined);
            if (p?.status === 200) {
              const page = JSON.parse(p.body) as { activities: Record<string, any>[]; watermark: string };
              c.watermark = page.watermark;
              note(c, page.activities, performance.now());
            }
            await new Promise((r) => setTimeout(r, o.pollMs ?? 1000));
          }
        })();
      }
      clients.push(c);
    }
  };
  // A few at a time, as conversations open in a real portal (and the token endpoint is not the subject here).
  await Promise.all(Array.from({ length: Math.min(10, o.conversations) }, open));
  const setupMs = performance.now() - setupStart;

  const latencies: number[] = [];
  let errors = 0;
  let checked = 0;
  let checkedOk = 0;
  let firstError: string | undefined;
  let questionSeq = 0;
  const start = performance.now();
  const end = start + o.seconds * 1000;
  const user = async (c: Client, u: number): Promise<void> => {
    // Spread the first messages over one think time so 100 users do not press Enter together.
    await new Promise((r) => setTimeout(r, (u / o.conversations) * o.thinkMs));
    while (performance.now() < end) {
      const text = o.questions[questionSeq++ % o.questions.length];
      const sent = performance.now();
      try {
        const r = await request(agent, 'POST', `${o.baseUrl}/v3/directline/conversations/${c.conversationId}/activities`, { type: 'message', text, from: { id: 'bench' }, locale: 'de-DE' }, {
          authorization: `Bearer ${c.token}`,
        });
        if (r.status !== 200) throw new Error(`HTTP ${r.status} ${r.body.slice(0, 200)}`);
        const id = (JSON.parse(r.body) as { id: string }).id;
        if (!c.seen.has(id)) {
          await new Promise<void>((resolve, reject) => {
            const t = setTimeout(() => reject(new Error('no reply within 30 s')), 30_000);
            c.waiting = { id, resolve: () => (clearTimeout(t), resolve()) };
          });
          c.waiting = undefined;
        }
        const seen = c.seen.get(id)!;
        c.seen.clear();
        if (seen.at <= end) latencies.push(seen.at - sent);
        if (o.check) {
          checked++;
          if (o.check(seen.activity)) checkedOk++;
        }
      } catch (err) {
        errors++;
        firstError ??= (err as Error).message;
        c.waiting = undefined;
      }
      if (o.thinkMs) await new Promise((r) => setTimeout(r, o.thinkMs * (0.5 + Math.random())));
    }
  };
  await Promise.all(clients.map((c, u) => user(c, u)));
  for (const c of clients) {
    c.stopPolling?.();
    c.ws?.close();
  }
  agent.destroy();
  return { ...summarise(latencies, o.seconds, errors), checked, checkedOk, setupMs, firstError };
}
