import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import type { EligibilityService, Resolution } from '../eligibility';
import { foldPhrase, foldTokens, hasPhrase } from '../text/fold';
import { type Corpus, type Intent, loadCorpus, nluDir } from './corpus';
import { isEmergency } from './emergency';
import { type IntentModel, trainIntentModel } from './model';

export { INTENTS, type Intent, loadCorpus, type Corpus, MIN_UTTERANCES } from './corpus';
export { isEmergency, emergencyCues } from './emergency';
export { parseWhen, type When, type DayPart } from './dates';
export { readChoice, type ChoiceOption, type Choice } from './choices';
export { readKommuneChoice, type KommuneCandidate } from './kommune-choice';
export { readPartners, readYears, readPercent, readStage, readYesNo, readYesNoUnknown, saysUnknown, type Read } from './answers';
export { readPersonName, findEmail, readPhone } from './contact';
export { findNumbers, numberWord } from './numbers';
export { scan } from './tokens';

/**
 * Below this probability the model is not sure enough to start a dialog: the message is a
 * question for the knowledge base (which answers or says honestly that it cannot). Chosen on
 * the dev split (docs/nlu.md); a wrong dialog costs more than a knowledge answer.
 */
export const INTENT_THRESHOLD = 0.45;

/** What one message asks for and what it names. */
export interface Understanding {
  intent: Intent;
  /** The model's probability for the intent (1 for exact commands and emergencies found by cues). */
  confidence: number;
  /** A Kommune the message names (exact register names; typos are left to the dialog). */
  kommune?: Resolution;
  /** The programme topic it names ("kdlz", "ikz"), when exactly one. */
  programme?: 'kdlz' | 'ikz';
  /** Stage of the KDLZ-CS module it names (2 = Stresstest). */
  stage?: 1 | 2;
}

export interface Nlu {
  understand(text: string): Understanding;
  /** The emergency check alone (also used inside dialogs, where no other intent applies). */
  isEmergency(text: string): boolean;
  /** "Benachrichtigungen hier": the KDLZ staff's exact command, never guessed by the model. */
  isStaffCommand(text: string): boolean;
  /** How many Kommunen a list names ("Buseck, Biebertal und Lollar" → 3); for the partner question. */
  countKommunen(text: string): number;
}

export interface NluOptions {
  eligibility: Pick<EligibilityService, 'parseQuestion'>;
  corpus?: Corpus;
  dir?: string;
}

const lexiconSchema = z.object({
  programmes: z.record(z.enum(['kdlz', 'ikz']), z.array(z.string())),
  stages: z.record(z.enum(['1', '2']), z.array(z.string())),
});

type Lexicon = { programmes: [('kdlz' | 'ikz'), string[][]][]; stages: [1 | 2, string[][]][] };

function loadLexicon(dir: string): Lexicon {
  const raw = lexiconSchema.parse(parse(readFileSync(path.join(dir, 'entities', 'programmes.yaml'), 'utf8')));
  return {
    programmes: Object.entries(raw.programmes).map(([k, v]) => [k as 'kdlz' | 'ikz', v.map((p) => foldTokens(p))]),
    stages: Object.entries(raw.stages).map(([k, v]) => [Number(k) as 1 | 2, v.map((p) => foldTokens(p))]),
  };
}

/** Words folded and glued where people write compounds apart or together ("vor ort" / "vorort"). */
function mentions(tokens: string[], phrases: string[][]): boolean {
  return phrases.some((p) => hasPhrase(tokens, p) || (p.length > 1 && tokens.includes(p.join(''))));
}

/**
 * The bot's own command words (menu buttons, the Teams command list, the words the help text
 * names) and bare greetings: exact, so a button always reaches its dialog whatever the model says.
 */
const EXACT: Record<string, Intent> = {
  '': 'help', hilfe: 'help', help: 'help', menu: 'help', menue: 'help', start: 'help', hallo: 'help', hi: 'help', moin: 'help', servus: 'help',
  'guten tag': 'help', 'guten morgen': 'help', 'was kannst du': 'help',
  'foerderfaehigkeit pruefen': 'eligibility', 'termin vereinbaren': 'booking', 'meine termine': 'myAppointments',
  'meine daten loeschen': 'deleteMyData', 'daten loeschen': 'deleteMyData', 'frage stellen': 'question',
  'neues gespraech': 'newConversation', 'neu starten': 'newConversation', 'von vorn': 'newConversation', 'von vorne': 'newConversation', neustart: 'newConversation',
};

/** Builds the intent model (trained at start, tens of milliseconds) and the entity readers. */
export function createNlu(opts: NluOptions): Nlu {
  const dir = opts.dir ?? nluDir();
  const model: IntentModel = trainIntentModel(opts.corpus ?? loadCorpus(dir));
  const lexicon = loadLexicon(dir);
  const asks = (text: string) => text.trimEnd().endsWith('?');
  return {
    understand(text) {
      const tokens = foldTokens(text);
      const phrase = tokens.length <= 3 ? tokens.join(' ') : undefined;
      const parsed = opts.eligibility.parseQuestion(text);
      const entities = {
        ...(parsed.kommune && { kommune: parsed.kommune }),
        ...programmeOf(tokens, parsed.programmeId, lexicon),
      };
      if (phrase !== undefined && EXACT[phrase]) return { intent: EXACT[phrase], confidence: 1, ...entities };
      const guess = model.classify(tokens, parsed.kommuneSpan);
      if (isEmergency(tokens, guess.scores.emergency, asks(text))) return { intent: 'emergency', confidence: Math.max(guess.scores.emergency, 0.5), ...entities };
      // Emergency said no (a preparation question): the best of the others decides.
      let intent: Intent = 'question';
      let best = -1;
      for (const [k, p] of Object.entries(guess.scores) as [Intent, number][]) {
        if (k !== 'emergency' && p > best) [intent, best] = [k, p];
      }
      if (best < INTENT_THRESHOLD) return { intent: 'question', confidence: guess.scores.question, ...entities };
      return { intent, confidence: best, ...entities };
    },
    isEmergency(text) {
      const tokens = foldTokens(text);
      return isEmergency(tokens, model.classify(tokens).scores.emergency, asks(text));
    },
    isStaffCommand: (text) => foldPhrase(text) === 'benachrichtigungen hier',
    countKommunen(text) {
      // Each part of a list ("A, B und C") names at most one Kommune.
      const parts = text.slice(0, 500).split(/,|;|\bund\b|\bsowie\b|&|\band\b/);
      return parts.filter((p) => {
        const k = opts.eligibility.parseQuestion(p).kommune;
        return k?.kind === 'found' || k?.kind === 'ambiguous';
      }).length;
    },
  };
}

function programmeOf(tokens: string[], fromRules: string | undefined, lexicon: Lexicon): { programme?: 'kdlz' | 'ikz'; stage?: 1 | 2 } {
  const topics = new Set<string>(lexicon.programmes.filter(([, phrases]) => mentions(tokens, phrases)).map(([k]) => k));
  if (topics.size === 0 && (fromRules === 'kdlz' || fromRules === 'ikz')) topics.add(fromRules);
  const stages = lexicon.stages.filter(([, phrases]) => mentions(tokens, phrases)).map(([k]) => k);
  const out: { programme?: 'kdlz' | 'ikz'; stage?: 1 | 2 } = {};
  if (topics.size === 1) out.programme = [...topics][0] as 'kdlz' | 'ikz';
  if (stages.length === 1) out.stage = stages[0];
  if (out.stage && !out.programme && !topics.has('ikz')) out.programme = 'kdlz';
  return out;
}
