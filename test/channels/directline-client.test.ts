import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import XMLHttpRequest from 'xhr2';
import { SqliteDb } from '../../src/storage/sqlite';
import { createSqliteFile } from '../helpers/db';
import { call, startHarness, waitFor, type Harness } from './directline-harness';

// The official client library expects a browser: rxjs' ajax needs XMLHttpRequest and the
// stream needs a global WebSocket (Node 20 has neither).
(globalThis as any).XMLHttpRequest = XMLHttpRequest;
(globalThis as any).WebSocket = WebSocket;
// Loaded after the globals exist: the library checks for WebSocket when a client is created.
const { DirectLine, ConnectionStatus } = await import('botframework-directlinejs');

type Client = InstanceType<typeof DirectLine>;

function collect(client: Client): { texts: () => string[]; all: any[] } {
  const all: any[] = [];
  // client.end() ends the observable with an error; that is the expected way out.
  client.activity$.subscribe(
    (a) => all.push(a),
    () => undefined,
  );
  return { all, texts: () => all.filter((a) => a.type === 'message').map((a) => a.text) };
}

function post(client: Client, activity: Record<string, unknown>): Promise<string> {
  return new Promise((resolve, reject) => client.postActivity(activity as any).subscribe(resolve, reject));
}

describe('Direct Line with the real botframework-directlinejs client', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness(new SqliteDb(createSqliteFile()));
  });
  afterAll(async () => {
    await h.close();
    await h.db.close();
  });

  async function tokenFromService(): Promise<{ token: string; conversationId: string; domain: string }> {
    const r = await call(h.url, 'POST', '/api/webchat/token', { body: {} });
    expect(r.status).toBe(200);
    return r.body;
  }

  for (const webSocket of [true, false]) {
    it(`holds a conversation over ${webSocket ? 'the WebSocket stream' : 'polling'}`, async () => {
      const t = await tokenFromService();
      expect(t.domain).toBe(`${h.url}/v3/directline`);
      const client = new DirectLine({ token: t.token, domain: t.domain, webSocket, pollingInterval: 200 });
      const seen = collect(client);
      await waitFor(seen.texts, (x) => x.includes('Willkommen!'));
      const id = await post(client, { type: 'message', text: 'Hallo Bot', from: { id: 'ignored' }, channelData: { clientActivityID: 'c1' } });
      expect(id).toMatch(new RegExp(`^${t.conversationId}\\|`));
      await waitFor(seen.texts, (x) => x.includes('Echo: Hallo Bot'));
      await post(client, { type: 'message', text: 'Noch eine Frage', from: { id: 'ignored' } });
      await waitFor(seen.texts, (x) => x.includes('Echo: Noch eine Frage'));
      expect(seen.texts()).toEqual(['Willkommen!', 'Hallo Bot', 'Echo: Hallo Bot', 'Noch eine Frage', 'Echo: Noch eine Frage']);
      const echo = seen.all.find((a) => a.text === 'Hallo Bot');
      expect(echo.channelData.clientActivityID).toBe('c1');
      expect(client.connectionStatus$.getValue()).toBe(ConnectionStatus.Online);
      expect(h.directLine.streamCount).toBe(webSocket ? 1 : 0);
      client.end();
    });
  }

  it('resumes a conversation by id and watermark: history after the watermark only, then new replies', async () => {
    const t = await tokenFromService();
    const first = new DirectLine({ token: t.token, domain: t.domain, webSocket: true });
    const seen = collect(first);
    await waitFor(seen.texts, (x) => x.includes('Willkommen!'));
    await post(first, { type: 'message', text: 'vor dem Neuladen', from: { id: 'u' } });
    await waitFor(seen.texts, (x) => x.includes('Echo: vor dem Neuladen'));
    first.end();

    // What a reloaded page does: a renewed token from the token service, then resume.
    const renewed = await call(h.url, 'POST', '/api/webchat/token', { body: { token: t.token } });
    expect(renewed.status).toBe(200);
    expect(renewed.body.conversationId).toBe(t.conversationId);
    const resumed = new DirectLine({ token: renewed.body.token, domain: t.domain, conversationId: t.conversationId, watermark: '1', webSocket: true });
    const later = collect(resumed);
    await waitFor(later.texts, (x) => x.includes('Echo: vor dem Neuladen'));
    await post(resumed, { type: 'message', text: 'nach dem Neuladen', from: { id: 'u' } });
    await waitFor(later.texts, (x) => x.includes('Echo: nach dem Neuladen'));
    expect(later.texts()).toEqual(['vor dem Neuladen', 'Echo: vor dem Neuladen', 'nach dem Neuladen', 'Echo: nach dem Neuladen']);
    resumed.end();
  });
});
