import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SECRET } from '../channels/directline-harness';
import { startTestServer, type TestServer } from '../helpers/server';
import { handoffEntityOf, staffCall, STAFF_TOKEN, testClock, until, webChatUser } from './helpers';

/**
 * The whole handoff over Direct Line with the real client library: a question, the request with
 * consent, the staff API with the earlier question in the transcript, a staff reply within 2 s,
 * the user's answer to staff, the close, and the bot answering again; then "zurück zum Bot".
 */
const clock = testClock('2026-06-01T10:00'); // a Monday within the calendar's hours
let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({ DIRECT_LINE_SECRET: SECRET, STAFF_API_TOKEN: STAFF_TOKEN }, { now: clock.now });
});
afterAll(async () => srv?.close());

describe('handoff over Direct Line (Web Chat)', () => {
  it('reaches a person, gets answers in the same conversation, and returns to the bot', async () => {
    const user = await webChatUser(srv.url);
    try {
      await user.next((a) => /KDLZ-Bot/.test(a.text ?? ''));
      const question = 'Wie backe ich einen Käsekuchen für das Rathausfest?';
      await user.say(question);
      const decline = await user.next((a) => /keine gesicherte Information/.test(a.text ?? ''));
      // The bot offers a person where it cannot help.
      expect(decline.suggestedActions.actions.map((x: { title: string }) => x.title)).toContain('Mit dem KDLZ-Team sprechen');

      await user.say('Ich möchte mit einem Menschen sprechen');
      const consent = await user.next((a) => /Bevor etwas weitergegeben wird/.test(a.text ?? ''));
      expect(consent.text).toMatch(/30 Tage/);
      expect(consent.suggestedActions.actions.map((x: { title: string }) => x.title)).toEqual(['Ja, weitergeben', 'Nein']);
      await user.say('Ja, weitergeben');
      await user.next((a) => /Für welche Kommune/.test(a.text ?? ''));
      await user.say('Buseck');
      await user.next((a) => /Worum geht es/.test(a.text ?? ''));
      await user.say('Verdacht auf eine Phishing-Mail im Rathaus');
      const contact = await user.next((a) => /Kontaktdaten (für den Rückruf )?angeben/.test(a.text ?? ''));
      expect(contact.suggestedActions.actions[0].title).toBe('Ohne Kontaktdaten');
      await user.say('Ohne Kontaktdaten');
      const sent = await user.next((a) => !!handoffEntityOf(a));
      const entity = handoffEntityOf(sent)!;
      expect(entity.status).toBe('waiting');
      expect(entity.id).toMatch(/^h-/);

      // Staff API: 401 without the token; the list carries the earlier question.
      expect((await staffCall(srv.url, 'GET', '/api/handoffs', undefined, '')).status).toBe(401);
      const list = await staffCall(srv.url, 'GET', '/api/handoffs?status=waiting');
      expect(list.status).toBe(200);
      expect(list.body).toHaveLength(1);
      const h = list.body[0];
      expect(h).toMatchObject({ id: entity.id, status: 'waiting', kommune: 'Buseck', topic: 'Verdacht auf eine Phishing-Mail im Rathaus', channel: 'directline', takenBy: null });
      expect(h.transcript.some((t: { from: string; text: string }) => t.from === 'user' && t.text === question)).toBe(true);
      expect(h.transcript.some((t: { from: string; text: string }) => t.from === 'bot' && /keine gesicherte Information/.test(t.text))).toBe(true);

      // While waiting, a message goes to the team and the bot says so.
      
      await user.say('Es ist dringend.');
      expect(handoffEntityOf(await user.next((a) => /notiert/.test(a.text ?? '')))?.status).toBe('waiting');

      // The staff reply reaches the user within 2 s, as from "KDLZ-Team (Name)".
      const seen = user.botMessages().length;
      const posted = await staffCall(srv.url, 'POST', `/api/handoffs/${entity.id}/messages`, { text: 'Guten Tag, hier hilft Ihnen Anna.', agentName: 'Anna Beispiel' });
      expect(posted.status).toBe(201);
      expect(posted.body).toMatchObject({ status: 'active', takenBy: 'Anna Beispiel', delivered: true });
      const reply = await user.next((a) => /Guten Tag, hier hilft Ihnen Anna/.test(a.text ?? ''), { timeoutMs: 2000 });
      expect(reply.text).toBe('**KDLZ-Team (Anna Beispiel):** Guten Tag, hier hilft Ihnen Anna.');
      expect(handoffEntityOf(reply)?.status).toBe('active');
      expect(user.botMessages().slice(seen).some((a) => /Anna Beispiel vom KDLZ-Team ist jetzt für Sie da/.test(a.text))).toBe(true);

      // The user's answer reaches staff (and not the bot).
      await user.say('Die Mail kam heute um 8 Uhr.');
      const messages = await until(async () => {
        const r = await staffCall(srv.url, 'GET', `/api/handoffs/${entity.id}/messages`);
        return r.body.some((t: { from: string; text: string }) => t.from === 'user' && t.text === 'Die Mail kam heute um 8 Uhr.') && r.body;
      }, 5000, 'the user message in the transcript');
      expect(messages.map((t: { from: string }) => t.from)).toContain('staff');

      // Close with a closing message.
      const closed = await staffCall(srv.url, 'POST', `/api/handoffs/${entity.id}/close`, { agentName: 'Anna Beispiel', text: 'Alles Gute!' });
      expect(closed.status).toBe(200);
      const bye = await user.next((a) => handoffEntityOf(a)?.status === 'closed');
      expect(bye.text).toMatch(/Alles Gute!/);
      expect(bye.text).toMatch(/wieder mit dem KDLZ-Bot/);
      expect((await staffCall(srv.url, 'POST', `/api/handoffs/${entity.id}/close`, {})).status).toBe(409);

      // The bot answers again.
      await user.say('Was ist das Hessen3C?');
      const answer = await user.next(() => true);
      expect(answer.text).toMatch(/Quelle:/);

      // A second request; "zurück zum Bot" leaves it (the saved Kommune is offered).
      await user.say('Rückruf bitte');
      await user.next((a) => /Bevor etwas weitergegeben wird/.test(a.text ?? ''));
      await user.say('ja');
      const kommune = await user.next((a) => /Zuletzt war es Buseck/.test(a.text ?? ''));
      expect(kommune.suggestedActions.actions[0].title).toBe('Buseck');
      await user.say('Buseck');
      await user.say('Frage zur IKZ-Förderung');
      await user.next((a) => /Kontaktdaten (für den Rückruf )?angeben/.test(a.text ?? ''));
      await user.say('Erika Muster, Tel. 06408 1234');
      const second = handoffEntityOf(await user.next((a) => handoffEntityOf(a)?.status === 'waiting'))!;
      expect(second.id).not.toBe(entity.id);
      await user.say('zurück zum Bot');
      const left = await user.next((a) => /wieder mit dem KDLZ-Bot/.test(a.text ?? ''));
      expect(handoffEntityOf(left)).toEqual({ type: 'handoff', id: second.id, status: 'closed' });
      const after = await staffCall(srv.url, 'GET', `/api/handoffs/${second.id}`);
      expect(after.body).toMatchObject({ status: 'closed', contact: 'Erika Muster, Tel. 06408 1234' });
      await user.say('Was ist das Hessen3C?');
      expect((await user.next(() => true)).text).toMatch(/Quelle:/);

      // The staff page's counter saw the knowledge replies (kinds only, no text).
      const stats = (await staffCall(srv.url, 'GET', '/api/staff/stats?days=1')).body;
      expect(stats.questionsPerDay[0]).toMatchObject({ total: 3, answer: 2, decline: 1 });
      expect(JSON.stringify(stats)).not.toContain('Hessen3C');
    } finally {
      user.end();
    }
  });
});
