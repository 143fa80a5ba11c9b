import { CardFactory, type Attachment } from 'botbuilder';
import { DateTime } from 'luxon';

/** What every booking card button carries, so a press on an outdated card can be recognised. */
export interface BookingCardValue {
  kdlz: 'booking.pick' | 'booking.confirm' | 'booking.other';
  /** The question the card answered when it was sent. */
  step: string;
  /** Increases each time the dialog shows a new card; older cards carry smaller numbers. */
  round: number;
  index?: number;
}

const ZONE = 'Europe/Berlin';

/** "Mi 03.06. · 08:00–10:00 Uhr" */
export function slotLabel(startMs: number, endMs: number): string {
  const s = DateTime.fromMillis(startMs, { zone: ZONE }).setLocale('de');
  const e = DateTime.fromMillis(endMs, { zone: ZONE });
  return `${s.toFormat('ccc dd.LL.')} · ${s.toFormat('HH:mm')}–${e.toFormat('HH:mm')} Uhr`;
}

/** "Mittwoch, 03.06.2026, 08:00–10:00 Uhr" */
export function whenText(startMs: number, endMs: number): string {
  const s = DateTime.fromMillis(startMs, { zone: ZONE }).setLocale('de');
  return `${s.toFormat('cccc, dd.LL.yyyy, HH:mm')}–${DateTime.fromMillis(endMs, { zone: ZONE }).toFormat('HH:mm')} Uhr`;
}

const card = (body: object[], actions: object[] = []): Attachment =>
  CardFactory.adaptiveCard({ type: 'AdaptiveCard', $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', version: '1.5', body, actions });

const submit = (title: string, data: BookingCardValue, style?: 'positive'): object => ({ type: 'Action.Submit', title, data, ...(style ? { style } : {}) });

/** Up to six free slots as buttons (numbered, so typing the number works too) plus "another week". */
export function slotsCard(title: string, slots: { startMs: number; endMs: number }[], step: string, round: number, otherWeek: string): Attachment {
  return card(
    [{ type: 'TextBlock', text: title, wrap: true }],
    [
      ...slots.map((s, i) => submit(`${i + 1}. ${slotLabel(s.startMs, s.endMs)}`, { kdlz: 'booking.pick', step, round, index: i })),
      submit(otherWeek, { kdlz: 'booking.other', step, round }),
    ],
  );
}

/** A list of choices (appointment types, bookings) as numbered buttons. */
export function choiceCard(title: string, labels: string[], step: string, round: number): Attachment {
  return card(
    [{ type: 'TextBlock', text: title, wrap: true }],
    labels.map((l, i) => submit(`${i + 1}. ${l}`, { kdlz: 'booking.pick', step, round, index: i })),
  );
}

/** Facts of a booking (summary before confirming, confirmation, list entry). */
export function factsCard(title: string, facts: [string, string][], action?: { title: string; value: BookingCardValue }): Attachment {
  return card(
    [
      { type: 'TextBlock', text: title, weight: 'Bolder', wrap: true },
      { type: 'FactSet', facts: facts.map(([t, v]) => ({ title: t, value: v })) },
    ],
    action ? [submit(action.title, action.value, 'positive')] : [],
  );
}

/** The invitation as a file attachment (Web Chat offers it as a download). */
export function icsAttachment(name: string, ics: string): Attachment {
  return { contentType: 'text/calendar', contentUrl: `data:text/calendar;charset=utf-8;base64,${Buffer.from(ics, 'utf8').toString('base64')}`, name };
}
