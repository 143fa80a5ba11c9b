import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET } from '../channels/directline-harness';
import { startTestServer, type TestServer } from '../helpers/server';
import { handoffEntityOf, staffCall, STAFF_TOKEN, testClock, webChatUser } from './helpers';

const clock = testClock('2026-06-06T11:00'); // a Saturday: outside service hours
let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({ DIRECT_LINE_SECRET: SECRET, STAFF_API_TOKEN: STAFF_TOKEN, HANDOFF_WAIT_TIMEOUT_MIN: '10' }, { now: clock.now });
});
afterAll(async () => srv?.close());

/** Every stored byte of the database that could hold the user's words. */
async function storedText(): Promise<string> {
  const kv = await srv.app.db.query<{ data: string }>('SELECT data FROM kv_state');
  const handoffs = await srv.app.db.query<Record<string, unknown>>('SELECT * FROM handoff_requests');
  const lines = await srv.app.db.query<Record<string, unknown>>('SELECT * FROM handoff_messages');
  return JSON.stringify([kv, handoffs, lines]);
}

describe('handoff: consent refused, callbacks out of hours and after the timeout', () => {
  it('stores nothing when consent is refused (no request, no transcript, no remembered turns)', async () => {
    const user = await webChatUser(srv.url);
    try {
      await user.next((a) => /KDLZ-Bot/.test(a.text ?? ''));
      const secret = 'Unsere Kämmerin Frau Zuckerbäcker hat ein Passwort verraten';
      await user.say(secret);
      await user.next(() => true);
      await user.say('Ich möchte mit einem Menschen sprechen');
      await user.next((a) => /Bevor etwas weitergegeben wird/.test(a.text ?? ''));
      // Before the answer the turn is remembered (that is what consent is asked for) …
      expect(await storedText()).toContain('Zuckerbäcker');
      await user.say('Nein');
      const refused = await user.next((a) => /gebe nichts weiter/.test(a.text ?? ''));
      expect(handoffEntityOf(refused)).toBeUndefined();
      // … and after the refusal nothing of it is left.
      expect(await srv.app.domain.handoffs.store.counts()).toEqual({ requests: 0, messages: 0 });
      expect((await staffCall(srv.url, 'GET', '/api/handoffs')).body).toEqual([]);
      expect(await storedText()).not.toContain('Zuckerbäcker');
    } finally {
      user.end();
    }
  });

  it('out of hours (Saturday) the request becomes a callback with the promised time; staff see it', async () => {
    clock.set('2026-06-06T11:00');
    const user = await webChatUser(srv.url);
    try {
      await user.next((a) => /KDLZ-Bot/.test(a.text ?? ''));
      await user.say('Rückruf bitte');
      const consent = await user.next((a) => /Bevor etwas weitergegeben wird/.test(a.text ?? ''));
      expect(consent.text).toMatch(/Rückrufanfrage/);
      expect(consent.text).toMatch(/Montag, 08\.06\. ab 08:00 Uhr/);
      await user.say('Ja');
      await user.next((a) => /Für welche Kommune/.test(a.text ?? ''));
      await user.say('Gießen');
      // "Gießen" is ambiguous: the bot asks back with both.
      const back = await user.next((a) => /mehrmals/.test(a.text ?? ''));
      const choice = back.suggestedActions.actions.map((x: { title: string }) => x.title).find((t: string) => t.startsWith('Landkreis'));
      await user.say(choice);
      await user.next((a) => /Worum geht es/.test(a.text ?? ''));
      await user.say('ok');
      await user.next((a) => /kurzen Satz/.test(a.text ?? ''));
      await user.say('Beratung zur Informationssicherheit');
      await user.next((a) => /Kontaktdaten für den Rückruf/.test(a.text ?? ''));
      await user.say('Erika Muster, erika.muster@giessen.example, 0641 1234');
      const done = await user.next((a) => !!handoffEntityOf(a));
      expect(handoffEntityOf(done)?.status).toBe('callback');
      expect(done.text).toMatch(/Rückrufanfrage/);
      expect(done.text).toMatch(/Montag, 08\.06\. ab 08:00 Uhr/);
      const list = await staffCall(srv.url, 'GET', '/api/handoffs?status=callback');
      expect(list.body).toHaveLength(1);
      expect(list.body[0]).toMatchObject({ status: 'callback', kommune: 'Landkreis Gießen', callbackFrom: '2026-06-08T06:00:00.000Z', contact: 'Erika Muster, erika.muster@giessen.example, 0641 1234' });
      // The user is not connected: the next message goes to the bot, and staff cannot chat.
      await user.say('Was ist das Hessen3C?');
      expect((await user.next(() => true)).text).toMatch(/Quelle:/);
      const refused = await staffCall(srv.url, 'POST', `/api/handoffs/${list.body[0].id}/messages`, { text: 'Hallo', agentName: 'Bernd' });
      expect(refused.status).toBe(409);
      expect(refused.body.error).toMatch(/zurückrufen/);
      const done2 = await staffCall(srv.url, 'POST', `/api/handoffs/${list.body[0].id}/callback-done`, { agentName: 'Bernd' });
      expect(done2.body).toMatchObject({ status: 'closed', takenBy: 'Bernd' });
    } finally {
      user.end();
    }
  });

  it('a live request nobody takes within HANDOFF_WAIT_TIMEOUT_MIN becomes a callback, and the user is told', async () => {
    clock.set('2026-06-08T09:00'); // Monday, within hours
    const user = await webChatUser(srv.url);
    try {
      await user.next((a) => /KDLZ-Bot/.test(a.text ?? ''));
      for (const [say, expectText] of [
        ['Mit dem KDLZ-Team sprechen', /Bevor etwas weitergegeben wird/],
        ['Ja, weitergeben', /Für welche Kommune/],
        ['Buseck', /Worum geht es/],
        ['Frage zur Förderung', /Kontaktdaten angeben/],
        ['Ohne Kontaktdaten', /hier im Chat/],
      ] as const) {
        await user.say(say);
        await user.next((a) => expectText.test(a.text ?? ''));
      }
      clock.advance(9 * 60_000);
      expect(await srv.app.domain.handoffs.expireWaiting()).toEqual([]);
      clock.advance(2 * 60_000);
      const changed = await srv.app.domain.handoffs.expireWaiting();
      expect(changed).toHaveLength(1);
      const told = await user.next((a) => handoffEntityOf(a)?.status === 'callback');
      expect(told.text).toMatch(/Rückrufanfrage/);
      expect(told.text).toMatch(/heute ab/);
      // No longer connected: the bot answers again.
      await user.say('Was ist das Hessen3C?');
      expect((await user.next(() => true)).text).toMatch(/Quelle:/);
    } finally {
      user.end();
    }
  });
});
