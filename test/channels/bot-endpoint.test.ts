import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type restify from 'restify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCloudAdapter, registerBotEndpoint } from '../../src/channels/bot-endpoint';
import { createLogger } from '../../src/log';
import { createServer } from '../../src/server';
import { channelActivity, startChannelServer } from '../helpers/channel-server';
import { startTestServer, type TestServer } from '../helpers/server';

type Channel = Awaited<ReturnType<typeof startChannelServer>>;

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(url + '/api/messages', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

describe('Bot Framework endpoint /api/messages (local development mode)', () => {
  let server: TestServer;
  let channel: Channel;
  beforeAll(async () => {
    server = await startTestServer();
    channel = await startChannelServer();
  });
  afterAll(async () => {
    await server?.close();
    await channel?.close();
  });

  it('greets once, answers help with suggested actions, and keeps a conversation over several turns', async () => {
    const conv = 'conv-multi-' + Date.now();
    const join = channelActivity(channel.url, conv, {
      type: 'conversationUpdate',
      membersAdded: [{ id: 'user-1' }],
    });
    expect((await post(server.url, join)).status).toBe(200);
    const welcome = await channel.waitFor((a) => a.conversationId === conv && /KDLZ-Bot/.test(a.activity.text ?? ''));
    expect(welcome.activity.text).toMatch(/Förderfähigkeit prüfen/);

    // A second join event must not greet again.
    expect((await post(server.url, join)).status).toBe(200);
    expect((await post(server.url, channelActivity(channel.url, conv, { text: 'Hilfe' }))).status).toBe(200);
    const help = await channel.waitFor((a) => a.conversationId === conv && /So kann ich helfen/.test(a.activity.text ?? ''));
    expect(help.activity.suggestedActions.actions.map((x: { title: string }) => x.title)).toContain('Termin vereinbaren');
    expect(help.activity.locale).toBe('de-DE');
    const greetings = channel.received.filter((a) => a.conversationId === conv && /Guten Tag/.test(a.activity.text ?? ''));
    expect(greetings).toHaveLength(1);
  });

  it('answers a knowledge question with a cited answer, and declines what it does not know without a citation', async () => {
    const conv = 'conv-kb-' + Date.now();
    await post(server.url, channelActivity(channel.url, conv, { text: 'Was bietet das Hessen3C den Kommunen an?' }));
    const answer = await channel.waitFor((a) => a.conversationId === conv && a.activity.type === 'message');
    expect(answer.activity.text).toMatch(/Quellen?: .+Stand/s);
    const citation = (answer.activity.entities ?? []).find((e: { type: string }) => e.type === 'https://schema.org/Message');
    expect(citation?.citation?.[0]?.appearance?.url).toMatch(/^https?:\/\//);

    const conv2 = conv + '-x';
    await post(server.url, channelActivity(channel.url, conv2, { text: 'Wie backe ich einen Käsekuchen?' }));
    const decline = await channel.waitFor((a) => a.conversationId === conv2 && a.activity.type === 'message');
    expect(decline.activity.text).toMatch(/keine gesicherte Information/);
    expect((decline.activity.entities ?? []).some((e: { type: string }) => e.type === 'https://schema.org/Message')).toBe(false);
  });

  it('answers a one-sentence eligibility question in that turn with the eligibility entity', async () => {
    const conv = 'conv-elig-' + Date.now();
    await post(server.url, channelActivity(channel.url, conv, { text: 'Kann Buseck das KDLZ nutzen?' }));
    const result = await channel.waitFor(
      (a) => a.conversationId === conv && (a.activity.entities ?? []).some((e: { type: string }) => e.type === 'eligibility'),
      20_000,
    );
    const entity = result.activity.entities.find((e: { type: string }) => e.type === 'eligibility');
    expect(entity.municipality.ags).toBe('06531003');
    expect(entity.municipality.population).toBe(13358);
    expect(entity.eligible).toBe(true);
  });

  it.each([
    ['malformed JSON', '{"type": "message", ', 400],
    ['an array', [], 400],
    ['an object without type', { text: 'hallo' }, 400],
    ['an activity without conversation', { type: 'message', text: 'x', serviceUrl: 'http://127.0.0.1:9', channelId: 'emulator', from: { id: 'u' } }, 400],
    ['a body over 256 KB', { type: 'message', text: 'x'.repeat(300 * 1024) }, 413],
  ])('answers %s with a JSON error and keeps serving', async (_name, body, status) => {
    const res = await post(server.url, body);
    expect(res.status).toBe(status);
    const json = (await res.json()) as { error: string };
    expect(typeof json.error).toBe('string');
    expect(json.error.length).toBeGreaterThan(3);
    expect((await fetch(server.url + '/healthz')).status).toBe(200);
  });

  it('reports readiness with the storage backend', async () => {
    const res = await fetch(server.url + '/readyz');
    const body = (await res.json()) as { storage: string; backend: string };
    expect(body.storage).toBe('ok');
    expect(body.backend).toBe('sqlite');
  });
});

describe('Bot Framework endpoint with an app id configured', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ MicrosoftAppId: '00000000-0000-0000-0000-000000000001', MicrosoftAppPassword: 'test-password' });
  });
  afterAll(async () => server?.close());

  it('rejects an activity without a channel JWT with 401', async () => {
    const res = await post(server.url, channelActivity('http://127.0.0.1:9', 'c1', { text: 'hallo' }));
    expect(res.status).toBe(401);
  });

  it('rejects a garbage bearer token with 401', async () => {
    const res = await post(server.url, channelActivity('http://127.0.0.1:9', 'c1', { text: 'hallo' }), { authorization: 'Bearer not-a-jwt' });
    expect(res.status).toBe(401);
  });
});

/**
 * Token checking with keys this test holds: OpenID metadata and a key set served on loopback,
 * the connector pointed at them, channel tokens signed here. A valid token must be accepted
 * (the turn runs), and each single wrong claim must be refused before any turn.
 */
describe('Bot Framework endpoint: channel tokens checked against OpenID metadata on loopback', () => {
  const APP_ID = '0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';
  const SERVICE_URL = 'https://smba.trafficmanager.net/emea/';
  let http: Server;
  let botServer: restify.Server;
  let url = '';
  let turns = 0;
  let sign: (claims: Record<string, unknown>, opts?: { kid?: string }) => Promise<string>;

  beforeAll(async () => {
    const { exportJWK, generateKeyPair, SignJWT } = await import('jose');
    const pair = await generateKeyPair('RS256', { extractable: true });
    const keys = [
      { ...(await exportJWK(pair.publicKey)), kid: 'teams-key', alg: 'RS256', use: 'sig', endorsements: ['msteams'] },
      // The same key published again, endorsed for another channel only.
      { ...(await exportJWK(pair.publicKey)), kid: 'skype-only', alg: 'RS256', use: 'sig', endorsements: ['skype'] },
    ];
    http = createHttpServer((req, res) => {
      const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(req.url === '/keys' ? { keys } : { issuer: 'https://api.botframework.com', jwks_uri: `${base}/keys` }));
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    sign = (claims, opts = {}) => {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ iss: 'https://api.botframework.com', aud: APP_ID, serviceurl: SERVICE_URL, iat: now - 60, nbf: now - 60, exp: now + 600, ...claims })
        .setProtectedHeader({ alg: 'RS256', kid: opts.kid ?? 'teams-key', typ: 'JWT' })
        .sign(pair.privateKey);
    };
    botServer = createServer(createLogger({ level: 'silent' }));
    const adapter = createCloudAdapter(
      { MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'pw', MicrosoftAppType: 'MultiTenant', MicrosoftAppTenantId: undefined },
      { openIdMetadataUrl: `http://127.0.0.1:${(http.address() as AddressInfo).port}/openid` },
    );
    // The turn only counts: replying would need a real Microsoft login.
    registerBotEndpoint(botServer, adapter, async () => void turns++, createLogger({ level: 'silent' }));
    await new Promise<void>((r) => botServer.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(botServer.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((r) => botServer?.close(() => r()));
    await new Promise<void>((r) => http?.close(() => r()));
  });

  const activity = { type: 'message', text: 'hallo', channelId: 'msteams', serviceUrl: SERVICE_URL, conversation: { id: 'c-auth' }, from: { id: 'u1' }, recipient: { id: 'b' } };
  const send = async (token: string) => post(url, activity, { authorization: `Bearer ${token}` });

  it('accepts a valid channel token: 200 and the turn runs', async () => {
    const before = turns;
    const res = await send(await sign({}));
    expect(res.status).toBe(200);
    expect(turns).toBe(before + 1);
  });

  it.each([
    ['a wrong audience', { aud: '99999999-0000-0000-0000-000000000000' }, {}],
    ['a wrong issuer', { iss: 'https://evil.example' }, {}],
    ['an expired token (beyond the 5 min clock tolerance)', { iat: Math.floor(Date.now() / 1000) - 3600, nbf: Math.floor(Date.now() / 1000) - 3600, exp: Math.floor(Date.now() / 1000) - 900 }, {}],
    ['a serviceurl claim for another service', { serviceurl: 'https://attacker.example/' }, {}],
    ['a key not endorsed for this channel', {}, { kid: 'skype-only' }],
  ])('refuses %s with 401 and no turn', async (_name, claims, opts) => {
    const before = turns;
    const res = await send(await sign(claims, opts));
    expect(res.status).toBe(401);
    expect(turns).toBe(before);
  });
});
