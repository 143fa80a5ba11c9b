import { type Activity, MessageFactory } from 'botbuilder';
import { type DialogContext, type DialogTurnResult, type PromptValidatorContext, TextPrompt, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { type BookingService, checkEmail, checkPhone, checkRole, type Contact, HoldLimitReached, SlotUnavailable } from '../src/booking';
import type { EligibilityService } from '../src/eligibility';
import { findEmail, readChoice, readPersonName, readPhone, readYesNo, type When } from '../src/nlu';
import { bookingCardValue, bookingResultActivity, channelUser, checkWhen, readSlot, type ShownSlot, slotQuestion } from './booking-shared';
import { choiceCard, factsCard, whenText } from './cards/booking-cards';
import { GuidedDialog, type GuidedState } from './GuidedDialog';
import { type KommuneAsk, KommuneQuestion } from './kommune-step';
import type { DialogServices } from './services';
import { type BookingSlot, bookingTexts as T } from './texts/booking';

export const BOOKING_DIALOG = 'bookingDialog';
const BOOKING_WATERFALL = 'bookingSteps';
const BOOKING_PROMPT = 'bookingAnswer';

export interface BookingOptions {
  kommuneAgs?: string;
  appointmentTypeId?: string;
  /** The sentence that started the dialog: may name the type ("… für die Online-Beratung"). */
  text?: string;
}

export interface BookingDialogSettings {
  /** CONTACT_RETENTION_DAYS, named in the privacy notice. */
  retentionDays: number;
  /** PRIVACY_URL, linked from the notice when set. */
  privacyUrl?: string;
}

const CONTACT_FIELDS: (keyof Contact)[] = ['name', 'role', 'email', 'phone'];

/** The dialog's memory (dialog state: plain JSON). */
interface BookingState extends GuidedState {
  kommuneAgs?: string;
  savedDeclined: boolean;
  typeId?: string;
  typeHint?: string;
  when?: When;
  slots?: ShownSlot[];
  hold?: { token: string; advisorId: string; startMs: number; endMs: number };
  privacyAccepted?: boolean;
  contact: Partial<Contact>;
  /** Answers in the order given: "zurück" undoes the last one. */
  answered: BookingSlot[];
  asking?: BookingSlot;
  /** Said before the next question (e.g. "gerade vergeben"). */
  notice?: string;
}

const freshState = (): BookingState => ({ savedDeclined: false, contact: {}, answered: [], round: 0 });

interface AskValidations {
  slot: BookingSlot;
  kommune?: KommuneAsk;
  typeIds?: string[];
  slots?: ShownSlot[];
}

/**
 * Books an appointment with the KDLZ: Kommune → type → week or day → one of at most six free
 * slots (held while the user continues) → privacy notice → contact person → summary → confirm.
 * Every answer may be typed in words ("die Online-Beratung", "in zwei Wochen", "Dienstag
 * 13:00"); the commands, questions and emergencies are handled by GuidedDialog.
 */
export class BookingDialog extends GuidedDialog<BookingState> {
  private readonly booking: BookingService;
  private readonly eligibility: EligibilityService;
  private readonly kommune: KommuneQuestion;

  constructor(services: DialogServices, private readonly settings: BookingDialogSettings) {
    super(BOOKING_DIALOG, services, BOOKING_WATERFALL, { cancelled: T.cancelled, restarted: T.restarted, atStart: T.atStart, staleCard: T.retry.staleCard, commands: T.commands });
    this.booking = services.booking;
    this.eligibility = services.eligibility;
    this.kommune = new KommuneQuestion(services.eligibility, {
      ask: T.ask.kommune,
      saved: T.ask.savedKommune,
      retrySaved: T.retry.savedKommune,
      empty: T.ask.kommune,
      notFound: T.retry.kommuneNotFound,
      suggest: T.retry.kommuneSuggest,
      ambiguous: T.retry.ambiguous,
      whichAgain: T.retry.whichKommune,
      outsideHessen: T.retry.outsideHessen,
      otherKommune: T.otherKommune,
    });
    this.addDialog(new TextPrompt(BOOKING_PROMPT, this.validate.bind(this)));
    this.addDialog(
      new WaterfallDialog(BOOKING_WATERFALL, [
        this.kommuneStep.bind(this),
        this.kommuneAnswerStep.bind(this),
        this.typeStep.bind(this),
        this.typeAnswerStep.bind(this),
        this.whenStep.bind(this),
        this.whenAnswerStep.bind(this),
        this.slotStep.bind(this),
        this.slotAnswerStep.bind(this),
        this.privacyStep.bind(this),
        this.privacyAnswerStep.bind(this),
        this.contactStep.bind(this),
        this.contactAnswerStep.bind(this),
        this.summaryStep.bind(this),
        this.confirmStep.bind(this),
      ]),
    );
    this.initialDialogId = BOOKING_WATERFALL;
  }

  /** Takes over what the caller already knows (Kommune from the eligibility result, a type). */
  protected override async onBeginDialog(innerDc: DialogContext, options?: BookingOptions): Promise<DialogTurnResult> {
    // Booking off (production with the example calendar): say where to register instead.
    const availability = this.services.bookingAvailability;
    if (availability && !availability.enabled) {
      await innerDc.context.sendActivity(availability.message);
      return innerDc.endDialog();
    }
    const state = freshState();
    if (options?.kommuneAgs && this.eligibility.register.byAgs(options.kommuneAgs)) {
      state.kommuneAgs = options.kommuneAgs;
      state.answered.push('kommune');
    }
    if (options?.appointmentTypeId && this.booking.appointmentType(options.appointmentTypeId)) state.typeId = options.appointmentTypeId;
    if (options?.text) state.typeHint = options.text.slice(0, 300);
    return innerDc.beginDialog(BOOKING_WATERFALL, state);
  }

  protected fresh(): BookingState {
    return freshState();
  }

  protected helpFor(slot: string | undefined): string {
    return slot ? T.help[slot as BookingSlot] : '';
  }

  protected override async release(state: BookingState | undefined): Promise<void> {
    if (state?.hold) await this.booking.releaseHold(state.hold.token);
  }

  /** If the Kommune is not known, offer the saved one or ask for it. */
  private async kommuneStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as BookingState;
    if (state.kommuneAgs) return step.next();
    const profile = await this.services.userProfile.get(step.context, {});
    const saved = profile.kommuneAgs && !state.savedDeclined ? this.eligibility.register.byAgs(profile.kommuneAgs) : undefined;
    const q = this.kommune.first(saved, undefined);
    return this.ask(step, { slot: q.ask.slot, kommune: q.ask }, q.prompt, q.retry);
  }

  /** Stores the Kommune and remembers it for next time (or asks again after "Andere Kommune"). */
  private async kommuneAnswerStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as BookingState;
    if (step.result === undefined) return step.next();
    const answer = JSON.parse(step.result as string) as { ags?: string; declined?: true };
    if (answer.declined) {
      state.savedDeclined = true;
      return step.replaceDialog(BOOKING_WATERFALL, state);
    }
    state.kommuneAgs = answer.ags;
    state.answered.push('kommune');
    const profile = await this.services.userProfile.get(step.context, {});
    profile.kommuneAgs = answer.ags;
    await this.services.userProfile.set(step.context, profile);
    return step.next();
  }

  /** Offers the appointment types this Kommune may book (unless the first sentence named one); ends politely when there are none. */
  private async typeStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as BookingState;
    const types = await this.booking.typesFor(state.kommuneAgs!);
    if (!state.typeId && state.typeHint) {
      const named = readChoice(state.typeHint, types.map((t) => ({ label: t.name })));
      if (typeof named === 'number') state.typeId = types[named].id;
      state.typeHint = undefined;
    }
    if (state.typeId && types.some((t) => t.id === state.typeId)) return step.next();
    state.typeId = undefined;
    const kommune = this.eligibility.register.byAgs(state.kommuneAgs!)!;
    if (!types.length) {
      await step.context.sendActivity(T.noTypes(kommune.shortName));
      return step.endDialog();
    }
    state.round++;
    const labels = types.map((t) => `${t.name} (${t.durationMinutes / 60 >= 1 ? `${t.durationMinutes / 60} Std.` : `${t.durationMinutes} Min.`}, ${t.place === 'vor-ort' ? 'vor Ort' : 'online'})`);
    return this.ask(step, { slot: 'type', typeIds: types.map((t) => t.id) }, MessageFactory.attachment(choiceCard(T.ask.type, labels, 'type', state.round)));
  }

  private async typeAnswerStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as BookingState;
    if (step.result !== undefined) {
      state.typeId = step.result as string;
      state.answered.push('type');
    }
    return step.next();
  }

  /** Asks for a week or a day unless one is known. */
  private async whenStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as BookingState;
    if (state.when) return step.next();
    return this.ask(step, { slot: 'when' }, MessageFactory.suggestedActions(T.ask.whenActions, T.ask.when));
  }

  private async whenAnswerStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as BookingState;
    if (step.result !== undefined) {
      state.when = JSON.parse(step.result as string) as When;
      state.slots = undefined;
      state.answered.push('when');
    }
    return step.next();
  }

  /** Shows at most six free slots of the span (or the next free ones after it). */
  private async slotStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as BookingState;
    if (state.hold) return step.next();
    state.round++;
    const q = await slotQuestion(this.booking, { ags: state.kommuneAgs!, typeId: state.typeId!, when: state.when!, notice: state.notice, round: state.round });
    state.notice = undefined;
    if ('none' in q) {
      await step.context.sendActivity(q.none);
      return step.endDialog();
    }
    state.slots = q.slots;
    return this.ask(step, { slot: 'slot', slots: q.slots }, q.prompt);
  }

  /** Holds the picked slot; a slot taken meanwhile → "gerade vergeben" and fresh slots. */
  private async slotAnswerStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as BookingState;
    if (step.result === undefined) return step.next();
    const pick = JSON.parse(step.result as string) as number | 'other';
    if (pick === 'other') {
      state.when = undefined;
      state.slots = undefined;
      state.answered = state.answered.filter((a) => a !== 'when');
      return step.replaceDialog(BOOKING_WATERFALL, state);
    }
    const slot = state.slots![pick];
    try {
      const hold = await this.booking.hold({ ags: state.kommuneAgs!, appointmentTypeId: state.typeId!, advisorId: slot.advisorId, startMs: slot.startMs, ...channelUser(step.context) });
      state.hold = { token: hold.holdToken, advisorId: slot.advisorId, startMs: slot.startMs, endMs: slot.endMs };
      state.answered.push('slot');
      return step.next();
    } catch (e) {
      if (e instanceof HoldLimitReached) return step.endDialog(await step.context.sendActivity(e.reason));
      if (!(e instanceof SlotUnavailable)) throw e;
      state.notice = T.slotTaken;
      state.slots = undefined;
      return step.replaceDialog(BOOKING_WATERFALL, state);
    }
  }

  /** The privacy notice comes before any contact data is asked for or stored. */
  private async privacyStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as BookingState;
    if (state.privacyAccepted) return step.next();
    return this.ask(step, { slot: 'privacy' }, MessageFactory.suggestedActions(T.ask.privacyActions, T.ask.privacy(this.settings.retentionDays, this.settings.privacyUrl)));
  }

  private async privacyAnswerStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as BookingState;
    if (step.result === undefined) return step.next();
    if (step.result === 'no') {
      await this.release(state);
      await step.context.sendActivity(T.privacyDeclined);
      return step.endDialog();
    }
    state.privacyAccepted = true;
    state.answered.push('privacy');
    return step.next();
  }

  /** Asks the next missing contact field (name, role, e-mail, phone), each validated. */
  private async contactStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as BookingState;
    const field = CONTACT_FIELDS.find((f) => state.contact[f] === undefined);
    if (!field) return step.next();
    return this.ask(step, { slot: field }, MessageFactory.text(T.ask[field]));
  }

  /** Stores the field and loops until all four are there. */
  private async contactAnswerStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as BookingState;
    if (step.result === undefined) return step.next();
    const field = state.asking as keyof Contact;
    state.contact[field] = step.result as string;
    state.answered.push(field);
    return step.replaceDialog(BOOKING_WATERFALL, state);
  }

  /** Shows everything once more before anything is booked. */
  private async summaryStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as BookingState;
    const F = T.summaryFacts;
    const type = this.booking.appointmentType(state.typeId!)!;
    const kommune = this.eligibility.register.byAgs(state.kommuneAgs!)!;
    const c = state.contact as Contact;
    state.round++;
    const summary = factsCard(
      T.ask.summary,
      [
        [F.kommune, kommune.shortName],
        [F.type, type.name],
        [F.when, whenText(state.hold!.startMs, state.hold!.endMs)],
        [F.where, this.booking.location({ onSite: type.place === 'vor-ort', municipalityName: kommune.name })],
        [F.contact, `${c.name} (${c.role})`],
        [F.email, c.email],
        [F.phone, c.phone],
      ],
      { title: T.confirmButton, value: { kdlz: 'booking.confirm', step: 'summary', round: state.round } },
    );
    const prompt = MessageFactory.suggestedActions(T.ask.summaryActions, T.ask.summary) as Partial<Activity>;
    prompt.attachments = [summary];
    return this.ask(step, { slot: 'summary' }, prompt);
  }

  /** Books (idempotent per hold: a double click books once) and sends reference, .ics and entity. */
  private async confirmStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as BookingState;
    if (step.result === 'no') {
      await this.release(state);
      await step.context.sendActivity(T.cancelled);
      return step.endDialog();
    }
    try {
      const booking = await this.booking.confirm({ holdToken: state.hold!.token, contact: state.contact as Contact });
      const profile = await this.services.userProfile.get(step.context, {});
      profile.bookingRefs = [...new Set([...(profile.bookingRefs ?? []), booking.reference!])].slice(-20);
      await this.services.userProfile.set(step.context, profile);
      await step.context.sendActivity(bookingResultActivity(this.booking, booking, T.booked(booking.reference!, whenText(booking.startMs, booking.endMs), booking.contact!.email)));
      return step.endDialog(booking);
    } catch (e) {
      if (!(e instanceof SlotUnavailable)) throw e;
      state.hold = undefined;
      state.slots = undefined;
      state.answered = state.answered.filter((a) => a !== 'slot');
      state.notice = T.slotTaken;
      return step.replaceDialog(BOOKING_WATERFALL, state);
    }
  }

  /** Forgets the last answer so the waterfall asks it again; false when nothing was answered. */
  protected async undo(state: BookingState): Promise<boolean> {
    const last = state.answered.pop();
    if (!last) return false;
    switch (last) {
      case 'kommune':
        state.kommuneAgs = undefined;
        state.savedDeclined = true;
        state.typeId = undefined;
        break;
      case 'type':
        state.typeId = undefined;
        break;
      case 'when':
        state.when = undefined;
        state.slots = undefined;
        break;
      case 'slot':
        await this.release(state);
        state.hold = undefined;
        state.slots = undefined;
        break;
      case 'privacy':
        state.privacyAccepted = undefined;
        break;
      default:
        delete state.contact[last as keyof Contact];
    }
    return true;
  }

  private async ask(step: WaterfallStepContext, v: AskValidations, prompt: Partial<Activity>, retryPrompt?: Partial<Activity>): Promise<DialogTurnResult> {
    (step.options as BookingState).asking = v.slot;
    return step.prompt(BOOKING_PROMPT, { prompt, retryPrompt, validations: v });
  }

  /** Checks one answer with the reader for what was asked; a wrong answer gets a re-prompt that says what would fit. */
  private async validate(pc: PromptValidatorContext<string>): Promise<boolean> {
    const v = pc.options.validations as AskValidations;
    const text = (pc.recognized.value ?? '').trim();
    const accept = (value: unknown): boolean => {
      pc.recognized.value = typeof value === 'string' ? value : JSON.stringify(value);
      return true;
    };
    const retry = async (message: string, actions: string[] = []): Promise<boolean> =>
      (await this.answerQuestion(pc, text)) ? false : GuidedDialog.retry(pc, message, actions);
    switch (v.slot) {
      case 'savedKommune':
      case 'kommune': {
        const r = this.kommune.read(text, v.kommune!);
        v.slot = v.kommune!.slot;
        return 'value' in r ? accept(r.value) : retry(r.retry, r.actions);
      }
      case 'type': {
        const card = bookingCardValue(pc.context);
        const options = v.typeIds!.map((id) => ({ label: this.booking.appointmentType(id)!.name }));
        const i = card?.kdlz === 'booking.pick' && typeof card.index === 'number' ? card.index : readChoice(text, options);
        return typeof i === 'number' && v.typeIds![i] ? accept(v.typeIds![i]) : retry(T.retry.type);
      }
      case 'when': {
        const r = checkWhen(this.booking, text);
        return 'when' in r ? accept(r.when) : retry(r.retry, T.ask.whenActions);
      }
      case 'slot': {
        const pick = readSlot(pc.context, text, v.slots!);
        return pick === undefined ? retry(T.retry.slot(v.slots!.length)) : accept(JSON.stringify(pick));
      }
      case 'privacy': {
        const yes = readYesNo(text);
        return yes === undefined ? retry(T.retry.privacy, T.ask.privacyActions) : accept(yes ? 'yes' : 'no');
      }
      case 'name': {
        const name = readPersonName(text);
        return name ? accept(name) : retry(T.retry.name);
      }
      case 'role': {
        const r = checkRole(text);
        return r.ok && readYesNo(text) === undefined ? accept(r.value) : retry(T.retry.role);
      }
      case 'email': {
        const r = checkEmail(findEmail(text) ?? '');
        return r.ok ? accept(r.value) : retry(T.retry.email);
      }
      case 'phone': {
        // As typed when it is only the number (staff read it back); else the number taken out of the sentence.
        const typed = checkPhone(text);
        const r = typed.ok ? typed : checkPhone(readPhone(text) ?? '');
        return r.ok ? accept(r.value) : retry(T.retry.phone);
      }
      case 'summary': {
        const card = bookingCardValue(pc.context);
        const yes = card?.kdlz === 'booking.confirm' || /^(verbindlich )?buchen\b/i.test(text) ? true : readYesNo(text);
        return yes === undefined ? retry(T.retry.summary, T.ask.summaryActions) : accept(yes ? 'confirm' : 'no');
      }
    }
  }
}
