import {
  ActivityTypes,
  type ChannelAccount,
  ConversationState,
  type InvokeResponse,
  type StatePropertyAccessor,
  TeamsActivityHandler,
  TurnContext,
  UserState,
} from 'botbuilder';
import type { DialogState } from 'botbuilder-dialogs';
import { isStaffCommand } from '../../dialogs/intents';
import type { MainDialog } from '../../dialogs/MainDialog';
import { mainTexts } from '../../dialogs/texts/main';
import type { KvStore } from '../storage';
import type { TranscriptEntry } from '../handoff';
import type { HandoffRelay } from '../../dialogs/handoff-relay';
import { trackRecentTurns } from './recent-turns';

/** The handoff parts of the handler: the staff side in Teams and the turns a handoff may pass on. */
export interface KdlzBotHandoff {
  relay: HandoffRelay;
  recentTurns: StatePropertyAccessor<TranscriptEntry[]>;
}
import { BOOKING_DIALOG } from '../../dialogs/BookingDialog';
import type { StaffChannel } from './staff-channel';
import { PERSONAL_DATA_DELETED } from './turn-flags';

/** What the handler needs beyond the dialogs: the staff channel and giving back held slots. */
export interface KdlzBotSession {
  staffChannel: StaffChannel;
  /** Releases the live holds of this turn's user in this conversation (a booking dialog was dropped). */
  releaseHolds(context: TurnContext): Promise<void>;
}

const GROUP_CONVERSATIONS = new Set(['channel', 'groupChat']);

/**
 * The one activity handler for every channel: welcomes once, keeps group conversations quiet
 * unless the bot is @mentioned, turns Action.Execute into the same path as Action.Submit, and
 * hands every message to MainDialog.
 */
export class KdlzBot extends TeamsActivityHandler {
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  private readonly welcomed: StatePropertyAccessor<boolean>;

  constructor(
    private readonly conversationState: ConversationState,
    private readonly userState: UserState,
    private readonly dialog: MainDialog,
    private readonly kv: KvStore,
    private readonly session: KdlzBotSession,
    private readonly handoff?: KdlzBotHandoff,
  ) {
    super();
    this.dialogState = conversationState.createProperty<DialogState>('dialogState');
    this.welcomed = conversationState.createProperty<boolean>('welcomed');

    this.onMessage(async (context, next) => {
      // Staff in the KDLZ channel: handoff card buttons and replies in a card's thread (also
      // without @mention when the app may read channel messages).
      if (this.handoff && this.isGroup(context)) {
        const text = typeof context.activity.text === 'string' ? (TurnContext.removeRecipientMention(context.activity) ?? context.activity.text).replace(/<at>[^<]*<\/at>/g, '').trim() : undefined;
        if (await this.handoff.relay.handleStaffTurn(context, text)) return next();
      }
      if (this.isGroup(context) && !this.mentionsMe(context) && !context.activity.value) return next();
      this.stripMention(context);
      if (await this.handleStaffCommand(context)) return next();
      if (this.handoff) await trackRecentTurns(context, this.handoff.recentTurns);
      await this.dialog.run(context, this.dialogState);
      await next();
    });

    this.onMembersAdded(async (context, next) => {
      await this.welcomeOnce(context, context.activity.membersAdded ?? []);
      await next();
    });

    this.onTeamsMembersAddedEvent(async (membersAdded, _teamInfo, context, next) => {
      // The bot added to a team: remember the channel so KDLZ staff can make it the target.
      if (membersAdded.some((m) => m.id === context.activity.recipient.id) && context.activity.conversation?.conversationType === 'channel') {
        await this.kv.write(`kdlz:channel-ref:${context.activity.conversation.id}`, TurnContext.getConversationReference(context.activity));
      }
      // In Teams this handler replaces onMembersAdded, so the welcome is sent from here too.
      await this.welcomeOnce(context, membersAdded);
      await next();
    });
  }

  override async run(context: TurnContext): Promise<void> {
    const bookingBefore = await this.bookingOpen(context);
    await super.run(context);
    // However the booking dialog ended (cancelled, "Neues Gespräch", a global card action, a
    // replaced stack), the slot it held goes back now instead of when the hold expires.
    if (bookingBefore && !(await this.bookingOpen(context))) await this.session.releaseHolds(context);
    if (context.turnState.get(PERSONAL_DATA_DELETED)) {
      // "Meine Daten löschen" ran: write nothing of this turn back, remove what is left.
      await this.conversationState.delete(context);
      await this.userState.delete(context);
      return;
    }
    // Save after every turn, also when a handler threw midway (the error handler runs after).
    await this.conversationState.saveChanges(context, false);
    await this.userState.saveChanges(context, false);
  }

  /** Whether a booking dialog is on the (possibly nested) dialog stack of this conversation. */
  private async bookingOpen(context: TurnContext): Promise<boolean> {
    const state = await this.dialogState.get(context);
    return !!state?.dialogStack?.length && JSON.stringify(state.dialogStack).includes(`"id":"${BOOKING_DIALOG}"`);
  }

  /** Action.Execute (Universal Actions) arrives as an invoke; it takes the Action.Submit path. */
  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (context.activity.name === 'adaptiveCard/action') {
      const action = (context.activity.value ?? {}) as { action?: { data?: unknown } };
      const original = { type: context.activity.type, value: context.activity.value };
      // Dialogs and prompts only continue on messages: run this turn as the equivalent submit.
      context.activity.value = action.action?.data ?? {};
      context.activity.type = ActivityTypes.Message;
      try {
        if (!(this.handoff && (await this.handoff.relay.handleStaffTurn(context, undefined)))) await this.dialog.run(context, this.dialogState);
      } finally {
        context.activity.type = original.type;
        context.activity.value = original.value;
      }
      return {
        status: 200,
        body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'OK' },
      };
    }
    return super.onInvokeActivity(context);
  }

  private isGroup(context: TurnContext): boolean {
    return GROUP_CONVERSATIONS.has(context.activity.conversation?.conversationType ?? '');
  }

  private mentionsMe(context: TurnContext): boolean {
    return TurnContext.getMentions(context.activity).some((m) => m.mentioned?.id === context.activity.recipient?.id);
  }

  private stripMention(context: TurnContext): void {
    if (typeof context.activity.text !== 'string') return;
    const stripped = TurnContext.removeRecipientMention(context.activity) ?? context.activity.text;
    // Teams wraps the mention in <at>…</at>; clients that do not still leave a bare "@KDLZ-Bot".
    context.activity.text = stripped.replace(/<at>[^<]*<\/at>/g, '').trim();
  }

  /** "Benachrichtigungen hier": the staff channel decides whether this channel may become the target. */
  private async handleStaffCommand(context: TurnContext): Promise<boolean> {
    if (!isStaffCommand(context.activity.text ?? '')) return false;
    await this.session.staffChannel.handleCommand(context);
    return true;
  }

  /**
   * Teams: greet when the bot itself is installed (personal, team or chat), never for every
   * person joining a team. Other channels (Web Chat, terminal): greet the user who joined.
   */
  private async welcomeOnce(context: TurnContext, members: ChannelAccount[]): Promise<void> {
    const botId = context.activity.recipient?.id;
    const isTeams = context.activity.channelId === 'msteams';
    const shouldGreet = isTeams ? members.some((m) => m.id === botId) : members.some((m) => m.id !== botId);
    if (!shouldGreet || (await this.welcomed.get(context, false))) return;
    await this.welcomed.set(context, true);
    await context.sendActivity({
      type: ActivityTypes.Message,
      text: mainTexts.welcome,
      locale: context.activity.locale ?? 'de-DE',
      suggestedActions: isTeams && this.isGroup(context) ? undefined : { to: [], actions: mainTexts.menuActions.map((a) => ({ type: 'imBack', title: a, value: a })) },
    });
  }
}
