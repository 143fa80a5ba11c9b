import {
  ActivityTypes,
  BotAdapter,
  TurnContext,
  type Activity,
  type ConversationReference,
  type ResourceResponse,
} from 'botbuilder';
import { CLIENT_KEY } from '../../bot/client-key';
import type { Logger } from '../../log';
import { activityId, CONVERSATION_ID_PREFIX, type DirectLineStore, type StoredActivity } from './store';

export const DIRECT_LINE_CHANNEL_ID = 'directline';

/** How the bot appears in every activity it sends over this channel. */
export const BOT_ACCOUNT = Object.freeze({ id: 'kdlz-bot', name: 'KDLZ-Bot', role: 'bot' });

export interface BotLike {
  run(context: TurnContext): Promise<void>;
}

type Logic = (context: TurnContext) => Promise<void>;

/** BotAdapter keeps the invoke response in turn state under this key (as CloudAdapter does). */
const INVOKE_RESPONSE_KEY = Symbol.for('invokeResponse');

/**
 * Runs the bot in-process for the self-hosted Direct Line channel: what users post is handed to
 * the bot through the middleware pipeline, and what the bot sends is stored as activities of the
 * conversation and announced to the stream. Proactive messages go the same way.
 */
export class DirectLineAdapter extends BotAdapter {
  /** Turns of one conversation run one after another on this instance (dialog state eTags). */
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    private readonly store: DirectLineStore,
    private readonly onStored: (conversationId: string, stored: StoredActivity[]) => void,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {
    super();
  }

  /** Whether a conversation reference belongs to this channel (and not to Azure's Direct Line). */
  owns(reference: Partial<ConversationReference>): boolean {
    return reference.channelId === DIRECT_LINE_CHANNEL_ID && !!reference.conversation?.id?.startsWith(CONVERSATION_ID_PREFIX);
  }

  /**
   * Runs one incoming activity (already stored if the user sent it) through the bot. `clientKey`
   * (the sender's address, IPv6 by /64) goes into the turn state for rate limits, never into
   * the stored activity.
   */
  processActivity(activity: Partial<Activity>, logic: Logic, clientKey?: string): Promise<void> {
    const id = activity.conversation!.id;
    const previous = this.queues.get(id) ?? Promise.resolve();
    const turn = previous.then(() => {
      const context = new TurnContext(this, activity);
      if (clientKey) context.turnState.set(CLIENT_KEY, clientKey);
      return this.runMiddleware(context, logic);
    });
    const settled = turn.catch(() => undefined);
    this.queues.set(id, settled);
    // Forget the queue once it drains so idle conversations cost no memory.
    void settled.then(() => {
      if (this.queues.get(id) === settled) this.queues.delete(id);
    });
    return turn;
  }

  /** Number of conversations with a turn queued or running (for tests and shutdown). */
  get busyConversations(): number {
    return this.queues.size;
  }

  /** Waits for every running turn (graceful shutdown). */
  async drain(): Promise<void> {
    while (this.queues.size) await Promise.all([...this.queues.values()]);
  }

  async sendActivities(context: TurnContext, activities: Partial<Activity>[]): Promise<ResourceResponse[]> {
    const responses: ResourceResponse[] = new Array(activities.length);
    let pending: { index: number; activity: Partial<Activity> }[] = [];
    const flush = async () => {
      if (!pending.length) return;
      const batch = pending;
      pending = [];
      const conversationId = batch[0].activity.conversation?.id ?? context.activity.conversation.id;
      const stored = await this.store.append(
        conversationId,
        batch.map((b) => b.activity),
        (a, seq) => this.outgoing(a, conversationId, seq, context),
      );
      stored.forEach((s, i) => (responses[batch[i].index] = { id: s.activity.id! }));
      this.onStored(conversationId, stored);
    };
    for (let i = 0; i < activities.length; i++) {
      const a = activities[i];
      if (a.type === 'delay') {
        await flush();
        await new Promise((r) => setTimeout(r, typeof a.value === 'number' ? a.value : 1000));
        responses[i] = { id: '' };
      } else if (a.type === ActivityTypes.InvokeResponse) {
        context.turnState.set(INVOKE_RESPONSE_KEY, a);
        responses[i] = { id: '' };
      } else {
        pending.push({ index: i, activity: a });
      }
    }
    await flush();
    return responses;
  }

  private outgoing(a: Partial<Activity>, conversationId: string, seq: number, context: TurnContext): Partial<Activity> {
    return {
      ...a,
      id: activityId(conversationId, seq),
      channelId: DIRECT_LINE_CHANNEL_ID,
      serviceUrl: a.serviceUrl ?? context.activity.serviceUrl,
      conversation: { id: conversationId } as Activity['conversation'],
      from: { ...BOT_ACCOUNT },
      recipient: a.recipient ?? context.activity.from,
      timestamp: new Date(this.now()),
    };
  }

  async updateActivity(): Promise<void> {
    throw new Error('Direct Line does not support updating a sent activity');
  }

  async deleteActivity(): Promise<void> {
    throw new Error('Direct Line does not support deleting a sent activity');
  }

  /** Proactive message (e.g. a reminder) into a Direct Line conversation that still exists. */
  async continueConversation(reference: Partial<ConversationReference>, logic: Logic): Promise<void> {
    const conversationId = reference.conversation?.id;
    if (!conversationId || !(await this.store.get(conversationId))) {
      throw new Error('Direct Line conversation not found or expired');
    }
    const activity = TurnContext.applyConversationReference(
      { type: ActivityTypes.Event, name: 'ContinueConversation' },
      { ...reference, channelId: DIRECT_LINE_CHANNEL_ID, bot: { ...BOT_ACCOUNT }, user: reference.user } as Partial<ConversationReference>,
      true,
    );
    await this.processActivity(activity, logic);
  }

  /** The CloudAdapter-style overloads: the claims or app id and audience play no role here. */
  override async continueConversationAsync(
    _botAppIdOrClaims: unknown,
    reference: Partial<ConversationReference>,
    logicOrAudience: Logic | string,
    maybeLogic?: Logic,
  ): Promise<void> {
    const logic = typeof logicOrAudience === 'function' ? logicOrAudience : maybeLogic;
    if (!logic) throw new Error('continueConversationAsync: logic missing');
    await this.continueConversation(reference, logic);
  }

  /** Logs and reports turn errors that even onTurnError could not handle. */
  logTurnFailure(err: unknown, conversationId: string): void {
    this.logger.error({ err, conversationId }, 'direct line turn failed');
  }
}
