import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../../src/server';
import { startTestServer, type TestServer } from '../helpers/server';

const SECRET = randomBytes(32).toString('base64url');
const STAFF = randomBytes(32).toString('base64url');
let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({ DIRECT_LINE_SECRET: SECRET, STAFF_API_TOKEN: STAFF });
});
afterAll(async () => {
  await srv?.close();
});

const arrays = (n: number) => '['.repeat(n) + ']'.repeat(n);
const objects = (n: number) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);
const activity = (extra: string) =>
  `{"type":"message","text":"hi","channelId":"emulator","serviceUrl":"http://127.0.0.1:9","conversation":{"id":"c1"},"from":{"id":"u1"},"recipient":{"id":"b"}${extra}}`;

async function post(path: string, body: string, auth?: string): Promise<{ status: number; text: string }> {
  const r = await fetch(srv.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
    body,
    signal: AbortSignal.timeout(5000),
  });
  return { status: r.status, text: await r.text() };
}

describe('deeply nested JSON', () => {
  it('nestsDeeperThan counts objects and arrays, iteratively', () => {
    expect(nestsDeeperThan(JSON.parse(arrays(3)), 3)).toBe(false);
    expect(nestsDeeperThan(JSON.parse(arrays(4)), 3)).toBe(true);
    expect(nestsDeeperThan({ a: [{ b: 1 }], c: 'x' }, 3)).toBe(false);
    expect(nestsDeeperThan(JSON.parse(objects(100_000)), MAX_JSON_DEPTH)).toBe(true);
  });

  it('20,000 levels get a 400 with a JSON reason and no stack trace on every endpoint', async () => {
    const conv = await (await fetch(srv.url + '/v3/directline/conversations', { method: 'POST', headers: { authorization: `Bearer ${SECRET}` } })).json();
    const cases: [string, string, string?][] = [
      ['/api/messages', activity(`,"value":${arrays(20_000)}`)],
      ['/api/messages', activity(`,"channelData":${objects(20_000)}`)],
      [`/v3/directline/conversations/${conv.conversationId}/activities`, `{"type":"message","value":${arrays(20_000)}}`, conv.token],
      [`/v3/directline/conversations/${conv.conversationId}/activities`, `{"type":"message","text":"x","channelData":${objects(20_000)}}`, conv.token],
      ['/api/webchat/token', objects(20_000)],
      ['/api/bookings', objects(20_000), STAFF],
    ];
    for (const [path, body, auth] of cases) {
      const r = await post(path, body, auth);
      expect(r.status, path).toBe(400);
      expect(JSON.parse(r.text).code).toBe('TooDeep');
      expect(r.text).not.toMatch(/\bat \S+ \(|RangeError|stack/);
    }
    const stored = await srv.app.db.query('SELECT seq FROM directline_activities WHERE conversation_id = $1', [conv.conversationId]);
    expect(stored.length).toBeLessThanOrEqual(1); // the greeting only
  });

  it('ordinary nesting still passes', async () => {
    const conv = await (await fetch(srv.url + '/v3/directline/conversations', { method: 'POST', headers: { authorization: `Bearer ${SECRET}` } })).json();
    const r = await post(`/v3/directline/conversations/${conv.conversationId}/activities`, `{"type":"message","value":${objects(40)}}`, conv.token);
    expect(r.status).toBe(200);
  });
});
