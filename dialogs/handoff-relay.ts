import { type Activity, ActivityTypes, CardFactory, type ConversationReference, type TurnContext } from 'botbuilder';
import {
  type Handoff,
  type HandoffChange,
  type HandoffNotifier,
  type HandoffService,
  HandoffStateError,
  handoffEntity,
} from '../src/handoff';
import { erasedCard, handoffCard, HANDOFF_CARD_ACTIONS, type HandoffCardAction } from '../src/handoff/card';
import { formatCallbackFrom, handoffTexts as T } from '../src/handoff/texts';
import type { Logger } from '../src/log';

type Logic = (context: TurnContext) => Promise<void>;

/** An adapter that can reach conversations proactively (CloudAdapter, the Direct Line adapter). */
export interface ProactiveAdapter {
  continueConversationAsync(botAppId: string, reference: Partial<ConversationReference>, logic: Logic): Promise<void>;
}

/** A channel adapter that serves only its own conversations (the self-hosted Direct Line). */
export interface OwningAdapter extends ProactiveAdapter {
  owns(reference: Partial<ConversationReference>): boolean;
}

export interface HandoffRelayDeps {
  handoffs: HandoffService;
  /** Teams and other Bot Framework channels. */
  cloud: ProactiveAdapter;
  appId: string;
  /** The staff channel set with "Benachrichtigungen hier" (src/bot/staff-channel.ts). */
  staffChannel: { reference(): Promise<Partial<ConversationReference> | undefined> };
  logger: Logger;
}

/** "19:abc@thread.tacv2;messageid=123" → ["19:abc@thread.tacv2", "123"]. */
export function splitThread(conversationId: string): [string, string | undefined] {
  const i = conversationId.indexOf(';messageid=');
  return i < 0 ? [conversationId, undefined] : [conversationId.slice(0, i), conversationId.slice(i + ';messageid='.length)];
}

/**
 * Carries handoff changes to the people involved: messages into the user's conversation (Teams,
 * Web Chat via Direct Line, any channel with a conversation reference) and the staff card in the
 * KDLZ Teams channel (posted once, then updated with updateActivity for everyone, with the user's
 * messages as replies in its thread). Also handles what staff do in that channel: card buttons
 * and thread replies.
 */
export class HandoffRelay implements HandoffNotifier {
  private readonly owning: OwningAdapter[] = [];

  constructor(private readonly deps: HandoffRelayDeps) {}

  /** Registers a channel adapter that serves its own conversations (Direct Line). */
  addAdapter(adapter: OwningAdapter): void {
    this.owning.push(adapter);
  }

  async changed(h: Handoff, change: HandoffChange): Promise<void> {
    const now = this.deps.handoffs.clock();
    const when = h.callbackFromMs !== null ? formatCallbackFrom(h.callbackFromMs, now) : undefined;
    // The staff side first: a user that cannot be reached must not keep the card stale.
    switch (change.kind) {
      case 'created':
        await this.staffSide(() => this.postCard(h));
        return;
      case 'userMessage':
        await this.staffSide(() => this.postInThread(h, T.thread.userLine(change.text)));
        return;
      case 'staffMessage':
        await this.toUser(h, T.staffLine(change.agentName, change.text));
        return;
      case 'taken':
        await this.staffSide(() => this.updateCard(h));
        if (h.status === 'active') await this.toUser(h, T.taken(change.by));
        return;
      case 'closed':
        await this.staffSide(async () => {
          await this.updateCard(h);
          await this.postInThread(h, change.by === 'user' ? T.thread.userLeft : T.thread.closed(change.agentName));
        });
        if (change.by === 'staff') {
          const lines = [change.note ? T.staffLine(change.agentName ?? 'KDLZ-Team', change.note) : '', T.closedByStaff(change.agentName)].filter(Boolean);
          await this.toUser(h, lines.join('\n\n'));
        }
        return;
      case 'timedOut':
        await this.staffSide(async () => {
          await this.updateCard(h);
          await this.postInThread(h, T.thread.timedOut);
        });
        await this.toUser(h, T.timedOut(when));
        return;
      case 'erased':
        await this.staffSide(() => this.eraseCard(h));
        return;
      case 'callbackDone':
        await this.staffSide(async () => {
          await this.updateCard(h);
          await this.postInThread(h, T.thread.callbackDone(change.by));
        });
        return;
    }
  }

  /** A message (with the handoff entity) into the user's conversation; throws when unreachable. */
  private async toUser(h: Handoff, text: string): Promise<void> {
    const ref = h.conversationRef as Partial<ConversationReference> | null;
    if (!ref?.conversation?.id) throw new Error('handoff without conversation reference');
    const activity: Partial<Activity> = { type: ActivityTypes.Message, text, textFormat: 'markdown', locale: 'de-DE', entities: [handoffEntity(h)] };
    const adapter = this.owning.find((a) => a.owns(ref)) ?? this.deps.cloud;
    await adapter.continueConversationAsync(this.deps.appId, ref, async (ctx) => {
      await ctx.sendActivity(activity);
    });
  }

  /** Staff-channel work never fails a change: the request is stored and visible in the staff API. */
  private async staffSide(fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      this.deps.logger.warn({ err: (err as Error).message }, 'handoff staff channel update failed');
    }
  }

  private async staffRef(): Promise<Partial<ConversationReference> | undefined> {
    return this.deps.staffChannel.reference();
  }

  private async cardFor(h: Handoff): Promise<object> {
    return handoffCard(h, await this.deps.handoffs.transcript(h.id), this.deps.handoffs.clock());
  }

  private async postCard(h: Handoff): Promise<void> {
    const ref = await this.staffRef();
    if (!ref?.conversation?.id) return; // no Teams staff channel: the staff API and page still list it
    const card = await this.cardFor(h);
    let activityId: string | undefined;
    await this.deps.cloud.continueConversationAsync(this.deps.appId, ref, async (ctx) => {
      activityId = (await ctx.sendActivity({ type: ActivityTypes.Message, attachments: [CardFactory.adaptiveCard(card)] }))?.id;
    });
    if (activityId) await this.deps.handoffs.store.setCard(h.id, { activityId, conversationId: splitThread(ref.conversation.id)[0] });
  }

  private async updateCard(h: Handoff): Promise<void> {
    const fresh = (await this.deps.handoffs.get(h.id)) ?? h;
    const ref = await this.staffRef();
    if (!fresh.card || !ref) return;
    const card = await this.cardFor(fresh);
    const target = { ...ref, conversation: { ...ref.conversation!, id: fresh.card.conversationId } };
    await this.deps.cloud.continueConversationAsync(this.deps.appId, target, async (ctx) => {
      await ctx.updateActivity({ type: ActivityTypes.Message, id: fresh.card!.activityId, attachments: [CardFactory.adaptiveCard(card)] });
    });
  }

  /** The person had their data deleted: the card keeps nothing of it. */
  private async eraseCard(h: Handoff): Promise<void> {
    const ref = await this.staffRef();
    if (!h.card || !ref) return;
    const target = { ...ref, conversation: { ...ref.conversation!, id: h.card.conversationId } };
    await this.deps.cloud.continueConversationAsync(this.deps.appId, target, async (ctx) => {
      await ctx.updateActivity({ type: ActivityTypes.Message, id: h.card!.activityId, attachments: [CardFactory.adaptiveCard(erasedCard())] });
    });
  }

  private async postInThread(h: Handoff, text: string): Promise<void> {
    const fresh = h.card ? h : await this.deps.handoffs.get(h.id);
    const ref = await this.staffRef();
    if (!fresh?.card || !ref) return;
    const target = { ...ref, conversation: { ...ref.conversation!, id: `${fresh.card.conversationId};messageid=${fresh.card.activityId}` } };
    await this.deps.cloud.continueConversationAsync(this.deps.appId, target, async (ctx) => {
      await ctx.sendActivity({ type: ActivityTypes.Message, text, textFormat: 'markdown' });
    });
  }

  /**
   * Staff activity in the KDLZ channel: a card button ("Übernehmen", "Rückruf erledigt",
   * "Gespräch beenden") or a reply in a card's thread. True when it was one (nothing else runs).
   * Only activities from the conversation the card was posted to count.
   */
  async handleStaffTurn(context: TurnContext, text: string | undefined): Promise<boolean> {
    const a = context.activity;
    const value = a.value as { kdlz?: unknown; id?: unknown } | undefined;
    const [base, root] = splitThread(a.conversation?.id ?? '');
    const agent = (a.from?.name ?? '').trim() || 'KDLZ-Team';
    if (value && typeof value === 'object' && HANDOFF_CARD_ACTIONS.includes(value.kdlz as HandoffCardAction)) {
      const h = typeof value.id === 'string' ? await this.deps.handoffs.get(value.id) : undefined;
      if (!h || h.card?.conversationId !== base) {
        await context.sendActivity(T.thread.notOpen);
        return true;
      }
      await this.cardAction(context, h, value.kdlz as HandoffCardAction, agent);
      return true;
    }
    const rootId = root ?? (a.conversation?.conversationType === 'channel' ? a.replyToId : undefined);
    if (a.channelId !== 'msteams' || !rootId) return false;
    const h = await this.deps.handoffs.byCard(rootId);
    if (!h || h.card?.conversationId !== base) return false;
    const body = (text ?? '').trim();
    if (!body) return true;
    if (h.status === 'active' && h.takenBy !== agent) {
      await context.sendActivity(T.thread.onlyOwner(h.takenBy ?? 'KDLZ-Team'));
      return true;
    }
    if (h.status !== 'active' && h.status !== 'waiting') {
      await context.sendActivity(T.thread.notLive);
      return true;
    }
    try {
      const r = await this.deps.handoffs.staffMessage(h.id, agent, body);
      if (!r.delivered) await context.sendActivity(T.thread.notDelivered);
    } catch (err) {
      if (!(err instanceof HandoffStateError)) throw err;
      await context.sendActivity(T.thread.notLive);
    }
    return true;
  }

  private async cardAction(context: TurnContext, h: Handoff, action: HandoffCardAction, agent: string): Promise<void> {
    try {
      if (action === 'handoff.take') {
        const r = await this.deps.handoffs.take(h.id, agent);
        if (!r.ok) await context.sendActivity(r.handoff.takenBy ? T.thread.alreadyTaken(r.handoff.takenBy) : T.thread.notOpen);
      } else if (action === 'handoff.callbackDone') {
        await this.deps.handoffs.callbackDone(h.id, agent);
      } else {
        await this.deps.handoffs.close(h.id, agent);
      }
    } catch (err) {
      if (!(err instanceof HandoffStateError)) throw err;
      await context.sendActivity(T.thread.notOpen);
    }
  }
}
