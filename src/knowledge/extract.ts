import { QUANTITY } from './analyzer';
import type { Hit, KnowledgeIndex } from './retriever';

/** Abbreviations after which a period does not end a sentence. */
const NO_BREAK = new Set(['abs', 'nr', 'ff', 'bzw', 'ca', 'vgl', 'art', 'dr', 'z', 'b', 'u', 'a', 'd', 'h', 'st', 'ggf', 'evtl', 'inkl', 'zb']);

/** Lines first (articles use one statement per line), then sentences inside a line. */
export function sentences(text: string): string[] {
  const out: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/^\s*[-*]\s+/, '').trim();
    if (!line) continue;
    let start = 0;
    const re = /[.!?]\s+(?=[A-ZÄÖÜ„"(])/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(line))) {
      const before = line.slice(start, m.index);
      const lastWord = (/([\p{L}\p{N}]+)$/u.exec(before)?.[1] ?? '').toLowerCase();
      // "5. September", "Nr. 228", "§§ 54 ff. HVwVfG": a period there is no sentence end.
      if (NO_BREAK.has(lastWord) || /^\d{1,2}$/.test(lastWord)) continue;
      out.push(line.slice(start, m.index + 1).trim());
      start = m.index + m[0].length;
    }
    const rest = line.slice(start).trim();
    if (rest) out.push(rest);
  }
  return out;
}

/** At most this many sentences and roughly this many characters: a chat reply, not a page. */
const MAX_SENTENCES = 3;
const MAX_CHARS = 480;

interface Scored {
  i: number;
  score: number;
  text: string;
}

function scoreSentences(index: KnowledgeIndex, question: string, passageText: string): Scored[] {
  const analyzer = index.analyzer;
  const wantsNumber = QUANTITY.test(question);
  const { terms } = analyzer.queryTerms(question);
  return sentences(passageText).map((s, i) => {
    const own = analyzer.terms(s);
    const origins = new Set<number>();
    let score = 0;
    for (const t of terms) {
      if (t.origin < 0 || origins.has(t.origin)) continue;
      if (own.some((o) => o === t.term || (t.term.length >= 5 && o.startsWith(t.term)) || (o.length >= 5 && t.term.startsWith(o)))) {
        origins.add(t.origin);
        // Rare words decide which sentence answers: "Prüffragen" beats "BSI".
        score += t.boost * index.idf(t.term);
      }
    }
    if (wantsNumber && score > 0 && /\d/.test(s)) score *= 1.5;
    return { i, score, text: s };
  });
}

/**
 * Picks the passage whose best sentence answers the question: sentence match weighted by the
 * passage's retrieval rank, so a sentence that names the asked-for detail in the second passage
 * can win over a generic first passage.
 */
export function choosePassage(index: KnowledgeIndex, question: string, hits: Hit[]): number {
  if (hits.length === 0) return -1;
  const top = hits[0].score;
  let best = 0;
  let bestValue = -1;
  hits.slice(0, 3).forEach((h, n) => {
    const sentenceBest = Math.max(0, ...scoreSentences(index, question, h.passage.text).map((s) => s.score));
    const value = sentenceBest * (0.6 + 0.4 * (h.score / top));
    if (value > bestValue) {
      bestValue = value;
      best = n;
    }
  });
  return best;
}

/**
 * The 1–3 sentences of a passage that answer the question: the best-matching sentence plus
 * further sentences that also match, kept in their original order so the text reads naturally.
 */
export function extractAnswer(index: KnowledgeIndex, question: string, passageText: string): string {
  const scored = scoreSentences(index, question, passageText);
  if (scored.length === 0) return passageText.trim();
  const ranked = [...scored].sort((a, b) => b.score - a.score || a.i - b.i);
  if (ranked[0].score === 0) return scored.slice(0, 2).map((s) => s.text).join(' ');
  const chosen = [ranked[0]];
  let length = ranked[0].text.length;
  for (const c of ranked.slice(1)) {
    if (chosen.length >= MAX_SENTENCES || c.score < ranked[0].score * 0.5) break;
    if (length + c.text.length > MAX_CHARS) continue;
    chosen.push(c);
    length += c.text.length;
  }
  // A lone short sentence ("Der Dienst ist kostenlos.") reads better with its neighbour.
  if (chosen.length === 1 && ranked[0].text.length < 80) {
    const next = scored[ranked[0].i + 1] ?? scored[ranked[0].i - 1];
    if (next && length + next.text.length <= MAX_CHARS) chosen.push(next);
  }
  return chosen
    .sort((a, b) => a.i - b.i)
    .map((c) => c.text)
    .join(' ');
}
