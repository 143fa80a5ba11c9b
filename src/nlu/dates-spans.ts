import { day, lastDayOfMonth, mondayOf, plusDays, yearOf } from './calendar-days';
import { END, MIDDLE, NEXT, type Range, START } from './date-words';
import { numberWord } from './numbers';

/** Spans that are no single day, week or month, for parseWhen (dates.ts): folded words in, a range out. */

/** "Anfang nächsten Jahres", "Anfang 2027", "im neuen Jahr", "nach dem Jahreswechsel", "early next year": January. */
export function yearStart(words: string[], today: string): Range | undefined {
  const next = yearOf(today) + 1;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    let y: number | undefined;
    if (w === 'jahreswechsel' && ['nach', 'after'].includes(words[i - 1] === 'dem' ? words[i - 2] : words[i - 1])) y = next;
    else if ((w === 'jahr' || w === 'year') && (words[i - 1] === 'neuen' || words[i - 1] === 'new') && words[i - 2] !== 'vor' && words[i - 2] !== 'before') y = next;
    else if ((w === 'jahres' || w === 'year') && NEXT.has(words[i - 1] ?? '') && START.has(words[i - 2] === 'des' ? words[i - 3] : words[i - 2] ?? '')) y = next;
    else if (/^20\d\d$/.test(w) && START.has(words[i - 1] ?? '') && Number(w) >= yearOf(today)) y = Number(w);
    if (y !== undefined) return { from: day(y, 1, 1)!, to: lastDayOfMonth(y, 1) };
  }
  return undefined;
}

/** "in den nächsten Tagen", "die nächsten Tage", "in the next few days": tomorrow and the week after it. */
export function nextDays(words: string[], today: string): Range | undefined {
  for (let i = 1; i < words.length; i++) {
    if ((words[i] === 'tagen' || words[i] === 'tage' || words[i] === 'days') && (NEXT.has(words[i - 1]) || (words[i - 1] === 'few' && NEXT.has(words[i - 2] ?? '')))) {
      return { from: plusDays(today, 1), to: plusDays(today, 7) };
    }
  }
  return undefined;
}

/** "Ende der Woche", "Mitte der Woche" without "nächste": this week's part, from today on; undefined once it has passed. */
export function partOfThisWeek(words: string[], today: string): Range | undefined {
  for (let i = 2; i < words.length; i++) {
    if (words[i] !== 'woche' || words[i - 1] !== 'der') continue;
    const w = words[i - 2];
    const monday = mondayOf(today);
    const r = START.has(w) ? { from: monday, to: plusDays(monday, 1) } : MIDDLE.has(w) ? { from: plusDays(monday, 1), to: plusDays(monday, 3) } : END.has(w) ? { from: plusDays(monday, 3), to: plusDays(monday, 4) } : undefined;
    if (!r || r.to < today) return undefined;
    return { from: r.from < today ? today : r.from, to: r.to };
  }
  return undefined;
}

const ORDINAL_STEMS: Record<string, number> = {
  erst: 1, zweit: 2, dritt: 3, viert: 4, fuenft: 5, sechst: 6, siebt: 7, siebent: 7, acht: 8, neunt: 9, zehnt: 10, elft: 11, zwoelft: 12,
  dreizehnt: 13, vierzehnt: 14, fuenfzehnt: 15, sechzehnt: 16, siebzehnt: 17, achtzehnt: 18, neunzehnt: 19,
};

/** "dritten" → 3, "einundzwanzigsten" → 21: a day of the month written as a German ordinal word (1–31). */
export function dayOrdinal(w: string): number | undefined {
  for (const ending of ['en', 'er', 'es', 'em', 'e']) {
    if (!w.endsWith(ending)) continue;
    const stem = w.slice(0, -ending.length);
    if (ORDINAL_STEMS[stem]) return ORDINAL_STEMS[stem];
    if (stem.endsWith('st')) {
      const n = numberWord(stem.slice(0, -2));
      if (n !== undefined && n >= 20 && n <= 31) return n;
    }
  }
  return undefined;
}

const QUARTER_ORDINAL: Record<string, number> = { ersten: 1, erste: 1, zweiten: 2, zweite: 2, dritten: 3, dritte: 3, vierten: 4, vierte: 4, letzten: 4, first: 1, second: 2, third: 3, fourth: 4 };
const SEASONS: Record<string, [number, number]> = { fruehjahr: [3, 5], fruehling: [3, 5], spring: [3, 5], sommer: [6, 8], summer: [6, 8], herbst: [9, 11], autumn: [9, 11] };

/** "im ersten Quartal", "Q2", "im Frühjahr", "im Herbst": those months, this year's or, once passed, next year's; from today on. */
export function quarterOrSeason(tokens: { t: string; kind: string }[], today: string): Range | undefined {
  const words = tokens.map((t) => t.t);
  let months: [number, number] | undefined;
  for (let i = 0; i < words.length && !months; i++) {
    const w = words[i];
    if (SEASONS[w]) months = SEASONS[w];
    let q: number | undefined;
    if (w === 'quartal' || w === 'quarter') q = QUARTER_ORDINAL[words[i - 1] ?? ''] ?? (words[i - 1] === '.' && tokens[i - 2]?.kind === 'num' ? Number(words[i - 2]) : undefined);
    if (w === 'q' && tokens[i + 1]?.kind === 'num') q = Number(words[i + 1]);
    if (q !== undefined && q >= 1 && q <= 4) months = [3 * q - 2, 3 * q];
  }
  if (!months) return undefined;
  let y = yearOf(today);
  if (lastDayOfMonth(y, months[1]) < today) y++;
  const from = day(y, months[0], 1)!;
  return { from: from < today ? today : from, to: lastDayOfMonth(y, months[1]) };
}
