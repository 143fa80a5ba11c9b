import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createCloudAdapter, registerBotEndpoint } from '../../src/channels/bot-endpoint';
import { createLogger } from '../../src/log';
import { createServer } from '../../src/server';
import { freePort } from '../setup/free-port';

const APP_ID = '0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b';
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of closers) await c();
});

/** /api/messages with token checking on, the channel's keys published at `openIdMetadataUrl`. */
async function endpoint(openIdMetadataUrl: string): Promise<{ url: string; turns: () => number }> {
  const server = createServer(createLogger({ level: 'silent' }));
  let turns = 0;
  const adapter = createCloudAdapter({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'pw', MicrosoftAppType: 'MultiTenant', MicrosoftAppTenantId: undefined }, { openIdMetadataUrl });
  registerBotEndpoint(server, adapter, async () => void turns++, createLogger({ level: 'silent' }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise<void>((r) => server.close(() => r())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, turns: () => turns };
}

/** A stand-in for the Bot Framework's OpenID metadata and key set, with a key we hold. */
async function keyEndpoint(): Promise<{ metadataUrl: string; forge(): Promise<string> }> {
  const { exportJWK, generateKeyPair, SignJWT } = await import('jose');
  const published = await generateKeyPair('RS256', { extractable: true });
  const other = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(published.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig', endorsements: ['msteams'] };
  const http: Server = createHttpServer((req, res) => {
    const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(req.url === '/keys' ? { keys: [jwk] } : { issuer: 'https://api.botframework.com', jwks_uri: `${base}/keys` }));
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  closers.push(() => new Promise<void>((r) => http.close(() => r())));
  const port = (http.address() as AddressInfo).port;
  return {
    metadataUrl: `http://127.0.0.1:${port}/openid`,
    // Claims as the channel sends them, the header naming our key, signed with another one.
    forge: () =>
      new SignJWT({ serviceurl: 'http://127.0.0.1:9' })
        .setProtectedHeader({ alg: 'RS256', kid: 'k1', typ: 'JWT' })
        .setIssuer('https://api.botframework.com')
        .setAudience(APP_ID)
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(other.privateKey),
  };
}

const activity = { type: 'message', text: 'hi', channelId: 'msteams', serviceUrl: 'http://127.0.0.1:9', conversation: { id: 'c1' }, from: { id: 'u1' }, recipient: { id: 'b' } };
async function post(url: string, token?: string): Promise<{ status: number; text: string }> {
  const r = await fetch(url + '/api/messages', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(activity),
    signal: AbortSignal.timeout(20_000),
  });
  return { status: r.status, text: await r.text() };
}
/** What an answer must never carry: addresses, network errors, library messages, stack frames. */
const INTERNALS = /127\.0\.0\.1|ECONN|ENOTFOUND|getaddrinfo|request to|openid|fetch|Unauthorized Access|identity|\bat \S+ \(/i;

describe('Bot Framework token checking answers neutrally', () => {
  it('a forged token while the key endpoint is unreachable: 503 with a JSON reason, no internals, no turn', async () => {
    const keys = await keyEndpoint();
    const token = await keys.forge();
    const e = await endpoint(`http://127.0.0.1:${await freePort()}/openid`);
    const r = await post(e.url, token);
    expect([401, 503]).toContain(r.status);
    expect(JSON.parse(r.text).error).toEqual(expect.any(String));
    expect(r.text).not.toMatch(INTERNALS);
    expect(e.turns()).toBe(0);
  });

  it('a forged token with the keys reachable, and no token at all: 401 with a JSON reason, no turn', async () => {
    const keys = await keyEndpoint();
    const e = await endpoint(keys.metadataUrl);
    for (const token of [await keys.forge(), undefined, 'garbage']) {
      const r = await post(e.url, token);
      expect(r.status).toBe(401);
      expect(JSON.parse(r.text)).toEqual({ error: 'Anmeldung ungültig.', code: 'Unauthorized' });
    }
    expect(e.turns()).toBe(0);
  });
});
