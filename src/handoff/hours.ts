import Holidays from 'date-holidays';
import { DateTime } from 'luxon';

/** Service hours are Berlin wall-clock times. */
export const ZONE = 'Europe/Berlin';

export const WEEKDAY_KEYS = ['mo', 'di', 'mi', 'do', 'fr', 'sa', 'so'] as const;
export type WeekdayKey = (typeof WEEKDAY_KEYS)[number];

/** Minutes after midnight, [from, to). */
export interface Interval {
  from: number;
  to: number;
}
export type WeeklyHours = Partial<Record<WeekdayKey, Interval[]>>;

/** Merges several weekly schedules (e.g. every advisor's hours in the booking calendar) into one. */
export function unionHours(schedules: readonly WeeklyHours[]): WeeklyHours {
  const out: WeeklyHours = {};
  for (const key of WEEKDAY_KEYS) {
    const all = schedules.flatMap((s) => s[key] ?? []).sort((a, b) => a.from - b.from);
    const merged: Interval[] = [];
    for (const iv of all) {
      const last = merged[merged.length - 1];
      if (last && iv.from <= last.to) last.to = Math.max(last.to, iv.to);
      else merged.push({ ...iv });
    }
    if (merged.length) out[key] = merged;
  }
  return out;
}

const hessen = new Holidays('DE', 'HE');

/** Name of the Hessian public holiday on a Berlin day (YYYY-MM-DD), or null. */
export function hessianPublicHoliday(day: string): string | null {
  const hits = hessen.isHoliday(DateTime.fromISO(day, { zone: ZONE }).set({ hour: 12 }).toJSDate()) || [];
  return hits.find((h) => h.type === 'public')?.name ?? null;
}

/**
 * When the KDLZ team answers live: the weekly hours of the booking calendar, never on weekends
 * without hours or on Hessian public holidays (DE-HE). Pure: the caller passes the instant.
 */
export class ServiceHours {
  private readonly holiday: (day: string) => string | null;

  constructor(
    readonly weekly: WeeklyHours,
    opts: { holiday?: (day: string) => string | null } = {},
  ) {
    this.holiday = opts.holiday ?? hessianPublicHoliday;
  }

  private intervalsOn(local: DateTime): Interval[] {
    const day = local.toISODate()!;
    if (this.holiday(day)) return [];
    return this.weekly[WEEKDAY_KEYS[local.weekday - 1]] ?? [];
  }

  isOpen(ms: number): boolean {
    const local = DateTime.fromMillis(ms, { zone: ZONE });
    const minute = local.hour * 60 + local.minute;
    return this.intervalsOn(local).some((iv) => minute >= iv.from && minute < iv.to);
  }

  /** The next instant at or after `ms` when service hours run, within 60 days; undefined if none. */
  nextOpening(ms: number): number | undefined {
    if (this.isOpen(ms)) return ms;
    let local = DateTime.fromMillis(ms, { zone: ZONE });
    const minute = local.hour * 60 + local.minute;
    for (let i = 0; i < 60; i++) {
      for (const iv of this.intervalsOn(local)) {
        if (i > 0 || iv.from > minute) {
          return local.startOf('day').set({ hour: Math.floor(iv.from / 60), minute: iv.from % 60 }).toMillis();
        }
      }
      local = local.plus({ days: 1 }).startOf('day');
    }
    return undefined;
  }
}
