/**
 * The blind knowledge evaluation (test/knowledge/blind): every message goes the way the bot
 * sends it. Text is capped as at the edge (src/bot/user-text.ts), the bot's understanding entry
 * decides first, and only what it would hand to the knowledge base reaches KnowledgeService.
 * Used by `npm run eval:knowledge` (scripts/eval-knowledge.ts) and test/knowledge/blind-eval.test.ts.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { detectIntent } from '../dialogs/intents';
import { capUserText } from '../src/bot/user-text';
import type { KnowledgeService } from '../src/knowledge';
import { projectRoot } from '../src/paths';
import type { BlindItem, EvalReply } from '../src/knowledge/judge';

/** Which understanding entry routed the messages; every reported figure names it (docs/knowledge.md). */
export const ROUTING = 'dialogs/intents.ts detectIntent (src/nlu intent model; emergencies get KnowledgeService.firstAid())';

export const blindDir = (): string => path.join(projectRoot(), 'test', 'knowledge', 'blind');

/** Loads a split. Never print a frozen split's items: only aggregate figures. */
export function loadSplit(name: 'dev' | 'test'): BlindItem[] {
  return JSON.parse(readFileSync(path.join(blindDir(), `${name}.json`), 'utf8')) as BlindItem[];
}

/** The bot's reply to one message as the judge sees it. */
export function botReply(knowledge: KnowledgeService): (q: string) => Promise<EvalReply> {
  return async (q) => {
    const activity = { text: q };
    capUserText(activity);
    const text = activity.text.trim();
    const intent = detectIntent(text);
    if (intent !== 'question' && intent !== 'emergency') return { outcome: 'dialog', text: '', cited: [], intent };
    // An emergency gets the fixed first-aid answer, as MainDialog sends it.
    const a = intent === 'emergency' ? knowledge.firstAid() : await knowledge.answer(text);
    return { outcome: a.kind, text: a.text, cited: a.citations.map((c) => c.article) };
  };
}
