import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STAFF_CHANNEL_KEY, type StaffChannelRecord } from '../../src/bot/staff-channel';
import { channelActivity, startChannelServer } from '../helpers/channel-server';
import { startTestServer, type TestServer } from '../helpers/server';

type Channel = Awaited<ReturnType<typeof startChannelServer>>;
const BOT = { id: '28:kdlz-bot', name: 'KDLZ-Bot' };

describe('the bot in Microsoft Teams (activity level)', () => {
  let server: TestServer;
  let channel: Channel;
  beforeAll(async () => {
    server = await startTestServer({ STAFF_CHANNEL_TENANT_ID: 'tenant-1', STAFF_CHANNEL_TEAM_IDS: '19:team-1' });
    channel = await startChannelServer();
  });
  afterAll(async () => {
    await server?.close();
    await channel?.close();
  });

  let n = 0;
  const teams = (conversationType: 'personal' | 'channel' | 'groupChat', over: Record<string, unknown> = {}) => {
    const conv = `19:${conversationType}-${++n}@thread.tacv2`;
    return {
      conv,
      activity: (more: Record<string, unknown> = {}) =>
        channelActivity(channel.url, conv, {
          channelId: 'msteams',
          recipient: BOT,
          from: { id: '29:user-a', name: 'Frau Beispiel', aadObjectId: 'aad-user-a' },
          conversation: { id: conv, conversationType, tenantId: 'tenant-1' },
          channelData: conversationType === 'channel' ? { team: { id: '19:team-1' }, channel: { id: conv }, tenant: { id: 'tenant-1' } } : { tenant: { id: 'tenant-1' } },
          ...over,
          ...more,
        }),
    };
  };
  const send = (body: unknown) =>
    fetch(server.url + '/api/messages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const repliesIn = (conv: string) => channel.received.filter((r) => r.conversationId === conv && r.activity.type === 'message');
  /**
   * The explicit signal that every earlier turn of a conversation is done: a later marker turn
   * that must be answered ("hilfe", @-mentioned where needed). Turns of one conversation arrive
   * one after another, so once the marker's answer is in, nothing earlier can still reply.
   */
  const marker = async (t: ReturnType<typeof teams>, mention: boolean) => {
    const before = new Set(channel.received);
    await send(
      mention
        ? t.activity({ text: '<at>KDLZ-Bot</at> hilfe', entities: [{ type: 'mention', mentioned: BOT, text: '<at>KDLZ-Bot</at>' }] })
        : t.activity({ text: 'hilfe' }),
    );
    return channel.waitFor((r) => r.conversationId === t.conv && !before.has(r) && /So kann ich helfen/.test(r.activity.text ?? ''));
  };

  it('welcomes once when installed personally', async () => {
    const t = teams('personal');
    const install = t.activity({ type: 'conversationUpdate', membersAdded: [BOT] });
    expect((await send(install)).status).toBe(200);
    expect((await send(install)).status).toBe(200);
    await marker(t, false);
    const welcomes = repliesIn(t.conv).filter((r) => /Guten Tag/.test(r.activity.text));
    expect(welcomes).toHaveLength(1);
    expect(welcomes[0].activity.text).toMatch(/Termin vereinbaren/);
  });

  it('welcomes when added to a team, remembers the channel, and does not greet every new team member', async () => {
    const t = teams('channel');
    await send(t.activity({ type: 'conversationUpdate', membersAdded: [BOT], channelData: { eventType: 'teamMemberAdded', team: { id: '19:team-1' }, tenant: { id: 'tenant-1' } } }));
    await send(t.activity({ type: 'conversationUpdate', membersAdded: [{ id: '29:new-colleague' }], channelData: { eventType: 'teamMemberAdded', team: { id: '19:team-1' }, tenant: { id: 'tenant-1' } } }));
    await marker(t, true);
    expect(repliesIn(t.conv).filter((r) => /Guten Tag/.test(r.activity.text))).toHaveLength(1);
    const ref = await server.app.kv.get<{ conversation: { id: string } }>(`kdlz:channel-ref:${t.conv}`);
    expect(ref?.conversation.id).toBe(t.conv);
  });

  it('stays silent in a channel unless @mentioned, and strips the mention before understanding', async () => {
    const t = teams('channel');
    await send(t.activity({ text: 'hilfe' }));
    // The @-mentioned "hilfe" is answered (the mention stripped); the plain one before it was not.
    const reply = await marker(t, true);
    expect(reply.activity.text).toMatch(/So kann ich helfen/);
    expect(repliesIn(t.conv)).toEqual([reply]);
  });

  it('"Benachrichtigungen hier" in a channel makes it the staff notification target; elsewhere it explains', async () => {
    const t = teams('channel');
    await send(
      t.activity({
        text: '<at>KDLZ-Bot</at> Benachrichtigungen hier',
        entities: [{ type: 'mention', mentioned: BOT, text: '<at>KDLZ-Bot</at>' }],
      }),
    );
    const ok = await channel.waitFor((r) => r.conversationId === t.conv);
    expect(ok.activity.text).toMatch(/in diesen Kanal/);
    const stored = (await server.app.kv.get<StaffChannelRecord>(STAFF_CHANNEL_KEY))?.reference;
    expect(stored?.conversation?.id).toBe(t.conv);
    expect(stored?.serviceUrl).toBe(channel.url);

    const p = teams('personal');
    await send(p.activity({ text: 'Benachrichtigungen hier' }));
    const no = await channel.waitFor((r) => r.conversationId === p.conv);
    expect(no.activity.text).toMatch(/nur in einem Teams-Kanal/);
    expect((await server.app.kv.get<StaffChannelRecord>(STAFF_CHANNEL_KEY))?.reference.conversation?.id).toBe(t.conv);

    // Booking notifications now reach that channel proactively, as an Adaptive Card.
    const card = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Neue Buchung KDLZ-2026-00001' }] };
    await server.app.bot.notifyStaffChannel(card);
    const note = await channel.waitFor((r) => r.conversationId === t.conv && (r.activity.attachments ?? []).length > 0);
    expect(note.activity.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(note.activity.attachments[0].content.body[0].text).toBe('Neue Buchung KDLZ-2026-00001');
  });

  it('refuses a staff notification while no channel is registered, so the outbox retries', async () => {
    const fresh = await startTestServer();
    try {
      await expect(fresh.app.bot.notifyStaffChannel({ type: 'AdaptiveCard', version: '1.5', body: [] })).rejects.toThrow(/kein KDLZ-Mitarbeitendenkanal/);
    } finally {
      await fresh.close();
    }
  });

  it('answers a pressed card of a finished step with "nicht mehr aktuell"', async () => {
    const t = teams('personal');
    await send(t.activity({ text: undefined, value: { kdlz: 'booking.slot', slotId: 'x', step: 'old' } }));
    const reply = await channel.waitFor((r) => r.conversationId === t.conv);
    expect(reply.activity.text).toMatch(/nicht mehr aktuell/);
  });

  it('routes Action.Execute (adaptiveCard/action invoke) like a submit and answers the invoke', async () => {
    const t = teams('personal');
    const res = await send(
      t.activity({ type: 'invoke', name: 'adaptiveCard/action', text: undefined, value: { action: { type: 'Action.Execute', verb: 'menu', data: { kdlz: 'menu' } } } }),
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { statusCode: number };
    expect(body.statusCode).toBe(200);
    const reply = await channel.waitFor((r) => r.conversationId === t.conv);
    expect(reply.activity.text).toMatch(/So kann ich helfen/);
  });

  it('replies in the locale Teams sends', async () => {
    const t = teams('personal');
    await send(t.activity({ text: 'hilfe', locale: 'de-AT' }));
    const reply = await channel.waitFor((r) => r.conversationId === t.conv);
    expect(reply.activity.locale).toBe('de-AT');
  });
});
