import { ActivityTypes, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import type { TranscriptEntry } from '../handoff';

/** How many turns a handoff can pass on ("the conversation so far"), and how long each may be. */
export const RECENT_TURNS = 6;
const MAX_TEXT = 500;

function push(list: TranscriptEntry[], entry: TranscriptEntry): TranscriptEntry[] {
  const next = [...list, { ...entry, text: entry.text.slice(0, MAX_TEXT) }];
  return next.length > RECENT_TURNS ? next.slice(-RECENT_TURNS) : next;
}

/**
 * Keeps the last few turns of the conversation in conversation state, so a handoff can pass the
 * earlier question on (after consent). It lives and dies with the conversation state; a refused
 * consent clears it.
 */
export async function trackRecentTurns(context: TurnContext, accessor: StatePropertyAccessor<TranscriptEntry[]>): Promise<void> {
  const a = context.activity;
  const text = typeof a.text === 'string' ? a.text.trim() : '';
  if (a.type !== ActivityTypes.Message || !text || a.value) return;
  const now = () => new Date().toISOString();
  await accessor.set(context, push(await accessor.get(context, []), { from: 'user', text, timestamp: now() }));
  context.onSendActivities(async (ctx, activities, next) => {
    let list = await accessor.get(ctx, []);
    for (const out of activities) {
      if (out.type !== ActivityTypes.Message) continue;
      const said = typeof out.text === 'string' && out.text.trim() ? out.text.trim() : out.attachments?.length ? '[Karte]' : '';
      if (said) list = push(list, { from: 'bot', text: said, timestamp: now() });
    }
    await accessor.set(ctx, list);
    return next();
  });
}
