import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresDb } from '../../src/storage/postgres';
import { createPgDatabase } from '../helpers/db';
import { call, openStream, SECRET, startHarness, waitFor, type Harness } from './directline-harness';

const DL = '/v3/directline';

describe('Direct Line on one PostgreSQL shared by two instances', () => {
  let a: Harness;
  let b: Harness;
  beforeAll(async () => {
    const url = await createPgDatabase();
    // Two instances: own pools, own LISTEN connections, own signing-key derivation from the secret.
    a = await startHarness(new PostgresDb(url), { databaseUrl: url });
    b = await startHarness(new PostgresDb(url), { databaseUrl: url });
  });
  afterAll(async () => {
    for (const h of [a, b]) {
      await h?.close();
      await h?.db.close();
    }
  });

  async function conversationOn(h: Harness) {
    const gen = await call(h.url, 'POST', `${DL}/tokens/generate`, { auth: SECRET });
    const started = await call(h.url, 'POST', `${DL}/conversations`, { auth: gen.body.token });
    expect(started.status).toBe(201);
    return started.body as { conversationId: string; token: string; streamUrl: string };
  }

  it('continues a conversation created on A on B: post on B, read on A by polling and by stream', async () => {
    const c = await conversationOn(a);
    const stream = await openStream(c.streamUrl);
    expect(c.streamUrl).toContain(new URL(a.url).host);
    await waitFor(stream.texts, (t) => t.includes('Willkommen!'));

    const posted = await call(b.url, 'POST', `${DL}/conversations/${c.conversationId}/activities`, {
      auth: c.token,
      body: { type: 'message', text: 'über B', channelData: { clientActivityID: 'b-1' } },
    });
    expect(posted.status).toBe(200);
    // The socket on A hears of B's activities through LISTEN/NOTIFY.
    await waitFor(stream.texts, (t) => t.includes('Echo: über B'));
    expect(stream.texts()).toEqual(['Willkommen!', 'über B', 'Echo: über B']);

    const polled = await call(a.url, 'GET', `${DL}/conversations/${c.conversationId}/activities?watermark=1`, { auth: c.token });
    expect(polled.body.activities.map((x: any) => x.text)).toEqual(['über B', 'Echo: über B']);
    expect(polled.body.activities[0].channelData.clientActivityID).toBe('b-1');
    stream.ws.close();
  });

  it('hands out gap-free watermarks when both instances write one conversation at once', async () => {
    const c = await conversationOn(a);
    const path = `${DL}/conversations/${c.conversationId}/activities`;
    await Promise.all(
      Array.from({ length: 12 }, (_, i) => call(i % 2 ? a.url : b.url, 'POST', path, { auth: c.token, body: { type: 'message', text: `m${i}` } })),
    );
    const got = await call(b.url, 'GET', path, { auth: c.token });
    const seqs = got.body.activities.map((x: any) => Number(x.id.split('|')[1]));
    expect(seqs).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(got.body.activities.filter((x: any) => x.text?.startsWith('Echo: m'))).toHaveLength(12);
  });

  it('a stream on B follows a conversation whose turns run on A, resuming from a watermark', async () => {
    const c = await conversationOn(a);
    const resumed = await call(b.url, 'GET', `${DL}/conversations/${c.conversationId}?watermark=1`, { auth: c.token });
    expect(resumed.status).toBe(200);
    const stream = await openStream(resumed.body.streamUrl);
    for (const text of ['drei', 'vier']) {
      await call(a.url, 'POST', `${DL}/conversations/${c.conversationId}/activities`, { auth: resumed.body.token, body: { type: 'message', text } });
    }
    await waitFor(stream.texts, (t) => t.length >= 4);
    expect(stream.texts()).toEqual(['drei', 'Echo: drei', 'vier', 'Echo: vier']);
    expect(stream.sets.at(-1)!.watermark).toBe('5');
    stream.ws.close();
  });
});
