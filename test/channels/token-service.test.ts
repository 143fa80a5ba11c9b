import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientAddress } from '../../src/channels/token-service';
import { clientKey, type Db, RATE_COUNTER_MAX_WINDOW_MS, RateCounter, rateCounterMigrations } from '../../src/storage';
import { PostgresDb } from '../../src/storage/postgres';
import { SqliteDb } from '../../src/storage/sqlite';
import { createPgDatabase, createSqliteFile, openTestDb } from '../helpers/db';
import { call, SECRET, startHarness, type Harness } from './directline-harness';

const PATH = '/api/webchat/token';
const PORTAL = 'https://portal.hessen.example';

describe('RateCounter', () => {
  it('lets `limit` requests per window through, then says how long to wait, per key', async () => {
    let t = 1_020_000; // 17 min: a window boundary
    const db = await openTestDb('sqlite', rateCounterMigrations);
    try {
      const counter = new RateCounter(db, () => t);
      const take = (k: string) => counter.take(k, 3, 60_000);
      expect([await take('a'), await take('a'), await take('a')]).toEqual([0, 0, 0]);
      expect(await take('a')).toBe(60);
      expect(await take('b')).toBe(0);
      t += 45_500;
      expect(await take('a')).toBe(15);
      t += 14_500;
      expect(await take('a')).toBe(0);
      expect(await counter.count('a', 60_000)).toBe(1);
      // Keys are not stored readable.
      expect(JSON.stringify(await db.query('SELECT * FROM rate_counters'))).not.toMatch(/"a"|"b"/);
    } finally {
      await db.close();
    }
  });

  it('forgets old windows', async () => {
    let t = 0;
    const db = await openTestDb('sqlite', rateCounterMigrations);
    try {
      const counter = new RateCounter(db, () => t);
      for (let i = 0; i < 50; i++) await counter.hit('client-' + i, 60_000);
      t += 2 * RATE_COUNTER_MAX_WINDOW_MS + 60_000;
      expect(await counter.prune(t, true)).toBe(50);
    } finally {
      await db.close();
    }
  });
});

describe('clientKey', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:ffff:ffff:ffff:ffff', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::9', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['64:ff9b::198.51.100.1', '64:ff9b:0:0::/64'],
  ])('%s → %s', (address, key) => {
    expect(clientKey(address)).toBe(key);
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

describe.each(['sqlite', 'postgres'] as const)('the token limit is shared by every instance on one database (%s)', (kind) => {
  let db: Db;
  let a: Harness;
  let b: Harness;
  beforeAll(async () => {
    const databaseUrl = kind === 'postgres' ? await createPgDatabase() : undefined;
    db = databaseUrl ? new PostgresDb(databaseUrl) : new SqliteDb(createSqliteFile());
    a = await startHarness(db, { ratePerMinute: 3, trustProxyHops: 1, databaseUrl });
    b = await startHarness(db, { ratePerMinute: 3, trustProxyHops: 1, databaseUrl });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.close();
  });

  it('requests spread over two instances count together', async () => {
    const from = { 'x-forwarded-for': '198.51.100.20' };
    const statuses = [];
    for (const h of [a, b, a, b]) statuses.push((await call(h.url, 'POST', PATH, { body: {}, headers: from })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    // Another client is counted on its own.
    expect((await call(b.url, 'POST', PATH, { body: {}, headers: { 'x-forwarded-for': '198.51.100.21' } })).status).toBe(200);
  });

  it('IPv6 clients count per /64: rotating the interface id does not help', async () => {
    const statuses = [];
    for (let i = 1; i <= 4; i++) statuses.push((await call(i % 2 ? a.url : b.url, 'POST', PATH, { body: {}, headers: { 'x-forwarded-for': `2001:db8:aa:bb::${i}` } })).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect((await call(a.url, 'POST', PATH, { body: {}, headers: { 'x-forwarded-for': '2001:db8:aa:bc::1' } })).status).toBe(200);
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
