import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedActivity {
  conversationId: string;
  activity: Record<string, any>;
  /** PUT: an update of the sent activity with this id (updateActivity); absent for new activities. */
  updates?: string;
}

/**
 * A minimal Bot Framework channel on loopback: it receives the bot's replies the way the
 * Bot Connector service does (POST /v3/conversations/:id/activities[/:replyToId]).
 */
export async function startChannelServer(): Promise<{
  url: string;
  received: ReceivedActivity[];
  waitFor(pred: (a: ReceivedActivity) => boolean, timeoutMs?: number): Promise<ReceivedActivity>;
  close(): Promise<void>;
}> {
  const received: ReceivedActivity[] = [];
  const waiters: { pred: (a: ReceivedActivity) => boolean; resolve: (a: ReceivedActivity) => void }[] = [];
  /** Keeps an arrived activity and hands it to every waiter whose predicate it meets. */
  const record = (item: ReceivedActivity): void => {
    received.push(item);
    for (const w of [...waiters]) {
      if (w.pred(item)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(item);
      }
    }
  };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const m = /^\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? '');
      if (req.method === 'POST' && m) {
        record({ conversationId: decodeURIComponent(m[1]), activity: JSON.parse(body) });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: 'ch-' + received.length }));
        return;
      }
      // updateActivity: PUT /v3/conversations/:id/activities/:activityId
      const put = /^\/v3\/conversations\/([^/]+)\/activities\/([^/?]+)/.exec(req.url ?? '');
      if (req.method === 'PUT' && put) {
        record({ conversationId: decodeURIComponent(put[1]), activity: JSON.parse(body), updates: decodeURIComponent(put[2]) });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: decodeURIComponent(put[2]) }));
        return;
      }
      // Teams asks the connector who joined (TeamsInfo.getMember); answer like the service does.
      const member = /^\/v3\/conversations\/[^/]+\/members\/([^/?]+)/.exec(req.url ?? '');
      if (req.method === 'GET' && member) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: decodeURIComponent(member[1]), name: 'Mitglied' }));
        return;
      }
      res.writeHead(404);
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    waitFor(pred, timeoutMs = 10_000) {
      const hit = received.find(pred);
      if (hit) return Promise.resolve(hit);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('no matching activity in time; got ' + JSON.stringify(received.map((r) => r.activity.text)))), timeoutMs);
        waiters.push({ pred, resolve: (a) => (clearTimeout(t), resolve(a)) });
      });
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}

let seq = 0;
/** An activity as a channel would send it to the bot. */
export function channelActivity(serviceUrl: string, conversationId: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  seq++;
  return {
    type: 'message',
    id: 'act-' + seq,
    timestamp: new Date().toISOString(),
    channelId: 'emulator',
    serviceUrl,
    from: { id: 'user-1', name: 'Testnutzerin' },
    recipient: { id: 'bot-1', name: 'KDLZ-Bot' },
    conversation: { id: conversationId },
    locale: 'de-DE',
    ...over,
  };
}

/** The bot's account in a Teams channel, as the tests address it. */
export const TEAMS_BOT = { id: '28:kdlz-bot', name: 'KDLZ-Bot' };

/**
 * "@KDLZ-Bot Benachrichtigungen hier" posted in a Teams channel of `tenant`/`team` by `from`:
 * the staff-channel command, as Teams delivers it.
 */
export function staffChannelCommand(
  serviceUrl: string,
  conversationId: string,
  o: { tenant: string; team: string; from: Record<string, unknown> },
): Record<string, unknown> {
  return channelActivity(serviceUrl, conversationId, {
    channelId: 'msteams',
    recipient: TEAMS_BOT,
    text: '<at>KDLZ-Bot</at> Benachrichtigungen hier',
    entities: [{ type: 'mention', mentioned: TEAMS_BOT, text: '<at>KDLZ-Bot</at>' }],
    from: o.from,
    conversation: { id: conversationId, conversationType: 'channel', tenantId: o.tenant },
    channelData: { tenant: { id: o.tenant }, team: { id: o.team } },
  });
}
