import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pool, rawRequest, settleFds, startTarget, type Target, watchHealth } from './harness';

/**
 * The abuse suite (issue 13): each finding's attack against the built server as its own process
 * on loopback, with bounded counts and time. While the attacks run, /healthz must answer within
 * 500 ms and RSS stay under 300 MB; every answer is a 4xx, never a 5xx; nothing is stored; and
 * afterwards the file descriptors are back at the baseline.
 */
let target: Target;
let health: ReturnType<typeof watchHealth>;
let baselineFds = 0;
let baselineRows: Record<string, number> = {};
/** Every status an attack got back, by attack. */
const statuses: Record<string, number[]> = {};
const record = (attack: string, status: number) => (statuses[attack] ??= []).push(status);

beforeAll(async () => {
  target = await startTarget();
  // Warm up (first requests open the database files and load lazy modules), then take the baseline.
  for (let i = 0; i < 3; i++) await (await fetch(target.url + '/readyz')).arrayBuffer();
  await new Promise((r) => setTimeout(r, 500));
  baselineFds = target.fds();
  baselineRows = target.rowCounts();
  health = watchHealth(target);
}, 60_000);

afterAll(async () => {
  await target?.stop();
});

describe('abuse suite', () => {
  it('item 2: 200 upgrade requests outside the stream path are answered 404 and closed by the server', async () => {
    const results = await pool(200, 100, (i) =>
      rawRequest(
        target.url,
        `GET /x${i} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
      ),
    );
    for (const r of results) record('upgrade', r.status);
    expect(results.filter((r) => !r.closedByServer)).toHaveLength(0);
    expect(new Set(results.map((r) => r.status))).toEqual(new Set([404]));
  });

  it('while the attacks ran: /healthz under 500 ms, RSS under 300 MB, only 4xx answers, nothing stored, descriptors back at baseline', async () => {
    const h = await health.stop();
    expect(h.checks).toBeGreaterThan(1);
    expect(h.worstMs, 'slowest /healthz').toBeLessThan(500);
    expect(h.peakRssMb, 'peak RSS (MB)').toBeLessThan(300);
    for (const [attack, list] of Object.entries(statuses)) {
      expect(list.filter((s) => s < 400 || s >= 500), `non-4xx answers to ${attack}`).toEqual([]);
    }
    expect(target.rowCounts()).toEqual(baselineRows);
    // Keep-alive connections of this test's own fetch calls close after a few idle seconds.
    expect(await settleFds(target, baselineFds + 2)).toBeLessThanOrEqual(baselineFds + 2);
  });
});
