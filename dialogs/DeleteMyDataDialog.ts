import { MessageFactory } from 'botbuilder';
import { type DialogContext, type DialogTurnResult, type PromptValidatorContext, TextPrompt, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import type { BookingService } from '../src/booking';
import { dataSubject } from '../src/privacy';
import { PERSONAL_DATA_DELETED } from '../src/bot/turn-flags';
import { readYesNo } from '../src/nlu';
import { channelUser } from './booking-shared';
import { GuidedDialog, type GuidedState } from './GuidedDialog';
import type { DialogServices } from './services';
import { bookingTexts as BT, deleteTexts as T } from './texts/booking';

export const DELETE_MY_DATA_DIALOG = 'deleteMyDataDialog';
const DELETE_WATERFALL = 'deleteMyDataSteps';
const CONFIRM_PROMPT = 'deleteMyDataConfirm';

/**
 * "Meine Daten löschen": says what will be deleted, asks once, then clears the user's profile
 * and removes contact data from their bookings (the appointments stay, anonymised).
 */
export class DeleteMyDataDialog extends GuidedDialog<GuidedState> {
  private readonly booking: BookingService;

  constructor(services: DialogServices) {
    super(DELETE_MY_DATA_DIALOG, services, DELETE_WATERFALL, { cancelled: T.kept, restarted: T.kept, atStart: BT.atStart, staleCard: BT.retry.staleCard, commands: BT.commands });
    this.booking = services.booking;
    this.addDialog(new TextPrompt(CONFIRM_PROMPT, this.validate.bind(this)));
    this.addDialog(new WaterfallDialog(DELETE_WATERFALL, [this.explainStep.bind(this), this.deleteStep.bind(this)]));
    this.initialDialogId = DELETE_WATERFALL;
  }

  protected override async onBeginDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    return innerDc.beginDialog(DELETE_WATERFALL, this.fresh());
  }

  protected fresh(): GuidedState {
    return { asking: 'confirm', round: 0 };
  }

  protected helpFor(): string {
    return T.help;
  }

  protected undo(): boolean {
    return false;
  }

  /** Nothing is deleted without a clear yes: first say exactly what goes. */
  private async explainStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const mine = await this.mine(step);
    const text = T.explain(mine.length) + (step.context.activity.channelId === 'msteams' ? '' : `\n\n${T.webchatHint}`);
    return step.prompt(CONFIRM_PROMPT, { prompt: MessageFactory.suggestedActions(T.actions, text) });
  }

  /** Deletes on "ja"; "nein" or "abbrechen" keeps everything. */
  private async deleteStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (step.result !== 'yes') {
      await step.context.sendActivity(T.kept);
      return step.endDialog();
    }
    const profile = await this.services.userProfile.get(step.context, {});
    const memory = await this.services.conversationMemory.get(step.context, {});
    const a = step.context.activity;
    // Every store in the personal-data registry: bookings, questions, transcript, dialog state.
    // References count when remembered for this user or verified (with the e-mail) in this conversation.
    const report = await this.services.personalData.deleteFor(
      dataSubject({
        channelId: a.channelId,
        userIds: [a.from?.aadObjectId, a.from?.id],
        conversationIds: [a.conversation?.id],
        references: [...(profile.bookingRefs ?? []), ...(memory.verifiedRefs ?? [])],
      }),
    );
    step.context.turnState.set(PERSONAL_DATA_DELETED, true);
    await this.services.userProfile.delete(step.context);
    // The turns a handoff could pass on sit in this turn's cached conversation state, which is saved after it.
    await this.services.recentTurns?.delete(step.context);
    await this.services.conversationMemory.delete(step.context);
    const count = report.removed('booking.contacts');
    await step.context.sendActivity(report.complete ? T.done(count) : T.incomplete);
    return step.endDialog({ anonymised: count, complete: report.complete });
  }

  private async mine(step: WaterfallStepContext): Promise<string[]> {
    const profile = await this.services.userProfile.get(step.context, {});
    const { channelId, channelUserId } = channelUser(step.context);
    const list = await this.booking.listForUser({ channelUserId: channelId === 'msteams' ? channelUserId : undefined, references: profile.bookingRefs });
    return list.map((b) => b.reference!);
  }

  private async validate(pc: PromptValidatorContext<string>): Promise<boolean> {
    const text = pc.recognized.value ?? '';
    const yes = readYesNo(text);
    if (yes === undefined) {
      if (await this.answerQuestion(pc, text)) return false;
      pc.options.retryPrompt = MessageFactory.suggestedActions(T.actions, T.retry);
      return false;
    }
    pc.recognized.value = yes ? 'yes' : 'no';
    return true;
  }
}
