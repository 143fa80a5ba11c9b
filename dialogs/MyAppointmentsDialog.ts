import { type Activity, MessageFactory } from 'botbuilder';
import {
  ComponentDialog,
  type DialogContext,
  type DialogTurnResult,
  type PromptValidatorContext,
  TextPrompt,
  WaterfallDialog,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { type Booking, BookingNotFound, type BookingService, checkEmail, normaliseReference, SlotUnavailable } from '../src/booking';
import type { SearchSpan } from './booking-when';
import { answerTools, bookingCardValue, bookingFacts, bookingResultActivity, channelUser, checkWhen, handleGuidedCommand, readSlotPick, type ShownSlot, slotQuestion } from './booking-shared';
import { choiceCard, factsCard, whenText } from './cards/booking-cards';
import { recogniseYesNo } from './interruptions';
import type { DialogServices } from './services';
import { bookingTexts as BT, type ManageSlot, manageTexts as T } from './texts/booking';

export const MY_APPOINTMENTS_DIALOG = 'myAppointmentsDialog';
const MANAGE_WATERFALL = 'myAppointmentsSteps';
const MANAGE_PROMPT = 'myAppointmentsAnswer';

type Action = 'cancel' | 'reschedule' | 'nothing';

interface ManageState {
  /** References this user may see: own (Teams, saved) or proven with reference + e-mail. */
  references?: string[];
  reference?: string;
  chosen?: string;
  action?: Action;
  span?: SearchSpan;
  slots?: ShownSlot[];
  answered: ManageSlot[];
  asking?: ManageSlot;
  round: number;
  notice?: string;
}

const freshState = (): ManageState => ({ answered: [], round: 0 });

interface AskValidations {
  slot: ManageSlot;
  count?: number;
  slots?: ShownSlot[];
}

/**
 * "Meine Termine": lists the user's upcoming appointments and lets them cancel or reschedule.
 * Teams users see their own bookings; elsewhere a booking is shown only after reference number
 * and e-mail address match, with one neutral answer for every mismatch.
 */
export class MyAppointmentsDialog extends ComponentDialog {
  private readonly booking: BookingService;

  constructor(private readonly services: DialogServices) {
    super(MY_APPOINTMENTS_DIALOG);
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
        this.rescheduleStep.bind(this),
      ]),
    );
    this.initialDialogId = MANAGE_WATERFALL;
  }

  protected override async onBeginDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    return innerDc.beginDialog(MANAGE_WATERFALL, freshState());
  }

  /** Commands and outdated card presses, before the open question sees the turn. */
  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    const handled = await handleGuidedCommand<ManageState>(innerDc, {
      waterfallId: MANAGE_WATERFALL,
      help: (state) => `${state?.asking ? T.help[state.asking] : ''}\n\n${BT.commands}`.trim(),
      release: async () => undefined,
      undo: async (state) => this.undoLast(state),
      fresh: freshState,
      texts: { cancelled: T.ended, restarted: BT.restarted, atStart: BT.atStart, staleCard: BT.retry.staleCard },
    });
    return handled ?? super.onContinueDialog(innerDc);
  }

  /**
   * Teams: the user's own bookings (Entra user id, references saved in the profile). Web chat
   * user ids are not authenticated, so there a booking is shown only after reference + e-mail.
   */
  private async lookupStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as ManageState;
    if (state.references || state.reference) return step.next();
    const { channelId, channelUserId } = channelUser(step.context);
    if (channelId !== 'msteams') return this.ask(step, { slot: 'reference' }, MessageFactory.text(T.askReference));
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

  /** Same neutral "nicht gefunden" for an unknown reference and a wrong e-mail address. */
  private async emailAnswerStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as ManageState;
    if (step.result === undefined) return step.next();
    const found = await this.booking.findByReferenceAndEmail(state.reference!, step.result as string);
    if (!found || found.status !== 'confirmed' || found.endMs < this.booking.clock()) {
      await step.context.sendActivity(T.notFound);
      return step.endDialog();
    }
    state.references = [found.reference!];
    return step.next();
  }

  /** Shows the bookings; asks which one when there are several. */
  private async chooseStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as ManageState;
    if (state.chosen) return step.next();
    const list = await this.upcoming(state.references!);
    if (!list.length) {
      await step.context.sendActivity(T.none);
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
    const b = await this.booking.getByReference(state.chosen!);
    return this.ask(step, { slot: 'confirmCancel' }, MessageFactory.suggestedActions(T.confirmCancelActions, T.confirmCancel(state.chosen!, whenText(b!.startMs, b!.endMs))));
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
    if (state.span) return step.next();
    return this.ask(step, { slot: 'when' }, MessageFactory.suggestedActions(BT.ask.whenActions, BT.ask.when));
  }

  private async whenAnswerStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as ManageState;
    if (step.result !== undefined) {
      state.span = JSON.parse(step.result as string) as SearchSpan;
      state.answered.push('when');
    }
    return step.next();
  }

  /** Free slots for the same type and Kommune. */
  private async slotStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as ManageState;
    const b = (await this.booking.getByReference(state.chosen!))!;
    state.round++;
    const q = await slotQuestion(this.booking, { ags: b.ags, typeId: b.appointmentTypeId, span: state.span!, notice: state.notice, round: state.round });
    state.notice = undefined;
    if ('none' in q) {
      await step.context.sendActivity(q.none);
      return step.endDialog();
    }
    state.slots = q.slots;
    return this.ask(step, { slot: 'slot', slots: q.slots }, q.prompt);
  }

  /** Moves the booking in one transaction; taken meanwhile → "gerade vergeben" and fresh slots. */
  private async rescheduleStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as ManageState;
    const pick = JSON.parse(step.result as string) as number | 'other';
    if (pick === 'other') {
      state.span = undefined;
      state.answered = state.answered.filter((a) => a !== 'when');
      return step.replaceDialog(MANAGE_WATERFALL, state);
    }
    const slot = state.slots![pick];
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
      return step.replaceDialog(MANAGE_WATERFALL, state);
    }
  }

  private async upcoming(references: string[]): Promise<Booking[]> {
    return this.booking.listForUser({ references });
  }

  private undoLast(state: ManageState): boolean {
    const last = state.answered.pop();
    if (!last) return false;
    if (last === 'reference') state.reference = undefined;
    if (last === 'choose') state.chosen = undefined;
    if (last === 'action') state.action = undefined;
    if (last === 'when') state.span = undefined;
    return true;
  }

  private async ask(step: WaterfallStepContext, v: AskValidations, prompt: Partial<Activity>): Promise<DialogTurnResult> {
    (step.options as ManageState).asking = v.slot;
    return step.prompt(MANAGE_PROMPT, { prompt, validations: v });
  }

  private async validate(pc: PromptValidatorContext<string>): Promise<boolean> {
    const v = pc.options.validations as AskValidations;
    const { text, accept, retry } = answerTools(pc);
    switch (v.slot) {
      case 'reference': {
        const ref = normaliseReference(text);
        return ref ? accept(ref) : retry(T.badReference);
      }
      case 'email': {
        const r = checkEmail(text);
        return r.ok ? accept(r.value) : retry(T.badEmail);
      }
      case 'choose': {
        const card = bookingCardValue(pc.context);
        const i = card?.kdlz === 'booking.pick' && typeof card.index === 'number' ? card.index : Number(text) - 1;
        return Number.isInteger(i) && i >= 0 && i < v.count! ? accept(String(i)) : retry(T.retryChoose(v.count!));
      }
      case 'action': {
        const t = text.toLowerCase();
        if (/^(absagen|stornieren)/.test(t)) return accept('cancel');
        if (/^(verschieben|aendern|ändern|umbuchen)/.test(t)) return accept('reschedule');
        if (/^(nichts|nein|behalten)/.test(t)) return accept('nothing');
        const A = T.actions;
        return retry(T.retryAction, [A.reschedule, A.cancel, A.nothing]);
      }
      case 'confirmCancel': {
        const yes = recogniseYesNo(text);
        return yes === undefined ? retry(T.retryYesNo, T.confirmCancelActions) : accept(yes ? 'yes' : 'no');
      }
      case 'when': {
        const r = checkWhen(this.booking, text);
        return 'span' in r ? accept(JSON.stringify(r.span)) : retry(r.retry, BT.ask.whenActions);
      }
      case 'slot': {
        const pick = readSlotPick(pc.context, text, v.slots!);
        return pick === undefined ? retry(BT.retry.slot(v.slots!.length)) : accept(JSON.stringify(pick));
      }
    }
  }
}
