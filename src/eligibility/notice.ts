import { programmeForTopic, type Programme } from './programmes';
import type { ProgrammeNotice, Source } from './types';

/**
 * The caveat an answer about a programme carries on a given day. The dates and the text live in
 * the programme file only (`validUntil`, `endNotice`, `expiredText`); eligibility results and
 * knowledge answers (articles marked `programme: <id>`) both take it from here.
 */

/** Calendar-day arithmetic on YYYY-MM-DD (no time zone involved). */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

/** The first day the end notice is shown, or undefined when the programme has none. */
export function noticeStart(p: Programme): string | undefined {
  return p.validUntil && p.endNotice ? addDays(p.validUntil, -p.endNotice.daysBefore) : undefined;
}

function validitySourceOf(p: Programme, registerSource?: Source): Source {
  const key = p.validitySource ?? Object.keys(p.sources)[0];
  return key === 'register' && registerSource ? registerSource : p.sources[key];
}

/**
 * Notice for one programme version on a Berlin calendar day (YYYY-MM-DD): "ending-soon" from
 * `endNotice.daysBefore` days before `validUntil` through that day, "may-have-expired" after it.
 */
export function noticeFor(p: Programme, day: string, registerSource?: Source): ProgrammeNotice | undefined {
  if (!p.validUntil || day < p.validFrom) return undefined;
  const source = validitySourceOf(p, registerSource);
  if (day > p.validUntil) return p.expiredText ? { programmeId: p.id, kind: 'may-have-expired', text: p.expiredText, source } : undefined;
  const start = noticeStart(p);
  if (start && day >= start) return { programmeId: p.id, kind: 'ending-soon', text: p.endNotice!.text, source };
  return undefined;
}

/**
 * Pure: the notice for a programme id ("ikz-rahmenvereinbarung") or topic ("ikz") on the Berlin
 * calendar day `day`; a topic picks the version valid that day. Undefined when there is nothing to
 * say (or the id is unknown: an article's front matter must not break an answer).
 */
export function programmeNoticeOn(programmes: readonly Programme[], programmeId: string, day: string): ProgrammeNotice | undefined {
  const p = programmes.find((x) => x.id === programmeId) ?? programmeForTopic(programmes, programmeId, day);
  return p ? noticeFor(p, day) : undefined;
}
