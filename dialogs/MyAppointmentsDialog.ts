import { type Activity, MessageFactory } from 'botbuilder';
import { type DialogContext, type DialogTurnResult, type PromptValidatorContext, TextPrompt, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { BookingNotFound, type BookingService, checkEmail, LookupLocked, normaliseReference, SlotUnavailable } from '../src/booking';
import { findEmail, readChoice, readYesNo, type When } from '../src/nlu';
import { bookingCardValue, bookingFacts, bookingResultActivity, channelUser, checkWhen, readSlot, type ShownSlot, slotQuestion } from './booking-shared';
import { choiceCard, factsCard, whenText } from './cards/booking-cards';
import { GuidedDialog, type GuidedState } from './GuidedDialog';
import type { DialogServices } from './services';
import { bookingTexts as BT, type ManageSlot, manageTexts as T } from './texts/booking';

export const MY_APPOINTMENTS_DIALOG = 'myAppointmentsDialog';
const MANAGE_WATERFALL = 'myAppointmentsSteps';
const MANAGE_PROMPT = 'myAppointmentsAnswer';

type Action = 'cancel' | 'reschedule' | 'nothing';

interface ManageState extends GuidedState {
  /** References this user may see: own (Teams, saved) or proven with reference + e-mail. */
  references?: string[];
  reference?: string;
  chosen?: string;
  action?: Action;
  when?: When;
  slots?: ShownSlot[];
  /** The new slot picked for a reschedule, waiting for "Soll ich … verlegen?". */
  picked?: ShownSlot;
  answered: ManageSlot[];
  asking?: ManageSlot;
  notice?: string;
}

const freshState = (): ManageState => ({ answered: [], round: 0 });

interface AskValidations {
  slot: ManageSlot;
  count?: number;
  slots?: ShownSlot[];
}

const ACTIONS: { action: Action; label: string }[] = [
  { action: 'reschedule', label: `${T.actions.reschedule} verlegen umbuchen ändern` },
  { action: 'cancel', label: `${T.actions.cancel} stornieren` },
  { action: 'nothing', label: `${T.actions.nothing} behalten` },
];

/**
 * "Meine Termine": lists the user's upcoming appointments and lets them cancel or reschedule.
 * Teams users see their own bookings; elsewhere a booking is shown only after reference number
 * and e-mail address match (one neutral answer for every mismatch), and the proven reference is
 * remembered for the rest of the conversation. Cancelling and moving both ask before acting.
 */
export class MyAppointmentsDialog extends GuidedDialog<ManageState> {
  private readonly booking: BookingService;

  constructor(services: DialogServices) {
    super(MY_APPOINTMENTS_DIALOG, services, MANAGE_WATERFALL, { cancelled: T.ended, restarted: BT.restarted, atStart: BT.atStart, staleCard: BT.retry.staleCard, commands: BT.commands });
    this.booking = services.booking;
    this.addDialog(new TextPrompt(MANAGE_PROMPT, this.validate.bind(this)));
    this.addDialog(
      new WaterfallDialog(MANAGE_WATERFALL, [
        this.lookupStep.bind(this),
        this.referenceAnswerStep.bind(this),
        this.emailStep.bind(this),
        this.emailAnswerStep.bind(this),
        this.chooseStep.bind(this),
        this.chooseAnswerStep.bind(this),
        this.actionStep.bind(this),
        this.actionAnswerStep.bind(this),
        this.confirmCancelStep.bind(this),
        this.cancelStep.bind(this),
        this.whenStep.bind(this),
        this.whenAnswerStep.bind(this),
        this.slotStep.bind(this),
        this.slotAnswerStep.bind(this),
        this.rescheduleStep.bind(this),
      ]),
    );
    this.initialDialogId = MANAGE_WATERFALL;
  }

  protected override async onBeginDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    return innerDc.beginDialog(MANAGE_WATERFALL, freshState());
  }

  protected fresh(): ManageState {
    return freshState();
  }

  protected helpFor(slot: string | undefined): string {
    return slot ? T.help[slot as ManageSlot] : '';
  }

  /**
   * Teams: the user's own bookings (Entra user id, references saved in the profile). Web chat
   * user ids are not authenticated: there a booking is shown after reference + e-mail, or when
   * they were proven earlier in this conversation.
   */
  private async lookupStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as ManageState;
    if (state.references || state.reference) return step.next();
    const { channelId, channelUserId } = channelUser(step.context);
    if (channelId !== 'msteams') {
      const memory = await this.services.conversationMemory.get(step.context, {});
      if (memory.verifiedRefs?.length) {
        state.references = memory.verifiedRefs;
        return step.next();
      }
      return this.ask(step, { slot: 'reference' }, MessageFactory.text(T.askReference));
    }
    const profile = await this.services.userProfile.get(step.context, {});
    const own = await this.booking.listForUser({ channelUserId, references: profile.bookingRefs });
    if (!own.length) {
      await step.context.sendActivity(T.none);
      return step.endDialog();
    }
    state.references = own.map((b) => b.reference!);
    return step.next();
  }

  private async referenceAnswerStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as ManageState;
    if (step.result !== undefined) {
      state.reference = step.result as string;
      state.answered.push('reference');
    }
    return step.next();
  }

  /** The e-mail address proves the reference belongs to the user. */
  private async emailStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as ManageState;
    if (state.references) return step.next();
    return this.ask(step, { slot: 'email' }, MessageFactory.text(T.askEmail));
  }

  /**
   * Same neutral "nicht gefunden" for an unknown reference and a wrong e-mail address. A proven
   * booking that was cancelled or lies in the past is shown as such, not as lost.
   */
  private async emailAnswerStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as ManageState;
    if (step.result === undefined) return step.next();
    let found;
    try {
      found = await this.booking.findByReferenceAndEmail(state.reference!, step.result as string, channelUser(step.context));
    } catch (e) {
      if (!(e instanceof LookupLocked)) throw e;
      await step.context.sendActivity(e.reason);
      return step.endDialog();
    }
    if (!found || (found.status !== 'confirmed' && found.status !== 'cancelled')) {
      await step.context.sendActivity(T.notFound);
      return step.endDialog();
    }
    const memory = await this.services.conversationMemory.get(step.context, {});
    memory.verifiedRefs = [...new Set([...(memory.verifiedRefs ?? []), found.reference!])].slice(-10);
    await this.services.conversationMemory.set(step.context, memory);
    if (found.status === 'cancelled' || found.endMs < this.booking.clock()) {
      const text = found.status === 'cancelled' ? T.cancelledAlready(found.reference!) : T.pastAlready(found.reference!);
      const reply = MessageFactory.text(text) as Partial<Activity>;
      reply.attachments = [factsCard(found.reference!, bookingFacts(this.booking, found))];
      await step.context.sendActivity(reply);
      return step.endDialog();
    }
    state.references = [found.reference!];
    return step.next();
  }

  /** Shows the bookings; asks which one when there are several. */
  private async chooseStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as ManageState;
    if (state.chosen) return step.next();
    const list = await this.booking.listForUser({ references: state.references! });
    if (!list.length) {
      await step.context.sendActivity(await this.noneText(state.references!));
      return step.endDialog();
    }
    const overview = MessageFactory.text(T.list(list.length)) as Partial<Activity>;
    overview.attachments = list.map((b) => factsCard(b.reference!, bookingFacts(this.booking, b)));
    overview.attachmentLayout = 'list';
    await step.context.sendActivity(overview);
    if (list.length === 1) {
      state.chosen = list[0].reference!;
      return step.next();
    }
    state.references = list.map((b) => b.reference!);
    state.round++;
    const labels = list.map((b) => `${b.reference}: ${whenText(b.startMs, b.endMs)}`);
    return this.ask(step, { slot: 'choose', count: list.length }, MessageFactory.attachment(choiceCard(T.chooseBooking, labels, 'choose', state.round)));
  }

  /** "Keine anstehenden Termine" – or, for a remembered reference since cancelled, that it is abgesagt. */
  private async noneText(references: string[]): Promise<string> {
    for (const ref of references) {
      const b = await this.booking.getByReference(ref);
      if (b?.status === 'cancelled') return T.cancelledAlready(ref);
    }
    return T.none;
  }

  private async chooseAnswerStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as ManageState;
    if (step.result !== undefined) {
      state.chosen = state.references![Number(step.result)];
      state.answered.push('choose');
    }
    return step.next();
  }

  /** Cancel, reschedule or leave it. */
  private async actionStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as ManageState;
    if (state.action) return step.next();
    const A = T.actions;
    return this.ask(step, { slot: 'action' }, MessageFactory.suggestedActions([A.reschedule, A.cancel, A.nothing], T.chooseAction(state.chosen!)));
  }

  private async actionAnswerStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as ManageState;
    if (step.result !== undefined) {
      state.action = step.result as Action;
      state.answered.push('action');
    }
    if (state.action === 'nothing') {
      await step.context.sendActivity(T.keptBooking);
      return step.endDialog();
    }
    return step.next();
  }

  /** A cancellation is asked once more, with the date, before it is done. */
  private async confirmCancelStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as ManageState;
    if (state.action !== 'cancel') return step.next();
    const b = (await this.booking.getByReference(state.chosen!))!;
    return this.ask(step, { slot: 'confirmCancel' }, MessageFactory.suggestedActions(T.confirmCancelActions, T.confirmCancel(state.chosen!, whenText(b.startMs, b.endMs))));
  }

  /** Cancels, tells the KDLZ (outbox) and sends the calendar cancellation. */
  private async cancelStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as ManageState;
    if (state.action !== 'cancel') return step.next();
    if (step.result !== 'yes') {
      await step.context.sendActivity(T.keptBooking);
      return step.endDialog();
    }
    const b = await this.booking.cancel(state.chosen!, 'user');
    await step.context.sendActivity(bookingResultActivity(this.booking, b, T.cancelledBooking(b.reference!)));
    return step.endDialog(b);
  }

  /** Rescheduling: which week or day. */
  private async whenStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as ManageState;
    if (state.when) return step.next();
    return this.ask(step, { slot: 'when' }, MessageFactory.suggestedActions(BT.ask.whenActions, BT.ask.when));
  }

  private async whenAnswerStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as ManageState;
    if (step.result !== undefined) {
      state.when = JSON.parse(step.result as string) as When;
      state.answered.push('when');
    }
    return step.next();
  }

  /** Free slots for the same type and Kommune. */
  private async slotStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as ManageState;
    const b = (await this.booking.getByReference(state.chosen!))!;
    state.round++;
    const q = await slotQuestion(this.booking, { ags: b.ags, typeId: b.appointmentTypeId, when: state.when!, notice: state.notice, round: state.round });
    state.notice = undefined;
    if ('none' in q) {
      await step.context.sendActivity(q.none);
      return step.endDialog();
    }
    state.slots = q.slots;
    return this.ask(step, { slot: 'slot', slots: q.slots }, q.prompt);
  }

  /** "Soll ich … auf … verlegen?": nothing moves before a yes. */
  private async slotAnswerStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as ManageState;
    const pick = JSON.parse(step.result as string) as number | 'other';
    if (pick === 'other') {
      state.when = undefined;
      state.answered = state.answered.filter((a) => a !== 'when');
      return step.replaceDialog(MANAGE_WATERFALL, state);
    }
    state.picked = state.slots![pick];
    const b = (await this.booking.getByReference(state.chosen!))!;
    const question = T.confirmReschedule(state.chosen!, whenText(b.startMs, b.endMs), whenText(state.picked.startMs, state.picked.endMs));
    return this.ask(step, { slot: 'confirmReschedule' }, MessageFactory.suggestedActions(T.confirmRescheduleActions, question));
  }

  /** Moves the booking in one transaction; taken meanwhile → "gerade vergeben" and fresh slots. */
  private async rescheduleStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as ManageState;
    if (step.result !== 'yes') {
      await step.context.sendActivity(T.keptAfterReschedule);
      return step.endDialog();
    }
    const slot = state.picked!;
    try {
      const b = await this.booking.reschedule(state.chosen!, { startMs: slot.startMs, advisorId: slot.advisorId });
      await step.context.sendActivity(bookingResultActivity(this.booking, b, T.rescheduled(b.reference!, whenText(b.startMs, b.endMs))));
      return step.endDialog(b);
    } catch (e) {
      if (e instanceof BookingNotFound) {
        await step.context.sendActivity(T.notFound);
        return step.endDialog();
      }
      if (!(e instanceof SlotUnavailable)) throw e;
      state.notice = BT.slotTaken;
      state.picked = undefined;
      return step.replaceDialog(MANAGE_WATERFALL, state);
    }
  }

  protected undo(state: ManageState): boolean {
    const last = state.answered.pop();
    if (!last) return false;
    if (last === 'reference') state.reference = undefined;
    if (last === 'choose') state.chosen = undefined;
    if (last === 'action') state.action = undefined;
    if (last === 'when') state.when = undefined;
    return true;
  }

  private async ask(step: WaterfallStepContext, v: AskValidations, prompt: Partial<Activity>): Promise<DialogTurnResult> {
    (step.options as ManageState).asking = v.slot;
    return step.prompt(MANAGE_PROMPT, { prompt, validations: v });
  }

  private async validate(pc: PromptValidatorContext<string>): Promise<boolean> {
    const v = pc.options.validations as AskValidations;
    const text = (pc.recognized.value ?? '').trim();
    const accept = (value: string): boolean => {
      pc.recognized.value = value;
      return true;
    };
    const retry = async (message: string, actions: string[] = []): Promise<boolean> =>
      (await this.answerQuestion(pc, text)) ? false : GuidedDialog.retry(pc, message, actions);
    switch (v.slot) {
      case 'reference': {
        const ref = normaliseReference(text);
        return ref ? accept(ref) : retry(T.badReference);
      }
      case 'email': {
        const r = checkEmail(findEmail(text) ?? '');
        return r.ok ? accept(r.value) : retry(T.badEmail);
      }
      case 'choose': {
        const card = bookingCardValue(pc.context);
        const i = card?.kdlz === 'booking.pick' && typeof card.index === 'number' ? card.index : readChoice(text, Array.from({ length: v.count! }, (_, n) => ({ label: String(n + 1) })));
        return typeof i === 'number' && i >= 0 && i < v.count! ? accept(String(i)) : retry(T.retryChoose(v.count!));
      }
      case 'action': {
        const i = readChoice(text, ACTIONS);
        const A = T.actions;
        return typeof i === 'number' ? accept(ACTIONS[i].action) : retry(T.retryAction, [A.reschedule, A.cancel, A.nothing]);
      }
      case 'confirmCancel':
      case 'confirmReschedule': {
        const yes = readYesNo(text);
        const actions = v.slot === 'confirmCancel' ? T.confirmCancelActions : T.confirmRescheduleActions;
        return yes === undefined ? retry(T.retryYesNo, actions) : accept(yes ? 'yes' : 'no');
      }
      case 'when': {
        const r = checkWhen(this.booking, text);
        return 'when' in r ? accept(JSON.stringify(r.when)) : retry(r.retry, BT.ask.whenActions);
      }
      case 'slot': {
        const pick = readSlot(pc.context, text, v.slots!);
        return pick === undefined ? retry(BT.retry.slot(v.slots!.length)) : accept(JSON.stringify(pick));
      }
    }
  }
}

