import { type Activity, type Entity, MessageFactory } from 'botbuilder';
import { type DialogContext, type DialogTurnResult, type PromptValidatorContext, TextPrompt, WaterfallDialog, type WaterfallStepContext } from 'botbuilder-dialogs';
import { type Association, type EligibilityFacts, type EligibilityService, type FactName, type Kommune, type Programme, type Resolution, toEligibilityEntity } from '../src/eligibility';
import { type Read, readChoice, readPartners, readPercent, readStage, readYears, readYesNoUnknown } from '../src/nlu';
import { eligibilityCard } from './cards/eligibility-card';
import { GuidedDialog, type GuidedState } from './GuidedDialog';
import { type KommuneAsk, KommuneQuestion } from './kommune-step';
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
  /** The stage the sentence named (2 = Stresstest). */
  stage?: 1 | 2;
}

type FactValue = number | boolean | 'unbefristet' | null;

/** The dialog's memory within one check; kept in dialog state, so plain JSON only. */
interface CheckState extends GuidedState {
  kommuneAgs?: string;
  /** Instead of a Kommune: an association (Zweckverband …) named at the Kommune question. */
  association?: Association;
  programmeId?: string;
  /** Answers to programme questions; null = "weiß nicht". */
  facts: Partial<Record<FactName, FactValue>>;
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
  asking?: Slot;
}

const freshState = (): CheckState => ({ facts: {}, assumed: [], answered: [], savedDeclined: false, useDefaults: false, round: 0 });

/** Handed to the prompt: which slot it asks, and for the Kommune what a question back offered. */
interface AskValidations {
  slot: Slot;
  kommune?: KommuneAsk;
}

const PROGRAMME_OPTIONS = [
  { topic: 'kdlz', label: `${T.ask.programme.actions[0]} KDLZ AKC Sichere Kommunalnetze Vor-Ort-Analyse Stresstest` },
  { topic: 'ikz', label: `${T.ask.programme.actions[1]} interkommunale Zusammenarbeit Förderung` },
];

/**
 * Guided eligibility check: Kommune → programme → the programme's own questions → result card
 * with reasons and sources plus the eligibility entity. Asks only what it does not know yet.
 * Each question has its own reader: an answer meant for another question ("20 Prozent" to the
 * partner question) is asked again with the reason, never taken.
 */
export class EligibilityDialog extends GuidedDialog<CheckState> {
  private readonly eligibility: EligibilityService;
  private readonly kommune: KommuneQuestion;

  constructor(services: DialogServices, private readonly clock: () => Date = () => new Date()) {
    super(ELIGIBILITY_DIALOG, services, CHECK_WATERFALL, { cancelled: T.cancelled, restarted: T.restarted, atStart: T.atStart, staleCard: T.retry.staleCard, commands: T.help.commands });
    this.eligibility = services.eligibility;
    this.kommune = new KommuneQuestion(
      services.eligibility,
      {
        ask: T.ask.kommune.text,
        saved: T.ask.savedKommune,
        retrySaved: T.retry.savedKommune,
        empty: T.retry.kommuneEmpty,
        notFound: T.retry.kommuneNotFound,
        suggest: T.retry.kommuneSuggest,
        ambiguous: T.retry.ambiguous,
        whichAgain: T.retry.whichKommune,
        outsideHessen: T.retry.outsideHessen,
        otherKommune: T.otherKommune,
      },
      { associations: true },
    );
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
      state.useDefaults = !!options.text;
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
      const stage = options.stage ?? parsed.facts?.stage;
      if (stage) state.facts.stage = stage;
    }
    return innerDc.beginDialog(CHECK_WATERFALL, state);
  }

  protected fresh(): CheckState {
    return freshState();
  }

  protected helpFor(slot: string | undefined): string {
    return slot ? T.help[slot as Slot] : '';
  }

  /** If the Kommune is not known yet, offer the saved one ("Für Buseck?"), say what the first sentence left open, or ask. */
  private async kommuneStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as CheckState;
    if (state.kommuneAgs || state.association) return step.next();
    const profile = await this.services.userProfile.get(step.context, {});
    const saved = profile.kommuneAgs && !state.savedDeclined ? this.eligibility.register.byAgs(profile.kommuneAgs) : undefined;
    const q = this.kommune.first(saved, state.opening);
    state.opening = undefined;
    return this.ask(step, { slot: q.ask.slot, kommune: q.ask }, q.prompt, q.retry);
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
    return this.askText(step, 'programme', T.ask.programme.text, T.ask.programme.actions, T.retry.programme);
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
    return this.askText(step, fact, q.text, q.actions);
  }

  /** Stores the answer and loops until every question of the programme is answered. */
  private async factAnswerStep(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const state = step.options as CheckState;
    if (step.result === undefined) return step.next();
    const slot = state.asking as FactName;
    state.facts[slot] = JSON.parse(step.result as string) as FactValue;
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
  protected undo(state: CheckState): boolean {
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

  private async askText(step: WaterfallStepContext, slot: Slot, text: string, actions: string[], retry?: string): Promise<DialogTurnResult> {
    return this.ask(step, { slot }, MessageFactory.suggestedActions(actions, text), retry ? MessageFactory.suggestedActions(actions, retry) : undefined);
  }

  private async ask(step: WaterfallStepContext, validations: AskValidations, prompt: Partial<Activity>, retryPrompt?: Partial<Activity>): Promise<DialogTurnResult> {
    (step.options as CheckState).asking = validations.slot;
    return step.prompt(ANSWER_PROMPT, { prompt, retryPrompt, validations });
  }

  /** Checks one answer with the reader for what was asked; a wrong answer gets a re-prompt that says what would fit. */
  private async validateAnswer(pc: PromptValidatorContext<string>): Promise<boolean> {
    const v = pc.options.validations as AskValidations;
    const text = (pc.recognized.value ?? '').trim();
    const accept = (value: unknown): boolean => {
      pc.recognized.value = JSON.stringify(value);
      return true;
    };
    const retry = async (message: string, actions: string[] = []): Promise<boolean> =>
      (await this.answerQuestion(pc, text)) ? false : GuidedDialog.retry(pc, message, actions);
    /** A fact read by its own reader: a value, "weiß nicht" (null), or asked again with the reason. */
    const fact = <V>(slot: Exclude<Slot, 'savedKommune' | 'kommune' | 'programme'>, r: Read<V>): Promise<boolean> | boolean => {
      if (r.kind === 'value') return accept(r.value);
      if (r.kind === 'unknown') return accept(null);
      return retry(r.reason === 'otherSlot' ? `${T.retry.otherSlot}\n\n${T.retry[retryKey(slot)]}` : T.retry[retryKey(slot)], T.ask[slot].actions);
    };
    switch (v.slot) {
      case 'savedKommune':
      case 'kommune': {
        const r = this.kommune.read(text, v.kommune!);
        v.slot = v.kommune!.slot;
        return 'value' in r ? accept(r.value) : retry(r.retry, r.actions);
      }
      case 'programme': {
        const i = readChoice(text, PROGRAMME_OPTIONS);
        const topic = typeof i === 'number' ? PROGRAMME_OPTIONS[i].topic : this.services.nlu.understand(text).programme;
        return topic ? accept(topic) : retry(T.retry.programme, T.ask.programme.actions);
      }
      case 'allPartnersHessian':
      case 'stage1Done':
      case 'recommendationsImplemented':
        return fact(v.slot, readYesNoUnknown(text));
      case 'partners':
        return fact(v.slot, readPartners(text, (t) => this.services.nlu.countKommunen(t)));
      case 'durationYears':
        return fact(v.slot, readYears(text));
      case 'savingsPercent':
        return fact(v.slot, readPercent(text));
      case 'stage':
        return fact(v.slot, readStage(text));
    }
  }
}

/** The re-prompt text of a fact question (the yes/no questions share one). */
function retryKey(slot: Exclude<Slot, 'savedKommune' | 'kommune' | 'programme'>): 'partners' | 'durationYears' | 'savingsPercent' | 'stage' | 'yesNo' {
  return slot === 'allPartnersHessian' || slot === 'stage1Done' || slot === 'recommendationsImplemented' ? 'yesNo' : slot;
}
