import { type Activity, MessageFactory, type TurnContext } from 'botbuilder';
import { ComponentDialog, Dialog, type DialogContext, type DialogTurnResult, DialogTurnStatus, type PromptValidatorContext } from 'botbuilder-dialogs';
import { foldTokens } from '../src/text/fold';
import { emergencyActivity } from './emergency';
import { recogniseInterruption } from './interruptions';
import { toActivity } from './knowledge-answer';
import type { DialogServices } from './services';

const QUESTION_WORDS = new Set(['wie', 'was', 'wer', 'wo', 'wann', 'warum', 'weshalb', 'wieso', 'welche', 'welcher', 'welches', 'wieviel', 'wozu', 'woher', 'how', 'what', 'who', 'where', 'when', 'why', 'which']);

/** What every guided dialog keeps in its waterfall state for the shared handling. */
export interface GuidedState {
  /** The question the open prompt asks (a slot name). */
  asking?: string;
  /** Counts cards sent; a card button carries the round it was sent in. */
  round: number;
}

export interface GuidedTexts {
  cancelled: string;
  restarted: string;
  atStart: string;
  staleCard: string;
  /** Said after the commands line of every help text. */
  commands: string;
}

/**
 * The one base of all guided dialogs (core-bot's CancelAndHelpDialog): before the open question
 * sees a message, "abbrechen", "hilfe", "zurück" and "neu starten" are handled here, a press on an
 * outdated card is refused, and an emergency gets the first-aid answer. A question typed instead
 * of an answer is answered from the knowledge base and the open question asked again
 * (`answerQuestion`, called by the validators when an answer does not fit).
 */
export abstract class GuidedDialog<S extends GuidedState> extends ComponentDialog {
  protected constructor(
    id: string,
    protected readonly services: DialogServices,
    private readonly waterfallId: string,
    private readonly guidedTexts: GuidedTexts,
  ) {
    super(id);
  }

  /** A fresh state for "neu starten". */
  protected abstract fresh(): S;
  /** What the open question (a slot name) is for: said on "hilfe" and for questions the knowledge base cannot answer. */
  protected abstract helpFor(slot: string | undefined): string;
  /** Forgets the last answer; false when there was none. */
  protected abstract undo(state: S): Promise<boolean> | boolean;
  /** Gives back what the dialog holds (a reserved slot) before it ends or restarts. */
  protected async release(_state: S | undefined): Promise<void> {}
  /** True when the turn is a card press that belongs to this dialog's open question. */
  protected isCurrentCard(context: TurnContext, state: S | undefined): boolean {
    const v = context.activity.value as { step?: unknown; round?: unknown } | undefined;
    return !!state && v?.step === state.asking && v?.round === state.round;
  }

  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    const { context } = innerDc;
    const state = this.state(innerDc);
    const value = context.activity.value as { kdlz?: unknown } | undefined;
    if (!context.activity.text && value && typeof value === 'object' && typeof value.kdlz === 'string' && !this.isCurrentCard(context, state)) {
      await context.sendActivity(this.guidedTexts.staleCard);
      await innerDc.repromptDialog();
      return Dialog.EndOfTurn;
    }
    const text = context.activity.text ?? '';
    switch (recogniseInterruption(text)) {
      case 'cancel':
        await this.release(state);
        await innerDc.cancelAllDialogs();
        await context.sendActivity(this.guidedTexts.cancelled);
        return { status: DialogTurnStatus.cancelled, result: { cancelled: true } };
      case 'help':
        await context.sendActivity(`${this.helpFor(state?.asking)}\n\n${this.guidedTexts.commands}`.trim());
        await innerDc.repromptDialog();
        return Dialog.EndOfTurn;
      case 'back':
        if (!state || !(await this.undo(state))) {
          await context.sendActivity(this.guidedTexts.atStart);
          await innerDc.repromptDialog();
          return Dialog.EndOfTurn;
        }
        await innerDc.cancelAllDialogs();
        return innerDc.beginDialog(this.waterfallId, state);
      case 'restart':
        await this.release(state);
        await innerDc.cancelAllDialogs();
        await context.sendActivity(this.guidedTexts.restarted);
        return innerDc.beginDialog(this.waterfallId, this.fresh());
      default:
    }
    // An emergency beats the open question: first aid now, then the question again.
    if (text && this.services.nlu.isEmergency(text)) {
      await context.sendActivity(emergencyActivity(this.services.knowledge, text));
      await innerDc.repromptDialog();
      return Dialog.EndOfTurn;
    }
    return super.onContinueDialog(innerDc);
  }

  /** The waterfall's state, wherever the stack stands. */
  protected state(innerDc: DialogContext): S | undefined {
    return innerDc.stack.find((i) => i.id === this.waterfallId)?.state?.options as S | undefined;
  }

  /**
   * For validators, when an answer did not fit: if it is a question, answer it from the
   * knowledge base (or, when the knowledge base has nothing, say what the open question is for)
   * and ask the open question again. False when the text is no question.
   */
  protected async answerQuestion(pc: PromptValidatorContext<unknown>, text: string): Promise<boolean> {
    if (!text || !this.looksLikeQuestion(text)) return false;
    const answer = await this.services.knowledge.answer(text);
    if (answer.kind === 'answer') await pc.context.sendActivity(toActivity(answer, text));
    else await pc.context.sendActivity(this.helpFor((pc.options.validations as { slot?: string } | undefined)?.slot));
    // The open question again: the last re-prompt if there was one, else the question itself.
    // Sent here: a prompt does not re-prompt on its own once the turn has replied.
    const again = (pc.options.retryPrompt ?? pc.options.prompt) as Partial<Activity> | undefined;
    if (again) await pc.context.sendActivity(again);
    return true;
  }

  /**
   * A question rather than an answer: asked with "?", opened with a question word, or a sentence
   * the intent model reads as a question with confidence. Single words are always answers.
   */
  private looksLikeQuestion(text: string): boolean {
    const words = foldTokens(text);
    if (words.length < 2) return false;
    if (text.trimEnd().endsWith('?') || QUESTION_WORDS.has(words[0])) return true;
    const u = this.services.nlu.understand(text);
    return words.length >= 4 && u.intent === 'question' && u.confidence >= 0.6;
  }

  /** A re-prompt that says why the answer did not fit, with the buttons again. */
  protected static retry(pc: PromptValidatorContext<unknown>, message: string, actions: string[] = []): boolean {
    pc.options.retryPrompt = actions.length ? MessageFactory.suggestedActions(actions, message) : MessageFactory.text(message);
    return false;
  }
}
