import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../../src/paths';
import { staffChannelCommand, startChannelServer } from '../helpers/channel-server';
import { cardButtons, dlConversation as talk } from '../helpers/dl-conversation';
import { dlConversation, pool, rawRequest, settleFds, startTarget, type Target, watchHealth } from './harness';

/**
 * The abuse suite (issue 13): each finding's attack against the built server as its own process
 * on loopback, with bounded counts and time. While each attack runs, /healthz must answer within
 * 500 ms and RSS stay under 300 MB; every refused request gets a 4xx, never a 5xx, and stores
 * nothing; afterwards the file descriptors are back at the baseline. Attacks made of ordinary
 * messages (long texts, holds, lookups) check their outcome instead: answered, limited, locked.
 * The findings without an HTTP surface of their own have their own tests: the forged channel
 * token (test/channels/bot-auth.test.ts), the tab audience (entra-token.test.ts), eTag conflicts
 * (test/bot/turn-errors.test.ts) and deletion (test/privacy/erase-everywhere.test.ts).
 */
let target: Target;
let channel: Awaited<ReturnType<typeof startChannelServer>>;
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
  // The KDLZ team's tenant and team may set the staff channel; nobody else.
  target = await startTarget({ STAFF_CHANNEL_TENANT_ID: 'kdlz-tenant', STAFF_CHANNEL_TEAM_IDS: '19:kdlz-team@thread.tacv2' });
  channel = await startChannelServer();
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
  await channel?.close();
});

describe('abuse suite', () => {
  it('item 1: 20 messages of 30 KB shaped to make backtracking patterns explode are each answered, read only up to 2,000 characters', async () => {
    const c = await talk(target.url, target.secrets.directLine);
    for (let i = 0; i < 20; i++) {
      const replies = await c.say('kann a kdlz '.repeat(2500));
      expect(replies.map((a) => a.text).join(' ')).toMatch(/2\.000 Zeichen/);
    }
  });

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

  it('item 3: "Benachrichtigungen hier" from a channel of another tenant (with the right team id) is refused in German; no target is set', async () => {
    for (const [i, tenant, team] of [[1, 'evil-tenant', '19:kdlz-team@thread.tacv2'], [2, 'kdlz-tenant', '19:other-team@thread.tacv2']] as const) {
      const conv = `19:intruder-${i}@thread.tacv2`;
      const r = await fetch(target.url + '/api/messages', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(
          staffChannelCommand(channel.url, conv, { tenant, team, from: { id: '29:mallory', name: 'Mallory', aadObjectId: 'aad-mallory' } }),
        ),
      });
      expect(r.status).toBe(200);
      expect((await channel.waitFor((a) => a.conversationId === conv)).activity.text).toMatch(/nicht tun/);
    }
    expect(target.query(`SELECT key FROM kv_state WHERE key = 'kdlz:staff-channel'`)).toEqual([]);
  });

  it('item 4: 33 Web Chat conversations from one address try to hold a slot each: at most 30 holds, then a German refusal', async () => {
    let refused = 0;
    for (let i = 0; i < 33; i++) {
      const c = await talk(target.url, target.secrets.directLine);
      await c.say('Termin vereinbaren');
      const [types] = await c.say('Buseck');
      await c.say(cardButtons(types)[0].data);
      const [slots] = await c.say('Nächster freier Termin');
      const after = await c.say(cardButtons(slots)[0].data);
      if (/sehr viele Termine vorgemerkt/.test(after.map((a) => a.text).join(' '))) refused++;
    }
    const held = target.query<{ n: number }>(`SELECT COUNT(*) AS n FROM booking_bookings WHERE status = 'held'`)[0].n;
    expect(held).toBeLessThanOrEqual(30);
    expect(refused).toBeGreaterThanOrEqual(3);
  });

  it('item 6: in production a weak secret stops the start, naming the variable', () => {
    const r = spawnSync(process.execPath, [path.join(projectRoot(), 'dist', 'src', 'index.js')], {
      env: { PATH: process.env.PATH, NODE_ENV: 'production', MicrosoftAppId: '0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b', MicrosoftAppPassword: 'pw', SQLITE_FILE: path.join(target.dataDir, 'prod.db'), DIRECT_LINE_SECRET: 'x', PORT: '0' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/DIRECT_LINE_SECRET: in production zu schwach/);
  });

  it('item 8: guessing reference and e-mail in "Meine Termine" is locked after 5 tries per conversation and 20 per address', async () => {
    const lookup = async (c: Awaited<ReturnType<typeof talk>>, i: number) => {
      await c.say('Meine Termine');
      await c.say(`KDLZ-2026-GUESS${'ABCDEFGHJKLMNPQRSTUVWXYZ'[i % 24]}`);
      return (await c.say(`guess${i}@gemeinde.example`)).map((a) => a.text).join(' ');
    };
    const one = await talk(target.url, target.secrets.directLine);
    const answers = [];
    for (let i = 0; i < 8; i++) answers.push(await lookup(one, i));
    expect(answers.slice(0, 5).every((a) => /keinen Termin gefunden/.test(a))).toBe(true);
    expect(answers.slice(5).every((a) => /erst in etwa \d+ Minuten/.test(a))).toBe(true);
    // Fresh conversations from the same address: the address runs out after 20 wrong pairs in all.
    let lockedAt = 0;
    for (let i = 1; i <= 20 && !lockedAt; i++) {
      if (/erst in etwa/.test(await lookup(await talk(target.url, target.secrets.directLine), 100 + i))) lockedAt = i;
    }
    expect(lockedAt).toBe(16);
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
