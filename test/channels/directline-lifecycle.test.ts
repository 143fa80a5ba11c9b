import { TurnContext } from 'botbuilder';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { SqliteDb } from '../../src/storage/sqlite';
import { createSqliteFile } from '../helpers/db';
import { call, openStream, SECRET, startHarness, streamRefusal, waitFor, type Harness } from './directline-harness';

const DL = '/v3/directline';
const HOUR = 3600_000;

/** A clock the test moves by hand; tokens and conversation lifetimes follow it. */
function fakeClock(start = Date.now()) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('Direct Line lifecycle: expiry, restart, cleanup, proactive messages, limits', () => {
  const open: Harness[] = [];
  const start = async (...args: Parameters<typeof startHarness>) => {
    const h = await startHarness(...args);
    open.push(h);
    return h;
  };
  afterEach(async () => {
    for (const h of open.splice(0)) await h.close();
  });

  async function conversation(h: Harness, secret: string | undefined = SECRET) {
    const gen = secret
      ? await call(h.url, 'POST', `${DL}/tokens/generate`, { auth: secret })
      : await call(h.url, 'POST', '/api/webchat/token', { body: {} });
    const started = await call(h.url, 'POST', `${DL}/conversations`, { auth: gen.body.token });
    expect(started.status).toBe(201);
    return started.body as { conversationId: string; token: string; streamUrl: string };
  }

  it('an expired token gets 403 TokenExpired, cannot be refreshed, and the token service renews it for the same conversation', async () => {
    const clock = fakeClock();
    const h = await start(new SqliteDb(createSqliteFile()), { now: clock.now, tokenTtlSec: 60 });
    const c = await conversation(h);
    const path = `${DL}/conversations/${c.conversationId}/activities`;
    clock.advance(59_000);
    expect((await call(h.url, 'GET', path, { auth: c.token })).status).toBe(200);
    clock.advance(2_000);
    const expired = await call(h.url, 'GET', path, { auth: c.token });
    expect(expired.status).toBe(403);
    expect(expired.body.code).toBe('TokenExpired');
    expect((await call(h.url, 'POST', path, { auth: c.token, body: { type: 'message', text: 'zu spät' } })).status).toBe(403);
    expect((await call(h.url, 'POST', `${DL}/tokens/refresh`, { auth: c.token })).status).toBe(403);

    const renewed = await call(h.url, 'POST', '/api/webchat/token', { body: { token: c.token } });
    expect(renewed.status).toBe(200);
    expect(renewed.body.conversationId).toBe(c.conversationId);
    const history = await call(h.url, 'GET', path, { auth: renewed.body.token });
    expect(history.body.activities.map((a: any) => a.text)).toEqual(['Willkommen!']);
    // Nothing was stored by the rejected post.
    expect(history.body.watermark).toBe('1');
  });

  it('a conversation survives a restart on the same database, with or without a configured secret', async () => {
    for (const secret of [SECRET, '']) {
      const file = createSqliteFile();
      const first = await start(new SqliteDb(file), { secret: secret || undefined });
      const c = await conversation(first, secret);
      await call(first.url, 'POST', `${DL}/conversations/${c.conversationId}/activities`, { auth: c.token, body: { type: 'message', text: 'vorher' } });
      await first.close();
      await first.db.close();
      open.splice(open.indexOf(first), 1);

      const second = await start(new SqliteDb(file), { secret: secret || undefined });
      // The old token still verifies: the signing key is derived from the secret or kept in the DB.
      const got = await call(second.url, 'GET', `${DL}/conversations/${c.conversationId}/activities`, { auth: c.token });
      expect(got.status, `secret: ${secret}`).toBe(200);
      expect(got.body.activities.map((a: any) => a.text)).toEqual(['Willkommen!', 'vorher', 'Echo: vorher']);
      const after = await call(second.url, 'POST', `${DL}/conversations/${c.conversationId}/activities`, { auth: c.token, body: { type: 'message', text: 'nachher' } });
      expect(after.body.id).toBe(`${c.conversationId}|0000004`);
      await second.db.close().catch(() => undefined);
    }
  });

  it('removes expired conversations with their activities; an expired conversation reads as 404', async () => {
    const clock = fakeClock();
    const db = new SqliteDb(createSqliteFile());
    const h = await start(db, { now: clock.now, conversationTtlHours: 1, tokenTtlSec: 86_400 });
    const old = await conversation(h);
    clock.advance(30 * 60_000);
    const fresh = await conversation(h); // expires at 1:30
    clock.advance(10 * 60_000);
    // Activity keeps a conversation alive: the old one now expires at 1:40.
    await call(h.url, 'POST', `${DL}/conversations/${old.conversationId}/activities`, { auth: old.token, body: { type: 'message', text: 'aktiv' } });
    clock.advance(HOUR - 11 * 60_000); // 1:29
    expect(await h.directLine.cleanup()).toBe(0);
    clock.advance(2 * 60_000); // 1:31
    expect((await call(h.url, 'GET', `${DL}/conversations/${fresh.conversationId}/activities`, { auth: fresh.token })).status).toBe(404);
    expect(await h.directLine.cleanup()).toBe(1);
    const left = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM directline_activities WHERE conversation_id = $1', [fresh.conversationId]);
    expect(Number(left[0].n)).toBe(0);
    expect((await call(h.url, 'GET', `${DL}/conversations/${old.conversationId}/activities`, { auth: old.token })).status).toBe(200);
    clock.advance(HOUR);
    expect(await h.directLine.cleanup()).toBe(1);
    const rows = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM directline_activities');
    expect(Number(rows[0].n)).toBe(0);
  });

  it('delivers a proactive message into a Direct Line conversation via continueConversationAsync', async () => {
    const h = await start(new SqliteDb(createSqliteFile()));
    const c = await conversation(h);
    const stream = await openStream(c.streamUrl);
    await waitFor(stream.texts, (t) => t.includes('Willkommen!'));
    await call(h.url, 'POST', `${DL}/conversations/${c.conversationId}/activities`, { auth: c.token, body: { type: 'message', text: 'merk dir das' } });
    const echo = (await call(h.url, 'GET', `${DL}/conversations/${c.conversationId}/activities?watermark=1`, { auth: c.token })).body.activities[0];
    const reference = TurnContext.getConversationReference(echo);
    expect(h.directLine.adapter.owns(reference)).toBe(true);
    expect(h.directLine.adapter.owns({ ...reference, conversation: { id: 'Azure-Direct-Line-Id' } })).toBe(false);
    await h.directLine.adapter.continueConversationAsync('app-id', reference, async (ctx) => {
      await ctx.sendActivity('Erinnerung: Ihr Termin ist morgen.');
    });
    await waitFor(stream.texts, (t) => t.includes('Erinnerung: Ihr Termin ist morgen.'));
    const last = stream.sets.at(-1)!.activities.at(-1);
    expect(last.recipient.id).toBe(echo.from.id);
    expect(last.from.role).toBe('bot');
    stream.ws.close();
    await expect(
      h.directLine.adapter.continueConversationAsync('app-id', { ...reference, conversation: { id: 'kdlz-dl-weg' } }, async () => undefined),
    ).rejects.toThrow(/not found/);
  });

  it('caps the activities of one conversation (429) and forgets idle turn queues', async () => {
    const h = await start(new SqliteDb(createSqliteFile()), { maxActivitiesPerConversation: 5 });
    const c = await conversation(h);
    const path = `${DL}/conversations/${c.conversationId}/activities`;
    for (const text of ['a', 'b']) expect((await call(h.url, 'POST', path, { auth: c.token, body: { type: 'message', text } })).status).toBe(200);
    const full = await call(h.url, 'POST', path, { auth: c.token, body: { type: 'message', text: 'c' } });
    expect(full.status).toBe(429);
    expect(full.body.error).toMatch(/neues Gespräch/);
    expect(h.directLine.adapter.busyConversations).toBe(0);
  });

  it('runs concurrent posts to one conversation one after another, with gap-free watermarks', async () => {
    const h = await start(new SqliteDb(createSqliteFile()));
    const c = await conversation(h);
    const path = `${DL}/conversations/${c.conversationId}/activities`;
    const texts = Array.from({ length: 10 }, (_, i) => `n${i}`);
    await Promise.all(texts.map((text) => call(h.url, 'POST', path, { auth: c.token, body: { type: 'message', text } })));
    const got = await call(h.url, 'GET', path, { auth: c.token });
    const ids = got.body.activities.map((a: any) => Number(a.id.split('|')[1]));
    expect(ids).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    // Each echo directly follows its message: turns did not interleave.
    const msgs = got.body.activities.slice(1).map((a: any) => a.text);
    for (let i = 0; i < msgs.length; i += 2) expect(msgs[i + 1]).toBe('Echo: ' + msgs[i]);
  });

  it('bounds the streams per conversation, drops clients that stop answering pings, and closes streams on shutdown', async () => {
    const h = await start(new SqliteDb(createSqliteFile()), { maxSocketsPerConversation: 2, pingIntervalMs: 100 });
    const c = await conversation(h);
    const first = await openStream(c.streamUrl);
    // A client whose network died: it never answers a ping.
    const dead = new WebSocket(c.streamUrl, { autoPong: false });
    await new Promise((r) => dead.once('open', r));
    expect(h.directLine.streamCount).toBe(2);
    expect(await streamRefusal(c.streamUrl)).toBe(429);
    const deadClosed = new Promise<number>((r) => dead.once('close', (code) => r(code)));
    await deadClosed;
    await waitFor(() => [h.directLine.streamCount], ([n]) => n === 1);
    expect(first.ws.readyState).toBe(WebSocket.OPEN);

    const closed = new Promise<number>((r) => first.ws.once('close', (code) => r(code)));
    await h.close();
    open.splice(open.indexOf(h), 1);
    // 1001 "going away": the client reconnects, to another instance behind the load balancer.
    expect(await closed).toBe(1001);
    await h.db.close();
  });
});
