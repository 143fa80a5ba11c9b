import { type Activity, type ConversationReference, TurnContext } from 'botbuilder';
import type { KvStore } from '../storage';
import { staffChannelTexts as T } from './staff-channel-texts';

/** KvStore key of the KDLZ staff channel that receives booking notifications. */
export const STAFF_CHANNEL_KEY = 'kdlz:staff-channel';

/**
 * Who may make a Teams channel the target of booking notifications (which carry names, e-mail
 * addresses and phone numbers). A channel of the configured tenant qualifies when it belongs to
 * one of the configured teams, or when the person asking is on the allow-list of AAD object ids.
 * Nothing configured: nobody.
 */
export interface StaffChannelPolicy {
  /** STAFF_CHANNEL_TENANT_ID, else MicrosoftAppTenantId. */
  tenantId?: string;
  /** STAFF_CHANNEL_TEAM_IDS: Teams team ids (19:…@thread.tacv2) or the teams' Entra group ids. */
  teamIds: readonly string[];
  /** STAFF_CHANNEL_ADMINS: AAD object ids of people who may set the channel from any team of the tenant. */
  adminObjectIds: readonly string[];
}

/** What is stored: the target and who set it when (shown to the previous channel). */
export interface StaffChannelRecord {
  reference: Partial<ConversationReference>;
  changedBy: { aadObjectId?: string; name?: string };
  /** ISO-8601 UTC */
  changedAt: string;
  teamId?: string;
  tenantId?: string;
}

export type StaffChannelDecision = 'allowed' | 'not-a-teams-channel' | 'not-configured' | 'refused';

const same = (a: string | undefined, b: string | undefined) => !!a && !!b && a.toLowerCase() === b.toLowerCase();

/** Whether this activity may make its channel the staff channel (pure; the tests read it as a table). */
export function decideStaffChannel(activity: Partial<Activity>, policy: StaffChannelPolicy): StaffChannelDecision {
  if (activity.channelId !== 'msteams' || activity.conversation?.conversationType !== 'channel') return 'not-a-teams-channel';
  if (!policy.tenantId || (!policy.teamIds.length && !policy.adminObjectIds.length)) return 'not-configured';
  const data = (activity.channelData ?? {}) as { tenant?: { id?: string }; team?: { id?: string; aadGroupId?: string } };
  const tenant = data.tenant?.id ?? activity.conversation?.tenantId;
  if (!same(tenant, policy.tenantId)) return 'refused';
  const inTeam = policy.teamIds.some((id) => same(id, data.team?.id) || same(id, data.team?.aadGroupId));
  const isAdmin = policy.adminObjectIds.some((id) => same(id, activity.from?.aadObjectId));
  return inTeam || isAdmin ? 'allowed' : 'refused';
}

/**
 * "Benachrichtigungen hier": sets the staff channel when the policy allows it, records who did
 * it and when, and tells the previous channel that notifications now go elsewhere.
 */
export class StaffChannel {
  constructor(
    private readonly kv: KvStore,
    private readonly policy: StaffChannelPolicy,
    /** Posts a text into another conversation (the previous channel). */
    private readonly post: (reference: Partial<ConversationReference>, text: string) => Promise<void>,
    private readonly onNotifyFailed: (err: unknown) => void = () => undefined,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The current target, or undefined until someone allowed has set one. */
  async reference(): Promise<Partial<ConversationReference> | undefined> {
    const stored = await this.kv.get<StaffChannelRecord | Partial<ConversationReference>>(STAFF_CHANNEL_KEY);
    if (!stored) return undefined;
    // Records written before who-and-when was kept are the bare reference.
    return 'reference' in stored && stored.reference ? stored.reference : (stored as Partial<ConversationReference>);
  }

  async record(): Promise<StaffChannelRecord | undefined> {
    const stored = await this.kv.get<StaffChannelRecord>(STAFF_CHANNEL_KEY);
    return stored && 'reference' in stored ? stored : undefined;
  }

  /** Handles the command in this turn; answers in German whatever the outcome. */
  async handleCommand(context: TurnContext): Promise<void> {
    const a = context.activity;
    const decision = decideStaffChannel(a, this.policy);
    if (decision !== 'allowed') {
      await context.sendActivity(decision === 'not-a-teams-channel' ? T.onlyInTeamsChannel : decision === 'not-configured' ? T.notConfigured : T.refused);
      return;
    }
    const previous = await this.reference();
    const data = (a.channelData ?? {}) as { tenant?: { id?: string }; team?: { id?: string } };
    const record: StaffChannelRecord = {
      reference: TurnContext.getConversationReference(a),
      changedBy: { aadObjectId: a.from?.aadObjectId, name: a.from?.name },
      changedAt: this.now().toISOString(),
      teamId: data.team?.id,
      tenantId: data.tenant?.id ?? a.conversation?.tenantId,
    };
    await this.kv.write(STAFF_CHANNEL_KEY, record);
    await context.sendActivity(T.done);
    if (previous?.conversation?.id && previous.conversation.id !== a.conversation?.id) {
      // The old channel learns that (and by whom) its notifications were moved; a failure here
      // must not undo the change.
      await this.post(previous, T.movedAway(record.changedBy.name, this.now())).catch(this.onNotifyFailed);
    }
  }
}
