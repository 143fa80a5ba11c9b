import { ANSWER_KINDS, pickSentences, type ScoredSentence, scoreSentences } from './extract';
import { termOf, words } from './analyzer';
import { splitSentences } from './message';
import type { KnowledgeIndex, Passage, Retrieval } from './retriever';

/**
 * The extractive answer from one article: the section (all passages under one heading) that
 * best matches the question, quoted whole when it is short, and a second section when the
 * question asks something the first does not cover ("Wie viel gibt es für drei, und was ist,
 * wenn die Studie scheitert?"). Each quoted piece keeps its passage, so the answer cites the
 * source of every passage it quotes.
 */

/** Parameters of the composition, chosen on the blind dev split (docs/knowledge.md). */
export const COMPOSE = {
  /** A section is quoted whole up to this many characters; a longer one is cut to its best sentences. */
  sectionChars: 700,
  /** At most this many sections per answer, and together at most this many characters … */
  maxSections: 2,
  maxChars: 900,
  /** … and a further section must add this share of the weighted question words the article matches at all … */
  secondGain: 0.1,
  /** … unless the answer stays this short with it (a short article is quoted nearly whole). */
  fillChars: 450,
  /** A word matched only in a section's heading counts this much for the section. */
  headingMatch: 0.8,
  /** Section value: this share from its best sentence, the rest from the share of the question it covers. */
  bestSentence: 0.5,
  /** Factor for a section without the kind of answer asked for (a figure for "wie viele" …). */
  kindMiss: 0.7,
  /** Factor for a section whose heading names a word of the question and states the kind asked for („Die Frist: 72 Stunden“). */
  headingKind: 1.3,
  /** Factor for a section whose heading names the thing asked for („Welche Module …?“ – „Module“). */
  askedHeading: 1.3,
  /** A related article answers instead when its best section is worth this many times the chosen article's. */
  switchMargin: 1.25,
  /** … and retrieval scored its best passage at least this share of the chosen article's best. */
  relatedScore: 0.5,
  /** A present-tense question leaves an article about a past period for a related article about today worth this share of it. */
  todayMargin: 0.8,
  /** Factor for a section about an old rule („Früher: …“) when the question asks about today („heute“, „noch“). */
  oldRuleToday: 0.7,
};

export interface AnswerPart {
  passage: Passage;
  /** The section heading, on the first part of each quoted section (not when it is the article title). */
  heading?: string;
  /** The quoted sentences of this passage, in reading order. */
  text: string;
}

export interface Composition {
  article: number;
  /** Quoted passages in reading order of the answer (first section first). */
  parts: AnswerPart[];
  /** Best section value (share of the question's weighted words, with heading and kind factors). */
  value: number;
  /** Share of the question's weighted words the quoted sections match (0..1). */
  coverage: number;
}

interface SectionCandidate {
  heading: string;
  passages: Passage[];
  /** Sentences of all its passages in reading order; `i` is the position in this list. */
  sentences: ScoredSentence[];
  /** Passage of each sentence (same order). */
  passageOf: Passage[];
  /** Best strength per typed word over the section's sentences and heading. */
  covered: Map<number, number>;
  value: number;
  chars: number;
}

/** The article's passages grouped by heading (consecutive passages with the same heading). */
function sectionsOf(index: KnowledgeIndex, article: number): Passage[][] {
  const out: Passage[][] = [];
  for (const id of index.articles[article].passages) {
    const p = index.passages[id];
    const last = out[out.length - 1];
    if (last && last[0].heading === p.heading) last.push(p);
    else out.push([p]);
  }
  return out;
}

function shareOf(covered: Map<number, number>, weights: Map<number, number>, total: number): number {
  let got = 0;
  for (const [origin, strength] of covered) got += (weights.get(origin) ?? 0) * strength;
  return got / total;
}

function candidate(index: KnowledgeIndex, retrieval: Retrieval, weights: Map<number, number>, passages: Passage[], kinds: RegExp[], asked: ReadonlySet<string>): SectionCandidate {
  const total = [...weights.values()].reduce((a, b) => a + b, 0) || 1;
  const sentences: ScoredSentence[] = [];
  const passageOf: Passage[] = [];
  const covered = new Map<number, number>();
  const merge = (m: Map<number, number>, factor: number) => {
    for (const [o, s] of m) if (s * factor > (covered.get(o) ?? 0)) covered.set(o, s * factor);
  };
  let best = 0;
  let chars = 0;
  passages.forEach((p, n) => {
    for (const s of scoreSentences(index, retrieval, { passage: p, score: 1, coverage: 0, key: 0 }, kinds)) {
      sentences.push({ ...s, i: sentences.length, line: n * 10_000 + s.line });
      passageOf.push(p);
      merge(s.covered, 1);
      if (s.value > best) best = s.value;
      chars += s.text.length + 1;
    }
  });
  const inHeading = headingMatches(index, retrieval, passages[0]);
  merge(inHeading, COMPOSE.headingMatch);
  const coverage = shareOf(covered, weights, total);
  // Each kind of answer asked for ("wie viele … und wann") that no sentence of the section about
  // the question gives lowers its value ("8. April 2019" in a sentence about the opening does not
  // answer "wie viele Fachleute").
  let kindFactor = 1;
  for (const kind of kinds) if (!sentences.some((s) => s.covered.size > 0 && kind.test(s.text))) kindFactor *= COMPOSE.kindMiss;
  // A heading that names what is asked and gives the answer is a person's summary of the section.
  if (kinds.length > 0 && inHeading.size > 0 && kinds.every((k) => k.test(passages[0].heading))) kindFactor *= COMPOSE.headingKind;
  if (asked.size > 0 && passages[0].heading !== passages[0].title && index.analyzer.terms(passages[0].heading).some((t) => asked.has(t))) kindFactor *= COMPOSE.askedHeading;
  const value = (COMPOSE.bestSentence * best + (1 - COMPOSE.bestSentence) * coverage) * kindFactor;
  return { heading: passages[0].heading, passages, sentences, passageOf, covered, value, chars };
}

/** Typed words found in the section heading (not the article title: every section shares it). */
function headingMatches(index: KnowledgeIndex, retrieval: Retrieval, p: Passage): Map<number, number> {
  const out = new Map<number, number>();
  if (p.heading === p.title) return out;
  const terms = new Set(index.analyzer.terms(p.heading));
  for (const t of retrieval.terms) {
    if (t.origin < 0 || !terms.has(t.term)) continue;
    const s = t.boost === 1 ? 1 : 0.8;
    if (s > (out.get(t.origin) ?? 0)) out.set(t.origin, s);
  }
  return out;
}

/** The quoted sentences of one section: all of it (every passage under the heading) when short, else its best sentences. */
function quote(section: SectionCandidate, weights: Map<number, number>): ScoredSentence[] {
  if (section.chars <= COMPOSE.sectionChars) return section.sentences;
  let first = section.sentences[0];
  for (const s of section.sentences) if (s.value > first.value) first = s;
  return pickSentences(section.sentences, first, weights);
}

/**
 * A section about an old rule or old figures (heading „Früher: …“, „Ältere …“): an answer quoting
 * it also quotes the article's best section about today, and today comes first.
 */
const HISTORY_HEADING = /^(früher|ältere|älter|damals)\b/i;

/**
 * The answer for the analysed question from `article`, or from a closely related article when
 * that one answers clearly better; undefined when the article has no text.
 */
export function composeAnswer(index: KnowledgeIndex, question: string, retrieval: Retrieval, article: number): Composition | undefined {
  const kinds = ANSWER_KINDS.filter((k) => k.asks.test(question)).map((k) => k.answer);
  // "noch", "heute", "aktuell": never answered from an article about a past period instead.
  const today = TODAY.test(question);
  const asked = askedThing(question);
  const own = composeFrom(index, retrieval, article, kinds, today, asked);
  if (!own) return own;
  // A question about today ("Was ist das KDLZ CS?") is answered from the article about today
  // when it answers nearly as well as the one about a past period.
  const leaveHistory = isHistoryArticle(index, article) && !asksAboutPast(question);
  let best = own;
  const past = asksAboutPast(question);
  for (const other of relatedArticles(retrieval, article)) {
    // The first-aid article is the decision's to give; an article about a period answers only a question about the past.
    if (index.articles[other].emergency || (isHistoryArticle(index, other) && (today || !past))) continue;
    const c = composeFrom(index, retrieval, other, kinds, today, asked);
    if (!c) continue;
    const needed = own.value * (leaveHistory && !isHistoryArticle(index, other) ? COMPOSE.todayMargin : COMPOSE.switchMargin);
    if (c.value >= needed && (best === own || c.value > best.value)) best = c;
  }
  return best;
}

/**
 * The thing a question asks for, named right after its question word: "Welche Module …",
 * "innerhalb welcher Frist …", "wie viele Fachleute …", "was sind die Themen …" (stems).
 */
function askedThing(question: string): Set<string> {
  const out = new Set<string>();
  const w = words(question);
  for (let i = 0; i < w.length; i++) {
    let next = -1;
    if (ASKING.has(w[i])) next = i + 1;
    else if ((w[i] === 'wie' && (w[i + 1] === 'viele' || w[i + 1] === 'viel')) || (w[i] === 'was' && (w[i + 1] === 'sind' || w[i + 1] === 'ist'))) next = i + 2;
    // Articles and the like in between ("was sind die Themen"); at most two words.
    for (let j = next; j >= 0 && j < Math.min(w.length, next + 2); j++) {
      const t = termOf(w[j]);
      if (t) {
        out.add(t);
        break;
      }
    }
  }
  return out;
}
const ASKING = new Set(['welche', 'welcher', 'welches', 'welchen', 'welchem', 'wieviele', 'wieviel']);

/**
 * An article about a period: its title names years ("KDLZ CS 2016 bis 2020", "Pressemitteilung
 * 2018") or it is tagged as history.
 */
function isHistoryArticle(index: KnowledgeIndex, article: number): boolean {
  const info = index.articles[article];
  const tags = index.passages[info.passages[0]]?.tags ?? [];
  if (tags.some((t) => HISTORY_TAG.test(t))) return true;
  return YEAR.test(info.title);
}
const YEAR = /\b(19|20)\d\d\b/;
const HISTORY_TAG = /^(geschichte|historie|chronik|rückblick|history)$/i;

/**
 * Past tense, a year or a word for earlier times: the question asks about a time, not about today.
 * The perfect ends its clause with the participle ("Wie viele Prüfberichte hat das KDLZ erstellt?").
 */
function asksAboutPast(question: string): boolean {
  if (YEAR.test(question) || PAST.test(question)) return true;
  return splitSentences(question).some((s) => {
    const w = words(s.text);
    return w.some((x) => PERFECT_AUX.has(x)) && w.length > 0 && PARTICIPLE.test(w[w.length - 1]);
  });
}
const PERFECT_AUX = new Set(['hat', 'haben', 'habt', 'hast']);
/** Tested on one word only (user text). */
const PARTICIPLE = /^(ge|er|ver|be|ent|zer)\p{L}{3,}(t|en)$/u;
const TODAY = /\b(heute|heutzutage|noch|aktuell|derzeit|zurzeit|momentan|gegenw(ä|ae)rtig|inzwischen|mittlerweile|today|currently|still|now)\b/i;
const PAST =
  /\b(war|waren|warst|wurde|wurden|hatte|hatten|gab|galt|galten|konnte|konnten|durfte|durften|musste|mussten|damals|fr(ü|ue)her|urspr(ü|ue)nglich|anfangs|bisher|bislang|seinerzeit|angefangen|begonnen|gestartet|gegr(ü|ue)ndet|geschichte|were|history|used to)\b/i;

/**
 * Articles retrieval found about as well as the one chosen: their best passage among the hits
 * scores at least COMPOSE.relatedScore of the chosen article's best and matches at least as
 * much of the question.
 */
function relatedArticles(retrieval: Retrieval, article: number): number[] {
  const best = new Map<number, { score: number; coverage: number }>();
  for (const h of retrieval.hits) {
    const b = best.get(h.passage.article) ?? { score: 0, coverage: 0 };
    best.set(h.passage.article, { score: Math.max(b.score, h.score), coverage: Math.max(b.coverage, h.coverage) });
  }
  const own = best.get(article);
  if (!own) return [];
  return [...best].filter(([a, b]) => a !== article && b.coverage >= own.coverage && b.score >= own.score * COMPOSE.relatedScore).map(([a]) => a);
}

/** `today`: the question asks about today; a section about an old rule is then not added just to fill the answer. */
function composeFrom(index: KnowledgeIndex, retrieval: Retrieval, article: number, kinds: RegExp[], today: boolean, asked: ReadonlySet<string>): Composition | undefined {
  const weights = retrieval.weights;
  const candidates = sectionsOf(index, article)
    .map((passages) => candidate(index, retrieval, weights, passages, kinds, asked))
    .filter((c) => c.sentences.length > 0);
  if (candidates.length === 0) return undefined;
  const total = [...weights.values()].reduce((a, b) => a + b, 0) || 1;
  // What the article can answer at all: words no section matches do not make a further section look less useful.
  const matchable = new Map<number, number>();
  for (const c of candidates) for (const [o, s] of c.covered) if (s > (matchable.get(o) ?? 0)) matchable.set(o, s);
  const answerable = shareOf(matchable, weights, 1) || 1;
  // For a question about today a section about an old rule counts less, and is added only when it answers a part of the question.
  const oldRule = (c: SectionCandidate) => today && HISTORY_HEADING.test(c.heading);
  for (const c of candidates) if (oldRule(c)) c.value *= COMPOSE.oldRuleToday;
  const order = [...candidates].sort((a, b) => b.value - a.value);
  const chosen = [order[0]];
  const covered = new Map(order[0].covered);
  let chars = Math.min(order[0].chars, COMPOSE.sectionChars);
  while (chosen.length < COMPOSE.maxSections) {
    let pick: SectionCandidate | undefined;
    let pickGain = 0;
    for (const c of order) {
      if (chosen.includes(c) || chars + Math.min(c.chars, COMPOSE.sectionChars) > COMPOSE.maxChars) continue;
      let gain = 0;
      for (const [o, s] of c.covered) if (s > (covered.get(o) ?? 0)) gain += (weights.get(o) ?? 0) * (s - (covered.get(o) ?? 0));
      gain /= answerable;
      if (oldRule(c) && gain < COMPOSE.secondGain) continue;
      if (gain > pickGain) [pick, pickGain] = [c, gain];
    }
    if (!pick) {
      // Nothing adds words of the question: the next best section, when the answer stays short.
      pick = order.find((c) => !chosen.includes(c) && !oldRule(c) && chars + Math.min(c.chars, COMPOSE.sectionChars) <= COMPOSE.fillChars);
      if (!pick) break;
    } else if (pickGain < COMPOSE.secondGain && chars + Math.min(pick.chars, COMPOSE.sectionChars) > COMPOSE.fillChars) break;
    chosen.push(pick);
    chars += Math.min(pick.chars, COMPOSE.sectionChars);
    for (const [o, s] of pick.covered) if (s > (covered.get(o) ?? 0)) covered.set(o, s);
  }
  if (chosen.every((c) => HISTORY_HEADING.test(c.heading))) {
    const today = order.find((c) => !chosen.includes(c) && !HISTORY_HEADING.test(c.heading) && c.covered.size > 0);
    if (today) chosen.push(today);
  }
  // Reading order: articles state today's rule first and the old one after it.
  chosen.sort((a, b) => candidates.indexOf(a) - candidates.indexOf(b));
  const parts: AnswerPart[] = [];
  for (const section of chosen) {
    const sentences = quote(section, weights).sort((a, b) => a.i - b.i);
    const first = parts.length;
    for (const s of sentences) {
      const passage = section.passageOf[s.i];
      const last = parts[parts.length - 1];
      if (parts.length > first && last.passage === passage) last.text += ` ${s.text}`;
      else parts.push({ passage, text: s.text, ...(parts.length === first && passage.heading !== passage.title && { heading: passage.heading }) });
    }
  }
  return { article, parts, value: order[0].value, coverage: shareOf(covered, weights, total) };
}
