import {
  day,
  isoWeekMonday,
  isoWeekYear,
  mondayOf,
  monthOf,
  plusDays,
  trimToWorkingDays,
  weekday,
  yearOf,
} from './calendar-days';
import { AFTER_NEXT, END, MIDDLE, MONTHS, NEXT, type Range, START, THIS, WEEK } from './date-words';
import { betweenTheYears, holiday, monthEdge, monthRange } from './dates-months';
import { dayOrdinal, nextDays, partOfThisWeek, quarterOrSeason, yearStart } from './dates-spans';
import { splitNegated } from './date-negation';
import { fixDateTypo } from './date-typos';
import { numberWord } from './numbers';
import { scan, type Token } from './tokens';

/**
 * When a person wants an appointment, read from their own words: "nächste Woche", "KW 7",
 * "Di., 26.01., ab 14 Uhr", "in zwei Wochen", "Mitte Januar", "nach Neujahr", "Woche nach
 * Ostern", "Dienstag nachmittag", "asap". `today` is the Berlin calendar day (YYYY-MM-DD).
 * Weeks mean their working days (Monday–Friday without Hessian holidays). A part of the day
 * alone ("vormittags") or anything that names no day gives undefined: the prompt asks again.
 */
export type DayPart = 'morning' | 'afternoon';
export type When = { from: string; to: string; part?: DayPart } | { nextFree: true; part?: DayPart };

const WEEKDAYS: Record<string, number> = {
  montag: 1, dienstag: 2, mittwoch: 3, donnerstag: 4, freitag: 5, samstag: 6, sonntag: 7,
  montags: 1, dienstags: 2, mittwochs: 3, donnerstags: 4, freitags: 5,
  monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6, sunday: 7,
};
/** Short forms count only before a point, comma or number ("Di., 26.01.", "Mo 18.1."). */
const WEEKDAY_SHORT: Record<string, number> = { mo: 1, di: 2, mi: 3, do: 4, fr: 5, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5 };
const OR_AND = new Set(['oder', 'und', 'bis', 'or', 'and']);
const MORNING = new Set(['vormittag', 'vormittags', 'morgens', 'frueh', 'morning', 'mornings', 'vormittagen']);
const AFTERNOON = new Set(['nachmittag', 'nachmittags', 'mittags', 'abends', 'afternoon', 'afternoons', 'evening', 'nachmittagen', 'spaetnachmittag']);

export function parseWhen(text: string, today: string): When | undefined {
  // "nächste Woche, aber nicht Montag": the negated clauses are left out, their weekdays excluded.
  const { kept: tokens, negated } = splitNegated(scan(text).map((t) => (t.kind === 'word' ? { ...t, t: fixDateTypo(t.t) } : t)));
  const excluded = new Set(negated.flatMap((clause) => clause.map((_, i) => weekdayAt(clause, i)).filter((d): d is number => d !== undefined)));
  const words = tokens.map((t) => t.t);
  const has = (...w: string[]) => w.some((x) => words.includes(x));
  const part = dayPart(tokens);
  // null: a date or week that cannot exist ("30. Februar", "KW 60"): ask again, guess nothing.
  const explicit = explicitDates(tokens, today);
  if (explicit === null) return undefined;
  const week = explicit ? undefined : calendarWeek(tokens, today);
  if (week === null) return undefined;
  // "Wochenende": no appointments then; asked again rather than moved to a working week.
  if (has('wochenende', 'weekend', 'wochenendes')) return undefined;
  let range =
    explicit ?? week ?? weekdaysIn(tokens, today) ?? relative(tokens, today, has) ?? holiday(tokens, today) ?? monthRange(tokens, today) ??
    betweenTheYears(words, today) ?? yearStart(words, today) ?? nextDays(words, today) ?? partOfThisWeek(words, today) ?? quarterOrSeason(tokens, today);
  // "irgendwann nächste Woche" is next week; "irgendwann" alone is the next free slot.
  if (!range) return isNextFree(words) ? (part ? { nextFree: true, part } : { nextFree: true }) : undefined;
  // "Donnerstag, 15.1." when the 15th is a Friday: one of the two is wrong, so ask.
  if (explicit && explicit.from === explicit.to && contradictsWeekday(tokens, explicit.from)) return undefined;
  // "bis Ende Januar", "spätestens am 22.1.": from today up to that day.
  const u = UNTIL.has(words[0] ?? '') ? 0 : UNTIL.has(words[1] ?? '') && ['am', 'gern', 'gerne', 'also', 'aber'].includes(words[0]) ? 1 : -1;
  // … but "bis 11 Uhr" is a time.
  if (u >= 0 && !(tokens[u + 1]?.kind === 'num' && (words[u + 2] === 'uhr' || words[u + 2] === ':'))) range = { from: today, to: range.to };
  // A weekday ruled out is cut off the edges of the range; a range of only such days is asked again.
  let { from, to } = range;
  while (from < to && excluded.has(weekday(from))) from = plusDays(from, 1);
  while (to > from && excluded.has(weekday(to))) to = plusDays(to, -1);
  if (excluded.has(weekday(from)) && from === to) return undefined;
  const trimmed = trimToWorkingDays(from, to);
  return part ? { ...trimmed, part } : trimmed;
}

const UNTIL = new Set(['bis', 'spaetestens', 'until']);

/** A weekday named beside a single date that falls on another weekday. */
function contradictsWeekday(tokens: Token[], iso: string): boolean {
  const named = new Set<number>();
  for (let i = 0; i < tokens.length; i++) {
    const wd = weekdayAt(tokens, i);
    if (wd) named.add(wd);
  }
  return named.size === 1 && !named.has(weekday(iso));
}

function isNextFree(w: string[]): boolean {
  const at = (i: number, ...seq: string[]) => seq.every((s, j) => w[i + j] === s);
  for (let i = 0; i < w.length; i++) {
    if (['asap', 'fruehestmoeglich', 'naechstmoeglich', 'schnellstmoeglich', 'baldmoeglichst', 'egal', 'irgendwann', 'zeitnah', 'umgehend', 'baldigst', 'sofort', 'schnellstens', 'baldestmoeglich'].includes(w[i])) return true;
    if (w[i] === 'moeglichst' && ['frueh', 'bald', 'schnell', 'zeitnah'].includes(w[i + 1])) return true;
    if (w[i] === 'so' && ['frueh', 'schnell', 'bald'].includes(w[i + 1]) && w[i - 1] !== 'nicht') return true;
    if (at(i, 'next', 'available') || at(i, 'any', 'time') || at(i, 'anytime') || at(i, 'wann', 'immer') || ['jederzeit', 'whenever', 'flexibel', 'soon'].includes(w[i])) return true;
    // "bald", "möglichst bald", but not "nicht so bald".
    if (w[i] === 'bald' && !w.includes('nicht') && !w.includes('not')) return true;
    if ((w[i] === 'naechster' || w[i] === 'naechsten' || w[i] === 'erster' || w[i] === 'ersten') && (w[i + 1] ?? '').startsWith('frei')) return true;
    if (at(i, 'wie', 'moeglich') && ['bald', 'schnell', 'frueh'].includes(w[i - 1])) return true;
    if (at(i, 'as', 'soon', 'as') || at(i, 'first', 'available') || at(i, 'earliest')) return true;
    if ((w[i] === 'fruehester' || w[i] === 'fruehesten') && (w[i + 1] ?? '').startsWith('termin')) return true;
  }
  return false;
}

function dayPart(tokens: Token[]): DayPart | undefined {
  for (let i = 0; i < tokens.length; i++) {
    const w = tokens[i].t;
    // "möglichst früh", "so früh wie möglich" mean soon, not morning.
    if (w === 'frueh' && ['moeglichst', 'so', 'zu', 'wie'].includes(tokens[i - 1]?.t ?? '')) continue;
    if (MORNING.has(w) || w.endsWith('vormittag') || w.endsWith('vormittags') || (w.length > 5 && w.endsWith('frueh'))) return 'morning';
    if (AFTERNOON.has(w) || w.endsWith('nachmittag') || w.endsWith('nachmittags')) return 'afternoon';
    if (w === 'morgen' && tokens[i - 1]?.t === 'am') return 'morning';
    // "ab 14 Uhr", "nach 13 Uhr" → afternoon; "vor 12 Uhr", "bis 11 Uhr" → morning.
    const n = tokens[i + 1]?.kind === 'num' ? Number(tokens[i + 1].t) : undefined;
    if (n !== undefined && n <= 23 && (tokens[i + 2]?.t === 'uhr' || tokens[i + 2]?.t === ':')) {
      if ((w === 'ab' || w === 'nach' || w === 'after') && n >= 12) return 'afternoon';
      if ((w === 'vor' || w === 'bis' || w === 'before') && n <= 12) return 'morning';
      if (w === 'um' || w === 'gegen' || w === 'at' || w === 'ca') return n >= 12 ? 'afternoon' : 'morning';
      // "Donnerstag, 14 Uhr": a time alone names its part of the day.
      if (tokens[i + 2]?.t === 'uhr' && !['ab', 'nach', 'after', 'vor', 'bis', 'before', 'zwischen', 'von', 'from', 'und', '-'].includes(w)) return n >= 12 ? 'afternoon' : 'morning';
    }
  }
  return undefined;
}

/** The weekday a token names ("dienstag", "Di." before a date, "dienstagnachmittag"). */
function weekdayAt(tokens: Token[], i: number): number | undefined {
  const w = tokens[i].t;
  if (WEEKDAYS[w]) return WEEKDAYS[w];
  const next = tokens[i + 1];
  const prev = tokens[i - 1];
  if (WEEKDAY_SHORT[w] && ((next && (next.t === '.' || next.t === ',' || next.t === '-' || next.t === '/' || next.kind === 'num')) || ((prev?.t === '-' || prev?.t === '/') && WEEKDAY_SHORT[tokens[i - 2]?.t ?? '']))) return WEEKDAY_SHORT[w];
  // "Di oder Mi", "Mo und Di": a short form beside another weekday.
  const joined = (k: number, j: number) => OR_AND.has(tokens[k]?.t ?? '') && (WEEKDAY_SHORT[tokens[j]?.t ?? ''] || WEEKDAYS[tokens[j]?.t ?? '']);
  if (WEEKDAY_SHORT[w] && w !== 'do' && (joined(i + 1, i + 2) || joined(i - 1, i - 2))) return WEEKDAY_SHORT[w];
  if (w === 'do' && (joined(i - 1, i - 2) || (joined(i + 1, i + 2) && tokens[i + 2]?.t !== 'it'))) return 4;
  for (const part of ['nachmittag', 'vormittag', 'nachmittags', 'vormittags', 'morgen', 'abend', 'abends', 'frueh', 'mittag']) {
    if (w.endsWith(part) && WEEKDAYS[w.slice(0, -part.length)]) return WEEKDAYS[w.slice(0, -part.length)];
  }
  return undefined;
}

/** "26.01.", "18.1.2027", "2027-01-26", "15. Juni", "am 20.", optionally "bis"/"-" a second date. */
function explicitDates(tokens: Token[], today: string): Range | undefined | null {
  const found: { iso: string; end: number; at: number }[] = [];
  let invalid = false;
  for (let i = 0; i < tokens.length; i++) {
    const d = dayBeforeRange(tokens, i, today) ?? dateAt(tokens, i, today);
    if (d === null) invalid = true;
    else if (d) {
      found.push({ ...d, at: i });
      i = d.end - 1;
    }
  }
  if (found.length === 0) return invalid ? null : undefined;
  if (found.length >= 2 && found[1].iso > found[0].iso) return { from: found[0].iso, to: found[1].iso };
  const words = tokens.map((t) => t.t);
  const d = found[0].iso;
  // "die Woche vom 8.2." → that week; "ab dem 1. März" → a week from that day.
  if (words.some((w) => WEEK.has(w)) && words.some((w) => w === 'vom' || w === 'ab' || w === 'um' || w === 'of')) return { from: mondayOf(d) < today ? today : mondayOf(d), to: plusDays(mondayOf(d), 4) };
  const before = words.slice(Math.max(0, found[0].at - 3), found[0].at);
  if (before.includes('ab') || before.includes('from')) return { from: d, to: plusDays(d, 6) };
  // "vor dem 15. Februar": from today up to the day before.
  if ((before.includes('vor') || before.includes('before')) && plusDays(d, -1) >= today) return { from: today, to: plusDays(d, -1) };
  // "nach dem 20. Januar": the week after that day.
  if (before.includes('nach') || before.includes('after')) return { from: plusDays(d, 1), to: plusDays(d, 7) };
  return { from: d, to: d };
}

/** "1. bis 5. März", "zwischen dem 1. und 5.3.": the first day takes month and year of the second. */
function dayBeforeRange(tokens: Token[], i: number, today: string): { iso: string; end: number } | undefined {
  const t = (k: number) => tokens[i + k];
  if (t(0)?.kind !== 'num' || t(1)?.t !== '.' || !['bis', 'und', '-', 'to', 'oder', 'or'].includes(t(2)?.t ?? '')) return undefined;
  const at = i + (t(3)?.t === 'zum' || t(3)?.t === 'dem' ? 4 : 3);
  // "am 19. oder 20.": the second day alone, read as "am 20." is.
  const second = dateAt(tokens, at, today) ?? (tokens[at]?.kind === 'num' && tokens[at + 1]?.t === '.' && tokens[at + 2]?.kind !== 'num' ? dayOfMonth(Number(tokens[at].t), at + 2, today) : undefined);
  if (!second) return undefined;
  const [y, m] = second.iso.split('-').map(Number);
  const iso = day(y, m, Number(t(0).t));
  return iso && iso <= second.iso ? { iso, end: i + 2 } : undefined;
}

/** A date starting at token i: {iso, end}, null for an impossible date (30.02.), undefined for none. */
function dateAt(tokens: Token[], i: number, today: string): { iso: string; end: number } | null | undefined {
  const t = (k: number) => tokens[i + k];
  // "am dritten Dezember", "zum ersten März"
  const ordinal = t(0).kind === 'word' ? dayOrdinal(t(0).t) : undefined;
  if (ordinal && t(1) && MONTHS[t(1).t] && t(1).t.length > 3) return inferYear(ordinal, MONTHS[t(1).t], i + 2, today);
  if (t(0).kind !== 'num') return undefined;
  const n0 = Number(t(0).t);
  // 2027-01-26
  if (t(0).t.length === 4 && t(1)?.t === '-' && t(2)?.kind === 'num' && t(3)?.t === '-' && t(4)?.kind === 'num') {
    return withYear(n0, Number(t(2).t), Number(t(4).t), i + 5);
  }
  // 26.01. / 26.1.2027 / 26.01.27
  if (t(1)?.t === '.' && !t(1).spaced && t(2)?.kind === 'num' && !t(2).spaced && t(2).t.length <= 2) {
    const month = Number(t(2).t);
    if (t(3)?.t === '.' && t(4)?.kind === 'num' && !t(4).spaced && (t(4).t.length === 4 || t(4).t.length === 2)) {
      return withYear(t(4).t.length === 2 ? 2000 + Number(t(4).t) : Number(t(4).t), month, n0, i + 5);
    }
    if (t(3)?.t === '.') return inferYear(n0, month, i + 4, today);
    // "18.1" without the last point is a date too, but "14.30 Uhr" is a time.
    if (month >= 1 && month <= 12 && t(3)?.t !== 'uhr' && t(3)?.t !== ':') return inferYear(n0, month, i + 3, today);
  }
  // 26/01 or 26/1/2027: day first when it cannot be a month; 12/01 could be either, so ask again.
  if (t(1)?.t === '/' && !t(1).spaced && t(2)?.kind === 'num' && !t(2).spaced && !['kw', 'kalenderwoche', 'woche', 'week'].includes(tokens[i - 1]?.t ?? '') && t(3)?.t !== 'uhr' && !(n0 === 24 && t(2).t === '7')) {
    const second = Number(t(2).t);
    if (n0 < 1 || n0 > 31 || second < 1 || second > 31) return undefined;
    if (n0 <= 12 || second > 12) return null;
    if (t(3)?.t === '/' && t(4)?.kind === 'num' && !t(4).spaced && (t(4).t.length === 4 || t(4).t.length === 2)) {
      return withYear(t(4).t.length === 2 ? 2000 + Number(t(4).t) : Number(t(4).t), second, n0, i + 5);
    }
    return inferYear(n0, second, i + 3, today);
  }
  // 15. Juni / 15 Juni
  const m = t(1)?.t === '.' ? t(2) : t(1);
  if (m && MONTHS[m.t] && n0 >= 1 && n0 <= 31) return inferYear(n0, MONTHS[m.t], i + (t(1)?.t === '.' ? 3 : 2), today);
  // "March 3", "March 3rd"
  const monthBefore = tokens[i - 1] && MONTHS[tokens[i - 1].t] && (tokens[i - 1].t.length > 3 || t(1) === undefined || t(1).t === ',') ? MONTHS[tokens[i - 1].t] : undefined;
  if (monthBefore && n0 >= 1 && n0 <= 31) return inferYear(n0, monthBefore, i + (['st', 'nd', 'rd', 'th'].includes(t(1)?.t ?? '') ? 2 : 1), today);
  // "am 20." / "den 20." / "the 20th": a day of the current (or next) month.
  // "am 19. oder 20.": the second day is read like the first.
  const listed = ['oder', 'und', 'bis', 'or', 'to', '-'].includes(tokens[i - 1]?.t ?? '') && tokens[i - 2]?.t === '.' && tokens[i - 3]?.kind === 'num';
  const before = listed ? 'am' : tokens[i - 1]?.t;
  const english = ['st', 'nd', 'rd', 'th'].includes(t(1)?.t ?? '') && !t(1).spaced;
  if (((before === 'am' || before === 'den' || before === 'dem' || before === 'zum') && t(1)?.t === '.' || english) && n0 >= 1 && n0 <= 31 && (t(2) === undefined || t(2).kind !== 'num')) {
    return dayOfMonth(n0, i + 2, today);
  }
  return undefined;
}

/** "am 20.": that day of this month, or of the next once it has passed; null when that month has none. */
function dayOfMonth(n: number, end: number, today: string): { iso: string; end: number } | null | undefined {
  if (n < 1 || n > 31) return undefined;
  const y = yearOf(today);
  const mo = monthOf(today);
  const thisMonth = day(y, mo, n);
  if (thisMonth && thisMonth >= today) return { iso: thisMonth, end };
  const next = mo === 12 ? day(y + 1, 1, n) : day(y, mo + 1, n);
  return next ? { iso: next, end } : null;
}

function withYear(y: number, m: number, d: number, end: number): { iso: string; end: number } | null {
  const iso = day(y, m, d);
  return iso ? { iso, end } : null;
}

/** A date without a year: this year's, or next year's once it has passed ("15.01." in November). */
function inferYear(d: number, m: number, end: number, today: string): { iso: string; end: number } | null {
  const y = yearOf(today);
  const iso = day(y, m, d);
  if (!iso) return m === 2 && d === 29 ? withYear(y + 1, m, d, end) : null;
  return iso >= today ? { iso, end } : withYear(y + 1, m, d, end);
}

/** "KW 7", "kw5", "Kalenderwoche 6", "5. KW", "week 12": Monday to Friday of that ISO week (this year's or next). */
function calendarWeek(input: Token[], today: string): Range | undefined | null {
  let tokens = input;
  for (let i = 0; i + 1 < tokens.length; i++) {
    const w = tokens[i].t;
    // "5. KW", "5. Kalenderwoche"
    if (tokens[i].kind === 'num' && tokens[i + 1].t === '.' && ['kw', 'kalenderwoche'].includes(tokens[i + 2]?.t ?? '')) {
      tokens = [...tokens.slice(0, i), tokens[i + 2], tokens[i], ...tokens.slice(i + 3)];
    }
    if (tokens[i].t !== 'kw' && tokens[i].t !== 'kalenderwoche' && !((w === 'week' || w === 'woche') && tokens[i + 1].kind === 'num')) continue;
    const numTok = tokens[i + 1].kind === 'num' ? tokens[i + 1] : tokens[i + 2]?.kind === 'num' && tokens[i + 1].t === '.' ? tokens[i + 2] : undefined;
    const week = numTok ? Number(numTok.t) : numberWord(tokens[i + 1].t);
    if (week === undefined) continue;
    const year = isoWeekYear(today);
    let monday = isoWeekMonday(year, week);
    if (!monday) return null;
    if (plusDays(monday, 4) < today) monday = isoWeekMonday(year + 1, week);
    if (!monday) return null;
    // "KW 10 oder 11", "KW 10-11": up to the end of the second week.
    const k = tokens.indexOf(numTok!) + 1;
    const second = ['oder', 'bis', '-', '/', 'und', 'or', 'to'].includes(tokens[k]?.t ?? '') && tokens[k + 1]?.kind === 'num' ? Number(tokens[k + 1].t) : undefined;
    const last = second !== undefined && second > week ? isoWeekMonday(isoWeekYear(monday), second) : undefined;
    return { from: monday < today ? today : monday, to: plusDays(last ?? monday, 4) };
  }
  return undefined;
}

/** heute/morgen/übermorgen, weekdays, "nächste Woche", "in zwei Wochen", "Ende des Monats" … */
function relative(tokens: Token[], today: string, has: (...w: string[]) => boolean): Range | undefined {
  const words = tokens.map((t) => t.t);
  const thisMonday = mondayOf(today);
  // Which week a phrase means: +1 "nächste Woche", +2 "übernächste Woche", 0 "diese Woche".
  let weekOffset: number | undefined;
  let weekAt = -1;
  for (let i = 0; i < words.length; i++) {
    const kw = (words[i] === 'kw' || words[i] === 'kalenderwoche') && offsetWord(words[i - 1] ?? '') !== undefined;
    if (!WEEK.has(words[i]) && words[i] !== 'wochenende' && !kw) continue;
    const before = words[i - 1];
    if (AFTER_NEXT.has(before) || (before === 'after' && words[i + 1] === 'next')) weekOffset = 2;
    else if (NEXT.has(before)) weekOffset = 1;
    else if (THIS.has(before)) weekOffset = 0;
    else if (['in', 'within'].includes(words[i - 2]) || (['ca', 'etwa', 'ungefaehr', 'rund', '.', 'so'].includes(words[i - 2]) && words.slice(Math.max(0, i - 5), i - 2).includes('in'))) {
      const n = tokens[i - 1].kind === 'num' ? Number(before) : numberWord(before);
      if (n !== undefined && n >= 1 && n <= 52) weekOffset = n;
    } else if (before === 'der' && words[i + 1] === 'danach') weekOffset = 1;
    else if (NEXT.has(words[i - 2] ?? '') && words[i - 3] === 'den') {
      // "in den nächsten zwei Wochen": from today to the end of the last of them.
      const n = tokens[i - 1].kind === 'num' ? Number(before) : numberWord(before);
      if (n !== undefined && n >= 1 && n <= 8) return { from: today, to: plusDays(thisMonday, 7 * n + 4) };
    }
    if (weekOffset !== undefined) {
      weekAt = i;
      // "diese oder nächste Woche", "nächste oder übernächste Woche": both weeks.
      const first = ['oder', 'bis', 'und', 'or'].includes(words[i - 2]) ? offsetWord(words[i - 3] ?? '') : undefined;
      if (first !== undefined && first < weekOffset && !weekdaysNamed(tokens).length) {
        const monday = plusDays(thisMonday, first * 7);
        return { from: monday < today ? today : monday, to: plusDays(thisMonday, weekOffset * 7 + 4) };
      }
      break;
    }
  }
  if (has('week') && has('after') && has('next') && weekOffset === undefined) weekOffset = 2;
  // "Dienstag in 14 Tagen", "heute in 14 Tagen": whole weeks counted in days.
  const inDays = daysAhead(tokens);
  if (weekOffset === undefined && inDays !== undefined && inDays % 7 === 0 && inDays > 0 && (weekdaysNamed(tokens).length || has('heute', 'morgen'))) {
    weekOffset = inDays / 7;
    weekAt = words.findIndex((w, k) => (w === 'tagen' || w === 'days') && words[k - 2] === 'in');
  }

  // Weekdays, placed in the week named (or the coming one); "Montag oder Dienstag" spans both.
  const days: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const wd = weekdayAt(tokens, i);
    if (!wd) continue;
    const before = words[i - 1];
    if (weekOffset !== undefined) days.push(plusDays(thisMonday, weekOffset * 7 + wd - 1));
    else if (AFTER_NEXT.has(before)) days.push(nextWeekday(today, wd, 7));
    else if (THIS.has(before)) days.push(plusDays(thisMonday, wd - 1) >= today ? plusDays(thisMonday, wd - 1) : nextWeekday(today, wd, 0));
    // "Montag bis Mittwoch": a later weekday counts from the first one named, in the same run.
    else if (days.length) days.push(nextWeekday(plusDays(days[0], -1), wd, 0));
    else days.push(nextWeekday(today, wd, 0));
  }
  if (days.length) {
    days.sort();
    return { from: days[0], to: days[days.length - 1] };
  }
  // "heute", "morgen" (not "am Morgen"), "übermorgen"; "morgen in einer Woche" is a week later.
  const later = weekOffset !== undefined && words[weekAt - 2] === 'in' ? weekOffset * 7 : 0;
  for (let i = 0; i < words.length; i++) {
    if (later && (words[i] === 'heute' || words[i] === 'morgen')) {
      const d = plusDays(today, later + (words[i] === 'morgen' ? 1 : 0));
      return { from: d, to: d };
    }
  }
  // "heute", "morgen oder übermorgen": from the first to the last day named.
  const near: string[] = [];
  for (let i = 0; i < words.length; i++) {
    if (words[i] === 'heute' || words[i] === 'today') near.push(today);
    if (words[i] === 'uebermorgen') near.push(plusDays(today, 2));
    if ((words[i] === 'morgen' && words[i - 1] !== 'am' && words[i - 1] !== 'guten') || words[i] === 'tomorrow') near.push(plusDays(today, 1));
  }
  if (near.length) {
    near.sort();
    return { from: near[0], to: near[near.length - 1] };
  }
  if (weekOffset !== undefined) {
    const monday = plusDays(thisMonday, weekOffset * 7);
    const friday = plusDays(monday, 4);
    const from = monday < today ? today : monday;
    const near = [words[weekAt - 2] ?? '', words[weekAt - 3] ?? ''];
    const mod = near.some((w) => START.has(w)) ? 'start' : near.some((w) => MIDDLE.has(w)) ? 'middle' : near.some((w) => END.has(w)) ? 'end' : undefined;
    if (mod === 'start') return { from, to: plusDays(monday, 1) < from ? from : plusDays(monday, 1) };
    if (mod === 'middle') return { from: plusDays(monday, 1) < from ? from : plusDays(monday, 1), to: plusDays(monday, 3) };
    if (mod === 'end') return { from: plusDays(monday, 3) < from ? from : plusDays(monday, 3), to: friday };
    return { from, to: friday };
  }
  // "in 3 Tagen"
  for (let i = 0; i + 2 < words.length; i++) {
    if (words[i] !== 'in' || (words[i + 2] !== 'tagen' && words[i + 2] !== 'days')) continue;
    const n = tokens[i + 1].kind === 'num' ? Number(words[i + 1]) : numberWord(words[i + 1]);
    if (n !== undefined && n >= 0 && n <= 400) return { from: plusDays(today, n), to: plusDays(today, n) };
  }
  return monthEdge(words, today);
}

/**
 * "Dienstag im März", "Anfang Februar, Dienstag oder Donnerstag", "Dienstag nach Ostern": the
 * weekdays named inside the month or holiday span named (from the first such day to the last),
 * not the coming Tuesday. Undefined without such a span or with a week named ("nächste Woche").
 */
function weekdaysIn(tokens: Token[], today: string): Range | undefined {
  const wds = new Set(weekdaysNamed(tokens));
  if (!wds.size) return undefined;
  const words = tokens.map((t) => t.t);
  if (words.some((w) => WEEK.has(w) || w === 'kw' || w === 'kalenderwoche' || w === 'heute' || w === 'morgen' || w === 'uebermorgen' || AFTER_NEXT.has(w) || NEXT.has(w) || THIS.has(w))) return undefined;
  const span = holiday(tokens, today) ?? monthRange(tokens, today) ?? yearStart(words, today);
  if (!span) return undefined;
  let from = span.from;
  let to = span.to;
  while (from <= to && !wds.has(weekday(from))) from = plusDays(from, 1);
  while (to >= from && !wds.has(weekday(to))) to = plusDays(to, -1);
  if (from > to) return undefined;
  // Only Saturdays or Sundays named: the first of them (no slots then; the search offers the next free ones).
  return [...wds].every((d) => d >= 6) ? { from, to: from } : { from, to };
}

function offsetWord(w: string): number | undefined {
  return AFTER_NEXT.has(w) ? 2 : NEXT.has(w) ? 1 : THIS.has(w) ? 0 : undefined;
}

/** The weekdays a message names (their numbers). */
function weekdaysNamed(tokens: Token[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const wd = weekdayAt(tokens, i);
    if (wd) out.push(wd);
  }
  return out;
}

/** "in 14 Tagen", "in zehn Tagen" → 14, 10. */
function daysAhead(tokens: Token[]): number | undefined {
  for (let i = 0; i + 2 < tokens.length; i++) {
    if (tokens[i].t !== 'in' || (tokens[i + 2].t !== 'tagen' && tokens[i + 2].t !== 'days')) continue;
    const n = tokens[i + 1].kind === 'num' ? Number(tokens[i + 1].t) : numberWord(tokens[i + 1].t);
    if (n !== undefined && n >= 0 && n <= 400) return n;
  }
  return undefined;
}

/** The next `wd` after today (skip = 7: the one after that). Today itself does not count. */
function nextWeekday(today: string, wd: number, skip: number): string {
  let d = plusDays(today, 1);
  while (weekday(d) !== wd) d = plusDays(d, 1);
  return plusDays(d, skip);
}
