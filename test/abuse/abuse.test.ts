import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dlConversation, pool, rawRequest, settleFds, startTarget, type Target, watchHealth } from './harness';

/**
 * The abuse suite (issue 13): each finding's attack against the built server as its own process
 * on loopback, with bounded counts and time. While the attacks run, /healthz must answer within
 * 500 ms and RSS stay under 300 MB; every answer is a 4xx, never a 5xx; nothing is stored; and
 * afterwards the file descriptors are back at the baseline.
 */
let target: Target;
let health: Awaited<ReturnType<typeof watchHealth>>;
let baselineFds = 0;
/** Slowest /healthz and peak RSS while each attack ran. */
const watched: Record<string, { worstMs: number; peakRssMb: number; checks: number }> = {};
/** Every status an attack got back, by attack. */
const statuses: Record<string, number[]> = {};
const record = (attack: string, status: number) => (statuses[attack] ??= []).push(status);

/** Runs an attack and checks that no table gained or lost a row meanwhile. */
async function storesNothing<T>(fn: () => Promise<T>): Promise<T> {
  const before = target.rowCounts();
  const result = await fn();
  expect(target.rowCounts()).toEqual(before);
  return result;
}

beforeAll(async () => {
  target = await startTarget();
  // Warm up (first requests open the database files and load lazy modules), then take the baseline.
  for (let i = 0; i < 3; i++) await (await fetch(target.url + '/readyz')).arrayBuffer();
  await new Promise((r) => setTimeout(r, 500));
  baselineFds = target.fds();
}, 60_000);

beforeEach(async () => {
  health = await watchHealth(target);
});
afterEach(async (ctx) => {
  watched[ctx.task.name] = await health.stop();
});

afterAll(async () => {
  await target?.stop();
});

describe('abuse suite', () => {
  it('item 2: 200 upgrade requests outside the stream path are answered 404 and closed by the server', async () => {
    const results = await storesNothing(() => pool(200, 100, (i) =>
      rawRequest(
        target.url,
        `GET /x${i} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
      ),
    ));
    for (const r of results) record('upgrade', r.status);
    expect(results.filter((r) => !r.closedByServer)).toHaveLength(0);
    expect(new Set(results.map((r) => r.status))).toEqual(new Set([404]));
  });

  let longHistory: Awaited<ReturnType<typeof dlConversation>>;

  it('item 5: 50 activities over 32 KB get 413 and are not stored', async () => {
    longHistory = await dlConversation(target);
    const refused = await storesNothing(() => pool(50, 10, () => longHistory.post({ type: 'message', text: 'x'.repeat(40_000) })));
    for (const s of refused) record('oversized activity', s);
    expect(new Set(refused)).toEqual(new Set([413]));
    // A long history of the largest activities allowed: events, which the bot stores but does not answer.
    for (let i = 0; i < 60; i++) expect(await longHistory.post({ type: 'event', name: 'x', value: { blob: 'y'.repeat(31_000) } })).toBe(200);
  });

  it('item 5: 40 reads (4 at a time, as in the finding) of a 1.8 MB history each get one page of at most 256 KB', async () => {
    const pages = await pool(40, 4, () => longHistory.page('0'));
    for (const p of pages) {
      expect(p.status).toBe(200);
      expect(p.bytes).toBeLessThan(300 * 1024);
      expect(p.count).toBeGreaterThan(1);
    }
  });

  it('item 9: 20,000 levels of nested JSON get 400 on every JSON endpoint, nothing stored', async () => {
    const c = await dlConversation(target);
    const deep = '['.repeat(20_000) + ']'.repeat(20_000);
    const bodies: [string, string, string?][] = [
      ['/api/messages', `{"type":"message","text":"hi","channelId":"emulator","serviceUrl":"http://127.0.0.1:9","conversation":{"id":"c1"},"from":{"id":"u1"},"value":${deep}}`],
      [`/v3/directline/conversations/${c.id}/activities`, `{"type":"message","value":${deep}}`, c.token],
      ['/v3/directline/conversations', deep, target.secrets.directLine],
      ['/api/webchat/token', deep],
      ['/api/bookings', deep, target.secrets.staff],
    ];
    const results = await storesNothing(() =>
      pool(bodies.length * 10, 10, async (i) => {
        const [path, body, auth] = bodies[i % bodies.length];
        const r = await fetch(target.url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}) }, body, signal: AbortSignal.timeout(5000) });
        await r.arrayBuffer();
        return r.status;
      }),
    );
    for (const s of results) record('nested JSON', s);
    expect(new Set(results)).toEqual(new Set([400]));
  });

  it('item 9: 60 token requests in a minute from one client: at most the limit (20) get a token, the rest 429', async () => {
    const before = target.rowCounts();
    const results = await pool(60, 10, async () => {
      const r = await fetch(target.url + '/api/webchat/token', { method: 'POST' });
      await r.arrayBuffer();
      return r.status;
    });
    const granted = results.filter((s) => s === 200).length;
    for (const s of results.filter((x) => x !== 200)) record('token flood', s);
    expect(granted).toBeLessThanOrEqual(20);
    expect(results.filter((s) => s === 429).length).toBe(60 - granted);
    // Only the granted ones started a conversation.
    expect(target.rowCounts().directline_conversations - before.directline_conversations).toBe(granted);
  });

  it('while the attacks ran: /healthz under 500 ms, RSS under 300 MB, only 4xx answers, nothing stored, descriptors back at baseline', async () => {
    for (const [attack, h] of Object.entries(watched)) {
      console.log(`${attack.slice(0, 60)}…: ${h.checks} health checks, slowest ${Math.round(h.worstMs)} ms, peak RSS ${Math.round(h.peakRssMb)} MB`);
      expect(h.checks, attack).toBeGreaterThan(0);
      expect(h.worstMs, `slowest /healthz during: ${attack}`).toBeLessThan(500);
      expect(h.peakRssMb, `peak RSS (MB) during: ${attack}`).toBeLessThan(300);
    }
    for (const [attack, list] of Object.entries(statuses)) {
      expect(list.filter((s) => s < 400 || s >= 500), `non-4xx answers to ${attack}`).toEqual([]);
    }
    // Keep-alive connections of this test's own fetch calls close after a few idle seconds.
    expect(await settleFds(target, baselineFds + 2)).toBeLessThanOrEqual(baselineFds + 2);
  });
});
