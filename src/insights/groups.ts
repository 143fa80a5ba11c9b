import { foldTokens } from '../text/fold';

export interface QuestionGroup {
  /** A representative question, scrubbed (no e-mail addresses, no long numbers), at most 160 characters. */
  example: string;
  count: number;
  declined: number;
  downVoted: number;
}

/** Words that say nothing about the topic of a question. */
const STOP = new Set(
  'der die das den dem des ein eine einen einem einer und oder aber wie was wer wo wann warum wieso welche welcher welches ist sind war wird werden kann koennen muss muessen soll sollen darf ich wir sie es man mir uns ihr ihre unser unsere mein meine fuer mit von zu zum zur im in an auf aus bei nach ueber unter vor nicht kein keine auch noch schon nur gibt es bitte danke hallo gibt'.split(' '),
);

/** Topic words of a question: folded, without stop words, numbers and addresses, cut to a 5-letter stem ("backen" ~ "backe"). */
function terms(text: string): Set<string> {
  const words = text.split(/\s+/).filter((w) => !w.includes('@'));
  return new Set(
    foldTokens(words.join(' '))
      .filter((t) => t.length > 2 && !STOP.has(t) && !/^\d+$/.test(t))
      .map((t) => t.slice(0, 5)),
  );
}

/**
 * Removes what could point at a person before a question is shown to staff: e-mail addresses,
 * numbers of four or more digits (phone numbers, file numbers), and cuts to 160 characters.
 * Token logic, linear in the text.
 */
export function scrubQuestion(text: string): string {
  const words = text.replace(/\s+/g, ' ').trim().split(' ');
  const out = words.map((w) => {
    if (w.includes('@')) return '[E-Mail]';
    let digits = 0;
    for (const c of w) if (c >= '0' && c <= '9') digits++;
    return digits >= 4 ? '[Nummer]' : w;
  });
  const s = out.join(' ');
  return s.length > 160 ? s.slice(0, 159) + '…' : s;
}

const jaccard = (a: Set<string>, b: Set<string>) => {
  if (!a.size || !b.size) return 0;
  let inter = 0;
  for (const t of a) if (b.has(t)) inter++;
  return inter / (a.size + b.size - inter);
};

/**
 * Greedy grouping by word overlap (Jaccard ≥ 0.5 on topic words): each question joins the first
 * group whose first question is similar enough. Largest groups first.
 */
export function groupSimilar(items: readonly { text: string; kind: 'declined' | 'downVoted' }[], threshold = 0.5): QuestionGroup[] {
  const groups: { key: Set<string>; g: QuestionGroup }[] = [];
  for (const item of items) {
    const t = terms(item.text);
    if (!t.size) continue;
    let hit = groups.find((x) => jaccard(x.key, t) >= threshold);
    if (!hit) {
      hit = { key: t, g: { example: scrubQuestion(item.text), count: 0, declined: 0, downVoted: 0 } };
      groups.push(hit);
    }
    hit.g.count++;
    hit.g[item.kind]++;
  }
  return groups.map((x) => x.g).sort((a, b) => b.count - a.count || a.example.localeCompare(b.example));
}
