import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteDb } from '../../src/storage/sqlite';
import { createSqliteFile } from '../helpers/db';
import { call, openStream, SECRET, startHarness, streamRefusal, waitFor, type Harness } from './directline-harness';

const DL = '/v3/directline';

describe('Direct Line 3.0 REST protocol (SQLite)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(new SqliteDb(createSqliteFile()));
  });
  afterAll(async () => {
    await h.close();
    await h.db.close();
  });

  async function newConversation(): Promise<{ conversationId: string; token: string; streamUrl: string }> {
    const gen = await call(h.url, 'POST', `${DL}/tokens/generate`, { auth: SECRET });
    expect(gen.status).toBe(200);
    const start = await call(h.url, 'POST', `${DL}/conversations`, { auth: gen.body.token });
    expect(start.status).toBe(201);
    return start.body;
  }

  it('generates a conversation-bound token without revealing the secret, and starts the conversation with a greeting', async () => {
    const gen = await call(h.url, 'POST', `${DL}/tokens/generate`, { auth: SECRET });
    expect(gen.status).toBe(200);
    expect(gen.body.conversationId).toMatch(/^kdlz-dl-/);
    expect(gen.body.expires_in).toBe(60);
    expect(JSON.stringify(gen.body)).not.toContain(SECRET);
    const claims = JSON.parse(Buffer.from(gen.body.token.split('.')[1], 'base64url').toString());
    expect(claims.conv).toBe(gen.body.conversationId);
    expect(claims.user).toMatch(/^dl_/);

    const start = await call(h.url, 'POST', `${DL}/conversations`, { auth: gen.body.token });
    expect(start.status).toBe(201);
    expect(start.body.conversationId).toBe(gen.body.conversationId);
    expect(start.body.streamUrl).toMatch(new RegExp(`^ws://127\\.0\\.0\\.1:\\d+${DL}/conversations/${gen.body.conversationId}/stream\\?t=`));

    const got = await call(h.url, 'GET', `${DL}/conversations/${gen.body.conversationId}/activities`, { auth: gen.body.token });
    expect(got.status).toBe(200);
    expect(got.body.activities.map((a: any) => a.text)).toEqual(['Willkommen!']);
    expect(got.body.activities[0].from).toEqual({ id: 'kdlz-bot', name: 'KDLZ-Bot', role: 'bot' });
    expect(got.body.watermark).toBe('1');

    // Starting again (a second POST with the same token) does not greet twice.
    await call(h.url, 'POST', `${DL}/conversations`, { auth: gen.body.token });
    const again = await call(h.url, 'GET', `${DL}/conversations/${gen.body.conversationId}/activities`, { auth: gen.body.token });
    expect(again.body.activities).toHaveLength(1);
  });

  it('posts an activity, echoes it with its clientActivityID and stores the reply after the watermark', async () => {
    const c = await newConversation();
    const posted = await call(h.url, 'POST', `${DL}/conversations/${c.conversationId}/activities`, {
      auth: c.token,
      body: { type: 'message', text: 'Hallo', from: { id: 'someone-else', name: 'Frau Muster' }, channelData: { clientActivityID: 'cid-42' }, locale: 'de-DE' },
    });
    expect(posted.status).toBe(200);
    expect(posted.body.id).toBe(`${c.conversationId}|0000002`);
    const got = await call(h.url, 'GET', `${DL}/conversations/${c.conversationId}/activities?watermark=1`, { auth: c.token });
    expect(got.body.watermark).toBe('3');
    const [echo, reply] = got.body.activities;
    expect(echo.id).toBe(posted.body.id);
    expect(echo.channelData.clientActivityID).toBe('cid-42');
    // A token fixes the user: the client cannot speak as someone else.
    expect(echo.from.id).toMatch(/^dl_/);
    expect(echo.from.role).toBe('user');
    expect(echo.from.name).toBe('Frau Muster');
    expect(reply.text).toBe('Echo: Hallo');
    expect(reply.replyToId).toBe(echo.id);
    expect(reply.recipient.id).toBe(echo.from.id);
    expect(reply.channelId).toBe('directline');
    expect(new Date(reply.timestamp).getTime()).toBeGreaterThan(Date.now() - 60_000);

    // Nothing new after the last watermark.
    const none = await call(h.url, 'GET', `${DL}/conversations/${c.conversationId}/activities?watermark=3`, { auth: c.token });
    expect(none.body).toEqual({ activities: [], watermark: '3' });
  });

  it('stores several replies of one turn in order, and answers a failing turn with the apology', async () => {
    const c = await newConversation();
    await call(h.url, 'POST', `${DL}/conversations/${c.conversationId}/activities`, { auth: c.token, body: { type: 'message', text: 'zwei' } });
    const failed = await call(h.url, 'POST', `${DL}/conversations/${c.conversationId}/activities`, { auth: c.token, body: { type: 'message', text: 'kaputt' } });
    expect(failed.status).toBe(200);
    const got = await call(h.url, 'GET', `${DL}/conversations/${c.conversationId}/activities?watermark=1`, { auth: c.token });
    expect(got.body.activities.map((a: any) => [a.type, a.text])).toEqual([
      ['message', 'zwei'],
      ['typing', undefined],
      ['message', 'Eins'],
      ['message', 'Zwei'],
      ['message', 'kaputt'],
      ['message', 'Entschuldigung, da ist etwas schiefgegangen.'],
    ]);
  });

  it('refreshes a token for the same conversation, and resumes with a new token and a streamUrl at the watermark', async () => {
    const c = await newConversation();
    const refreshed = await call(h.url, 'POST', `${DL}/tokens/refresh`, { auth: c.token });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.conversationId).toBe(c.conversationId);
    const posted = await call(h.url, 'POST', `${DL}/conversations/${c.conversationId}/activities`, { auth: refreshed.body.token, body: { type: 'message', text: 'nach Refresh' } });
    expect(posted.status).toBe(200);

    const resumed = await call(h.url, 'GET', `${DL}/conversations/${c.conversationId}?watermark=2`, { auth: refreshed.body.token });
    expect(resumed.status).toBe(200);
    expect(resumed.body.streamUrl).toContain('watermark=2');
    const stream = await openStream(resumed.body.streamUrl);
    // Only what came after watermark 2: the bot's reply, not the greeting or the user's message.
    await waitFor(stream.texts, (t) => t.length >= 1);
    expect(stream.texts()).toEqual(['Echo: nach Refresh']);
    expect(stream.sets[0].watermark).toBe('3');
    stream.ws.close();
  });

  it('pushes the echo and the reply over the stream as they are stored, and the stream starts with the history', async () => {
    const c = await newConversation();
    const stream = await openStream(c.streamUrl);
    await waitFor(stream.texts, (t) => t.includes('Willkommen!'));
    await call(h.url, 'POST', `${DL}/conversations/${c.conversationId}/activities`, { auth: c.token, body: { type: 'message', text: 'Strom' } });
    await waitFor(stream.texts, (t) => t.length >= 3);
    expect(stream.texts()).toEqual(['Willkommen!', 'Strom', 'Echo: Strom']);
    expect(stream.sets.at(-1)!.watermark).toBe('3');
    stream.ws.close();
    await waitFor(() => [h.directLine.streamCount], ([n]) => n === 0);
  });

  describe('bad input: a clear JSON reason, nothing written', () => {
    it('rejects malformed JSON, non-activity bodies and bodies over 256 KB', async () => {
      const c = await newConversation();
      const path = `${DL}/conversations/${c.conversationId}/activities`;
      const malformed = await call(h.url, 'POST', path, { auth: c.token, rawBody: '{"type": "message", "text": ' });
      expect(malformed.status).toBe(400);
      expect(typeof malformed.body.error).toBe('string');
      for (const body of [[1, 2], 'text', { text: 'ohne Typ' }, { type: 'conversationUpdate' }, { type: 'message', text: 5 }, { type: 'event' }]) {
        const r = await call(h.url, 'POST', path, { auth: c.token, body });
        expect(r.status, JSON.stringify(body)).toBe(400);
        expect(typeof r.body.error).toBe('string');
      }
      const huge = await call(h.url, 'POST', path, { auth: c.token, body: { type: 'message', text: 'x'.repeat(300 * 1024) } });
      expect(huge.status).toBe(413);
      const got = await call(h.url, 'GET', `${path}?watermark=1`, { auth: c.token });
      expect(got.body.activities).toEqual([]);
      // And the server keeps serving.
      const ok = await call(h.url, 'POST', path, { auth: c.token, body: { type: 'message', text: 'noch da?' } });
      expect(ok.status).toBe(200);
    });

    it('answers 401 without or with a forged token, 403 for a foreign token, 404 for an unknown conversation', async () => {
      const a = await newConversation();
      const b = await newConversation();
      const pathA = `${DL}/conversations/${a.conversationId}/activities`;
      expect((await call(h.url, 'GET', pathA)).status).toBe(401);
      const forged = a.token.slice(0, -4) + (a.token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
      expect((await call(h.url, 'GET', pathA, { auth: forged })).status).toBe(401);
      expect((await call(h.url, 'GET', pathA, { auth: 'not-a-jwt' })).status).toBe(401);
      // B's token can neither read nor post into A, nor resume it.
      expect((await call(h.url, 'GET', pathA, { auth: b.token })).status).toBe(403);
      expect((await call(h.url, 'POST', pathA, { auth: b.token, body: { type: 'message', text: 'Einbruch' } })).status).toBe(403);
      expect((await call(h.url, 'GET', `${DL}/conversations/${a.conversationId}`, { auth: b.token })).status).toBe(403);
      expect((await call(h.url, 'GET', `${DL}/conversations/kdlz-dl-gibtsnicht/activities`, { auth: SECRET })).status).toBe(404);
      expect((await call(h.url, 'GET', `${DL}/conversations/kdlz-dl-gibtsnicht/activities`, { auth: b.token })).status).toBe(403);
      // A token is no secret: it cannot mint tokens; the stream ticket is no API token.
      expect((await call(h.url, 'POST', `${DL}/tokens/generate`, { auth: a.token })).status).toBe(403);
      const ticket = new URL(a.streamUrl).searchParams.get('t')!;
      expect((await call(h.url, 'GET', pathA, { auth: ticket })).status).toBe(401);
      expect((await call(h.url, 'GET', `${pathA}?watermark=abc`, { auth: a.token })).status).toBe(400);
      const history = await call(h.url, 'GET', pathA, { auth: a.token });
      expect(history.body.activities.map((x: any) => x.text)).toEqual(['Willkommen!']);
    });

    it('refuses stream upgrades without a valid ticket for that conversation', async () => {
      const a = await newConversation();
      const b = await newConversation();
      const ticketB = new URL(b.streamUrl).searchParams.get('t')!;
      const base = a.streamUrl.split('?')[0];
      expect(await streamRefusal(base)).toBe(401);
      expect(await streamRefusal(`${base}?t=garbage`)).toBe(401);
      expect(await streamRefusal(`${base}?t=${encodeURIComponent(ticketB)}`)).toBe(403);
      expect(await streamRefusal(a.streamUrl.replace(a.conversationId, 'kdlz-dl-unbekannt'))).toBe(403);
      expect(h.directLine.streamCount).toBe(0);
    });

    it('answers the upload endpoint with 501 JSON', async () => {
      const c = await newConversation();
      const r = await call(h.url, 'POST', `${DL}/conversations/${c.conversationId}/upload`, { auth: c.token, body: {} });
      expect(r.status).toBe(501);
      expect(r.body.error).toMatch(/nicht unterstützt/);
    });
  });
});
