import {
  day,
  isNamedDay,
  isWorkingDay,
  lastDayOfMonth,
  mondayOf,
  monthOf,
  nextNamedDay,
  plusDays,
  trimToWorkingDays,
  yearOf,
} from './calendar-days';
import { END, MIDDLE, MONTHS, NEXT, type Range, START, WEEK } from './date-words';
import type { Token } from './tokens';

/** Months, their parts and the holidays people name as landmarks, for parseWhen (dates.ts). */

/** "Ende des Monats", "Anfang nächsten Monats", "nächsten Monat". */
export function monthEdge(words: string[], today: string): Range | undefined {
  const i = words.findIndex((w) => w === 'monat' || w === 'monats' || w === 'month' || w === 'monatsende' || w === 'monatsanfang');
  if (i < 0) return undefined;
  const next = NEXT.has(words[i - 1] ?? '');
  let y = yearOf(today);
  let m = monthOf(today) + (next ? 1 : 0);
  if (m > 12) {
    m = 1;
    y++;
  }
  const mod = words[i] === 'monatsende' ? 'end' : words[i] === 'monatsanfang' ? 'start' : modifierBefore(words, next ? i - 1 : i);
  return clipToToday(monthPart(y, m, mod), today);
}

function modifierBefore(words: string[], i: number): 'start' | 'middle' | 'end' | undefined {
  for (const k of [i - 1, i - 2, i - 3]) {
    const w = words[k] ?? '';
    if (START.has(w)) return 'start';
    if (MIDDLE.has(w)) return 'middle';
    if (END.has(w)) return 'end';
  }
  return undefined;
}

/** A month; its first or last five working days; or the working week around the 15th. */
function monthPart(y: number, m: number, mod: 'start' | 'middle' | 'end' | undefined): Range {
  const first = day(y, m, 1)!;
  const last = lastDayOfMonth(y, m);
  if (mod === 'start') return { from: first, to: nthWorkingDay(first, 5, 1) };
  if (mod === 'middle') {
    const monday = mondayOf(day(y, m, 15)!);
    return { from: monday, to: plusDays(monday, 4) };
  }
  if (mod === 'end') return { from: nthWorkingDay(last, 5, -1), to: last };
  return { from: first, to: last };
}

/** The n-th working day counted from `start` (itself included) in direction `step`. */
function nthWorkingDay(start: string, n: number, step: 1 | -1): string {
  let d = start;
  let seen = 0;
  for (let i = 0; i < 40; i++, d = plusDays(d, step)) {
    if (isWorkingDay(d) && ++seen === n) return d;
  }
  return d;
}

function clipToToday(r: Range, today: string): Range | undefined {
  if (r.to < today) return undefined;
  return r.from < today ? { from: today, to: r.to } : r;
}

const ORDINAL_WEEK: Record<string, number> = { erste: 1, ersten: 1, zweite: 2, zweiten: 2, dritte: 3, dritten: 3, vierte: 4, vierten: 4, letzte: -1, letzten: -1, first: 1, second: 2, third: 3, last: -1 };

/** "erste Märzwoche", "zweite Woche im Februar", "zweite Februarhälfte", "erste Hälfte März". */
function monthSection(words: string[], today: string): Range | undefined {
  for (let i = 0; i < words.length; i++) {
    const n = ORDINAL_WEEK[words[i]];
    if (n === undefined) continue;
    let month: number | undefined;
    let unit: 'woche' | 'haelfte' | undefined;
    for (const [suffix, u] of [['woche', 'woche'], ['week', 'woche'], ['haelfte', 'haelfte'], ['half', 'haelfte']] as const) {
      const w = words[i + 1] ?? '';
      if (w.endsWith(suffix) && MONTHS[w.slice(0, -suffix.length)]) [month, unit] = [MONTHS[w.slice(0, -suffix.length)], u];
      else if (w === suffix) {
        const m = words.slice(i + 2, i + 5).find((x) => MONTHS[x] && x.length > 3);
        if (m) [month, unit] = [MONTHS[m], u];
      }
    }
    if (!month || !unit) continue;
    let y = yearOf(today);
    if (lastDayOfMonth(y, month) < today) y++;
    const first = trimToWorkingDays(day(y, month, 1)!, lastDayOfMonth(y, month)).from;
    if (unit === 'haelfte') return clipToToday(n === 1 ? { from: day(y, month, 1)!, to: day(y, month, 15)! } : { from: day(y, month, 16)!, to: lastDayOfMonth(y, month) }, today);
    if (n === -1) return clipToToday(monthPart(y, month, 'end'), today);
    const monday = plusDays(mondayOf(first), (n - 1) * 7);
    return clipToToday({ from: monday < first ? first : monday, to: plusDays(monday, 4) }, today);
  }
  return undefined;
}

/** "im März", "Mitte Januar", "Anfang April 2027": this year's month, or next year's once passed. */
export function monthRange(tokens: Token[], today: string): Range | undefined {
  const words = tokens.map((t) => t.t);
  const section = monthSection(words, today);
  if (section) return section;
  const ranges: Range[] = [];
  for (let i = 0; i < words.length && ranges.length < 2; i++) {
    const m = MONTHS[words[i]];
    if (!m) continue;
    // Short forms need a context word so "mit" or "jan" as names are not months.
    if (words[i].length <= 3 && !['im', 'in', 'anfang', 'mitte', 'ende'].includes(words[i - 1] ?? '')) continue;
    let y = tokens[i + 1]?.kind === 'num' && tokens[i + 1].t.length === 4 ? Number(words[i + 1]) : yearOf(today);
    if (y === yearOf(today) && lastDayOfMonth(y, m) < today) y++;
    const r = clipToToday(monthPart(y, m, modifierBefore(words, i)), today);
    if (r) ranges.push(r);
  }
  // "Ende Januar oder Anfang Februar": from the first to the last.
  if (ranges.length === 2 && ranges[1].to > ranges[0].from) return { from: ranges[0].from, to: ranges[1].to };
  return ranges[0];
}

/** "zwischen den Jahren": the working days between Christmas and New Year. */
export function betweenTheYears(words: string[], today: string): Range | undefined {
  const i = words.indexOf('jahren');
  if (i < 2 || words[i - 1] !== 'den' || words[i - 2] !== 'zwischen') return undefined;
  const christmas = nextNamedDay('weihnachten', today)!;
  return { from: plusDays(christmas, 1), to: plusDays(christmas, 7) };
}

/** "nach Neujahr", "vor Weihnachten", "Woche nach Ostern", "zwischen Weihnachten und Neujahr". */
export function holiday(tokens: Token[], today: string): Range | undefined {
  const words = tokens.map((t) => t.t);
  const at = words.findIndex(isNamedDay);
  if (at < 0) return undefined;
  const date = nextNamedDay(words[at], today)!;
  const second = words.findIndex((w, i) => i > at && isNamedDay(w));
  if (words[at - 1] === 'zwischen' || words[at - 2] === 'zwischen' || (words[at - 1] === 'between')) {
    if (second > 0) {
      let end = nextNamedDay(words[second], date)!;
      if (end <= date) end = nextNamedDay(words[second], plusDays(date, 1))!;
      return { from: plusDays(date, 1), to: plusDays(end, -1) };
    }
  }
  const before = words.slice(Math.max(0, at - 3), at);
  const week = before.some((w) => WEEK.has(w));
  if (before.includes('nach') || before.includes('after')) {
    if (week) {
      const monday = plusDays(mondayOf(date), 7);
      return { from: monday, to: plusDays(monday, 4) };
    }
    return { from: plusDays(date, 1), to: plusDays(date, 7) };
  }
  if (before.includes('vor') || before.includes('before')) {
    if (week) {
      const monday = plusDays(mondayOf(date), -7);
      return { from: monday < today ? today : monday, to: plusDays(monday, 4) };
    }
    const from = plusDays(date, -7);
    return { from: from < today ? today : from, to: plusDays(date, -1) };
  }
  return { from: date, to: date };
}
