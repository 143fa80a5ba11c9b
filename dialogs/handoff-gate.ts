import { ActionTypes, type Activity, ActivityTypes, type CardAction, type TurnContext } from 'botbuilder';
import { handoffEntity, isLive } from '../src/handoff';
import { handoffTexts as T } from '../src/handoff/texts';
import { foldTokens } from '../src/text/fold';
import type { DialogServices } from './services';

/** The child dialog id MainDialog begins for the intent `handoff` and the offer button. */
export const HANDOFF_DIALOG = 'handoff';

/** Card value of the "Mit dem KDLZ-Team sprechen" button the bot offers. */
export const START_HANDOFF = 'startHandoff';

/** "zurück zum Bot" and its variants, as a whole message. */
export function isBackToBot(text: string | undefined): boolean {
  const folded = foldTokens(text ?? '').join(' ');
  return (T.backToBotCommands as readonly string[]).includes(folded);
}

const message = (text: string, entity?: { type: string }): Partial<Activity> => ({
  type: ActivityTypes.Message,
  text,
  textFormat: 'markdown',
  ...(entity ? { entities: [entity] } : {}),
});

/**
 * While the conversation has a live handoff, the user's messages go to the KDLZ team instead
 * of the bot; "zurück zum Bot" leaves. Called first in MainDialog.run; true when it handled the
 * turn. Card clicks (e.g. feedback) still reach the bot.
 */
export async function relayToTeam(context: TurnContext, services: DialogServices): Promise<boolean> {
  const { handoffs, handoffState } = services;
  const a = context.activity;
  if (!handoffs || !handoffState || a.type !== ActivityTypes.Message) return false;
  const text = typeof a.text === 'string' ? a.text.trim() : '';
  const active = await handoffState.get(context);
  if (!active) {
    if (text && !a.value && isBackToBot(text)) {
      await context.sendActivity(message(T.backToBot));
      return true;
    }
    return false;
  }
  const h = await handoffs.get(active.id);
  if (!h || !isLive(h.status)) {
    await handoffState.delete(context);
    return false;
  }
  if (!text || a.value) return false;
  if (isBackToBot(text)) {
    const left = await handoffs.leave(h.id);
    await handoffState.delete(context);
    await context.sendActivity(message(T.backToBot, handoffEntity(left ?? { id: h.id, status: 'closed' })));
    return true;
  }
  const after = await handoffs.userMessage(h.id, text);
  if (!after) {
    await handoffState.delete(context);
    return false;
  }
  if (after.status === 'waiting') await context.sendActivity(message(T.waitingNote, handoffEntity(after)));
  return true;
}

/**
 * Whether to offer a person with this knowledge reply: on a decline, and on the second
 * clarification in a row (the streak lives in conversation state and is written only when it changes).
 */
export async function shouldOfferHandoff(context: TurnContext, services: DialogServices, kind: string): Promise<boolean> {
  const streak = services.clarifyStreak;
  if (!streak) return kind === 'decline';
  const before = await streak.get(context, 0);
  const now = kind === 'clarify' ? before + 1 : 0;
  if (now !== before) await streak.set(context, now);
  return kind === 'decline' || now >= 2;
}

/**
 * Adds "Mit dem KDLZ-Team sprechen" to a knowledge reply: on a decline, and after the second
 * clarification in a row. Returns the activity for chaining.
 */
export function offerHandoff(activity: Partial<Activity>, offer: boolean): Partial<Activity> {
  if (!offer) return activity;
  const action: CardAction = { type: ActionTypes.MessageBack, title: T.offerAction, text: T.offerAction, displayText: T.offerAction, value: { kdlz: START_HANDOFF } };
  const actions = [...(activity.suggestedActions?.actions ?? []), action];
  return { ...activity, suggestedActions: { to: activity.suggestedActions?.to ?? [], actions } };
}
