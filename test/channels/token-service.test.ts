import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientAddress, RateLimiter } from '../../src/channels/token-service';
import { SqliteDb } from '../../src/storage/sqlite';
import { createSqliteFile } from '../helpers/db';
import { call, SECRET, startHarness, type Harness } from './directline-harness';

const PATH = '/api/webchat/token';
const PORTAL = 'https://portal.hessen.example';

describe('RateLimiter', () => {
  it('lets `limit` requests per window through, then says how long to wait, per client', () => {
    let t = 1_000_000;
    const limiter = new RateLimiter(3, 60_000, 100, () => t);
    expect([limiter.take('a'), limiter.take('a'), limiter.take('a')]).toEqual([0, 0, 0]);
    expect(limiter.take('a')).toBe(60);
    expect(limiter.take('b')).toBe(0);
    t += 45_500;
    expect(limiter.take('a')).toBe(15);
    t += 14_500;
    expect(limiter.take('a')).toBe(0);
  });

  it('keeps its memory bounded however many clients come by', () => {
    let t = 0;
    const limiter = new RateLimiter(1, 60_000, 100, () => t);
    for (let i = 0; i < 1000; i++) {
      limiter.take('client-' + i);
      t += 10;
    }
    expect(limiter.size).toBeLessThanOrEqual(101);
  });
});

describe('clientAddress', () => {
  const req = (xff?: string) => ({ headers: { 'x-forwarded-for': xff }, socket: { remoteAddress: '10.0.0.9' } });
  it('ignores X-Forwarded-For unless proxies are trusted, and then takes the entry the last trusted proxy saw', () => {
    expect(clientAddress(req('1.2.3.4'), 0)).toBe('10.0.0.9');
    expect(clientAddress(req('6.6.6.6, 1.2.3.4'), 1)).toBe('1.2.3.4');
    expect(clientAddress(req('6.6.6.6, 1.2.3.4, 10.0.0.2'), 2)).toBe('1.2.3.4');
    expect(clientAddress(req(undefined), 1)).toBe('10.0.0.9');
  });
});

describe('POST /api/webchat/token', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(new SqliteDb(createSqliteFile()), { ratePerMinute: 3, allowedOrigins: [PORTAL] });
  });
  afterAll(async () => {
    await h.close();
    await h.db.close();
  });

  it('mints a conversation-bound token, never the secret, and limits each client with 429 + Retry-After', async () => {
    const responses = [];
    for (let i = 0; i < 4; i++) responses.push(await call(h.url, 'POST', PATH, { body: {} }));
    const [first] = responses;
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect(first.body.conversationId).toMatch(/^kdlz-dl-/);
    expect(first.body.expires_in).toBe(60);
    expect(JSON.stringify(first.body)).not.toContain(SECRET);
    expect(new Set(responses.slice(0, 3).map((r) => r.body.conversationId)).size).toBe(3);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 429]);
    const limited = responses[3];
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited.body.error).toMatch(/Zu viele Anfragen/);
    // The token minted works for its conversation only.
    const start = await call(h.url, 'POST', '/v3/directline/conversations', { auth: first.body.token });
    expect(start.status).toBe(201);
    expect(start.body.conversationId).toBe(first.body.conversationId);
  });
});

describe('token service CORS and input', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(new SqliteDb(createSqliteFile()), { ratePerMinute: 100, allowedOrigins: [PORTAL] });
  });
  afterAll(async () => {
    await h.close();
    await h.db.close();
  });

  it('grants CORS to configured portal origins and to its own origin, refuses other pages', async () => {
    const allowed = await call(h.url, 'POST', PATH, { body: {}, headers: { origin: PORTAL } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(PORTAL);

    const self = await call(h.url, 'POST', PATH, { body: {}, headers: { origin: h.url } });
    expect(self.status).toBe(200);

    const evil = await call(h.url, 'POST', PATH, { body: {}, headers: { origin: 'https://evil.example' } });
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    expect(evil.body.token).toBeUndefined();

    const preflight = await call(h.url, 'OPTIONS', PATH, {
      headers: { origin: PORTAL, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(PORTAL);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    const badPreflight = await call(h.url, 'OPTIONS', PATH, { headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(badPreflight.status).toBe(403);
    expect(badPreflight.headers.get('access-control-allow-origin')).toBeNull();

    // The Direct Line endpoints the widget calls next follow the same policy.
    const dlPreflight = await call(h.url, 'OPTIONS', '/v3/directline/conversations', {
      headers: { origin: PORTAL, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' },
    });
    expect(dlPreflight.status).toBe(204);
    expect(dlPreflight.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    expect((await call(h.url, 'OPTIONS', '/v3/directline/conversations', { headers: { origin: 'https://evil.example' } })).status).toBe(403);
  });

  it('renews a token for its conversation; rejects forged tokens and bad bodies with a reason', async () => {
    const first = await call(h.url, 'POST', PATH, { body: {} });
    const renewed = await call(h.url, 'POST', PATH, { body: { token: first.body.token } });
    expect(renewed.status).toBe(200);
    expect(renewed.body.conversationId).toBe(first.body.conversationId);
    expect(renewed.body.userId).toBe(first.body.userId);

    const forged = await call(h.url, 'POST', PATH, { body: { token: first.body.token.slice(0, -3) + 'abc' } });
    expect(forged.status).toBe(401);
    expect((await call(h.url, 'POST', PATH, { body: { token: 42 } })).status).toBe(400);
    expect((await call(h.url, 'POST', PATH, { body: [1] })).status).toBe(400);
    expect((await call(h.url, 'POST', PATH, { rawBody: '{"token":' })).status).toBe(400);
  });

  it('treats a POST without a body (as a portal backend may send it) as a request for a new conversation', async () => {
    const bare = await fetch(h.url + PATH, { method: 'POST' });
    expect(bare.status).toBe(200);
    const emptyJson = await fetch(h.url + PATH, { method: 'POST', headers: { 'content-type': 'application/json' } });
    expect(emptyJson.status).toBe(200);
    const a = (await bare.json()) as { conversationId: string };
    const b = (await emptyJson.json()) as { conversationId: string };
    expect(a.conversationId).not.toBe(b.conversationId);
  });
});
