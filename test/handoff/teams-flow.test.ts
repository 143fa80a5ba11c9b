import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelActivity, type ReceivedActivity, startChannelServer } from '../helpers/channel-server';
import { startTestServer, type TestServer } from '../helpers/server';
import { handoffEntityOf, staffCall, STAFF_TOKEN, testClock } from './helpers';

/**
 * The handoff in Microsoft Teams through a loopback channel server (the Bot Connector's side):
 * the staff card in the KDLZ channel, two people pressing "Übernehmen" at once, thread replies
 * relayed both ways with updateActivity keeping the card current for everyone.
 */
type Channel = Awaited<ReturnType<typeof startChannelServer>>;
const BOT = { id: '28:kdlz-bot', name: 'KDLZ-Bot' };
const STAFF_CONV = '19:kdlz-staff@thread.tacv2';
const USER_CONV = 'a:personal-chat-erika';
const clock = testClock('2026-06-01T10:00');

let srv: TestServer;
let channel: Channel;
beforeAll(async () => {
  // The KDLZ team's tenant and team may set the staff channel ("Benachrichtigungen hier").
  srv = await startTestServer({ STAFF_API_TOKEN: STAFF_TOKEN, STAFF_CHANNEL_TENANT_ID: 't1', STAFF_CHANNEL_TEAM_IDS: '19:team' }, { now: clock.now });
  channel = await startChannelServer();
});
afterAll(async () => {
  await srv?.close();
  await channel?.close();
});

const send = (body: unknown) => fetch(srv.url + '/api/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const mention = { type: 'mention', mentioned: BOT, text: '<at>KDLZ-Bot</at>' };
const teamsBase = { channelId: 'msteams', recipient: BOT };
const staffFrom = (name: string) => ({ id: `29:${name.toLowerCase().replace(/\W+/g, '-')}`, name, aadObjectId: `aad-${name}` });
const inChannel = (conversationId: string, over: Record<string, unknown>) =>
  channelActivity(channel.url, conversationId, {
    ...teamsBase,
    conversation: { id: conversationId, conversationType: 'channel', tenantId: 't1' },
    channelData: { team: { id: '19:team' }, channel: { id: STAFF_CONV }, tenant: { id: 't1' } },
    ...over,
  });
const fromUser = (text: string) =>
  channelActivity(channel.url, USER_CONV, {
    ...teamsBase,
    text,
    from: { id: '29:erika', name: 'Erika Muster', aadObjectId: 'aad-erika' },
    conversation: { id: USER_CONV, conversationType: 'personal', tenantId: 't1' },
    channelData: { tenant: { id: 't1' } },
  });
let userSeen = 0;
/** The next message to the user (after the ones already checked) that matches. */
async function toUser(pred: (a: Record<string, any>) => boolean): Promise<Record<string, any>> {
  const hit = await channel.waitFor((r) => r.conversationId === USER_CONV && !r.updates && channel.received.indexOf(r) >= userSeen && pred(r.activity));
  userSeen = channel.received.indexOf(hit) + 1;
  return hit.activity;
}
const isCard = (r: ReceivedActivity) => (r.activity.attachments ?? [])[0]?.contentType === 'application/vnd.microsoft.card.adaptive';
const cardText = (r: ReceivedActivity) => JSON.stringify(r.activity.attachments[0].content);

describe('handoff in Microsoft Teams', () => {
  it('posts the staff card, gives it to exactly one of two people pressing at once, and relays the thread', async () => {
    // The KDLZ team makes its channel the notification target.
    await send(inChannel(STAFF_CONV, { text: '<at>KDLZ-Bot</at> Benachrichtigungen hier', entities: [mention], from: staffFrom('Anna Beispiel') }));
    await channel.waitFor((r) => r.conversationId === STAFF_CONV && /in diesen Kanal/.test(r.activity.text ?? ''));

    // A user in a personal chat asks, then wants a person.
    await send(fromUser('Wie backe ich einen Käsekuchen für das Rathausfest?'));
    await toUser((a) => /keine gesicherte Information/.test(a.text ?? ''));
    for (const [text, expected] of [
      ['Ich möchte mit einem Menschen sprechen', /Bevor etwas weitergegeben wird/],
      ['Ja, weitergeben', /Für welche Kommune/],
      ['Buseck', /Worum geht es/],
      ['Phishing-Verdacht im Bürgerbüro', /Kontaktdaten angeben/],
      ['Ohne Kontaktdaten', /hier im Chat/],
    ] as const) {
      await send(fromUser(text));
      await toUser((a) => expected.test(a.text ?? ''));
    }
    const [h] = (await staffCall(srv.url, 'GET', '/api/handoffs?status=waiting')).body;
    expect(h.channel).toBe('msteams');

    // The card: Adaptive Card 1.5 with Kommune, topic, channel, waiting time, the last turns, "Übernehmen".
    const card = await channel.waitFor((r) => r.conversationId === STAFF_CONV && !r.updates && isCard(r));
    const content = card.activity.attachments[0].content;
    expect(content.version).toBe('1.5');
    const facts = Object.fromEntries(content.body.find((b: { type: string }) => b.type === 'FactSet').facts.map((f: { title: string; value: string }) => [f.title, f.value]));
    expect(facts).toMatchObject({ Kommune: 'Buseck', Anliegen: 'Phishing-Verdacht im Bürgerbüro', Kanal: 'Microsoft Teams', Wartezeit: 'unter 1 Minute', Status: 'wartet auf Übernahme' });
    expect(cardText(card)).toContain('Wie backe ich einen Käsekuchen');
    expect(content.actions.map((a: { title: string }) => a.title)).toEqual(['Übernehmen', 'Gespräch beenden']);
    const cardId = (await srv.app.domain.handoffs.get(h.id))!.card!.activityId;
    const thread = `${STAFF_CONV};messageid=${cardId}`;

    // Two people press "Übernehmen" at the same moment: exactly one owns the request.
    clock.advance(3 * 60_000);
    const press = (name: string) => send(inChannel(thread, { from: staffFrom(name), text: undefined, replyToId: cardId, value: { kdlz: 'handoff.take', id: h.id } }));
    const statuses = await Promise.all([press('Anna Beispiel'), press('Bernd Beispiel')]);
    expect(statuses.map((r) => r.status)).toEqual([200, 200]);
    const owner = (await srv.app.domain.handoffs.get(h.id))!.takenBy!;
    expect(['Anna Beispiel', 'Bernd Beispiel']).toContain(owner);
    const other = owner === 'Anna Beispiel' ? 'Bernd Beispiel' : 'Anna Beispiel';
    // The other person is told who has it, in the thread.
    await channel.waitFor((r) => r.conversationId === thread && r.activity.text === `Diese Anfrage hat bereits ${owner} übernommen.`);
    // The card is updated for everyone: owner shown, no "Übernehmen" any more.
    const updated = await channel.waitFor((r) => r.updates === cardId && /im Gespräch/.test(cardText(r)));
    expect(updated.conversationId).toBe(STAFF_CONV);
    expect(cardText(updated)).toContain(`Übernommen von ${owner}`);
    expect(cardText(updated)).toContain('3 Minuten');
    expect(updated.activity.attachments[0].content.actions.map((a: { title: string }) => a.title)).toEqual(['Gespräch beenden']);
    expect(channel.received.filter((r) => r.updates === cardId && /Übernommen von/.test(cardText(r)))).toHaveLength(1);
    const taken = await toUser((a) => handoffEntityOf(a)?.status === 'active');
    expect(taken.text).toBe(`${owner} vom KDLZ-Team ist jetzt für Sie da und antwortet hier im Chat.`);
    expect(channel.received.filter((r) => r.conversationId === USER_CONV && /ist jetzt für Sie da/.test(r.activity.text ?? ''))).toHaveLength(1);

    // The owner's reply in the card's thread reaches the user; someone else's does not.
    await send(inChannel(thread, { from: staffFrom(owner), replyToId: cardId, text: '<at>KDLZ-Bot</at> Guten Tag, bitte die Mail nicht öffnen.', entities: [mention] }));
    const relayed = await toUser((a) => /Guten Tag, bitte die Mail nicht öffnen/.test(a.text ?? ''));
    expect(relayed.text).toBe(`**KDLZ-Team (${owner}):** Guten Tag, bitte die Mail nicht öffnen.`);
    expect(handoffEntityOf(relayed)).toEqual({ type: 'handoff', id: h.id, status: 'active' });
    await send(inChannel(thread, { from: staffFrom(other), replyToId: cardId, text: '<at>KDLZ-Bot</at> Ich auch!', entities: [mention] }));
    await channel.waitFor((r) => r.conversationId === thread && /nicht weitergeleitet/.test(r.activity.text ?? ''));

    // The user's answer goes into the thread (not to the bot).
    await send(fromUser('Danke, ich habe sie nicht geöffnet.'));
    await channel.waitFor((r) => r.conversationId === thread && r.activity.text === '**Person:** Danke, ich habe sie nicht geöffnet.');
    const transcript = (await staffCall(srv.url, 'GET', `/api/handoffs/${h.id}/messages`)).body as { from: string; text: string }[];
    expect(transcript.filter((t) => t.from === 'staff').map((t) => t.text)).toEqual(['Guten Tag, bitte die Mail nicht öffnen.']);
    expect(transcript.at(-1)).toMatchObject({ from: 'user', text: 'Danke, ich habe sie nicht geöffnet.' });
    expect(channel.received.some((r) => r.conversationId === USER_CONV && /Ich auch/.test(r.activity.text ?? ''))).toBe(false);

    // "Gespräch beenden" on the card: the user is told, the card shows it is closed.
    await send(inChannel(thread, { from: staffFrom(owner), text: undefined, replyToId: cardId, value: { kdlz: 'handoff.close', id: h.id } }));
    const closed = await toUser((a) => handoffEntityOf(a)?.status === 'closed');
    expect(closed.text).toMatch(/wieder mit dem KDLZ-Bot/);
    const final = await channel.waitFor((r) => r.updates === cardId && /geschlossen/.test(cardText(r)));
    expect(final.activity.attachments[0].content.actions).toEqual([]);

    // And the bot answers the user again.
    await send(fromUser('Was ist das Hessen3C?'));
    expect((await toUser(() => true)).text).toMatch(/Quelle:/);
  });

  it('ignores a card button pressed outside the staff channel (a forged value)', async () => {
    const h = await srv.app.domain.handoffs.request({ conversationId: 'x', channel: 'msteams', userKey: 'u', conversationRef: null, topic: 'Thema', transcript: [] });
    await channel.waitFor((r) => r.conversationId === STAFF_CONV && isCard(r) && cardText(r).includes('Thema'));
    const res = await send({ ...fromUser(''), text: undefined, value: { kdlz: 'handoff.take', id: h.id } });
    expect(res.status).toBe(200);
    await toUser((a) => /nicht mehr aktuell|nicht mehr offen/.test(a.text ?? ''));
    expect((await srv.app.domain.handoffs.get(h.id))!.takenBy).toBeNull();
  });
});
