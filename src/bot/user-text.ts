import type { Activity } from 'botbuilder';

/**
 * The longest message text anything in the bot reads. A person's question, however detailed,
 * fits in far less; everything behind this mark is cut at the edge, before mention stripping,
 * intent recognition, slot parsers or retrieval see it, so no parser ever runs on more.
 */
export const MAX_USER_TEXT = 2000;

/**
 * Cuts an incoming message's text to MAX_USER_TEXT characters (in place). Returns true when it
 * had to, so the turn can tell the person that only the beginning was read.
 */
export function capUserText(activity: Partial<Activity>): boolean {
  if (typeof activity.text !== 'string' || activity.text.length <= MAX_USER_TEXT) return false;
  // Do not leave half a surrogate pair at the cut.
  let end = MAX_USER_TEXT;
  const last = activity.text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  activity.text = activity.text.slice(0, end);
  return true;
}
