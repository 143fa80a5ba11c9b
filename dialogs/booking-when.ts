import { DateTime } from 'luxon';
import { ZONE } from '../src/booking/calendar';
import { normalize } from './intents';

/** A span of Berlin days to search: first day and number of days. */
export interface SearchSpan {
  fromDay: string;
  days: number;
  /** "the next free one": search the whole bookable window. */
  nextFree?: boolean;
}

const WEEKDAYS = ['montag', 'dienstag', 'mittwoch', 'donnerstag', 'freitag', 'samstag', 'sonntag'];

/**
 * Understands the usual German ways of naming a week or a day: "nächste Woche", "übernächste
 * Woche", "diese Woche", "KW 25", "15.06.", "15.6.2026", "2026-06-15", "Montag",
 * "nächster freier Termin". `today` is the Berlin calendar day (YYYY-MM-DD).
 */
export function parseWhen(text: string, today: string): SearchSpan | undefined {
  const t = normalize(text);
  const now = DateTime.fromISO(today, { zone: ZONE });
  const monday = now.startOf('week');
  if (/\b(naechst\w* frei\w*|fruehest\w*|so (bald|schnell) wie moeglich|egal|irgendwann|asap)\b/.test(t)) {
    return { fromDay: today, days: 400, nextFree: true };
  }
  if (/\buebernaechste\w* woche\b/.test(t)) return { fromDay: monday.plus({ weeks: 2 }).toISODate()!, days: 7 };
  if (/\b(naechste\w*|kommende\w*) woche\b/.test(t)) return { fromDay: monday.plus({ weeks: 1 }).toISODate()!, days: 7 };
  if (/\b(diese\w*|laufende\w*) woche\b/.test(t)) return { fromDay: today, days: 7 - (now.weekday - 1) };
  const kw = /\b(?:kw|kalenderwoche)\s*(\d{1,2})(?:\s*[/.-]?\s*(\d{4}))?\b/.exec(t);
  if (kw) {
    const week = Number(kw[1]);
    let year = kw[2] ? Number(kw[2]) : now.weekYear;
    let start = DateTime.fromObject({ weekYear: year, weekNumber: week, weekday: 1 }, { zone: ZONE });
    if (!kw[2] && start.plus({ days: 6 }) < now.startOf('day')) {
      year++;
      start = DateTime.fromObject({ weekYear: year, weekNumber: week, weekday: 1 }, { zone: ZONE });
    }
    if (!start.isValid || start.weekNumber !== week) return undefined;
    return { fromDay: start.toISODate()!, days: 7 };
  }
  const iso = /\b(\d{4})-(\d{2})-(\d{2})\b/.exec(t);
  const de = /\b(\d{1,2})\.(\d{1,2})\.(\d{2,4})?/.exec(t);
  if (iso || de) {
    const [y, m, d] = iso ? [Number(iso[1]), Number(iso[2]), Number(iso[3])] : [de![3] ? Number(de![3].length === 2 ? '20' + de![3] : de![3]) : now.year, Number(de![2]), Number(de![1])];
    let day = DateTime.fromObject({ year: y, month: m, day: d }, { zone: ZONE });
    if (!day.isValid) return undefined;
    // "15.01." in November means next January.
    if (!iso && !de![3] && day < now.startOf('day')) day = day.plus({ years: 1 });
    return { fromDay: day.toISODate()!, days: 1 };
  }
  const wd = WEEKDAYS.findIndex((w) => new RegExp(`\\b${w}\\b`).test(t));
  if (wd >= 0) {
    // The next such day after today ("Montag" on a Wednesday is next week's Monday).
    let day = monday.plus({ days: wd });
    if (day <= now.startOf('day')) day = day.plus({ weeks: 1 });
    return { fromDay: day.toISODate()!, days: 1 };
  }
  return undefined;
}

/** "in der Woche vom 15.06.2026", "am Montag, 15.06.2026", "in den nächsten Wochen" */
export function describeSpan(span: SearchSpan): string {
  const start = DateTime.fromISO(span.fromDay, { zone: ZONE }).setLocale('de');
  if (span.nextFree) return 'als Nächstes';
  if (span.days === 1) return `am ${start.toFormat('cccc, dd.LL.yyyy')}`;
  return `in der Woche vom ${start.toFormat('dd.LL.')} bis ${start.plus({ days: span.days - 1 }).toFormat('dd.LL.yyyy')}`;
}
