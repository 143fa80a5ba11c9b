import { DateTime } from 'luxon';
import { ZONE } from './hours';
import { CHANNEL_NAMES, handoffTexts } from './texts';
import type { Handoff, TranscriptEntry } from './types';

const T = handoffTexts.card;

/** Card action values; MainDialog never sees them, the bot's staff handler does. */
export type HandoffCardAction = 'handoff.take' | 'handoff.callbackDone' | 'handoff.close';
export const HANDOFF_CARD_ACTIONS: readonly HandoffCardAction[] = ['handoff.take', 'handoff.callbackDone', 'handoff.close'];

const clip = (s: string, n: number) => (s.length > n ? s.slice(0, n - 1) + '…' : s);

/**
 * The Adaptive Card (1.5) in the KDLZ staff channel: who asks, about what, since when, the last
 * turns, and the actions the current status allows. Rebuilt and sent with updateActivity on
 * every change, so everyone in the channel sees the same state.
 */
export function handoffCard(h: Handoff, transcript: TranscriptEntry[], nowMs: number): object {
  const received = DateTime.fromMillis(h.createdMs, { zone: ZONE }).setLocale('de').toFormat("dd.LL.yyyy, HH:mm 'Uhr'");
  const waitedMin = Math.floor(((h.takenMs ?? h.closedMs ?? nowMs) - h.createdMs) / 60_000);
  const facts = [
    { title: T.kommune, value: h.kommune ?? T.none },
    { title: T.topic, value: clip(h.topic, 300) },
    { title: T.channel, value: CHANNEL_NAMES[h.channel] ?? h.channel },
    { title: T.received, value: received },
    { title: T.waiting, value: T.minutes(Math.max(0, waitedMin)) },
    { title: T.status, value: (T.statusText[h.status] ?? h.status) + (h.takenBy ? ` – ${T.takenBy(h.takenBy)}` : '') },
    ...(h.callbackFromMs !== null && h.status === 'callback'
      ? [{ title: T.callbackFrom, value: DateTime.fromMillis(h.callbackFromMs, { zone: ZONE }).setLocale('de').toFormat("cccc, dd.LL., HH:mm 'Uhr'") }]
      : []),
    ...(h.contact ? [{ title: T.contact, value: clip(h.contact, 300) }] : []),
  ];
  const last = transcript.slice(-5).map((t) => ({
    type: 'TextBlock',
    wrap: true,
    spacing: 'Small',
    text: `**${T.roles[t.from] ?? t.from}${t.agentName ? ` (${t.agentName})` : ''}:** ${clip(t.text, 400)}`,
  }));
  const actions: object[] = [];
  const data = (kdlz: HandoffCardAction) => ({ kdlz, id: h.id });
  if ((h.status === 'waiting' || h.status === 'callback') && !h.takenBy) actions.push({ type: 'Action.Submit', title: T.take, data: data('handoff.take') });
  if (h.status === 'callback') actions.push({ type: 'Action.Submit', title: T.callbackDone, data: data('handoff.callbackDone') });
  if (h.status === 'waiting' || h.status === 'active') actions.push({ type: 'Action.Submit', title: T.close, data: data('handoff.close') });
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [
      { type: 'TextBlock', size: 'Medium', weight: 'Bolder', wrap: true, text: h.status === 'callback' ? T.titleCallback : T.titleLive },
      { type: 'FactSet', facts },
      ...(last.length ? [{ type: 'TextBlock', weight: 'Bolder', text: T.lastTurns, spacing: 'Medium' }, ...last] : []),
      ...(h.status === 'waiting' || h.status === 'active' ? [{ type: 'TextBlock', isSubtle: true, wrap: true, size: 'Small', text: T.threadHint }] : []),
    ],
    actions,
  };
}

/** What is left of a card after the person had their data deleted. */
export function erasedCard(): object {
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body: [{ type: 'TextBlock', wrap: true, text: T.erased }],
  };
}
