import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, SECRET } from '../channels/directline-harness';
import { startTestServer, type TestServer } from '../helpers/server';

/** A clarification's button through the real app: MainDialog's global action answers from the chosen article. */
let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({ DIRECT_LINE_SECRET: SECRET });
});
afterAll(async () => {
  await srv?.close();
});

async function say(body: object): Promise<any[]> {
  const started = await call(srv.url, 'POST', '/v3/directline/conversations', { auth: SECRET });
  const { conversationId, token } = started.body as { conversationId: string; token: string };
  const r = await call(srv.url, 'POST', `/v3/directline/conversations/${conversationId}/activities`, { auth: token, body: { type: 'message', ...body } });
  expect(r.status).toBe(200);
  const list = await call(srv.url, 'GET', `/v3/directline/conversations/${conversationId}/activities?watermark=0`, { auth: token });
  return (list.body.activities as any[]).filter((a) => a.from.role === 'bot' && a.type === 'message' && a.text);
}

describe('answerFrom card action', () => {
  it('answers the question from the chosen article, cited', async () => {
    const replies = await say({ value: { kdlz: 'answerFrom', article: 'ikz-foerderhoehe', question: 'Wie viel gibt es für drei?' } });
    const answer = replies.find((a) => /75\.000/.test(a.text));
    expect(answer, JSON.stringify(replies.map((a) => a.text))).toBeDefined();
    expect(answer.entities?.[0]?.citation?.length).toBeGreaterThan(0);
  });

  it('answers a malformed value with the stale-card note, not a crash', async () => {
    const replies = await say({ value: { kdlz: 'answerFrom', article: 7 } });
    expect(replies.length).toBeGreaterThan(0);
    expect(replies.some((a) => /75\.000/.test(a.text))).toBe(false);
  });
});
