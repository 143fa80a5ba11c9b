import { MessageFactory, type Activity, type Entity } from 'botbuilder';
import {
  ComponentDialog,
  Dialog,
  type DialogContext,
  type DialogTurnResult,
  DialogTurnStatus,
  type PromptValidatorContext,
  TextPrompt,
  WaterfallDialog,
  type WaterfallStepContext,
} from 'botbuilder-dialogs';
import {
  isUnknownAnswer,
  kindLabel,
  nameKey,
  parseFactAnswer,
  recogniseAssociation,
  toEligibilityEntity,
  type Association,
  type EligibilityFacts,
  type EligibilityService,
  type FactName,
  type Kommune,
  type Programme,
  type Resolution,
} from '../src/eligibility';
import { eligibilityCard } from './cards/eligibility-card';
import { recogniseInterruption, recogniseYesNo } from './interruptions';
import type { DialogServices } from './services';
import { eligibilityTexts as T, type Slot } from './texts/eligibility';

export const ELIGIBILITY_DIALOG = 'eligibilityDialog';
const CHECK_WATERFALL = 'eligibilityCheck';
const ANSWER_PROMPT = 'eligibilityAnswer';

export interface EligibilityOptions {
  /** The sentence that started the dialog ("Kann Buseck das KDLZ nutzen?"). */
  text?: string;
  kommuneAgs?: string;
  /** Programme id or topic ("kdlz", "ikz"). */
  programmeId?: string;
}

/** The dialog's memory within one check; kept in dialog state, so plain JSON only. */
interface CheckState {
  kommuneAgs?: string;
  /** Instead of a Kommune: an association (Zweckverband …) named at the Kommune question. */
  association?: Association;
  programmeId?: string;
  /** Answers to programme questions; null = "weiß nicht". */
  facts: Partial<Record<FactName, number | boolean | 'unbefristet' | null>>;
  /** Facts filled from a question's default instead of asking (one-sentence questions). */
  assumed: FactName[];
  /** Slots in the order they were answered: "zurück" undoes the last one. */
  answered: Slot[];
  /** The user said the saved Kommune is not the one this time. */
  savedDeclined: boolean;
  /** The programme came from the first sentence: take question defaults instead of asking. */
  useDefaults: boolean;
  /** What the first sentence said about the Kommune when it did not name exactly one. */
  opening?: Resolution;
  /** The question the open prompt asks. */
  asking?: Slot;
}

const freshState = (): CheckState => ({ facts: {}, assumed: [], answered: [], savedDeclined: false, useDefaults: false });

interface Candidate { label: string; ags: string }

/** Handed to the prompt: which slot it asks, and the choices a question back offered. */
interface AskValidations { slot: Slot; candidates?: Candidate[]; savedAgs?: string }

/**
 * Guided eligibility check: Kommune → programme → the programme's own questions → result card
 * with reasons and sources plus the eligibility entity. Asks only what it does not know yet;
 * "abbrechen", "hilfe", "zurück" and "neu starten" work at every step.
 */
export class EligibilityDialog extends ComponentDialog {
  private readonly eligibility: EligibilityService;

  constructor(private readonly services: DialogServices, private readonly clock: () => Date = () => new Date()) {
    super(ELIGIBILITY_DIALOG);
    this.eligibility = services.eligibility;
    this.addDialog(new TextPrompt(ANSWER_PROMPT, this.validateAnswer.bind(this)));
    this.addDialog(
      new WaterfallDialog(CHECK_WATERFALL, [
        this.kommuneStep.bind(this),
        this.kommuneAnswerStep.bind(this),
        this.programmeStep.bind(this),
        this.programmeAnswerStep.bind(this),
        this.factStep.bind(this),
        this.factAnswerStep.bind(this),
        this.resultStep.bind(this),
      ]),
    );
    this.initialDialogId = CHECK_WATERFALL;
  }

  /** Turns the options (a sentence, a card's values) into what is already known. */
  protected override async onBeginDialog(innerDc: DialogContext, options?: EligibilityOptions): Promise<DialogTurnResult> {
    const state = freshState();
    const known = options?.kommuneAgs ? this.eligibility.register.byAgs(options.kommuneAgs) : undefined;
    if (known) this.setKommune(state, known);
    if (options?.programmeId && this.eligibility.programmeFor(options.programmeId, this.clock())) {
      state.programmeId = options.programmeId;
      state.answered.push('programme');
    }
    if (options?.text) {
      const parsed = this.eligibility.parseQuestion(options.text);
      if (!state.kommuneAgs && parsed.kommune?.kind === 'found') this.setKommune(state, parsed.kommune.kommune);
      else if (!state.kommuneAgs && parsed.kommune) state.opening = parsed.kommune;
      if (!state.programmeId && parsed.programmeId) {
        state.programmeId = parsed.programmeId;
        state.answered.push('programme');
        state.useDefaults = true;
      }
      if (parsed.facts?.stage) state.facts.stage = parsed.facts.stage;
    }
    return innerDc.beginDialog(CHECK_WATERFALL, state);
  }

  /** The commands that work at every step, before the prompt sees the text. */
  protected override async onContinueDialog(innerDc: DialogContext): Promise<DialogTurnResult> {
    const { activity } = innerDc.context;
    const ask = (innerDc.activeDialog?.state?.options as { validations?: AskValidations } | undefined)?.validations;
    const state = innerDc.stack.find((i) => i.id === CHECK_WATERFALL)?.state?.options as CheckState | undefined;
    if (!activity.text && activity.value && typeof activity.value === 'object' && 'kdlz' in activity.value) {
      // A button from an older card: say so and repeat the open question.
      await innerDc.context.sendActivity(T.retry.staleCard);
      await innerDc.repromptDialog();
      return Dialog.EndOfTurn;
    }
    switch (recogniseInterruption(activity.text)) {
      case 'cancel':
        await innerDc.cancelAllDialogs();
        await innerDc.context.sendActivity(T.cancelled);
        return { status: DialogTurnStatus.cancelled, result: { cancelled: true } };
      case 'help':
        await innerDc.context.sendActivity(`${ask ? T.help[ask.slot] : ''}\n\n${T.help.commands}`.trim());
        await innerDc.repromptDialog();
        return Dialog.EndOfTurn;
      case 'back': {
        if (!state || !this.undoLast(state)) {
          await innerDc.context.sendActivity(T.atStart);
          await innerDc.repromptDialog();
          return Dialog.EndOfTurn;
        }
        await innerDc.cancelAllDialogs();
        return innerDc.beginDialog(CHECK_WATERFALL, state);
      }
      case 'restart':
        await innerDc.cancelAllDialogs();
        await innerDc.context.sendActivity(T.restarted);
        return innerDc.beginDialog(CHECK_WATERFALL, freshState());
      default:
        return super.onContinueDialog(innerDc);
    }
  }

  /** If the Kommune is not known yet, offer the saved one ("Für Buseck?") or ask for it. */
  private async kommuneStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as CheckState;
    if (state.kommuneAgs || state.association) return step.next();
    const profile = await this.services.userProfile.get(step.context, {});
    const saved = profile.kommuneAgs ? this.eligibility.register.byAgs(profile.kommuneAgs) : undefined;
    if (saved && !state.savedDeclined && !state.opening) {
      const q = T.ask.savedKommune(saved.shortName);
      return this.ask(step, { slot: 'savedKommune', savedAgs: saved.ags }, q.text, q.actions, T.retry.savedKommune(saved.shortName));
    }
    const opening = state.opening;
    state.opening = undefined;
    if (opening) {
      const reply = this.resolutionReply(opening, opening.kind === 'outside-hessen' ? opening.input : '');
      if (reply) return this.ask(step, { slot: 'kommune', candidates: reply.candidates }, reply.text, reply.candidates?.map((c) => c.label) ?? []);
    }
    return this.ask(step, { slot: 'kommune' }, T.ask.kommune.text, T.ask.kommune.actions);
  }

  /** Stores the Kommune (and remembers it for next time), or loops back when the saved one was declined. */
  private async kommuneAnswerStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as CheckState;
    if (step.result === undefined) return step.next();
    const answer = JSON.parse(step.result as string) as { ags?: string; declined?: true; association?: Association };
    if (answer.declined) {
      state.savedDeclined = true;
      return step.replaceDialog(CHECK_WATERFALL, state);
    }
    if (answer.association) {
      // Not a Kommune of the register, and not remembered for next time.
      state.association = answer.association;
      state.answered.push('kommune');
      return step.next();
    }
    this.setKommune(state, this.eligibility.register.byAgs(answer.ags!)!);
    const profile = await this.services.userProfile.get(step.context, {});
    profile.kommuneAgs = answer.ags;
    await this.services.userProfile.set(step.context, profile);
    return step.next();
  }

  /** If the programme is not known yet, ask which one to check. */
  private async programmeStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as CheckState;
    if (state.programmeId) return step.next();
    return this.ask(step, { slot: 'programme' }, T.ask.programme.text, T.ask.programme.actions, T.retry.programme);
  }

  private async programmeAnswerStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as CheckState;
    if (step.result !== undefined) {
      state.programmeId = JSON.parse(step.result as string) as string;
      state.answered.push('programme');
    }
    return step.next();
  }

  /** Asks the programme's next open question (partners, duration, savings, stage …). */
  private async factStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as CheckState;
    const fact = this.nextQuestion(state, this.programme(state));
    if (!fact) return step.next();
    const q = T.ask[fact];
    return this.ask(step, { slot: fact }, q.text, q.actions);
  }

  /** Stores the answer and loops until every question of the programme is answered. */
  private async factAnswerStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as CheckState;
    if (step.result === undefined) return step.next();
    const slot = state.asking as FactName;
    state.facts[slot] = JSON.parse(step.result as string) as number | boolean | 'unbefristet' | null;
    state.answered.push(slot);
    return step.replaceDialog(CHECK_WATERFALL, state);
  }

  /** Applies the rules valid today and shows the outcome with reasons, population and sources. */
  private async resultStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as CheckState;
    const kommune = state.kommuneAgs ? this.eligibility.register.byAgs(state.kommuneAgs) : undefined;
    const facts: EligibilityFacts = kommune ? { kommune } : { association: state.association };
    const name = kommune?.shortName ?? state.association!.name;
    for (const [fact, value] of Object.entries(state.facts)) if (value !== null) Object.assign(facts, { [fact]: value });
    const result = this.eligibility.evaluate(state.programmeId!, facts, this.clock());
    const district = kommune ? this.eligibility.register.districtOf(kommune) : undefined;
    const remark = state.assumed.includes('stage') && facts.stage === 1 ? T.result.assumedStage1(name) : undefined;
    const card = eligibilityCard({ result, districtName: district?.shortName, registerSource: result.sources.find((s) => s.name.includes('Destatis'))!, remark });
    const reply: Partial<Activity> = MessageFactory.attachment(card, T.result.summary[result.outcome](name, result.programme.title));
    reply.entities = [toEligibilityEntity(result) as unknown as Entity];
    await step.context.sendActivity(reply);
    return step.endDialog(result);
  }

  private programme(state: CheckState): Programme {
    return this.eligibility.programmeFor(state.programmeId!, this.clock())!;
  }

  /** The first question of the programme that applies and is still open; defaults fill in when allowed. */
  private nextQuestion(state: CheckState, programme: Programme): FactName | undefined {
    for (const q of programme.questions) {
      if (q.when && state.facts[q.when.fact] !== q.when.equals) continue;
      if (q.fact in state.facts) continue;
      if (state.useDefaults && q.default !== undefined) {
        state.facts[q.fact] = q.default;
        state.assumed.push(q.fact);
        continue;
      }
      return q.fact;
    }
    return undefined;
  }

  private setKommune(state: CheckState, k: Kommune): void {
    state.kommuneAgs = k.ags;
    state.answered.push('kommune');
  }

  /** Forgets the last answer so the waterfall asks it again; false when nothing was answered. */
  private undoLast(state: CheckState): boolean {
    const last = state.answered.pop();
    if (!last) return false;
    if (last === 'kommune') {
      state.kommuneAgs = undefined;
      state.association = undefined;
    } else if (last === 'programme') {
      state.programmeId = undefined;
      state.facts = {};
      state.assumed = [];
      state.useDefaults = false;
    } else {
      delete state.facts[last as FactName];
      // Answers that depended on this one (stage 2 questions) are asked again as well.
      if (last === 'stage') for (const f of ['stage1Done', 'recommendationsImplemented'] as FactName[]) delete state.facts[f];
    }
    return true;
  }

  private async ask(step: WaterfallStepContext, validations: AskValidations, text: string, actions: string[], retry?: string): Promise<DialogTurnResult> {
    (step.options as CheckState).asking = validations.slot;
    return step.prompt(ANSWER_PROMPT, {
      prompt: MessageFactory.suggestedActions(actions, text),
      retryPrompt: retry ? MessageFactory.suggestedActions(actions, retry) : undefined,
      validations,
    });
  }

  /** Text + choices for a Kommune answer that did not name exactly one Hessian Kommune. */
  private resolutionReply(r: Resolution, input: string): { text: string; candidates?: Candidate[] } | undefined {
    const label = (k: Kommune): Candidate => {
      const district = this.eligibility.register.districtOf(k);
      const kind = k.kind === 'landkreis' ? undefined : kindLabel(k.kind);
      return { label: T.candidateLabel(k.shortName, kind, district?.shortName), ags: k.ags };
    };
    switch (r.kind) {
      case 'found':
        return undefined;
      case 'ambiguous':
        return { text: T.retry.ambiguous(input || r.candidates[0].shortName.replace(/\s*\(.*\)$/, '')), candidates: r.candidates.map(label) };
      case 'outside-hessen':
        return { text: T.retry.outsideHessen(r.input, r.land) };
      case 'not-found':
        if (!input.trim()) return { text: T.retry.kommuneEmpty };
        return { text: T.retry.kommuneNotFound(input.trim(), r.suggestions.map((k) => k.shortName)), candidates: r.suggestions.map(label) };
    }
  }

  /** A pick from the last question back, a register name, or a sentence that names one Kommune. */
  private validateKommune(text: string, v: AskValidations, accept: (value: unknown) => boolean, retry: (message: string, actions?: string[]) => boolean): boolean {
    const picked = v.candidates?.find((c, i) => nameKey(c.label) === nameKey(text) || text === String(i + 1));
    if (picked) return accept({ ags: picked.ags });
    const association = recogniseAssociation(text);
    if (association) return accept({ association });
    let r = this.eligibility.register.resolve(text);
    if (r.kind === 'not-found') r = this.eligibility.parseQuestion(text).kommune ?? r;
    if (r.kind === 'found') return accept({ ags: r.kommune.ags });
    const reply = this.resolutionReply(r, text)!;
    v.candidates = reply.candidates;
    return retry(reply.text, reply.candidates?.map((c) => c.label));
  }

  /** Checks one answer; a wrong answer gets a re-prompt that says what would fit. */
  private async validateAnswer(pc: PromptValidatorContext<string>): Promise<boolean> {
    const v = pc.options.validations as AskValidations;
    const text = (pc.recognized.value ?? '').trim();
    const accept = (value: unknown): boolean => {
      pc.recognized.value = JSON.stringify(value);
      return true;
    };
    const retry = (message: string, actions: string[] = []): boolean => {
      pc.options.retryPrompt = MessageFactory.suggestedActions(actions, message);
      return false;
    };
    switch (v.slot) {
      case 'savedKommune': {
        const yes = recogniseYesNo(text);
        if (yes === true) return accept({ ags: v.savedAgs });
        if (yes === false || nameKey(text).startsWith('andere')) return accept({ declined: true });
        // Another name instead of yes/no: from here on the prompt asks for the Kommune.
        v.slot = 'kommune';
        return this.validateKommune(text, v, accept, retry);
      }
      case 'kommune':
        return this.validateKommune(text, v, accept, retry);
      case 'programme': {
        const topic = text === '1' ? 'kdlz' : text === '2' ? 'ikz' : this.eligibility.parseQuestion(text).programmeId;
        return topic ? accept(topic) : false;
      }
      case 'allPartnersHessian':
      case 'stage1Done':
      case 'recommendationsImplemented': {
        if (isUnknownAnswer(text)) return accept(null);
        const yes = recogniseYesNo(text);
        return yes === undefined ? retry(T.retry.yesNo, T.ask[v.slot].actions) : accept(yes);
      }
      case 'partners':
      case 'durationYears':
      case 'savingsPercent':
      case 'stage': {
        const a = parseFactAnswer(v.slot, text);
        if (a.kind === 'invalid') return retry(T.retry[v.slot], T.ask[v.slot].actions);
        return accept(a.kind === 'unknown' ? null : a.value);
      }
    }
  }
}
