import { randomUUID } from 'node:crypto';
import {
  type Activity,
  ActivityTypes,
  CardFactory,
  ConversationState,
  ShowTypingMiddleware,
  type TurnContext,
  UserState,
} from 'botbuilder';
import type restify from 'restify';
import { EligibilityDialog } from '../../dialogs/EligibilityDialog';
import { BookingDialog } from '../../dialogs/BookingDialog';
import { DeleteMyDataDialog } from '../../dialogs/DeleteMyDataDialog';
import { MyAppointmentsDialog } from '../../dialogs/MyAppointmentsDialog';
import { MainDialog } from '../../dialogs/MainDialog';
import type { DialogServices, UserProfile } from '../../dialogs/services';
import { mainTexts } from '../../dialogs/texts/main';
import { createCloudAdapter, registerBotEndpoint } from '../channels/bot-endpoint';
import type { DomainServices } from '../app';
import type { Config } from '../config';
import { currentCorrelationId, type Logger, withCorrelation } from '../log';
import type { Db, KvStore } from '../storage';
import { KdlzBot, staffChannelReference } from './kdlz-bot';
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
  /** Turns still running (for graceful shutdown). */
  inFlight(): number;
  close(): Promise<void>;
}

export interface BotDeps {
  config: Config;
  db: Db;
  kv: KvStore;
  logger: Logger;
  server: restify.Server;
  domain: DomainServices;
}


/**
 * Builds the bot with its state, dialogs and middleware, and connects it to the channels.
 * Lives in src/bot because everything here is Bot Framework specific.
 */
export async function buildBot(deps: BotDeps): Promise<BotRuntime> {
  const { config, kv, logger, server } = deps;
  const storage = new KvBotStorage(kv);
  const conversationState = new ConversationState(storage);
  const userState = new UserState(storage);
  const services: DialogServices = {
    userProfile: userState.createProperty<UserProfile>('profile'),
    ...deps.domain,
  };
  const dialog = new MainDialog(services, {
    eligibility: new EligibilityDialog(services),
    booking: new BookingDialog(services, { retentionDays: config.CONTACT_RETENTION_DAYS, privacyUrl: config.PRIVACY_URL }),
    myAppointments: new MyAppointmentsDialog(services),
    deleteMyData: new DeleteMyDataDialog(services),
  });
  const bot = new KdlzBot(conversationState, userState, dialog, kv);

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
          await typing.onTurn(context, () => bot.run(context));
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
      // A broken dialog stack would fail every later turn too: start this conversation afresh.
      await conversationState.delete(context);
      await context.sendActivity({ type: ActivityTypes.Message, text: mainTexts.error(correlationId.slice(0, 8)) } as Partial<Activity>);
    } catch (sendErr) {
      logger.error({ err: sendErr }, 'could not send the error message');
    }
  };

  const cloudAdapter = createCloudAdapter(config);
  cloudAdapter.onTurnError = onTurnError;
  registerBotEndpoint(server, cloudAdapter, run, logger);

  const notifyStaffChannel = async (card: object): Promise<void> => {
    const ref = await staffChannelReference(kv);
    if (!ref) throw new Error('kein KDLZ-Mitarbeitendenkanal registriert („Benachrichtigungen hier“ im Kanal senden)');
    await cloudAdapter.continueConversationAsync(config.MicrosoftAppId ?? '', ref, async (context) => {
      await context.sendActivity({ type: ActivityTypes.Message, attachments: [CardFactory.adaptiveCard(card)] });
    });
  };

  return {
    run,
    onTurnError,
    notifyStaffChannel,
    inFlight: () => running,
    async close() {
      const deadline = Date.now() + 10_000;
      while (running > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    },
  };
}
