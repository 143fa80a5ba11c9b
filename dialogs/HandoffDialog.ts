import { ActivityTypes, MessageFactory, TurnContext } from 'botbuilder';
import {
  ComponentDialog,
  type DialogContext,
  type DialogTurnResult,
  type PromptValidatorContext,
  TextPrompt,
  WaterfallDialog,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import { handoffEntity, type TranscriptEntry } from '../src/handoff';
import { formatCallbackFrom, handoffTexts as T } from '../src/handoff/texts';
import { foldPhrase } from '../src/text/fold';
import { channelUser } from './booking-shared';
import { HANDOFF_DIALOG, isBackToBot } from './handoff-gate';
import { recogniseInterruption, recogniseYesNo } from './interruptions';
import type { DialogServices } from './services';

const STEPS = 'handoffSteps';
const CONSENT = 'handoffConsent';
const KOMMUNE = 'handoffKommune';
const TOPIC = 'handoffTopic';
const CONTACT = 'handoffContact';

export interface HandoffDialogSettings {
  /** HANDOFF_RETENTION_DAYS: said in the consent question. */
  retentionDays: number;
}

const vals = (step: WaterfallStepContext): Values => (step.values as { handoff: Values }).handoff;

interface Values {
  transcript: TranscriptEntry[];
  live: boolean;
  kommune?: { name: string; ags?: string };
  topic?: string;
}

/**
 * "Mit einem Menschen sprechen": asks for consent (to whom, why, how long), the Kommune (the
 * saved one is offered), a short topic and optional contact details, then hands the request to
 * the KDLZ team — live within service hours, as a callback request outside them. Nothing is
 * stored before the consent; a refusal also clears the remembered turns.
 */
export class HandoffDialog extends ComponentDialog {
  constructor(
    private readonly services: DialogServices,
    private readonly settings: HandoffDialogSettings,
  ) {
    super(HANDOFF_DIALOG);
    this.addDialog(new TextPrompt(CONSENT, this.validateConsent.bind(this)));
    this.addDialog(new TextPrompt(KOMMUNE, this.validateKommune.bind(this)));
    this.addDialog(new TextPrompt(TOPIC, this.validateTopic.bind(this)));
    this.addDialog(new TextPrompt(CONTACT, this.validateContact.bind(this)));
    this.addDialog(
      new WaterfallDialog(STEPS, [this.consentStep.bind(this), this.kommuneStep.bind(this), this.topicStep.bind(this), this.contactStep.bind(this), this.submitStep.bind(this)]),
    );
    this.initialDialogId = STEPS;
  }

  /** "abbrechen" or "zurück zum Bot" at any question ends without sending anything. */
  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    const text = innerDc.context.activity.type === ActivityTypes.Message ? innerDc.context.activity.text : undefined;
    if (!innerDc.context.activity.value && (recogniseInterruption(text) === 'cancel' || isBackToBot(text))) {
      await innerDc.context.sendActivity(T.cancelled);
      return innerDc.cancelAllDialogs();
    }
    return super.onContinueDialog(innerDc);
  }

  /** Consent first: say to whom, why and for how long, before anything leaves the bot. */
  private async consentStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const handoffs = this.services.handoffs!;
    const now = handoffs.clock();
    const live = handoffs.isLiveNow();
    const next = live ? undefined : handoffs.hours.nextOpening(now);
    // The conversation so far, as it stood when the person asked: this is what consent covers.
    const values: Values = { transcript: (await this.services.recentTurns?.get(step.context, [])) ?? [], live };
    (step.values as { handoff?: Values }).handoff = values;
    const text = T.consent({ live, callbackFrom: next !== undefined ? formatCallbackFrom(next, now) : undefined, retentionDays: this.settings.retentionDays });
    return step.prompt(CONSENT, { prompt: MessageFactory.suggestedActions([...T.consentActions], text), retryPrompt: MessageFactory.suggestedActions([...T.consentActions], T.consentRetry) });
  }

  /** No consent: nothing is stored, and the remembered turns are forgotten too. */
  private async kommuneStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    if (step.result !== true) {
      await this.services.recentTurns?.delete(step.context);
      await step.context.sendActivity(T.refused);
      return step.endDialog({ consent: false });
    }
    const saved = await this.savedKommune(step.context);
    const prompt = saved ? MessageFactory.suggestedActions([saved], T.askKommuneSaved(saved)) : MessageFactory.text(T.askKommune);
    return step.prompt(KOMMUNE, { prompt, retryPrompt: T.kommuneRetry });
  }

  private async topicStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    vals(step).kommune = step.result as Values['kommune'];
    return step.prompt(TOPIC, { prompt: T.askTopic, retryPrompt: T.topicRetry });
  }

  /** Contact details are optional, and the question says so. */
  private async contactStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const v = vals(step);
    v.topic = step.result as string;
    return step.prompt(CONTACT, {
      prompt: MessageFactory.suggestedActions([T.noContact], T.askContact(v.live)),
      retryPrompt: MessageFactory.suggestedActions([T.noContact], T.contactRetry),
    });
  }

  /** Stores the request and tells the person what happens next (live or callback). */
  private async submitStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const v = vals(step);
    const contact = step.result === '' ? undefined : (step.result as string);
    const context = step.context;
    const { channelId, channelUserId } = channelUser(context);
    const h = await this.services.handoffs!.request({
      conversationId: context.activity.conversation.id,
      channel: channelId,
      userKey: channelUserId ?? '',
      conversationRef: TurnContext.getConversationReference(context.activity),
      kommune: v.kommune?.name,
      kommuneAgs: v.kommune?.ags,
      topic: v.topic ?? '',
      contact,
      transcript: v.transcript,
    });
    if (v.kommune?.ags) {
      const profile = await this.services.userProfile.get(context, {});
      await this.services.userProfile.set(context, { ...profile, kommuneAgs: v.kommune.ags });
    }
    const when = h.callbackFromMs !== null ? formatCallbackFrom(h.callbackFromMs, this.services.handoffs!.clock()) : undefined;
    if (h.status === 'waiting') await this.services.handoffState?.set(context, { id: h.id });
    await context.sendActivity({
      type: ActivityTypes.Message,
      text: h.status === 'waiting' ? T.sentLive : T.sentCallback(when),
      textFormat: 'markdown',
      entities: [handoffEntity(h)],
    });
    return step.endDialog({ id: h.id, status: h.status });
  }

  private async savedKommune(context: TurnContext): Promise<string | undefined> {
    const ags = (await this.services.userProfile.get(context, {})).kommuneAgs;
    return ags ? this.services.eligibility.register.byAgs(ags)?.shortName : undefined;
  }

  private async validateConsent(pc: PromptValidatorContext<string>): Promise<boolean> {
    const text = pc.recognized.value ?? '';
    const folded = foldPhrase(text);
    const yes = folded === foldPhrase(T.consentActions[0]) ? true : recogniseYesNo(text);
    if (yes === undefined) return false;
    (pc.recognized as { value: unknown }).value = yes;
    return true;
  }

  /** A register name (or a pick after a question back); an unknown name is kept as typed. */
  private async validateKommune(pc: PromptValidatorContext<string>): Promise<boolean> {
    const text = (pc.recognized.value ?? '').trim();
    if (!text || text.length > 120) return false;
    const register = this.services.eligibility.register;
    const choices = ((pc.state as { choices?: { label: string; ags: string }[] }).choices) ?? [];
    const picked = choices.find((c) => foldPhrase(c.label) === foldPhrase(text));
    const r = picked ? undefined : register.resolve(text);
    let value: Values['kommune'];
    if (picked) value = { name: register.byAgs(picked.ags)?.shortName ?? picked.label, ags: picked.ags };
    else if (r?.kind === 'found') value = { name: r.kommune.shortName, ags: r.kommune.ags };
    else if (r?.kind === 'ambiguous') {
      const list = r.candidates.slice(0, 6).map((k) => {
        const d = register.districtOf(k);
        return { label: d ? `${k.shortName} (${d.shortName})` : k.shortName, ags: k.ags };
      });
      (pc.state as { choices?: { label: string; ags: string }[] }).choices = list;
      pc.options.retryPrompt = MessageFactory.suggestedActions(
        list.map((c) => c.label),
        T.kommuneAmbiguous(list.map((c) => c.label)),
      );
      return false;
    } else value = { name: text };
    (pc.recognized as { value: unknown }).value = value;
    return true;
  }

  private async validateTopic(pc: PromptValidatorContext<string>): Promise<boolean> {
    const text = (pc.recognized.value ?? '').trim();
    if (text.length < 3 || text.length > 300) return false;
    pc.recognized.value = text;
    return true;
  }

  private async validateContact(pc: PromptValidatorContext<string>): Promise<boolean> {
    const text = (pc.recognized.value ?? '').trim();
    if (foldPhrase(text) === foldPhrase(T.noContact) || recogniseYesNo(text) === false) {
      pc.recognized.value = '';
      return true;
    }
    if (!text || text.length > 300) return false;
    pc.recognized.value = text;
    return true;
  }
}
