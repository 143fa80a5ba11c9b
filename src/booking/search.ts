import type { Db } from '../storage';
import { addDays, berlinTime, bookableWindow, type Candidate, formatBerlinTime, freeStartsOnDay } from './calendar';
import type { BookingCatalog } from './catalog';
import type { BookingRepository } from './repository';
import type { Slot } from './types';

export interface SearchRequest {
  ags: string;
  appointmentTypeId: string;
  /** First Berlin day to search (YYYY-MM-DD); default the first bookable day. */
  fromDay?: string;
  /** Number of days to search from fromDay; default 7. */
  days?: number;
  /** Most slots to return; default rules.maxSlotsShown. */
  limit?: number;
  /** Only slots starting before noon (morning) or from noon on (afternoon), Berlin time. */
  dayPart?: 'morning' | 'afternoon';
}

/**
 * Free slots, at most `limit`, spread over the days searched (mornings and afternoons) so the
 * user sees choices rather than six starts of the same morning.
 */
export async function searchSlots(deps: { db: Db; repo: BookingRepository; catalog: BookingCatalog; now: number }, req: SearchRequest): Promise<Slot[]> {
  const { catalog, now } = deps;
  const calendar = catalog.calendar;
  const { type, advisors } = catalog.requireType(req.ags, req.appointmentTypeId);
  const { first, last } = bookableWindow(calendar, now);
  let from = req.fromDay && req.fromDay > first ? req.fromDay : first;
  const until = addDays(from, Math.max(1, req.days ?? 7) - 1);
  const to = until < last ? until : last;
  if (from > to) return [];
  const maxBuffer = Math.max(...advisors.map((a) => a.travelBufferMinutes)) * 60_000;
  const busy = await deps.repo.busy(
    deps.db,
    advisors.map((a) => a.id),
    berlinTime(from, 0) - maxBuffer - type.durationMinutes * 60_000,
    berlinTime(addDays(to, 1), 0) + maxBuffer,
    now,
  );
  const byDay: Candidate[][] = [];
  for (; from <= to; from = addDays(from, 1)) {
    const seen = new Set<number>();
    // One slot per start time: the user picks a time, not a person.
    const day = freeStartsOnDay(calendar, type, advisors, from, busy, now)
      .filter((c) => !seen.has(c.startMs) && seen.add(c.startMs))
      .filter((c) => !req.dayPart || (Number(formatBerlinTime(c.startMs).slice(0, 2)) < 12) === (req.dayPart === 'morning'));
    if (day.length) byDay.push(spreadOrder(day));
  }
  const limit = req.limit ?? calendar.rules.maxSlotsShown;
  const picked: Candidate[] = [];
  for (let round = 0; picked.length < limit && byDay.some((d) => d.length > round); round++) {
    for (const d of byDay) if (d[round] && picked.length < limit) picked.push(d[round]);
  }
  return picked
    .sort((a, b) => a.startMs - b.startMs)
    .map((c) => ({ advisorId: c.advisorId, appointmentTypeId: c.typeId, startMs: c.startMs, endMs: c.endMs }));
}

/** Day's candidates reordered: first morning, first afternoon, then the rest in time order. */
function spreadOrder(day: Candidate[]): Candidate[] {
  const afternoon = day.find((c) => Number(formatBerlinTime(c.startMs).slice(0, 2)) >= 12);
  const head = [day[0], ...(afternoon && afternoon !== day[0] ? [afternoon] : [])];
  return [...head, ...day.filter((c) => !head.includes(c))];
}
