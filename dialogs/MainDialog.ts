import { ActivityTypes, MessageFactory, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import {
  ComponentDialog,
  type Dialog,
  type DialogContext,
  DialogSet,
  type DialogState,
  type DialogTurnResult,
  DialogTurnStatus,
  WaterfallDialog,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import type { Intent, Understanding } from '../src/nlu';
import { foldPhrase } from '../src/text/fold';
import { emergencyActivity } from './emergency';
import { isAnswerFrom, toActivity } from './knowledge-answer';
import { offerHandoff, relayToTeam, shouldOfferHandoff, START_HANDOFF } from './handoff-gate';
import type { DialogServices } from './services';
import { mainTexts } from './texts/main';

export const MAIN_DIALOG = 'mainDialog';
const ROUTE_WATERFALL = 'mainRoute';

/** The dialogs MainDialog hands turns to. */
export interface MainDialogChildren {
  eligibility: Dialog;
  booking: Dialog;
  myAppointments: Dialog;
  deleteMyData: Dialog;
  /** Id 'handoff' (HANDOFF_DIALOG): talk to a person of the KDLZ team. */
  handoff: Dialog;
}

/** A card button's value; `kdlz` names the action, the rest is the action's data. */
export interface CardValue {
  kdlz?: string;
  [key: string]: unknown;
}

/** Card actions valid at any time, whatever dialog is active (they do not belong to a step). */
const GLOBAL_ACTIONS = new Set(['feedback', 'answerFrom', 'startBooking', 'startEligibility', 'menu', START_HANDOFF]);
const UNDERSTANDING = 'kdlz.understanding';
/** Menu commands that switch dialogs at any time ("hilfe" stays with the open question). */
const SWITCHING_COMMANDS = new Set<Intent>(['eligibility', 'booking', 'myAppointments', 'deleteMyData']);

export function cardValue(context: TurnContext): CardValue | undefined {
  const v = context.activity.value as unknown;
  return v && typeof v === 'object' && typeof (v as CardValue).kdlz === 'string' ? (v as CardValue) : undefined;
}

/**
 * Routes each turn: global card actions first, then the active child dialog, otherwise what the
 * intent model understood (an emergency, a dialog, help, a person, or a question).
 */
export class MainDialog extends ComponentDialog {
  constructor(private readonly services: DialogServices, private readonly children: MainDialogChildren) {
    super(MAIN_DIALOG);
    for (const child of Object.values(children)) this.addDialog(child);
    this.addDialog(new WaterfallDialog(ROUTE_WATERFALL, [this.routeStep.bind(this), this.doneStep.bind(this)]));
    this.initialDialogId = ROUTE_WATERFALL;
  }

  /** Runs one turn against the dialog stack kept in conversation state. */
  async run(context: TurnContext, accessor: StatePropertyAccessor<DialogState>): Promise<void> {
    // While a person of the KDLZ team is connected, the user's messages go to that person.
    if (await relayToTeam(context, this.services)) return;
    // Most turns are a plain question or a feedback click with no dialog open. They need no
    // dialog context, whose construction is a large share of a turn's CPU (docs/performance.md).
    const state = await accessor.get(context, { dialogStack: [] });
    if (state.dialogStack.length === 0) {
      const value = cardValue(context);
      if (value?.kdlz === 'feedback') return this.recordFeedback(context, value);
      if (value?.kdlz === 'answerFrom') return this.answerFrom(context, value);
      const text = context.activity.type === ActivityTypes.Message && !value ? (context.activity.text ?? '').trim() : '';
      if (text && this.understand(context, text).intent === 'question') return this.answer(context, text);
    }
    const set = new DialogSet(accessor);
    set.add(this);
    const dc = await set.createContext(context);
    if (await this.handleGlobal(dc)) return;
    const result = await dc.continueDialog();
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog(this.id);
  }

  /** The model's reading of this turn's text, computed once per turn. */
  private understand(context: TurnContext, text: string): Understanding {
    let u = context.turnState.get(UNDERSTANDING) as Understanding | undefined;
    if (!u) {
      u = this.services.nlu.understand(text);
      context.turnState.set(UNDERSTANDING, u);
    }
    return u;
  }

  /** Actions that must work in the middle of any dialog: feedback, starting over, card shortcuts. */
  private async handleGlobal(dc: DialogContext): Promise<boolean> {
    const value = cardValue(dc.context);
    if (value && GLOBAL_ACTIONS.has(value.kdlz!)) {
      if (value.kdlz === 'feedback') {
        await this.recordFeedback(dc.context, value);
        return true;
      }
      if (value.kdlz === 'answerFrom') {
        // A clarification picked in the middle of a dialog: the answer, then the open question again.
        await this.answerFrom(dc.context, value);
        if (dc.activeDialog) await dc.repromptDialog();
        return true;
      }
      await dc.cancelAllDialogs();
      await dc.beginDialog(this.id);
      return true;
    }
    // "Neues Gespräch" resets everything; "neu starten" belongs to the active dialog (it restarts that check).
    if (dc.activeDialog && foldPhrase(dc.context.activity.text ?? '') === 'neues gespraech') {
      await dc.cancelAllDialogs();
      await dc.context.sendActivity(mainTexts.newConversation);
      return true;
    }
    // A menu command for another dialog ("Meine Daten löschen" while booking) leaves the open one.
    const command = dc.activeDialog && !value ? this.services.nlu.command(dc.context.activity.text ?? '') : undefined;
    if (command && SWITCHING_COMMANDS.has(command)) {
      await dc.cancelAllDialogs();
      dc.context.turnState.set(UNDERSTANDING, { intent: command, confidence: 1 } satisfies Understanding);
      await dc.beginDialog(this.id);
      return true;
    }
    return false;
  }

  private async recordFeedback(context: TurnContext, value: CardValue): Promise<void> {
    const helpful = value.helpful === true;
    const question = typeof value.question === 'string' ? value.question.slice(0, 500) : '';
    await this.services.knowledge.recordFeedback({
      question,
      helpful,
      answerKind: value.answerKind === 'decline' ? 'decline' : 'answer',
      conversationId: context.activity.conversation?.id,
    });
    await context.sendActivity(helpful ? mainTexts.feedbackThanks : mainTexts.feedbackSorry);
  }

  /** A click on a clarification option: the answer from the chosen article. */
  private async answerFrom(context: TurnContext, value: CardValue): Promise<void> {
    if (!isAnswerFrom(value)) {
      await context.sendActivity(mainTexts.staleCard);
      return;
    }
    const answer = await this.services.knowledge.answerFrom(value.article, value.question.slice(0, 500));
    await context.sendActivity(toActivity(answer, value.question));
  }

  /** Decides what this turn is about and starts the matching dialog or answers directly. */
  private async routeStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { context } = step;
    const value = cardValue(context);
    if (value?.kdlz === 'startBooking') return step.beginDialog(this.children.booking.id, { kommuneAgs: value.kommuneAgs, appointmentTypeId: value.appointmentTypeId });
    if (value?.kdlz === 'startEligibility') return step.beginDialog(this.children.eligibility.id, { kommuneAgs: value.kommuneAgs, programmeId: value.programmeId });
    if (value?.kdlz === 'menu') return this.sendHelp(step);
    if (value?.kdlz === START_HANDOFF) return step.beginDialog(this.children.handoff.id, {});
    if (value) {
      // A step-specific card (slot, programme choice…) pressed after its dialog ended.
      await context.sendActivity(mainTexts.staleCard);
      return step.endDialog();
    }
    if (context.activity.type !== ActivityTypes.Message) return step.endDialog();
    const text = (context.activity.text ?? '').trim();
    const u = this.understand(context, text);
    switch (u.intent) {
      case 'emergency':
        await context.sendActivity(emergencyActivity(this.services.knowledge, text));
        return step.endDialog();
      case 'help':
        return this.sendHelp(step);
      case 'eligibility':
        return step.beginDialog(this.children.eligibility.id, { text, programmeId: u.programme, stage: u.stage });
      case 'booking':
        return step.beginDialog(this.children.booking.id, { text, kommuneAgs: u.kommune?.kind === 'found' ? u.kommune.kommune.ags : undefined });
      case 'myAppointments':
        return step.beginDialog(this.children.myAppointments.id, {});
      case 'deleteMyData':
        return step.beginDialog(this.children.deleteMyData.id, {});
      case 'newConversation':
        await context.sendActivity(mainTexts.newConversation);
        return step.endDialog();
      case 'handoff':
        return step.beginDialog(this.children.handoff.id, {});
      case 'question':
        await this.answer(context, text);
        return step.endDialog();
    }
  }

  private async doneStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    return step.endDialog();
  }

  private async sendHelp(step: WaterfallStepContext): Promise<DialogTurnResult> {
    await step.context.sendActivity(MessageFactory.suggestedActions(mainTexts.menuActions, mainTexts.help));
    return step.endDialog();
  }

  /** A free-text question: a cited answer from the knowledge base, or an honest decline. */
  private async answer(context: TurnContext, text: string): Promise<void> {
    if (foldPhrase(text) === 'frage stellen') {
      // The Teams command only opens the conversation; the question itself comes next.
      await context.sendActivity(mainTexts.askQuestion);
      return;
    }
    const answer = await this.services.knowledge.answer(text);
    this.services.insights?.countAnswer(answer.kind);
    // A person is offered where the bot cannot help: a decline, or the second clarification in a row.
    const offer = await shouldOfferHandoff(context, this.services, answer.kind);
    await context.sendActivity(offerHandoff(toActivity(answer, text), offer));
  }
}
