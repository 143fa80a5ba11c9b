import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/server';
import { call, openStream, waitFor } from './directline-harness';

const SECRET = 'app-test-direct-line-secret-987654321';

describe('Direct Line end to end with the real KDLZ-Bot', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ DIRECT_LINE_SECRET: SECRET, TOKEN_RATE_LIMIT_PER_MIN: '50' });
  });
  afterAll(async () => {
    await s?.close();
  });

  it('greets a new Web Chat conversation in German and answers a question over the stream', async () => {
    const t = await call(s.url, 'POST', '/api/webchat/token', { body: {} });
    expect(t.status).toBe(200);
    expect(JSON.stringify(t.body)).not.toContain(SECRET);
    const started = await call(s.url, 'POST', '/v3/directline/conversations', { auth: t.body.token });
    expect(started.status).toBe(201);
    const stream = await openStream(started.body.streamUrl);
    const bot = () => stream.sets.flatMap((x) => x.activities).filter((a) => a.type === 'message' && a.from.role === 'bot');
    await waitFor(bot, (b) => b.length >= 1);
    expect(bot()[0].from).toEqual({ id: 'kdlz-bot', name: 'KDLZ-Bot', role: 'bot' });
    expect(bot()[0].text).toMatch(/Guten Tag/);
    expect(bot()[0].suggestedActions.actions.length).toBeGreaterThan(0);

    const before = bot().length;
    const posted = await call(s.url, 'POST', `/v3/directline/conversations/${started.body.conversationId}/activities`, {
      auth: t.body.token,
      body: { type: 'message', text: 'Was ist das KDLZ CS?', locale: 'de-DE', channelData: { clientActivityID: 'e2e-1' } },
    });
    expect(posted.status).toBe(200);
    await waitFor(bot, (b) => b.length > before);
    const all = stream.sets.flatMap((x) => x.activities);
    expect(all.find((a) => a.channelData?.clientActivityID === 'e2e-1')?.text).toBe('Was ist das KDLZ CS?');
    const answer = bot().at(-1);
    expect(answer.replyToId).toBe(posted.body.id);
    expect(typeof answer.text === 'string' || (answer.attachments ?? []).length > 0).toBe(true);
    stream.ws.close();
  });

  it('greets once when Web Chat opens a token-service conversation by id (resume path), not again on reload', async () => {
    const t = await call(s.url, 'POST', '/api/webchat/token', { body: {} });
    const id = t.body.conversationId;
    const open = () => call(s.url, 'GET', `/v3/directline/conversations/${id}?watermark=`, { auth: t.body.token });
    expect((await open()).status).toBe(200);
    const greetings = async () => {
      const r = await call(s.url, 'GET', `/v3/directline/conversations/${id}/activities`, { auth: t.body.token });
      return (r.body.activities as { type: string; text?: string }[]).filter((a) => a.type === 'message' && /Guten Tag/.test(a.text ?? ''));
    };
    // The greeting turn runs before the resume answer is sent.
    expect(await greetings()).toHaveLength(1);
    expect((await open()).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(await greetings()).toHaveLength(1);
  });

  it('keeps serving after bad input on Direct Line', async () => {
    const t = await call(s.url, 'POST', '/api/webchat/token', { body: {} });
    const started = await call(s.url, 'POST', '/v3/directline/conversations', { auth: t.body.token });
    const path = `/v3/directline/conversations/${started.body.conversationId}/activities`;
    expect((await call(s.url, 'POST', path, { auth: t.body.token, rawBody: '{nope' })).status).toBe(400);
    expect((await call(s.url, 'POST', path, { auth: t.body.token, body: { type: 'message', text: 'x'.repeat(300_000) } })).status).toBe(413);
    expect((await call(s.url, 'GET', '/readyz')).status).toBe(200);
  });
});
