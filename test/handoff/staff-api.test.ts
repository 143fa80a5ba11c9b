import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEntraTokenValidator } from '../../src/channels/entra-token';
import { CLIENT_ID, startTestIssuer, TENANT, type TestIssuer } from '../channels/test-issuer';
import { startTestServer, type TestServer } from '../helpers/server';
import { staffCall, STAFF_TOKEN, testClock } from './helpers';

const clock = testClock('2026-06-01T10:00');
let srv: TestServer;
let issuer: TestIssuer;
let id = '';
beforeAll(async () => {
  issuer = await startTestIssuer(new Date());
  srv = await startTestServer(
    { STAFF_API_TOKEN: STAFF_TOKEN },
    { now: clock.now, staffValidator: createEntraTokenValidator({ clientId: CLIENT_ID, tenantId: TENANT, jwksUri: issuer.jwksUri }) },
  );
  const h = await srv.app.domain.handoffs.request({
    conversationId: 'conv-api',
    channel: 'directline',
    userKey: 'u-api',
    conversationRef: null,
    topic: 'Frage zur Förderung',
    transcript: [{ from: 'user', text: 'Gibt es Förderung?', timestamp: new Date().toISOString() }],
  });
  id = h.id;
});
afterAll(async () => {
  await srv?.close();
  await issuer?.stop();
});

describe('staff API for handoffs: every bad input gets a 4xx with a JSON reason', () => {
  it.each([
    ['no token', 'GET', '/api/handoffs', undefined, '', 401],
    ['a wrong token', 'GET', '/api/handoffs', undefined, 'falsch', 401],
    ['an unknown status', 'GET', '/api/handoffs?status=offen', undefined, STAFF_TOKEN, 400],
    ['a malformed id', 'GET', '/api/handoffs/abc/messages', undefined, STAFF_TOKEN, 404],
    ['an unknown id', 'GET', '/api/handoffs/h-AAAAAAAAAAAAAAAA', undefined, STAFF_TOKEN, 404],
    ['a message without text', 'POST', '/api/handoffs/{id}/messages', { agentName: 'Anna' }, STAFF_TOKEN, 400],
    ['a message of blanks', 'POST', '/api/handoffs/{id}/messages', { text: '   ', agentName: 'Anna' }, STAFF_TOKEN, 400],
    ['a message over 2,000 characters', 'POST', '/api/handoffs/{id}/messages', { text: 'x'.repeat(2001), agentName: 'Anna' }, STAFF_TOKEN, 400],
    ['a message without agent name (token sign-in)', 'POST', '/api/handoffs/{id}/messages', { text: 'Hallo' }, STAFF_TOKEN, 400],
    ['an agent name that is no text', 'POST', '/api/handoffs/{id}/take', { agentName: 42 }, STAFF_TOKEN, 400],
    ['a closing text that is no text', 'POST', '/api/handoffs/{id}/close', { text: ['x'] }, STAFF_TOKEN, 400],
    ['callback-done on a live request', 'POST', '/api/handoffs/{id}/callback-done', { agentName: 'Anna' }, STAFF_TOKEN, 409],
    ['a body that is an array', 'POST', '/api/handoffs/{id}/take', [1], STAFF_TOKEN, 400],
  ])('%s → %i', async (_name, method, path, body, token, status) => {
    const r = await staffCall(srv.url, method, path.replace('{id}', id), body, token);
    expect(r.status).toBe(status);
    expect(typeof r.body.error).toBe('string');
    expect(r.body.error.length).toBeGreaterThan(5);
  });

  it('lists with the transcript; a second "Übernehmen" says who has it', async () => {
    const list = await staffCall(srv.url, 'GET', '/api/handoffs');
    expect(list.body[0]).toMatchObject({ id, status: 'waiting', topic: 'Frage zur Förderung', transcript: [{ from: 'user', text: 'Gibt es Förderung?' }] });
    const first = await staffCall(srv.url, 'POST', `/api/handoffs/${id}/take`, { agentName: 'Anna' });
    expect(first.body).toMatchObject({ status: 'active', takenBy: 'Anna' });
    const second = await staffCall(srv.url, 'POST', `/api/handoffs/${id}/take`, { agentName: 'Bernd' });
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({ error: 'Bereits übernommen von Anna.', takenBy: 'Anna' });
    // A user that cannot be reached: the message is stored, and staff are told it was not delivered.
    const msg = await staffCall(srv.url, 'POST', `/api/handoffs/${id}/messages`, { text: 'Hallo', agentName: 'Anna' });
    expect(msg.body).toMatchObject({ status: 'active', delivered: false });
  });

  it('accepts an Entra token with the staff role (its name as agent), refuses one without', async () => {
    const withRole = await issuer.sign(issuer.claims({ roles: ['KDLZ.Staff'], name: 'Carla Team' }));
    const h = await srv.app.domain.handoffs.request({ conversationId: 'c2', channel: 'msteams', userKey: 'u2', conversationRef: null, topic: 'Thema', transcript: [] });
    const ok = await staffCall(srv.url, 'POST', `/api/handoffs/${h.id}/take`, {}, withRole);
    expect(ok.status).toBe(200);
    expect(ok.body.takenBy).toBe('Carla Team');
    const noRole = await issuer.sign(issuer.claims({ roles: ['Other'] }));
    const refused = await staffCall(srv.url, 'GET', '/api/handoffs', undefined, noRole);
    expect(refused.status).toBe(401);
    expect(refused.body.error).toMatch(/KDLZ\.Staff/);
    const forged = await issuer.sign(issuer.claims({ roles: ['KDLZ.Staff'] }), { stranger: true });
    expect((await staffCall(srv.url, 'GET', '/api/handoffs', undefined, forged)).status).toBe(401);
  });
});

describe('staff API without any staff sign-in configured', () => {
  it('answers 503 instead of being open', async () => {
    const bare = await startTestServer();
    try {
      const r = await staffCall(bare.url, 'GET', '/api/handoffs');
      expect(r.status).toBe(503);
      expect(r.body.error).toMatch(/STAFF_API_TOKEN/);
    } finally {
      await bare.close();
    }
  });
});
