import { describe, expect } from 'vitest';
import { withServer } from '../helpers/fixtures';
import { call, openStream, waitFor } from './directline-harness';

const SECRET = 'app-test-direct-line-secret-987654321';

const it = withServer({ DIRECT_LINE_SECRET: SECRET, TOKEN_RATE_LIMIT_PER_MIN: '50' });

describe('Direct Line end to end with the real KDLZ-Bot', () => {
  it('greets a new Web Chat conversation in German and answers a question over the stream', async ({ server: s }) => {
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
    // A knowledge answer, not an apology: it names the KDLZ and carries its sources as the
    // schema.org citation entity (DESIGN.md's contract).
    expect(answer.text).toMatch(/KDLZ/);
    expect(answer.text).not.toMatch(/Entschuldigung|ist ein Fehler aufgetreten/);
    const citation = (answer.entities ?? []).find((e: { type?: string }) => e.type === 'https://schema.org/Message');
    expect(citation?.citation?.length).toBeGreaterThan(0);
    stream.ws.close();
  });

  it('greets once when Web Chat opens a token-service conversation by id (resume path), not again on reload', async ({ server: s }) => {
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
    // Explicit signal instead of a pause: a later message whose answer has arrived; a second
    // greeting from the reload would have been sent before it.
    const marker = await call(s.url, 'POST', `/v3/directline/conversations/${id}/activities`, { auth: t.body.token, body: { type: 'message', text: 'hilfe' } });
    expect(marker.status).toBe(200);
    const answered = async () =>
      ((await call(s.url, 'GET', `/v3/directline/conversations/${id}/activities`, { auth: t.body.token })).body.activities as { replyToId?: string }[]).some(
        (a) => a.replyToId === marker.body.id,
      );
    await expect.poll(answered, { timeout: 10_000 }).toBe(true);
    expect(await greetings()).toHaveLength(1);
  });

  it('keeps serving after bad input on Direct Line', async ({ server: s }) => {
    const t = await call(s.url, 'POST', '/api/webchat/token', { body: {} });
    const started = await call(s.url, 'POST', '/v3/directline/conversations', { auth: t.body.token });
    const path = `/v3/directline/conversations/${started.body.conversationId}/activities`;
    expect((await call(s.url, 'POST', path, { auth: t.body.token, rawBody: '{nope' })).status).toBe(400);
    expect((await call(s.url, 'POST', path, { auth: t.body.token, body: { type: 'message', text: 'x'.repeat(300_000) } })).status).toBe(413);
    expect((await call(s.url, 'GET', '/readyz')).status).toBe(200);
  });
});
