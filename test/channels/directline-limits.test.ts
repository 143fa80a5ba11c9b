import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ACTIVITY_BYTES, PAGE_BYTES } from '../../src/channels/directline/routes';
import { SqliteDb } from '../../src/storage/sqlite';
import { createSqliteFile } from '../helpers/db';
import { call, openStream, SECRET, startHarness, waitFor, type Harness } from './directline-harness';

const DL = '/v3/directline';

/** Stored payloads are bounded: one activity at 32 KB, one page (GET or stream message) at 256 KB. */
describe('Direct Line size limits', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(new SqliteDb(createSqliteFile()));
  });
  afterAll(async () => {
    await h.close();
    await h.db.close();
  });

  async function newConversation(): Promise<{ conversationId: string; token: string; streamUrl: string }> {
    const start = await call(h.url, 'POST', `${DL}/conversations`, { auth: SECRET });
    expect(start.status).toBe(201);
    return start.body;
  }
  const count = async (id: string) => Number((await h.db.query<{ n: number }>('SELECT COUNT(*) AS n FROM directline_activities WHERE conversation_id = $1', [id]))[0].n);

  it('an activity over 32 KB is refused with 413 and nothing is stored', async () => {
    const c = await newConversation();
    const before = await count(c.conversationId);
    for (const body of [
      { type: 'message', text: 'x'.repeat(MAX_ACTIVITY_BYTES) },
      { type: 'message', text: 'kurz', channelData: { blob: 'y'.repeat(40_000) } },
      { type: 'message', value: { list: Array.from({ length: 5000 }, (_, i) => i) }, attachments: [{ contentType: 'text/plain', content: 'z'.repeat(20_000) }] },
    ]) {
      const r = await call(h.url, 'POST', `${DL}/conversations/${c.conversationId}/activities`, { auth: c.token, body });
      expect(r.status).toBe(413);
      expect(r.body.code).toBe('ActivityTooLarge');
    }
    expect(await count(c.conversationId)).toBe(before);
    const ok = await call(h.url, 'POST', `${DL}/conversations/${c.conversationId}/activities`, { auth: c.token, body: { type: 'message', text: 'x'.repeat(30_000) } });
    expect(ok.status).toBe(200);
  });

  it('a GET page holds at most 256 KB of activities, and paging by watermark loses none', async () => {
    const c = await newConversation();
    // 20 messages of 30 KB, each echoed: 40 large activities (~1.2 MB) plus the greeting.
    for (let i = 0; i < 20; i++) {
      const r = await call(h.url, 'POST', `${DL}/conversations/${c.conversationId}/activities`, { auth: c.token, body: { type: 'message', text: `${i} `.padEnd(30_000, 'x') } });
      expect(r.status).toBe(200);
    }
    const total = await count(c.conversationId);
    const seen: string[] = [];
    let watermark = '0';
    let pages = 0;
    for (;;) {
      const r = await call(h.url, 'GET', `${DL}/conversations/${c.conversationId}/activities?watermark=${watermark}`, { auth: c.token });
      expect(r.status).toBe(200);
      if (!r.body.activities.length) break;
      pages++;
      const bytes = r.body.activities.reduce((n: number, a: unknown) => n + Buffer.byteLength(JSON.stringify(a)), 0);
      expect(bytes).toBeLessThanOrEqual(PAGE_BYTES + 40_000);
      seen.push(...r.body.activities.map((a: { id: string }) => a.id));
      watermark = r.body.watermark;
    }
    expect(pages).toBeGreaterThan(3);
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });

  it('the WebSocket catch-up sends the history in messages of at most 256 KB', async () => {
    const c = await newConversation();
    for (let i = 0; i < 12; i++) {
      await call(h.url, 'POST', `${DL}/conversations/${c.conversationId}/activities`, { auth: c.token, body: { type: 'message', text: `${i} `.padEnd(30_000, 'x') } });
    }
    const total = await count(c.conversationId);
    const s = await openStream(c.streamUrl);
    try {
      await waitFor(() => s.sets.flatMap((x) => x.activities), (all) => all.length >= total);
      expect(s.sets.length).toBeGreaterThan(1);
      for (const set of s.sets) expect(Buffer.byteLength(JSON.stringify(set))).toBeLessThanOrEqual(PAGE_BYTES + 40_000);
      expect(s.sets.flatMap((x) => x.activities)).toHaveLength(total);
    } finally {
      s.ws.close();
    }
  });
});
