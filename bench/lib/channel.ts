import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

export interface Reply {
  /** performance.now() when the bot's POST reached the channel. */
  at: number;
  activity: Record<string, any>;
}

/**
 * A Bot Framework channel on loopback, as the Bot Connector service is to a bot: the bot posts
 * its replies to `/v3/conversations/:id/activities/:replyToId`. A turn counts as answered when
 * its first message reply arrives here.
 */
export class ChannelServer {
  readonly url: string;
  /** Replies that nobody waits for yet, by the id of the activity they answer. */
  private readonly early = new Map<string, Reply>();
  private readonly waiters = new Map<string, (r: Reply) => void>();
  received = 0;

  private constructor(private readonly server: http.Server) {
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  static async start(): Promise<ChannelServer> {
    let self: ChannelServer | undefined;
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const at = performance.now();
        const m = /^\/v3\/conversations\/[^/]+\/activities(?:\/([^/?]+))?/.exec(req.url ?? '');
        if (req.method === 'POST' && m) {
          let activity: Record<string, any> = {};
          try {
            activity = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            /* counted below as a reply without id */
          }
          self!.deliver({ at, activity }, activity.replyToId ?? (m[1] ? decodeURIComponent(m[1]) : undefined));
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ id: 'ch-' + ++self!.received }));
          return;
        }
        // TeamsInfo.getMember and the like: answer as the service does.
        res.writeHead(req.method === 'GET' ? 200 : 404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: 'member', name: 'Mitglied' }));
      });
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    self = new ChannelServer(server);
    return self;
  }

  private deliver(reply: Reply, replyToId: string | undefined): void {
    // Typing indicators and the like are not the answer the user waits for.
    if (reply.activity.type !== 'message' || !replyToId) return;
    const waiter = this.waiters.get(replyToId);
    if (waiter) {
      this.waiters.delete(replyToId);
      waiter(reply);
    } else if (!this.early.has(replyToId)) {
      this.early.set(replyToId, reply);
    }
  }

  /** The first message reply to the activity with this id (resolves at once if it already came). */
  replyTo(activityId: string, timeoutMs: number): Promise<Reply> {
    const hit = this.early.get(activityId);
    if (hit) {
      this.early.delete(activityId);
      return Promise.resolve(hit);
    }
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        this.waiters.delete(activityId);
        reject(new Error('no reply in time'));
      }, timeoutMs);
      this.waiters.set(activityId, (r) => {
        clearTimeout(t);
        resolve(r);
      });
    });
  }

  /** Drops replies that arrived for turns nobody asks about any more (keeps memory flat). */
  forget(): void {
    this.early.clear();
  }

  close(): Promise<void> {
    return new Promise((r) => {
      this.server.closeAllConnections();
      this.server.close(() => r());
    });
  }
}
