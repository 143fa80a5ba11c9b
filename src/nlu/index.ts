import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import type { EligibilityService, Resolution } from '../eligibility';
import { isPromptInjection } from '../knowledge/decide';
import { foldPhrase, foldTokens, hasPhrase } from '../text/fold';
import type { ClassifierOptions } from './classifier';
import { type Corpus, type Intent, loadCorpus, nluDir } from './corpus';
import { isEmergency } from './emergency';
import { type IntentModel, trainIntentModel } from './model';

export { INTENTS, type Intent, loadCorpus, type Corpus, MIN_UTTERANCES } from './corpus';
export { isEmergency, emergencyCues, hasIncidentSign } from './emergency';
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

/**
 * What the readers look at: the edge caps every message at 2,000 characters
 * (src/bot/user-text.ts); capping here too keeps routing independent of any caller.
 */
const MAX_TEXT = 2000;

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
  /** The intent of one of the bot's own command words ("Meine Termine", "Meine Daten löschen"), else undefined. */
  command(text: string): Intent | undefined;
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
  /** Training options of the intent model (tests of its stability); the defaults are the bot's. */
  training?: ClassifierOptions;
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
  return phrases.some((p) => hasPhrase(tokens, p) || (p.length > 1 && tokens.includes(glued(p))));
}

const gluedCache = new WeakMap<string[], string>();
/** "vor ort analyse" → "vorortanalyse", computed once per lexicon phrase. */
function glued(phrase: string[]): string {
  let g = gluedCache.get(phrase);
  if (g === undefined) gluedCache.set(phrase, (g = phrase.join('')));
  return g;
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

/** "Benachrichtigungen hier": the KDLZ staff's exact command, never guessed by the model. */
export function isStaffCommand(text: string): boolean {
  return foldPhrase(text) === 'benachrichtigungen hier';
}

/** Builds the intent model (trained at start, a few hundred milliseconds) and the entity readers. */
export function createNlu(opts: NluOptions): Nlu {
  const dir = opts.dir ?? nluDir();
  const model: IntentModel = trainIntentModel(opts.corpus ?? loadCorpus(dir), opts.training);
  const lexicon = loadLexicon(dir);
  const asks = (text: string) => text.trimEnd().endsWith('?');
  /** The model, asked about a part of a message alone (a long message's ask), picks the same dialog. */
  const agrees = (part: string, intent: Intent): boolean => {
    const p = model.classify(foldTokens(part), opts.eligibility.parseQuestion(part).kommuneSpan).scores;
    let top: Intent = 'question';
    for (const [k, v] of Object.entries(p) as [Intent, number][]) if (k !== 'emergency' && v > p[top]) top = k;
    if (top === 'booking' && changesExisting(foldTokens(part))) top = 'myAppointments';
    return top === intent && p[top] >= INTENT_THRESHOLD;
  };
  return {
    understand(input) {
      const text = input.slice(0, MAX_TEXT);
      const tokens = foldTokens(text);
      const phrase = tokens.length <= 3 ? tokens.join(' ') : undefined;
      const parsed = opts.eligibility.parseQuestion(text);
      const entities = {
        ...(parsed.kommune && { kommune: parsed.kommune }),
        ...programmeOf(tokens, lexicon),
      };
      if (phrase !== undefined && EXACT[phrase]) return { intent: EXACT[phrase], confidence: 1, ...entities };
      // "Tu so, als wärst du …", "Ignore all previous instructions": the knowledge service declines these.
      if (isPromptInjection(text)) return { intent: 'question', confidence: 1, ...entities };
      const guess = model.classify(tokens, parsed.kommuneSpan);
      if (isEmergency(tokens, guess.scores.emergency, asks(text))) return { intent: 'emergency', confidence: Math.max(guess.scores.emergency, 0.5), ...entities };
      // Emergency said no (a preparation question): the best of the others decides.
      let intent: Intent = 'question';
      let best = -1;
      for (const [k, p] of Object.entries(guess.scores) as [Intent, number][]) {
        if (k !== 'emergency' && p > best) [intent, best] = [k, p];
      }
      // Booking is for a new appointment; cancelling or moving one ("Termin stornieren", "… verlegen?") is the person's own appointments.
      if (intent === 'booking' && changesExisting(tokens)) intent = 'myAppointments';
      if (best < INTENT_THRESHOLD || !plausible(intent, best, tokens, entities)) return { intent: 'question', confidence: guess.scores.question, ...entities };
      // A story ends with what it asks for: a long message starts a dialog only when its ask does too.
      if (tokens.length > LONG && !agrees(askOf(text), intent)) return { intent: 'question', confidence: guess.scores.question, ...entities };
      if (intent === 'eligibility' && asksWhereHowWho(text)) return { intent: 'question', confidence: guess.scores.question, ...entities };
      return { intent, confidence: best, ...entities };
    },
    isEmergency(input) {
      const text = input.slice(0, MAX_TEXT);
      const tokens = foldTokens(text);
      const span = opts.eligibility.parseQuestion(text).kommuneSpan;
      return isEmergency(tokens, model.classify(tokens, span).scores.emergency, asks(text));
    },
    isStaffCommand,
    command(text) {
      const tokens = foldTokens(text.slice(0, 200));
      return tokens.length <= 3 ? EXACT[tokens.join(' ')] : undefined;
    },
    countKommunen(text) {
      // Each part of a list ("A, B und C") names at most one Kommune.
      const parts = text.slice(0, MAX_TEXT).split(/,|;|\bund\b|\bsowie\b|&|\band\b/);
      return parts.filter((p) => {
        const k = opts.eligibility.parseQuestion(p).kommune;
        return k?.kind === 'found' || k?.kind === 'ambiguous';
      }).length;
    },
  };
}

/**
 * What a message asks for: its sentences that end with "?", else its last sentence ("Bitte …").
 * One linear pass over the text.
 */
export function askOf(text: string): string {
  const sentences: string[] = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = text[i];
    // A point ends a sentence only after a letter and before a space ("am 12.03.", "z.B." do not).
    const point = c === '.' && /\p{L}/u.test(text[i - 1] ?? '') && (i + 1 === text.length || /\s/u.test(text[i + 1]));
    if (i === text.length || point || c === '!' || c === '?' || c === '\n') {
      const s = text.slice(start, i + (c === '?' ? 1 : 0)).trim();
      if (/[\p{L}]/u.test(s)) sentences.push(s);
      start = i + 1;
    }
  }
  const questions = sentences.filter((s) => s.endsWith('?'));
  return questions.length ? questions.join(' ') : (sentences[sentences.length - 1] ?? text);
}

/** Openings of a clause that asks where, how, who or when: a question for the knowledge base, not a yes/no check. */
const WHERE_HOW_WHO = new Set(['wo', 'wohin', 'woher', 'wie', 'wann', 'wer', 'wen', 'wem', 'warum', 'weshalb', 'wieso', 'where', 'how', 'when', 'who', 'whom', 'why']);

/** "… wollen beim AKC mitmachen, wo melden wir uns an": the last clause of the ask opens with wo/wie/wer/wann. */
function asksWhereHowWho(text: string): boolean {
  const ask = askOf(text).replace(/[?\s]+$/u, '');
  let start = 0;
  for (let i = 0; i < ask.length; i++) if (ask[i] === '?' || ask[i] === ',' || ask[i] === ';' || ask[i] === ':' || ask[i] === '–' || ask[i] === '.' || ask[i] === '!') start = i + 1;
  const clause = foldTokens(ask.slice(start));
  const first = clause[0] === 'und' || clause[0] === 'and' ? clause[1] : clause[0];
  if (WHERE_HOW_WHO.has(first ?? '')) return true;
  // "Was kostet …?", "Welche Voraussetzungen gelten …?" ask for facts; "Was kann Buseck nutzen?" is a check.
  return WHAT_WHICH.has(first ?? '') && !clause.some((w) => ENTITLEMENT_VERBS.some((v) => w.startsWith(v)));
}

const WHAT_WHICH = new Set(['was', 'welche', 'welcher', 'welches', 'welchen', 'what', 'which']);
const ENTITLEMENT_VERBS = ['nutz', 'bekomm', 'krieg', 'erhalt', 'teilnehm', 'mitmach', 'beantrag', 'zusteh', 'steht', 'stehen', 'darf', 'duerf', 'anspruch', 'use', 'get', 'qualif', 'eligib'];

/** Word beginnings that change an appointment one already has. */
const CHANGE_EXISTING = ['storn', 'absag', 'loesch', 'verschieb', 'verleg', 'umbuch', 'umleg', 'cancel', 'reschedul', 'postpon'];
const changesExisting = (tokens: string[]) => tokens.some((t) => CHANGE_EXISTING.some((c) => t.startsWith(c)));

/** A message longer than this (in words) is a story; a dialog needs the model's confidence ≥ LONG_CONFIDENCE. */
const LONG = 20;
const LONG_CONFIDENCE = 0.8;

/** Word beginnings (or endings) one of which a message for this dialog contains. */
const ANCHORS: Partial<Record<Intent, string[]>> = {
  booking: ['termi', 'buch', 'book', 'appointment', 'meeting', 'beratung', 'vereinbar', 'anmeld', 'reservier', 'besuch', 'schulung', 'gespraech', 'consultation', 'schedul', 'slot', 'date', 'analyse', 'stresstest', 'kommen', 'einlad'],
  myAppointments: ['termi', 'buchung', 'gebucht', 'storn', 'absag', 'verschieb', 'verleg', 'umbuch', 'appointment', 'booking', 'cancel', 'reschedul', 'move', 'berater', 'kommt'],
  deleteMyData: ['loesch', 'daten', 'delete', 'erase', 'entfern', 'vergess', 'vergiss', 'dsgvo', 'gdpr', 'forget', 'wipe', 'remove', 'angaben', 'information', 'kontakt', 'adresse', 'nummer'],
  handoff: ['mensch', 'mitarbeit', 'person', 'berater', 'ruf', 'telefon', 'human', 'agent', 'someone', 'jemand', 'team', 'verbind', 'ansprech', 'support', 'chat', 'sachbearbeit', 'call', 'kolleg', 'colleague', 'operator', 'persoenlich', 'sprechen', 'strippe', 'echte', 'real', 'kundendienst', 'service', 'transfer'],
  newConversation: ['neu', 'vorn', 'reset', 'restart', 'start', 'beginn', 'anfang', 'zurueck', 'again', 'over', 'scratch', 'vergiss', 'new'],
  // Without a programme or a Kommune named, only entitlement or cooperation makes a check: "kann man
  // prüfen lassen, ob …" or "welches Angebot würden Sie nehmen?" asks about a topic.
  eligibility: [
    'foerderfaehig', 'berechtig', 'anspruch', 'qualif', 'eligib', 'entitled', 'teilnahm', 'teilnehm', 'mitmach', 'betracht', 'zusammenarbeit',
    'kooperation', 'kooperier', 'interkommunal', 'cooperation', 'kdlz', 'ikz', 'akc', 'zusteh', 'participat', 'join', 'infrage',
  ],
};

/**
 * Checks that keep a question for the knowledge base out of a dialog: the menu answers short
 * greetings, not long requests; a dialog needs one of its own words (an eligibility check: a
 * programme of ours, a Kommune, entitlement or cooperation – "Fördergeld aus dem OZG?" is a
 * question); a long story needs a sure model.
 */
function plausible(intent: Intent, confidence: number, tokens: string[], e: { kommune?: Resolution; programme?: string }): boolean {
  if (intent === 'help') return tokens.length <= 8;
  if (intent === 'eligibility' && (e.programme || e.kommune)) return tokens.length <= LONG || confidence >= LONG_CONFIDENCE;
  const anchors = ANCHORS[intent];
  // A dialog needs one of its own words: "Können Sie mir die Rezepte schicken?" is no booking.
  if (anchors && !tokens.some((t) => anchors.some((a) => t.includes(a)))) return false;
  if (tokens.length > LONG && intent !== 'question') return confidence >= LONG_CONFIDENCE;
  return true;
}

function programmeOf(tokens: string[], lexicon: Lexicon): { programme?: 'kdlz' | 'ikz'; stage?: 1 | 2 } {
  const topics = new Set<string>(lexicon.programmes.filter(([, phrases]) => mentions(tokens, phrases)).map(([k]) => k));
  const stages = lexicon.stages.filter(([, phrases]) => mentions(tokens, phrases)).map(([k]) => k);
  const out: { programme?: 'kdlz' | 'ikz'; stage?: 1 | 2 } = {};
  if (topics.size === 1) out.programme = [...topics][0] as 'kdlz' | 'ikz';
  if (stages.length === 1) out.stage = stages[0];
  if (out.stage && !out.programme && !topics.has('ikz')) out.programme = 'kdlz';
  return out;
}
