import { expect } from 'vitest';
import { call, SECRET } from '../channels/directline-harness';
import { channelActivity, type startChannelServer } from './channel-server';
import type { TestServer } from './server';

/**
 * Conversations with the real app, written as tables of [user says, bot says], over either
 * channel: Web Chat (self-hosted Direct Line, REST, as the widget uses it) or Microsoft Teams
 * (Bot Framework activities to /api/messages, replies caught by a loopback channel server).
 */
export interface Reply {
  text?: string;
  attachments?: { contentType: string; content?: unknown; contentUrl?: string }[];
  entities?: { type: string; [k: string]: unknown }[];
  suggestedActions?: { actions: { title: string; value?: unknown }[] };
}

export interface Conversation {
  /** Sends a text (or a card value) and returns the bot's replies to it, in order. */
  say(input: string | object): Promise<Reply[]>;
}

export type Channel = 'webchat' | 'teams';

/** Everything a reply shows: its text and its cards, as one string to match. */
export const shown = (r: Reply): string => [r.text ?? '', ...(r.attachments ?? []).map((a) => JSON.stringify(a.content ?? ''))].join(' ');

/** One row: what the user says, and a pattern for each reply in order (fewer patterns: the rest is not checked). */
export type Row = [string | object, RegExp[]];

/** Plays the rows; returns every reply. A pattern that does not match names the row. */
export async function play(c: Conversation, rows: Row[]): Promise<Reply[][]> {
  const all: Reply[][] = [];
  for (const [user, patterns] of rows) {
    const replies = await c.say(user);
    const label = typeof user === 'string' ? user : JSON.stringify(user);
    expect(replies.length, `replies to "${label}": ${replies.map((r) => r.text).join(' | ')}`).toBeGreaterThanOrEqual(patterns.length);
    patterns.forEach((p, i) => expect(shown(replies[i]), `reply ${i + 1} to "${label}"`).toMatch(p));
    all.push(replies);
  }
  return all;
}

let n = 0;

/** A fresh Web Chat conversation over Direct Line (the welcome message is skipped). */
export async function webChat(server: TestServer): Promise<Conversation> {
  const started = await call(server.url, 'POST', '/v3/directline/conversations', { auth: SECRET });
  const { conversationId, token } = started.body as { conversationId: string; token: string };
  const user = `webchat-user-${++n}`;
  const path = `/v3/directline/conversations/${conversationId}/activities`;
  return {
    async say(input) {
      const body = typeof input === 'string' ? { type: 'message', from: { id: user }, text: input } : { type: 'message', from: { id: user }, value: input };
      const posted = await call(server.url, 'POST', path, { auth: token, body });
      expect(posted.status).toBe(200);
      // Direct Line answers the POST after the bot's turn: its replies are stored by now.
      const list = await call(server.url, 'GET', path, { auth: token });
      return (list.body.activities as (Reply & { type: string; replyToId?: string })[]).filter((a) => a.type === 'message' && a.replyToId === posted.body.id);
    },
  };
}

type ChannelServer = Awaited<ReturnType<typeof startChannelServer>>;

/** A fresh personal Teams chat: activities as Teams sends them, replies as Teams receives them. */
export function teamsChat(server: TestServer, channel: ChannelServer): Conversation {
  const conv = `a:teams-transcript-${++n}`;
  const user = { id: `29:user-${n}`, name: 'Frau Beispiel', aadObjectId: `aad-user-${n}` };
  return {
    async say(input) {
      const before = channel.received.length;
      const activity = channelActivity(channel.url, conv, {
        channelId: 'msteams',
        recipient: { id: '28:kdlz-bot', name: 'KDLZ-Bot' },
        from: user,
        conversation: { id: conv, conversationType: 'personal', tenantId: 'tenant-1' },
        channelData: { tenant: { id: 'tenant-1' } },
        ...(typeof input === 'string' ? { text: input } : { value: input }),
      });
      const r = await fetch(server.url + '/api/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity) });
      expect(r.status).toBe(200);
      // The adapter answers the POST after the turn: its replies have reached the channel server.
      return channel.received.slice(before).filter((x) => x.conversationId === conv && x.activity.type === 'message').map((x) => x.activity as Reply);
    },
  };
}
