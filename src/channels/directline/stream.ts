import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { Logger } from '../../log';
import { refuseUpgrade as refuse } from '../../server';
import type { PubSub } from '../../storage/pubsub';
import type { DirectLineStore, StoredActivity, StoredJson } from './store';

/** The pubsub channel on which instances announce "conversation X has activities up to N". */
export const STREAM_CHANNEL = 'kdlz_directline';

/** Activities per message while catching a socket up, and their stored JSON at most (at least one). */
const BATCH = 200;
const BATCH_BYTES = 256 * 1024;
/** A client that lets this much pile up unread is dropped rather than buffered without end. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;

interface Subscriber {
  ws: WebSocket;
  conversationId: string;
  lastSent: number;
  alive: boolean;
  busy: boolean;
  again: boolean;
}

export interface StreamOptions {
  store: DirectLineStore;
  pubsub: PubSub;
  /** Tells this instance's own notifications apart (they were already delivered locally). */
  instanceId: string;
  logger: Logger;
  maxSockets: number;
  maxSocketsPerConversation: number;
  pingIntervalMs: number;
}

export type UpgradeDecision =
  | { ok: true; conversationId: string; watermark: number }
  | { ok: false; status: number; reason: string };

/**
 * The WebSocket side of Direct Line (`streamUrl`). Each socket follows one conversation from a
 * watermark on. Activities stored by this instance are pushed directly; activities stored by
 * another instance arrive as a pubsub hint and are read from the database. Dead clients are
 * found by ping/pong, and the number of sockets is bounded.
 */
export class StreamHub {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 4096, perMessageDeflate: false });
  private readonly byConversation = new Map<string, Set<Subscriber>>();
  private count = 0;
  private pingTimer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private closed = false;

  constructor(private readonly opts: StreamOptions) {}

  async start(): Promise<void> {
    this.unsubscribe = await this.opts.pubsub.subscribe(STREAM_CHANNEL, (payload) => this.onHint(payload));
    this.pingTimer = setInterval(() => this.pingAll(), this.opts.pingIntervalMs);
    this.pingTimer.unref();
  }

  get socketCount(): number {
    return this.count;
  }

  /** Completes an HTTP upgrade that `decide` has already authorised, or refuses it. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer, decision: UpgradeDecision): void {
    if (!decision.ok) return refuse(socket, decision.status, decision.reason);
    if (this.closed) return refuse(socket, 503, 'shutting down');
    if (this.count >= this.opts.maxSockets) return refuse(socket, 503, 'too many streams');
    const peers = this.byConversation.get(decision.conversationId);
    if (peers && peers.size >= this.opts.maxSocketsPerConversation) return refuse(socket, 429, 'too many streams for this conversation');
    this.wss.handleUpgrade(req, socket, head, (ws) => this.attach(ws, decision.conversationId, decision.watermark));
  }

  private attach(ws: WebSocket, conversationId: string, watermark: number): void {
    const sub: Subscriber = { ws, conversationId, lastSent: watermark, alive: true, busy: false, again: false };
    let set = this.byConversation.get(conversationId);
    if (!set) this.byConversation.set(conversationId, (set = new Set()));
    set.add(sub);
    this.count++;
    ws.on('pong', () => (sub.alive = true));
    // Clients send empty messages as keep-alive; their content is never used.
    ws.on('message', () => (sub.alive = true));
    ws.on('error', () => ws.terminate());
    ws.on('close', () => this.detach(sub));
    // Catch up from the watermark (history after a reload, the greeting of a new conversation).
    this.deliver(sub);
  }

  private detach(sub: Subscriber): void {
    const set = this.byConversation.get(sub.conversationId);
    if (!set?.delete(sub)) return;
    this.count--;
    if (set.size === 0) this.byConversation.delete(sub.conversationId);
  }

  /** Called by the adapter after it stored activities: push locally, tell the other instances. */
  published(conversationId: string, stored: StoredActivity[]): void {
    if (!stored.length) return;
    const last = stored[stored.length - 1].seq;
    const set = this.byConversation.get(conversationId);
    if (set) {
      let json: StoredJson[] | undefined;
      for (const sub of set) {
        // The common case: the socket is up to date, so the activities go out without a query.
        if (!sub.busy && stored[0].seq === sub.lastSent + 1) this.send(sub, (json ??= stored.map((s) => ({ seq: s.seq, json: JSON.stringify(s.activity) }))));
        else if (last > sub.lastSent) this.deliver(sub);
      }
    }
    this.opts.pubsub.publish(STREAM_CHANNEL, `${this.opts.instanceId} ${conversationId} ${last}`).catch((err) => {
      this.opts.logger.warn({ err }, 'direct line stream notification failed');
    });
  }

  private onHint(payload: string | null): void {
    if (payload === null) {
      for (const set of this.byConversation.values()) for (const sub of set) this.deliver(sub);
      return;
    }
    const [instance, conversationId, seq] = payload.split(' ');
    if (instance === this.opts.instanceId) return;
    const set = this.byConversation.get(conversationId);
    if (!set) return;
    for (const sub of set) if (Number(seq) > sub.lastSent) this.deliver(sub);
  }

  /** Reads everything after the socket's watermark and sends it; coalesces overlapping calls. */
  private deliver(sub: Subscriber): void {
    if (sub.busy) {
      sub.again = true;
      return;
    }
    sub.busy = true;
    void (async () => {
      try {
        do {
          sub.again = false;
          for (;;) {
            if (sub.ws.readyState !== WebSocket.OPEN) return;
            const page = await this.opts.store.pageAfter(sub.conversationId, sub.lastSent, BATCH, BATCH_BYTES);
            if (page.rows.length) this.send(sub, page.rows);
            // A socket that stopped reading is terminated by send() before memory piles up.
            if (!page.more) break;
          }
        } while (sub.again);
      } catch (err) {
        this.opts.logger.warn({ err, conversationId: sub.conversationId }, 'direct line stream read failed');
        sub.ws.close(1011);
      } finally {
        sub.busy = false;
      }
    })();
  }

  private send(sub: Subscriber, stored: StoredJson[]): void {
    const fresh = stored.filter((s) => s.seq > sub.lastSent);
    if (!fresh.length || sub.ws.readyState !== WebSocket.OPEN) return;
    if (sub.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      sub.ws.terminate();
      return;
    }
    sub.lastSent = fresh[fresh.length - 1].seq;
    sub.ws.send(`{"activities":[${fresh.map((s) => s.json).join(',')}],"watermark":"${sub.lastSent}"}`);
  }

  private pingAll(): void {
    for (const set of this.byConversation.values()) {
      for (const sub of set) {
        if (!sub.alive) {
          sub.ws.terminate();
          continue;
        }
        sub.alive = false;
        sub.ws.ping();
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.pingTimer) clearInterval(this.pingTimer);
    this.unsubscribe?.();
    const closing: Promise<void>[] = [];
    for (const set of this.byConversation.values()) {
      for (const sub of set) {
        closing.push(new Promise<void>((resolve) => sub.ws.once('close', () => resolve())));
        // 1001 "going away": directlinejs then reconnects, to another instance if there is one.
        sub.ws.close(1001);
        setTimeout(() => sub.ws.terminate(), 1000).unref();
      }
    }
    await Promise.all(closing);
    this.wss.close();
  }
}
