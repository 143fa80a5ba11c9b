import { type Activity, type Entity, MessageFactory, type TurnContext } from 'botbuilder';
import { Dialog, type DialogContext, type DialogTurnResult, DialogTurnStatus, type PromptValidatorContext } from 'botbuilder-dialogs';
import { berlinDay, type Booking, bookingIcs, type BookingService, type Slot } from '../src/booking';
import { type SearchSpan, describeSpan, parseWhen } from './booking-when';
import { recogniseInterruption } from './interruptions';
import { type BookingCardValue, factsCard, icsAttachment, slotsCard, whenText } from './cards/booking-cards';
import { bookingTexts as T } from './texts/booking';

/**
 * Steps both booking dialogs share (BookingDialog: first booking; MyAppointmentsDialog:
 * rescheduling): finding slots for a span, showing them, reading the pick, the confirmation.
 */

/** A slot as kept in dialog state (plain JSON). */
export interface ShownSlot {
  advisorId: string;
  startMs: number;
  endMs: number;
}

/** Who is booking, as stored on the booking ("Meine Termine" in Teams, "Meine Daten löschen"). */
export function channelUser(context: TurnContext): { channelId: string; channelUserId?: string } {
  const a = context.activity;
  return { channelId: a.channelId, channelUserId: a.from?.aadObjectId ?? a.from?.id };
}

/** The card value of this turn if it is one of ours. */
export function bookingCardValue(context: TurnContext): BookingCardValue | undefined {
  const v = context.activity.value as Partial<BookingCardValue> | undefined;
  return v && typeof v === 'object' && typeof v.kdlz === 'string' && v.kdlz.startsWith('booking.') ? (v as BookingCardValue) : undefined;
}

/** True when the turn is a card press that does not belong to the question asked now. */
export function isStaleCard(context: TurnContext, asking: string | undefined, round: number): boolean {
  const v = context.activity.value as { kdlz?: unknown } | undefined;
  if (!v || typeof v !== 'object' || typeof v.kdlz !== 'string') return false;
  const ours = bookingCardValue(context);
  return !ours || ours.step !== asking || ours.round !== round;
}

/**
 * Free slots in the span; when it has none, the next free ones after it, with a sentence saying
 * so. Empty only when nothing at all is free in the bookable window.
 */
export async function findSlots(service: BookingService, ags: string, typeId: string, span: SearchSpan): Promise<{ slots: ShownSlot[]; intro: string }> {
  const first = await service.searchSlots({ ags, appointmentTypeId: typeId, fromDay: span.fromDay, days: span.days });
  const range = describeSpan(span);
  if (first.length) return { slots: first.map(toShown), intro: T.ask.slot(range) };
  const later = await service.searchSlots({ ags, appointmentTypeId: typeId, fromDay: span.fromDay, days: 400 });
  if (!later.length) return { slots: [], intro: T.noSlotsAtAll };
  return { slots: later.map(toShown), intro: `${T.noSlotsInRange(capitalise(range))} ${T.ask.slot('als Nächstes')}` };
}

const toShown = (s: Slot): ShownSlot => ({ advisorId: s.advisorId, startMs: s.startMs, endMs: s.endMs });
const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

export function slotsPrompt(intro: string, slots: ShownSlot[], step: string, round: number): Partial<Activity> {
  return MessageFactory.attachment(slotsCard(intro, slots, step, round, T.ask.otherWeek));
}

/** The user's pick: a card button of this round, the number, or the time as typed ("9:00"). 'other' = another week. */
export function readSlotPick(context: TurnContext, text: string, slots: ShownSlot[]): number | 'other' | undefined {
  const v = bookingCardValue(context);
  if (v?.kdlz === 'booking.other') return 'other';
  if (v?.kdlz === 'booking.pick' && typeof v.index === 'number' && slots[v.index]) return v.index;
  const t = text.trim().toLowerCase();
  if (/^(andere|naechste|nächste|spaeter|später)/.test(t)) return 'other';
  const n = /^(\d)\.?$/.exec(t);
  if (n && slots[Number(n[1]) - 1]) return Number(n[1]) - 1;
  return undefined;
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

/** The parts of a guided dialog the shared command handling needs. */
export interface GuidedState {
  asking?: string;
  round: number;
}

export interface GuidedCommands<S extends GuidedState> {
  waterfallId: string;
  help(state: S | undefined): string;
  /** Gives back what the dialog holds (a reserved slot) before it ends or restarts. */
  release(state: S | undefined): Promise<void>;
  /** Forgets the last answer; false when there was none. */
  undo(state: S): Promise<boolean>;
  fresh(): S;
  texts: { cancelled: string; restarted: string; atStart: string; staleCard: string };
}

/**
 * "abbrechen", "hilfe", "zurück", "neu starten" and presses on outdated cards, for the booking
 * dialogs; undefined when the turn is none of these and the open question should see it.
 */
export async function handleGuidedCommand<S extends GuidedState>(innerDc: DialogContext, c: GuidedCommands<S>): Promise<DialogTurnResult | undefined> {
  const state = innerDc.stack.find((i) => i.id === c.waterfallId)?.state?.options as S | undefined;
  if (state && isStaleCard(innerDc.context, state.asking, state.round)) {
    await innerDc.context.sendActivity(c.texts.staleCard);
    await innerDc.repromptDialog();
    return Dialog.EndOfTurn;
  }
  switch (recogniseInterruption(innerDc.context.activity.text)) {
    case 'cancel':
      await c.release(state);
      await innerDc.cancelAllDialogs();
      await innerDc.context.sendActivity(c.texts.cancelled);
      return { status: DialogTurnStatus.cancelled, result: { cancelled: true } };
    case 'help':
      await innerDc.context.sendActivity(c.help(state));
      await innerDc.repromptDialog();
      return Dialog.EndOfTurn;
    case 'back':
      if (!state || !(await c.undo(state))) {
        await innerDc.context.sendActivity(c.texts.atStart);
        await innerDc.repromptDialog();
        return Dialog.EndOfTurn;
      }
      await innerDc.cancelAllDialogs();
      return innerDc.beginDialog(c.waterfallId, state);
    case 'restart':
      await c.release(state);
      await innerDc.cancelAllDialogs();
      await innerDc.context.sendActivity(c.texts.restarted);
      return innerDc.beginDialog(c.waterfallId, c.fresh());
    default:
      return undefined;
  }
}

/** The typed answer of a prompt, and how to accept a value or re-ask with a reason. */
export function answerTools(pc: PromptValidatorContext<string>): { text: string; accept(value: string): boolean; retry(message: string, actions?: string[]): boolean } {
  return {
    text: (pc.recognized.value ?? '').trim(),
    accept(value) {
      pc.recognized.value = value;
      return true;
    },
    retry(message, actions = []) {
      pc.options.retryPrompt = actions.length ? MessageFactory.suggestedActions(actions, message) : MessageFactory.text(message);
      return false;
    },
  };
}

/** A week or day inside the bookable window, or the reason to ask again. */
export function checkWhen(service: BookingService, text: string): { span: SearchSpan } | { retry: string } {
  const span = parseWhen(text, berlinDay(service.clock()));
  if (!span) return { retry: T.retry.when };
  const { first, last } = service.window();
  const end = new Date(Date.parse(span.fromDay) + (span.days - 1) * 86_400_000).toISOString().slice(0, 10);
  if (!span.nextFree && (end < first || span.fromDay > last)) return { retry: T.retry.whenOutside(german(first), german(last)) };
  return { span };
}

/** 2026-06-03 → 03.06.2026 */
const german = (day: string): string => day.split('-').reverse().join('.');

/**
 * The slot question for a span: a card with the slots (and a notice such as "gerade vergeben"
 * before it), or the sentence that nothing is free (then the dialog ends).
 */
export async function slotQuestion(
  service: BookingService,
  req: { ags: string; typeId: string; span: SearchSpan; notice?: string; round: number },
): Promise<{ slots: ShownSlot[]; prompt: Partial<Activity> } | { none: string }> {
  const { slots, intro } = await findSlots(service, req.ags, req.typeId, req.span);
  const notice = req.notice ? `${req.notice}\n\n` : '';
  if (!slots.length) return { none: notice + intro };
  return { slots, prompt: slotsPrompt(notice + intro, slots, 'slot', req.round) };
}
