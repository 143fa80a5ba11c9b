import type { AddressInfo } from 'node:net';
import restify from 'restify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEntraTokenValidator } from '../../src/channels/entra-token';
import { registerTabRoutes, TAB_CSP } from '../../src/channels/tab-routes';
import type { TabAppointment } from '../../src/web/tab/appointment';
import { CLIENT_ID, startTestIssuer, TENANT, USER_OID, type TestIssuer } from '../channels/test-issuer';

const NOW = new Date('2026-11-20T10:00:00Z');
const BOT_ID = '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';
const APPOINTMENT: TabAppointment = {
  reference: 'KDLZ-7Q4M',
  start: '2026-12-02T09:00:00Z',
  durationMinutes: 60,
  type: 'Vor-Ort-Beratung',
  status: 'confirmed',
};

let issuer: TestIssuer;
let server: restify.Server;
let base: string;
const lookups: Array<{ oid: string; tid: string; upn?: string }> = [];
let failLookup = false;

beforeAll(async () => {
  issuer = await startTestIssuer(NOW);
  server = restify.createServer();
  registerTabRoutes(server, {
    validator: createEntraTokenValidator({ clientId: CLIENT_ID, tenantId: TENANT, jwksUri: issuer.jwksUri, now: () => NOW }),
    botAppId: BOT_ID,
    listAppointmentsForUser: async (user) => {
      lookups.push(user);
      if (failLookup) throw new Error('database down');
      return [APPOINTMENT];
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await issuer.stop();
});

const getAppointments = (headers: Record<string, string> = {}) => fetch(`${base}/api/tab/appointments`, { headers });

describe('GET /api/tab/appointments', () => {
  it('answers 401 with a JSON reason when no token is sent, and looks nothing up', async () => {
    const before = lookups.length;
    const res = await getAppointments();
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    const body = await res.json();
    expect(body.error).toMatch(/Authorization/);
    expect(lookups.length).toBe(before);
  });

  it.each([
    ['a wrong audience', { aud: '00000000-0000-0000-0000-000000000000' }],
    ['a foreign issuer', { iss: 'https://evil.example/v2.0' }],
    ['an expired token', { exp: Math.floor(NOW.getTime() / 1000) - 3600 }],
  ])('answers 401 for %s', async (_label, overrides) => {
    const res = await getAppointments({ Authorization: `Bearer ${await issuer.sign(issuer.claims(overrides))}` });
    expect(res.status).toBe(401);
    expect(typeof (await res.json()).error).toBe('string');
  });

  it('answers 401 for a token signed with another key', async () => {
    const res = await getAppointments({ Authorization: `Bearer ${await issuer.sign(issuer.claims(), { stranger: true })}` });
    expect(res.status).toBe(401);
  });

  it('returns the appointments of the user named in a valid token', async () => {
    const res = await getAppointments({ Authorization: `Bearer ${await issuer.sign(issuer.claims())}` });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ appointments: [APPOINTMENT] });
    expect(lookups.at(-1)).toEqual({ oid: USER_OID, tid: TENANT, upn: 'erika@buseck.example' });
  });

  it('answers 500 with a JSON reason when the lookup fails', async () => {
    failLookup = true;
    try {
      const res = await getAppointments({ Authorization: `Bearer ${await issuer.sign(issuer.claims())}` });
      expect(res.status).toBe(500);
      expect((await res.json()).error).toMatch(/Termine/);
    } finally {
      failLookup = false;
    }
  });
});

describe('tab page', () => {
  it('serves German HTML with the bot id, under a CSP without inline scripts', async () => {
    const res = await fetch(`${base}/tab`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toBe(TAB_CSP);
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expect(csp).toContain('https://teams.microsoft.com');
    const html = await res.text();
    expect(html).toContain('<html lang="de">');
    expect(html).toContain(`<meta name="kdlz-bot-id" content="${BOT_ID}">`);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // every script is external
  });

  it('serves the bundled script with teams-js inside it', async () => {
    const res = await fetch(`${base}/tab/tab.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    const js = await res.text();
    expect(js).not.toMatch(/^\s*(import|export)\s/m); // a classic script, not an ES module
    expect(js).toContain('Termin vereinbaren'); // command titles bundled from manifest/commands.json
    expect(js.length).toBeGreaterThan(20_000); // teams-js is bundled, not referenced
  });

  it('serves the stylesheet', async () => {
    const res = await fetch(`${base}/tab/tab.css`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/css/);
    expect(await res.text()).toContain('.theme-contrast');
  });
});
