import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, SECRET } from '../channels/directline-harness';
import { startTestServer, type TestServer } from '../helpers/server';

/**
 * A production start with the shipped booking.yaml (placeholder advisors): the bot must not book.
 * The booking dialog, reached by text and by the "Termin vereinbaren" card button, says where to
 * register instead (AKC via hessen3c.de, with the source); /readyz stays 200 and says why.
 */
let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({
    NODE_ENV: 'production',
    MicrosoftAppId: '00000000-0000-0000-0000-000000000001',
    MicrosoftAppPassword: 'test-only-not-a-secret',
    DIRECT_LINE_SECRET: SECRET,
  });
});
afterAll(async () => {
  await srv?.close();
});

const REGISTRATION = /Termine kann ich hier zurzeit nicht buchen[\s\S]*Aktionsprogramm Kommunale Cybersicherheit[\s\S]*hessen3c\.de[\s\S]*Quelle: \[Hessen3C: Aktionsprogramm Kommunale Cybersicherheit \(AKC\)\]\(https:\/\/hessen3c\.de\/unsere-leistungen\/aktionsprogramm-kommunale-cybersicherheit-akc\)/;

describe('production with placeholder advisors: booking off', () => {
  it('/readyz stays 200 and reports booking off with the reason', async () => {
    const r = await fetch(srv.url + '/readyz');
    expect(r.status).toBe(200);
    const body = (await r.json()) as { status: string; booking: { status: string; reason: string } };
    expect(body.status).toBe('ready');
    expect(body.booking.status).toBe('off');
    expect(body.booking.reason).toMatch(/Buchung in Produktion aus.*Platzhalter/);
  });

  it('"Termin vereinbaren" and the card button both get the registration route instead of the booking dialog', async () => {
    const started = await call(srv.url, 'POST', '/v3/directline/conversations', { auth: SECRET });
    expect(started.status).toBe(201);
    const { conversationId, token } = started.body as { conversationId: string; token: string };
    let seen = -1;
    let botId = '';
    const fromBot = async (): Promise<any[]> => {
      const list = await call(srv.url, 'GET', `/v3/directline/conversations/${conversationId}/activities`, { auth: token });
      const messages = (list.body.activities as any[]).filter((a) => a.type === 'message');
      // the welcome is the bot's first message; its sender id tells the bot's replies apart
      if (!botId && messages.length) botId = messages[0].from.id;
      return messages.filter((a) => a.from.id === botId);
    };
    for (const deadline = Date.now() + 5000; seen < 0 && Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
      const msgs = await fromBot();
      if (msgs.length) seen = msgs.length;
    }
    expect(seen).toBeGreaterThan(0);
    const turn = async (input: string | object): Promise<any> => {
      const body = typeof input === 'string' ? { type: 'message', from: { id: 'clerk-off' }, text: input } : { type: 'message', from: { id: 'clerk-off' }, value: input };
      expect((await call(srv.url, 'POST', `/v3/directline/conversations/${conversationId}/activities`, { auth: token, body })).status).toBe(200);
      for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
        const msgs = await fromBot();
        if (msgs.length > seen) {
          const next = msgs[seen];
          seen = msgs.length;
          return next;
        }
      }
      throw new Error('no reply');
    };

    const byText = await turn('Termin vereinbaren');
    expect(byText.text).toMatch(REGISTRATION);
    expect(byText.text).not.toMatch(/Für welche Kommune/);

    const byButton = await turn({ kdlz: 'startBooking', kommuneAgs: '06531003', dialogStep: 'eligibility-result' });
    expect(byButton.text).toMatch(REGISTRATION);

    // the rest of the bot works: the next turn is a fresh question, not a booking step
    const after = await turn('Hilfe');
    expect(after.text).not.toMatch(REGISTRATION);
  });
});
