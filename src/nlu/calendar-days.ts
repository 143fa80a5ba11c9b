import { hessianHoliday } from '../booking/calendar';

/**
 * Calendar-day arithmetic on YYYY-MM-DD strings (no clock, no time zone: the caller hands in
 * today's Berlin date) and the named days people use as landmarks ("nach Ostern").
 */

export function day(y: number, m: number, d: number): string | undefined {
  const t = new Date(Date.UTC(y, m - 1, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m - 1 || t.getUTCDate() !== d) return undefined;
  return t.toISOString().slice(0, 10);
}

export function plusDays(iso: string, n: number): string {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** 1 = Monday … 7 = Sunday. */
export function weekday(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number);
  return ((new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7) + 1;
}

export function mondayOf(iso: string): string {
  return plusDays(iso, 1 - weekday(iso));
}

export function yearOf(iso: string): number {
  return Number(iso.slice(0, 4));
}

export function monthOf(iso: string): number {
  return Number(iso.slice(5, 7));
}

export function lastDayOfMonth(y: number, m: number): string {
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/** Monday of ISO week `week` in ISO week-year `year`; undefined when the year has no such week. */
export function isoWeekMonday(year: number, week: number): string | undefined {
  if (week < 1 || week > 53) return undefined;
  const jan4 = day(year, 1, 4)!;
  const monday = plusDays(mondayOf(jan4), (week - 1) * 7);
  // Week 53 exists only when that Monday's Thursday still lies in the same year.
  return yearOf(plusDays(monday, 3)) === year ? monday : undefined;
}

export function isoWeekYear(iso: string): number {
  return yearOf(plusDays(iso, 4 - weekday(iso)));
}

export function isWorkingDay(iso: string): boolean {
  return weekday(iso) <= 5 && hessianHoliday(iso) === null;
}

/** The range without the weekends and Hessian holidays at its edges; a single day stays as it is. */
export function trimToWorkingDays(from: string, to: string): { from: string; to: string } {
  if (from === to) return { from, to };
  let f = from;
  let t = to;
  while (f < t && !isWorkingDay(f)) f = plusDays(f, 1);
  while (t > f && !isWorkingDay(t)) t = plusDays(t, -1);
  return { from: f, to: t };
}

/** Easter Sunday (anonymous Gregorian algorithm). */
export function easterSunday(y: number): string {
  const a = y % 19;
  const b = Math.floor(y / 100);
  const c = y % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const dayOfMonth = ((h + l - 7 * m + 114) % 31) + 1;
  return day(y, month, dayOfMonth)!;
}

/** Named days (folded words) → their date in a year. */
const NAMED: Record<string, (y: number) => string> = {
  neujahr: (y) => day(y, 1, 1)!,
  silvester: (y) => day(y, 12, 31)!,
  weihnachten: (y) => day(y, 12, 24)!,
  heiligabend: (y) => day(y, 12, 24)!,
  christmas: (y) => day(y, 12, 24)!,
  karfreitag: (y) => plusDays(easterSunday(y), -2),
  ostern: easterSunday,
  ostersonntag: easterSunday,
  easter: easterSunday,
  ostermontag: (y) => plusDays(easterSunday(y), 1),
  himmelfahrt: (y) => plusDays(easterSunday(y), 39),
  pfingsten: (y) => plusDays(easterSunday(y), 49),
  pfingstmontag: (y) => plusDays(easterSunday(y), 50),
  fronleichnam: (y) => plusDays(easterSunday(y), 60),
  maifeiertag: (y) => day(y, 5, 1)!,
};

export function isNamedDay(word: string): boolean {
  return word in NAMED;
}

/** The next occurrence of a named day on or after `today` (this year's or next year's). */
export function nextNamedDay(word: string, today: string): string | undefined {
  const f = NAMED[word];
  if (!f) return undefined;
  const y = yearOf(today);
  const thisYear = f(y);
  return thisYear >= today ? thisYear : f(y + 1);
}
