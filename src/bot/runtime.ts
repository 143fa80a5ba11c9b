import { randomUUID } from 'node:crypto';
import {
  type Activity,
  ActivityTypes,
  CardFactory,
  type CloudAdapter,
  ConversationState,
  ShowTypingMiddleware,
  type TurnContext,
  UserState,
} from 'botbuilder';
import { EligibilityDialog } from '../../dialogs/EligibilityDialog';
import { BookingDialog } from '../../dialogs/BookingDialog';
import { DeleteMyDataDialog } from '../../dialogs/DeleteMyDataDialog';
import { MyAppointmentsDialog } from '../../dialogs/MyAppointmentsDialog';
import { MainDialog } from '../../dialogs/MainDialog';
import { channelUser } from '../../dialogs/booking-shared';
import { HandoffDialog } from '../../dialogs/HandoffDialog';
import type { ActiveHandoff, ConversationMemory, DialogServices, DomainServices, UserProfile } from '../../dialogs/services';
import type { TranscriptEntry } from '../handoff';
import { HandoffRelay, type OwningAdapter } from '../../dialogs/handoff-relay';
import { mainTexts } from '../../dialogs/texts/main';
import type { Config } from '../config';
import { currentCorrelationId, type Logger, withCorrelation } from '../log';
import { ETagConflict, type KvStore } from '../storage';
import { KdlzBot } from './kdlz-bot';
import { StaffChannel } from './staff-channel';
import { KvBotStorage } from './state-storage';
import { capUserText, MAX_USER_TEXT } from './user-text';

export interface BotRuntime {
  /** Runs one turn of the bot; every channel's adapter calls this. */
  run(context: TurnContext): Promise<void>;
  onTurnError(context: TurnContext, error: unknown): Promise<void>;
  /**
   * Posts an Adaptive Card to the KDLZ staff channel in Teams ("Benachrichtigungen hier").
   * Throws when no channel is registered or Teams refuses, so the outbox retries later.
   */
  notifyStaffChannel(card: object): Promise<void>;
  /** Lets proactive messages (handoff replies) reach conversations of another channel adapter (Direct Line). */
  addChannelAdapter(adapter: OwningAdapter): void;
  /** Turns still running (for graceful shutdown). */
  inFlight(): number;
  close(): Promise<void>;
}

export interface BotDeps {
  config: Config;
  kv: KvStore;
  logger: Logger;
  domain: DomainServices;
  /** The Bot Framework adapter (src/channels/bot-endpoint.ts); proactive staff cards go through it. */
  adapter: CloudAdapter;
  /** "Benachrichtigungen hier" (createStaffChannel). */
  staffChannel: StaffChannel;
}

/**
 * The staff channel ("Benachrichtigungen hier"): who may set it (STAFF_CHANNEL_* settings) and
 * where its notices go (proactive messages through the Bot Framework adapter).
 */
export function createStaffChannel(config: Config, kv: KvStore, adapter: CloudAdapter, logger?: Logger): StaffChannel {
  return new StaffChannel(
    kv,
    {
      tenantId: config.STAFF_CHANNEL_TENANT_ID ?? config.MicrosoftAppTenantId,
      teamIds: config.STAFF_CHANNEL_TEAM_IDS,
      adminObjectIds: config.STAFF_CHANNEL_ADMINS,
    },
    (reference, text) => adapter.continueConversationAsync(config.MicrosoftAppId ?? '', reference, async (context) => void (await context.sendActivity(text))),
    (err) => logger?.warn({ err }, 'staff channel: the previous channel could not be told of the change'),
  );
}

/**
 * Posts an Adaptive Card to the Teams channel registered with "Benachrichtigungen hier".
 * Throws when none is registered or Teams refuses, so the outbox retries later. Needs only the
 * key-value store and the adapter, so the booking module can get it before the bot is built.
 */
export function staffChannelNotifier(staffChannel: StaffChannel, adapter: CloudAdapter, appId: string | undefined): (card: object) => Promise<void> {
  return async (card) => {
    const ref = await staffChannel.reference();
    if (!ref) throw new Error('kein KDLZ-Mitarbeitendenkanal registriert („Benachrichtigungen hier“ im Kanal senden)');
    await adapter.continueConversationAsync(appId ?? '', ref, async (context) => {
      await context.sendActivity({ type: ActivityTypes.Message, attachments: [CardFactory.adaptiveCard(card)] });
    });
  };
}

/**
 * Builds the bot with its state, dialogs and middleware. The channels (src/app.ts wires them)
 * call `run` for every turn and `onTurnError` when their adapter fails.
 */
export async function buildBot(deps: BotDeps): Promise<BotRuntime> {
  const { config, kv, logger } = deps;
  const storage = new KvBotStorage(kv);
  const conversationState = new ConversationState(storage);
  const userState = new UserState(storage);
  const services: DialogServices = {
    userProfile: userState.createProperty<UserProfile>('profile'),
    handoffState: conversationState.createProperty<ActiveHandoff | undefined>('handoff'),
    recentTurns: conversationState.createProperty<TranscriptEntry[]>('recentTurns'),
    clarifyStreak: conversationState.createProperty<number>('clarifyStreak'),
    conversationMemory: conversationState.createProperty<ConversationMemory>('memory'),
    ...deps.domain,
  };
  const dialog = new MainDialog(services, {
    eligibility: new EligibilityDialog(services),
    booking: new BookingDialog(services, { retentionDays: config.CONTACT_RETENTION_DAYS, privacyUrl: config.PRIVACY_URL }),
    myAppointments: new MyAppointmentsDialog(services),
    deleteMyData: new DeleteMyDataDialog(services),
    handoff: new HandoffDialog(services, { retentionDays: config.HANDOFF_RETENTION_DAYS }),
  });
  // Handoff: changes reach the user's conversation and the staff card in Teams.
  const relay = new HandoffRelay({ handoffs: deps.domain.handoffs, cloud: deps.adapter, appId: config.MicrosoftAppId ?? '', staffChannel: deps.staffChannel, logger });
  deps.domain.handoffs.setNotifier(relay);
  /** Gives back the slots this user holds in this conversation (their dialog is gone). */
  const releaseHolds = async (context: TurnContext): Promise<void> => {
    const { channelUserId, conversationId } = channelUser(context);
    const released = await deps.domain.booking.releaseHoldsOf({ channelUserId, conversationId });
    if (released) logger.info({ released }, 'holds of a dropped booking dialog released');
  };
  const bot = new KdlzBot(conversationState, userState, dialog, kv, { staffChannel: deps.staffChannel, releaseHolds }, { relay, recentTurns: services.recentTurns! });

  let running = 0;
  const typing = new ShowTypingMiddleware(800, 2000);

  /** Correlation id, typing indicator, locale and privacy-aware logging for every turn. */
  const run = async (context: TurnContext): Promise<void> => {
    const correlationId = randomUUID();
    running++;
    try {
      await withCorrelation(correlationId, async () => {
        const a = context.activity;
        // The edge: nothing below reads more than MAX_USER_TEXT characters of a message.
        const shortened = a.type === ActivityTypes.Message && capUserText(a);
        logger.info(
          {
            channelId: a.channelId,
            type: a.type,
            conversationType: a.conversation?.conversationType,
            ...(config.LOG_MESSAGE_TEXT ? { text: a.text } : {}),
            ...(shortened ? { shortened: true } : {}),
          },
          'turn',
        );
        const locale = a.locale ?? 'de-DE';
        context.onSendActivities(async (_ctx, activities, next) => {
          for (const out of activities) out.locale = out.locale ?? locale;
          return next();
        });
        try {
          if (shortened) await context.sendActivity(mainTexts.textShortened(MAX_USER_TEXT));
          try {
            await typing.onTurn(context, () => bot.run(context));
          } catch (err) {
            // Another instance changed this conversation's state while the turn ran (two messages
            // at once): run the turn once more on the state as it is now.
            if (!(err instanceof ETagConflict)) throw err;
            logger.warn({ key: err.key.replace(/\/[^/]+\/$/, '/…/') }, 'turn state changed meanwhile; running the turn again');
            await conversationState.load(context, true);
            await userState.load(context, true);
            await typing.onTurn(context, () => bot.run(context));
          }
        } catch (err) {
          await onTurnError(context, err);
        }
      });
    } finally {
      running--;
    }
  };

  const onTurnError = async (context: TurnContext, error: unknown): Promise<void> => {
    const correlationId = currentCorrelationId() ?? randomUUID();
    logger.error({ err: error, correlationId, channelId: context.activity.channelId }, 'turn failed');
    try {
      if (error instanceof ETagConflict) {
        // Still changing underneath after a second try: keep the state the other turn saved.
        await context.sendActivity({ type: ActivityTypes.Message, text: mainTexts.concurrentChange } as Partial<Activity>);
        return;
      }
      // A broken dialog stack would fail every later turn too: start this conversation afresh,
      // and give back any slot its booking dialog held.
      await conversationState.delete(context);
      await releaseHolds(context).catch((e: unknown) => logger.warn({ err: e }, 'could not release the holds of a dropped dialog'));
      await context.sendActivity({ type: ActivityTypes.Message, text: mainTexts.error(correlationId.slice(0, 8)) } as Partial<Activity>);
    } catch (sendErr) {
      logger.error({ err: sendErr }, 'could not send the error message');
    }
  };

  return {
    run,
    onTurnError,
    notifyStaffChannel: staffChannelNotifier(deps.staffChannel, deps.adapter, config.MicrosoftAppId),
    addChannelAdapter: (adapter) => relay.addAdapter(adapter),
    inFlight: () => running,
    async close() {
      const deadline = Date.now() + 10_000;
      while (running > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    },
  };
}
