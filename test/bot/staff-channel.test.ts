import type { Activity } from 'botbuilder';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideStaffChannel, STAFF_CHANNEL_KEY, type StaffChannelPolicy, type StaffChannelRecord } from '../../src/bot/staff-channel';
import { staffChannelCommand, startChannelServer } from '../helpers/channel-server';
import { startTestServer, type TestServer } from '../helpers/server';

const TENANT = '11111111-1111-1111-1111-111111111111';
const OTHER_TENANT = '22222222-2222-2222-2222-222222222222';
const TEAM = '19:kdlz-team@thread.tacv2';
const TEAM_GROUP = '33333333-3333-3333-3333-333333333333';
const ADMIN = '44444444-4444-4444-4444-444444444444';

const inChannel = (o: { tenant?: string; team?: string; group?: string; aad?: string; type?: string; channelId?: string } = {}): Partial<Activity> => ({
  channelId: o.channelId ?? 'msteams',
  conversation: { id: '19:c@thread.tacv2', conversationType: o.type ?? 'channel', tenantId: o.tenant ?? TENANT } as Activity['conversation'],
  from: { id: '29:u', name: 'Frau Beispiel', aadObjectId: o.aad ?? '55555555-5555-5555-5555-555555555555' },
  channelData: { tenant: { id: o.tenant ?? TENANT }, team: { id: o.team ?? TEAM, aadGroupId: o.group } },
});

describe('who may make a channel the staff channel', () => {
  const policy: StaffChannelPolicy = { tenantId: TENANT, teamIds: [TEAM, TEAM_GROUP], adminObjectIds: [ADMIN] };
  it.each([
    ['a channel of the configured team', inChannel(), policy, 'allowed'],
    ['the team named by its Entra group id', inChannel({ team: '19:x@thread.tacv2', group: TEAM_GROUP.toUpperCase() }), policy, 'allowed'],
    ['an allow-listed person in another team of the tenant', inChannel({ team: '19:other@thread.tacv2', aad: ADMIN }), policy, 'allowed'],
    ['another team of the tenant', inChannel({ team: '19:other@thread.tacv2' }), policy, 'refused'],
    ['the configured team id sent from another tenant', inChannel({ tenant: OTHER_TENANT }), policy, 'refused'],
    ['an allow-listed object id sent from another tenant', inChannel({ tenant: OTHER_TENANT, aad: ADMIN }), policy, 'refused'],
    ['a personal chat', inChannel({ type: 'personal' }), policy, 'not-a-teams-channel'],
    ['Web Chat', inChannel({ channelId: 'directline' }), policy, 'not-a-teams-channel'],
    ['nothing configured', inChannel(), { tenantId: TENANT, teamIds: [], adminObjectIds: [] }, 'not-configured'],
    ['no tenant configured (multi-tenant bot)', inChannel(), { tenantId: undefined, teamIds: [TEAM], adminObjectIds: [] }, 'not-configured'],
  ] as const)('%s → %s', (_label, activity, p, expected) => {
    expect(decideStaffChannel(activity, p)).toBe(expected);
  });
});

describe('"Benachrichtigungen hier" end to end', () => {
  let server: TestServer;
  let channel: Awaited<ReturnType<typeof startChannelServer>>;
  beforeAll(async () => {
    server = await startTestServer({ STAFF_CHANNEL_TENANT_ID: TENANT, STAFF_CHANNEL_TEAM_IDS: TEAM });
    channel = await startChannelServer();
  });
  afterAll(async () => {
    await server?.close();
    await channel?.close();
  });

  const command = (conv: string, o: { tenant?: string; team?: string; name?: string } = {}) =>
    fetch(server.url + '/api/messages', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        staffChannelCommand(channel.url, conv, {
          tenant: o.tenant ?? TENANT,
          team: o.team ?? TEAM,
          from: { id: '29:u', name: o.name ?? 'Frau Beispiel', aadObjectId: '55555555-5555-5555-5555-555555555555' },
        }),
      ),
    });
  const record = () => server.app.kv.get<StaffChannelRecord>(STAFF_CHANNEL_KEY);

  it('sets the target from the configured team, records who and when; refuses other tenants and teams in German; tells the old channel when it moves', async () => {
    await command('19:first@thread.tacv2');
    expect((await channel.waitFor((r) => r.conversationId === '19:first@thread.tacv2')).activity.text).toMatch(/ab jetzt in diesen Kanal/);
    const first = await record();
    expect(first?.reference.conversation?.id).toBe('19:first@thread.tacv2');
    expect(first?.changedBy).toEqual({ aadObjectId: '55555555-5555-5555-5555-555555555555', name: 'Frau Beispiel' });
    expect(Date.now() - Date.parse(first!.changedAt)).toBeLessThan(60_000);

    // Another tenant, with the right team id in its channel data: refused, target unchanged.
    await command('19:intruder@thread.tacv2', { tenant: OTHER_TENANT });
    expect((await channel.waitFor((r) => r.conversationId === '19:intruder@thread.tacv2')).activity.text).toMatch(/nicht tun.*freigegebenen KDLZ-Teams/s);
    // Another team of the same tenant: refused too.
    await command('19:otherteam@thread.tacv2', { team: '19:other@thread.tacv2' });
    expect((await channel.waitFor((r) => r.conversationId === '19:otherteam@thread.tacv2')).activity.text).toMatch(/nicht tun/);
    expect((await record())?.reference.conversation?.id).toBe('19:first@thread.tacv2');
    // Staff cards still go to the first channel.
    await server.app.bot.notifyStaffChannel({ type: 'AdaptiveCard', version: '1.5', body: [] });
    await channel.waitFor((r) => r.conversationId === '19:first@thread.tacv2' && (r.activity.attachments ?? []).length > 0);
    expect(channel.received.filter((r) => /intruder|otherteam/.test(r.conversationId) && (r.activity.attachments ?? []).length)).toEqual([]);

    // A second channel of the team takes over: the first one is told, with who did it.
    await command('19:second@thread.tacv2', { name: 'Herr Zweit' });
    const notice = await channel.waitFor((r) => r.conversationId === '19:first@thread.tacv2' && /anderen Kanal/.test(r.activity.text ?? ''));
    expect(notice.activity.text).toMatch(/von Herr Zweit am \d{2}\.\d{2}\.\d{4}/);
    expect((await record())?.reference.conversation?.id).toBe('19:second@thread.tacv2');
  });

  it('with nothing configured nobody can set it, and the answer says why', async () => {
    const open = await startTestServer();
    try {
      const conv = '19:unconfigured@thread.tacv2';
      await fetch(open.url + '/api/messages', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(
          staffChannelCommand(channel.url, conv, { tenant: TENANT, team: TEAM, from: { id: '29:u', name: 'X', aadObjectId: ADMIN } }),
        ),
      });
      expect((await channel.waitFor((r) => r.conversationId === conv)).activity.text).toMatch(/noch kein Team freigegeben/);
      expect(await open.app.kv.get(STAFF_CHANNEL_KEY)).toBeUndefined();
    } finally {
      await open.close();
    }
  });
});
