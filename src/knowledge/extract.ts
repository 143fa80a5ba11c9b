import type { QueryTerm } from './analyzer';
import type { Hit, KnowledgeIndex, Retrieval } from './retriever';
import { sentencesWithLines } from './sentences';

/** At most this many sentences and roughly this many characters: a chat reply, not a page. */
const MAX_SENTENCES = 4;
const MAX_CHARS = 600;
/** A further sentence must add at least this share of the question's weighted words. */
const MIN_GAIN = 0.08;
/**
 * A typed word found only in the passage's title or heading counts this much for its sentences.
 * This, HEADING_BONUS and the retrieval prior were chosen by a sweep on the dev questions
 * (test/knowledge/calibration.json), see docs/knowledge.md.
 */
const HEADING_SHARE = 0.8;
/** Expansions (synonyms, abbreviations) in a sentence count at least this much: the sentence says the same thing. */
const EXPANSION_FLOOR = 0.8;

/**
 * Question types with the kind of sentence that answers them: "wie viele", "wie hoch", "bis
 * wann", "how much" want a figure; "was kostet", "kostenlos?" want a statement about cost. A
 * sentence of the wanted kind counts more, one without it less.
 */
const NUMBER_WORDS = 'zwei|drei|vier|f(ü|ue)nf|sechs|sieben|acht|neun|zehn|elf|zw(ö|oe)lf|zwanzig|drei(ß|ss)ig|hundert|tausend|dutzend|million(en)?|milliarde(n)?';
const MONTHS = 'januar|februar|märz|april|mai|juni|juli|august|september|oktober|november|dezember';
const MONTH_OR_SEASON = `${MONTHS}|frühjahr|sommer|herbst|winter`;
/**
 * A figure that can answer "wie viele" or "wie hoch": a number, but not a year ("2019"), a day
 * of a date ("8. April") or the number of a label or reference ("Nr. 228", "Art. 33", "Stufe 1"),
 * which a section about something else has just as well; or a number word ("ein" is none: it is
 * the article in nearly every sentence).
 */
const FIGURE = new RegExp(
  `(?<![\\p{L}\\d.,/-])(?<!\\b(nr|art|abs|ziff|stufe|phase|schritt|kapitel|seite|nummer)\\.?\\s?)(?!(19|20)\\d\\d(?![\\d]|[.,]\\d))(?!\\d{1,2}\\.\\s?(${MONTHS}))\\d|\\b(${NUMBER_WORDS})\\b`,
  'iu',
);
/** A duration ("72 Stunden", "2 bis 3 Monate", "mindestens 5 Jahre"), an end ("bis 2026") or a word for how soon. */
const DURATION = new RegExp(
  `(?<![\\p{L}\\d])(\\d+|ein(em|en|er)?|${NUMBER_WORDS})(\\s(bis|und|oder)\\s\\d+)?[\\s-](stunden?|tagen?|werktagen?|wochen?|monaten?|jahren?|hours?|days?|weeks?|months?|years?)\\b` +
    `|\\b(unverzüglich|sofort|umgehend|frist|befristet|unbefristet|dauerhaft|auf dauer)\\b|\\bbis (zum |ende |spätestens )?(\\d|${MONTHS})`,
  'iu',
);
export const ANSWER_KINDS: { asks: RegExp; answer: RegExp }[] = [
  // how many, how much, how big
  {
    asks: /\b(wie ?viele?|wieviele?|wie hoch|wie gro(ß|ss)|wie alt|anzahl|betrag|summe|mindestens|h(ö|oe)chstens|how (many|much)|amount)\b/i,
    answer: FIGURE,
  },
  // a point in time
  {
    asks: /\b(wann|until when|since when|when)\b/i,
    // "(Stand 2024)" dates a statement, it is not the point in time asked for.
    answer: new RegExp(`(?<!Stand )\\b(19|20)\\d\\d\\b|\\b(${MONTH_OR_SEASON}|seitdem)\\b`, 'iu'),
  },
  // a duration or deadline
  {
    asks: /\b(wie lange|how long|dauer|dauert|frist|deadline)\b/i,
    answer: DURATION,
  },
  // what to do, where to turn: instructions ("Holen Sie sofort Hilfe", "Erstatten Sie Anzeige") or a contact
  {
    asks: /\b(was tun|was nun|was jetzt|was (soll|sollen|muss|m(ü|ue)ssen) (ich|wir|man)|wo (erstatte|erstatten|melde|melden)|an wen|wen (rufe|rufen)|what (should|do) (i|we)|what to do)\b/i,
    answer: /\b\p{L}+en Sie\b|\b(sofort|umgehend|hotline)\b|(?<!\p{L})0\d{2,4}[-\s/]?\d/iu,
  },
  // an e-mail address
  {
    asks: /\b(e-?mail-?adresse[n]?|mailadresse[n]?|e-?mail adresse[n]?|mail adresse[n]?|e-?mail address|email address)\b/i,
    answer: /[\p{L}\d.-]@[\p{L}\d-]+\./u,
  },
  // a telephone number or when someone can be reached
  {
    asks: /\b(nummer|telefonnummer|rufnummer|telefon|hotline|anrufen|erreichbar|erreiche|erreichen|phone|call|number|reachable)\b/i,
    answer: /(?<![\p{L}\d])0\d{2,4}[-\s/]+\d|\b(rund um die uhr|24\/7|hotline)\b/iu,
  },
  // where to find or download something: a web address
  {
    asks: /\b(runterladen|herunterladen|download|downloaden|wo finde|wo find|wo bekomme|webseite|website|internetseite|url)\b/i,
    answer: /\b[a-z0-9-]+\.(de|eu|org|com|net)\b|https?:\/\//i,
  },
  // cost
  {
    asks: /\b(kostet|kosten|kostenlos|kostenfrei|geb(ü|ue)hr\w*|preis|umsonst|gratis|cost|costs|free|fee|price)\b/i,
    // An amount comes with its currency: a bare number ("Stufe 1", "seit 2024") says nothing about cost.
    answer: /\b(kostenlos|kostenfrei|gratis|umsonst|kostet|kosten|geb(ü|ue)hr\w*|euro|eigenanteil)\b|€/iu,
  },
];
const KIND_MATCH = 1.3;
const KIND_MISS = 0.7;
const ARTICLE_POINTER = /(Beispiele |mehr |siehe )?(im |den )?Artikel(n)? „[^“]*“/g;
/** Share of the question's weighted words in the section heading, added to each of its sentences. */
const HEADING_BONUS = 0.4;

/** Does a sentence term match a query term? Exact stems; typed words also as the start of a longer word. */
function matches(t: QueryTerm, own: readonly string[]): boolean {
  for (const o of own) {
    if (o === t.term) return true;
    // "kost" (kostet) ~ "kostenlos", "prufung" ~ "prufungsbericht"; only for what the user typed.
    if (t.boost === 1 && t.term.length >= 4 && o.length > t.term.length && o.startsWith(t.term)) return true;
    if (t.boost === 1 && o.length >= 5 && t.term.length > o.length && t.term.startsWith(o)) return true;
  }
  return false;
}

/** Per typed word (origin) the best boost with which it matches the given terms. */
function matchedOrigins(terms: QueryTerm[], own: readonly string[]): Map<number, number> {
  const found = new Map<number, number>();
  for (const t of terms) {
    if (t.origin < 0) continue;
    const boost = t.boost === 1 ? 1 : Math.max(t.boost, EXPANSION_FLOOR);
    if ((found.get(t.origin) ?? 0) >= boost) continue;
    if (matches(t, own)) found.set(t.origin, boost);
  }
  return found;
}

export interface ScoredSentence {
  /** Position in the passage. */
  i: number;
  /** Line of the passage (an article line holds one statement, possibly in several sentences). */
  line: number;
  text: string;
  value: number;
  /** Of the kind of answer the question wants (a figure, a date, …). */
  ofKind: boolean;
  /** Typed words (origins) the sentence itself matches, with the strength of the match. */
  covered: Map<number, number>;
}

/** A passage's sentences and heading, split and analysed once, not for every question that retrieves it. */
interface AnalysedPassage {
  titleAndHeading: readonly string[];
  /** Terms of the section heading when it differs from the title. */
  heading?: readonly string[];
  sentences: { text: string; line: number; terms: readonly string[] }[];
}

/**
 * Bounded so a very large knowledge base does not keep every passage it ever answered from:
 * the oldest entry goes first (the same questions, and so passages, recur in practice).
 */
const ANALYSED_MAX = 2_000;
const analysedCache = new Map<Hit['passage'], AnalysedPassage>();

export function analysedPassage(index: KnowledgeIndex, p: Hit['passage']): AnalysedPassage {
  let a = analysedCache.get(p);
  if (a) return a;
  a = {
    titleAndHeading: index.analyzer.terms(p.heading === p.title ? p.title : `${p.title} ${p.heading}`),
    heading: p.heading !== p.title ? index.analyzer.terms(p.heading) : undefined,
    sentences: sentencesWithLines(p.text).map(({ text, line }) => ({
      text,
      line,
      // A pointer to another article ("siehe Artikel „KDLZ CS heute“") names that article's
      // topic without answering; its quoted title does not count as a match.
      terms: index.analyzer.terms(text.replace(ARTICLE_POINTER, ' ')),
    })),
  };
  if (analysedCache.size >= ANALYSED_MAX) analysedCache.delete(analysedCache.keys().next().value!);
  analysedCache.set(p, a);
  return a;
}

export function scoreSentences(index: KnowledgeIndex, retrieval: Retrieval, hit: Hit, kinds: RegExp[]): ScoredSentence[] {
  const { terms, weights } = retrieval;
  const total = [...weights.values()].reduce((a, b) => a + b, 0) || 1;
  const p = hit.passage;
  const analysed = analysedPassage(index, p);
  const inHeading = matchedOrigins(terms, analysed.titleAndHeading);
  // A section heading is a person's summary of what the section answers.
  let headingShare = 0;
  if (analysed.heading) {
    for (const [origin, boost] of matchedOrigins(terms, analysed.heading)) headingShare += (weights.get(origin) ?? 0) * boost;
    headingShare /= total;
  }
  return analysed.sentences.map(({ text, line, terms: sentenceTerms }, i) => {
    const inSentence = matchedOrigins(terms, sentenceTerms);
    let value = 0;
    for (const [origin, w] of weights) {
      const own = inSentence.get(origin);
      if (own !== undefined) value += w * own;
      else {
        const head = inHeading.get(origin);
        if (head !== undefined) value += w * head * HEADING_SHARE;
      }
    }
    value = value / total + HEADING_BONUS * headingShare;
    let ofKind = kinds.length > 0;
    for (const kind of kinds) {
      const hit = kind.test(text);
      ofKind &&= hit;
      value *= hit ? KIND_MATCH : KIND_MISS;
    }
    return { i, line, text, value, ofKind, covered: inSentence };
  });
}

/**
 * The best sentence plus further sentences of the passage that answer what it leaves open, in
 * reading order. A message with several questions ("Gibt es eine Frist, und kostet das
 * Gebühren?") needs a sentence per question: after the best sentence, sentences are added by how
 * much of the question's (weighted) words they add that the chosen ones do not match yet; then
 * sentences nearly as good as the best.
 */
export function pickSentences(scored: ScoredSentence[], first: ScoredSentence, weights: Map<number, number>): ScoredSentence[] {
  const chosen = [first];
  let length = first.text.length;
  const total = [...weights.values()].reduce((a, b) => a + b, 0) || 1;
  const covered = new Map(first.covered);
  for (;;) {
    let pick: ScoredSentence | undefined;
    let pickGain = 0;
    for (const c of scored) {
      if (chosen.includes(c) || length + c.text.length > MAX_CHARS) continue;
      let gain = 0;
      for (const [origin, strength] of c.covered) {
        const before = covered.get(origin) ?? 0;
        if (strength > before) gain += (weights.get(origin) ?? 0) * (strength - before);
      }
      gain /= total;
      if (gain > pickGain) {
        pick = c;
        pickGain = gain;
      }
    }
    if (!pick || pickGain < MIN_GAIN || chosen.length >= MAX_SENTENCES) break;
    chosen.push(pick);
    length += pick.text.length;
    for (const [origin, strength] of pick.covered) if (strength > (covered.get(origin) ?? 0)) covered.set(origin, strength);
  }
  const rest = scored.filter((s) => !chosen.includes(s)).sort((a, b) => b.value - a.value || a.i - b.i);
  for (const c of rest) {
    if (chosen.length >= MAX_SENTENCES || c.value < first.value * 0.6) break;
    if (length + c.text.length > MAX_CHARS) continue;
    chosen.push(c);
    length += c.text.length;
  }
  // A lone short sentence ("Der Dienst ist kostenlos.") reads better with its neighbour.
  if (chosen.length === 1 && first.text.length < 80) {
    const next = scored[first.i + 1] ?? scored[first.i - 1];
    if (next && length + next.text.length <= MAX_CHARS) chosen.push(next);
  }
  // The statement goes on in the next sentence of the same line and that one holds the kind of
  // answer asked for ("… lief 2021 aus. Im Dezember 2021 wurde das Programm … verlängert, also bis 2026.").
  const after = scored[first.i + 1];
  if (after && after.line === first.line && after.ofKind && !chosen.includes(after)) chosen.push(after);
  // "Hinweis: …" is how an article marks a fact that changed later (the 2016 limit of 35,000
  // inhabitants, lifted in 2017); an answer from that passage always carries it.
  for (const s of scored) if (/^Hinweis:/.test(s.text) && !chosen.includes(s)) chosen.push(s);
  return chosen.sort((a, b) => a.i - b.i);
}
