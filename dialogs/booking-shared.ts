import { type Activity, type Entity, MessageFactory, type TurnContext } from 'botbuilder';
import { DateTime } from 'luxon';
import { berlinDay, type Booking, bookingIcs, type BookingService, formatBerlinTime, type Slot } from '../src/booking';
import { type ChoiceOption, parseWhen, readChoice, type When } from '../src/nlu';
import { clientKeyOf } from '../src/bot/client-key';
import { type BookingCardValue, factsCard, icsAttachment, slotsCard, whenText } from './cards/booking-cards';
import { bookingTexts as T } from './texts/booking';

/**
 * The week-and-slot steps both booking dialogs share (BookingDialog: first booking;
 * MyAppointmentsDialog: rescheduling): reading when, finding slots, showing them, reading the
 * pick, and the booking's result message.
 */

/** A slot as kept in dialog state (plain JSON). */
export interface ShownSlot {
  advisorId: string;
  startMs: number;
  endMs: number;
}

const ZONE = 'Europe/Berlin';

/**
 * Who is booking, as stored on the booking ("Meine Termine" in Teams, "Meine Daten löschen"),
 * with the conversation (one live hold per user and conversation) and the client address the
 * channel saw (rate limits; Web Chat only).
 */
export function channelUser(context: TurnContext): { channelId: string; channelUserId?: string; conversationId?: string; clientKey?: string } {
  const a = context.activity;
  return { channelId: a.channelId, channelUserId: a.from?.aadObjectId ?? a.from?.id, conversationId: a.conversation?.id, clientKey: clientKeyOf(context) };
}

/** The card value of this turn if it is one of ours. */
export function bookingCardValue(context: TurnContext): BookingCardValue | undefined {
  const v = context.activity.value as Partial<BookingCardValue> | undefined;
  return v && typeof v === 'object' && typeof v.kdlz === 'string' && v.kdlz.startsWith('booking.') ? (v as BookingCardValue) : undefined;
}

/** "in der Woche vom 15.06. bis 19.06.2026", "am Montag, 15.06.2026", "nachmittags" appended. */
export function describeWhen(when: When): string {
  const part = when.part === 'morning' ? ' vormittags' : when.part === 'afternoon' ? ' nachmittags' : '';
  if ('nextFree' in when) return `als Nächstes${part}`;
  const start = DateTime.fromISO(when.from, { zone: ZONE }).setLocale('de');
  if (when.from === when.to) return `am ${start.toFormat('cccc, dd.LL.yyyy')}${part}`;
  const end = DateTime.fromISO(when.to, { zone: ZONE });
  return `vom ${start.toFormat('dd.LL.')} bis ${end.toFormat('dd.LL.yyyy')}${part}`;
}

const days = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000) + 1;

/**
 * Free slots for the span (and part of the day); when it has none, the next free ones after it,
 * with a sentence saying so. Empty only when nothing at all is free in the bookable window.
 */
export async function findSlots(service: BookingService, ags: string, typeId: string, when: When): Promise<{ slots: ShownSlot[]; intro: string }> {
  const fromDay = 'nextFree' in when ? berlinDay(service.clock()) : when.from;
  const span = 'nextFree' in when ? 400 : days(when.from, when.to);
  const first = await service.searchSlots({ ags, appointmentTypeId: typeId, fromDay, days: span, dayPart: when.part });
  const range = describeWhen(when);
  if (first.length) return { slots: first.map(toShown), intro: T.ask.slot(range) };
  const later = await service.searchSlots({ ags, appointmentTypeId: typeId, fromDay, days: 400 });
  if (!later.length) return { slots: [], intro: T.noSlotsAtAll };
  return { slots: later.map(toShown), intro: `${T.noSlotsInRange(capitalise(range))} ${T.ask.slot('als Nächstes')}` };
}

const toShown = (s: Slot): ShownSlot => ({ advisorId: s.advisorId, startMs: s.startMs, endMs: s.endMs });
const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

export function slotsPrompt(intro: string, slots: ShownSlot[], step: string, round: number): Partial<Activity> {
  return MessageFactory.attachment(slotsCard(intro, slots, step, round, T.ask.otherWeek));
}

/** The slots as choice options: day and start time, so "Dienstag nachmittag" or "13:00" pick one. */
export function slotOptions(slots: ShownSlot[]): ChoiceOption[] {
  return slots.map((s) => ({ label: whenText(s.startMs, s.endMs), day: berlinDay(s.startMs), time: formatBerlinTime(s.startMs) }));
}

/** The user's pick: a card button of this round, the number, the day and time as typed. 'other' = another week. */
export function readSlot(context: TurnContext, text: string, slots: ShownSlot[]): number | 'other' | undefined {
  const v = bookingCardValue(context);
  if (v?.kdlz === 'booking.other') return 'other';
  if (v?.kdlz === 'booking.pick' && typeof v.index === 'number' && slots[v.index]) return v.index;
  return readChoice(text, slotOptions(slots), { allowOther: true });
}

export function bookingFacts(service: BookingService, b: Booking): [string, string][] {
  const F = T.summaryFacts;
  return [
    [F.reference, b.reference ?? '–'],
    [F.status, T.status[b.status] ?? b.status],
    [F.kommune, b.municipalityName],
    [F.type, service.appointmentType(b.appointmentTypeId)?.name ?? b.appointmentTypeId],
    [F.when, whenText(b.startMs, b.endMs)],
    [F.where, service.location(b)],
    ...(b.contact ? ([[F.contact, `${b.contact.name} (${b.contact.role})`]] as [string, string][]) : []),
  ];
}

/** Confirmation (or cancellation/rescheduling) message: text, facts card, .ics and the booking entity. */
export function bookingResultActivity(service: BookingService, b: Booking, text: string): Partial<Activity> {
  const reply = MessageFactory.text(text);
  reply.attachments = [factsCard(b.reference ?? '', bookingFacts(service, b)), icsAttachment(T.icsName(b.reference ?? 'termin'), bookingIcs(service, b))];
  reply.entities = [service.toEntity(b) as unknown as Entity];
  return reply;
}

/** A week or day inside the bookable window, or the reason to ask again. */
export function checkWhen(service: BookingService, text: string): { when: When } | { retry: string } {
  const when = parseWhen(text, berlinDay(service.clock()));
  if (!when) return { retry: T.retry.when };
  if ('nextFree' in when) return { when };
  const { first, last } = service.window();
  if (when.to < first || when.from > last) return { retry: T.retry.whenOutside(german(first), german(last)) };
  return { when };
}

/** 2026-06-03 → 03.06.2026 */
const german = (day: string): string => day.split('-').reverse().join('.');

/**
 * The slot question for a span: a card with the slots (and a notice such as "gerade vergeben"
 * before it), or the sentence that nothing is free (then the dialog ends).
 */
export async function slotQuestion(
  service: BookingService,
  req: { ags: string; typeId: string; when: When; notice?: string; round: number },
): Promise<{ slots: ShownSlot[]; prompt: Partial<Activity> } | { none: string }> {
  const { slots, intro } = await findSlots(service, req.ags, req.typeId, req.when);
  const notice = req.notice ? `${req.notice}\n\n` : '';
  if (!slots.length) return { none: notice + intro };
  return { slots, prompt: slotsPrompt(notice + intro, slots, 'slot', req.round) };
}
