import { readFileSync } from 'node:fs';
import path from 'node:path';
import Holidays from 'date-holidays';
import { DateTime } from 'luxon';
import { parse } from 'yaml';
import { z } from 'zod';
import { knowledgeDir } from '../paths';

/** All calendar arithmetic happens in this zone; the database holds UTC epoch milliseconds. */
export const ZONE = 'Europe/Berlin';

const WEEKDAYS = ['mo', 'di', 'mi', 'do', 'fr', 'sa', 'so'] as const;
const hhmm = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;

const intervalSchema = z
  .string()
  .regex(hhmm, 'Zeitraum als "HH:MM-HH:MM" erwartet')
  .transform((s) => {
    const m = hhmm.exec(s)!;
    return { from: Number(m[1]) * 60 + Number(m[2]), to: Number(m[3]) * 60 + Number(m[4]) };
  })
  .refine((i) => i.to > i.from, 'Ende muss nach dem Beginn liegen');

const sourceSchema = z.object({ name: z.string().min(1), url: z.string().url(), asOf: z.string().min(1) });

const schema = z.object({
  /** The shipped example: in production the bot does not book with it (see availability.ts). */
  example: z.boolean().default(false),
  /** What the bot says instead of booking when booking is off: where to register, with the source. */
  registration: z.object({ text: z.string().min(1), source: sourceSchema }).optional(),
  organizer: z.object({ name: z.string().min(1), email: z.string().email() }),
  rules: z.object({
    leadTimeDays: z.number().int().min(0).max(365),
    horizonDays: z.number().int().min(1).max(730),
    holdMinutes: z.number().int().min(1).max(120),
    slotStepMinutes: z.number().int().min(5).max(240),
    maxSlotsShown: z.number().int().min(1).max(20),
  }),
  appointmentTypes: z
    .array(
      z.object({
        id: z.string().regex(/^[a-z0-9-]+$/),
        name: z.string().min(1),
        durationMinutes: z.number().int().min(15).max(600),
        place: z.enum(['vor-ort', 'online']),
        eligibility: z.string().min(1),
      }),
    )
    .min(1),
  onlineLocation: z.string().min(1),
  advisors: z
    .array(
      z.object({
        id: z.string().regex(/^[a-z0-9-]+$/),
        name: z.string().min(1),
        email: z.string().email(),
        covers: z.array(z.string().regex(/^\d{2,8}$/)).min(1),
        appointmentTypes: z.array(z.string()).min(1),
        travelBufferMinutes: z.number().int().min(0).max(480),
        maxPerDay: z.number().int().min(1).max(20),
        hours: z.record(z.enum(WEEKDAYS), z.array(intervalSchema)),
      }),
    )
    .min(1),
});

export type BookingCalendarConfig = z.output<typeof schema>;
export type AppointmentType = BookingCalendarConfig['appointmentTypes'][number];
export type Advisor = BookingCalendarConfig['advisors'][number];

/** Parses booking.yaml text; throws an Error listing every problem (German, with the path). */
export function parseBookingConfig(text: string): BookingCalendarConfig {
  const parsed = schema.safeParse(parse(text));
  if (!parsed.success) {
    throw new Error('booking.yaml ungültig:\n' + parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`).join('\n'));
  }
  const c = parsed.data;
  const typeIds = new Set(c.appointmentTypes.map((t) => t.id));
  const problems: string[] = [];
  if (typeIds.size !== c.appointmentTypes.length) problems.push('appointmentTypes: doppelte id');
  if (new Set(c.advisors.map((a) => a.id)).size !== c.advisors.length) problems.push('advisors: doppelte id');
  for (const a of c.advisors) {
    for (const t of a.appointmentTypes) if (!typeIds.has(t)) problems.push(`advisors.${a.id}: unbekannter Termintyp ${t}`);
  }
  if (problems.length) throw new Error('booking.yaml ungültig:\n' + problems.map((p) => '  - ' + p).join('\n'));
  return c;
}

export function loadBookingConfig(file = path.join(knowledgeDir(), 'booking.yaml')): BookingCalendarConfig {
  return parseBookingConfig(readFileSync(file, 'utf8'));
}

const holidays = new Holidays('DE', 'HE');
/** Public holidays by year: 'YYYY-MM-DD' → name. One getHolidays(year) call (~20 ms) instead of an
 * isHoliday() per day (~6 ms each: a first search over 400 days blocked the process for 0.7 s). */
const holidaysByYear = new Map<string, Map<string, string>>();

/** Name of the Hessian public holiday on a Berlin calendar day (YYYY-MM-DD), or null. */
export function hessianHoliday(day: string): string | null {
  const year = day.slice(0, 4);
  let names = holidaysByYear.get(year);
  if (!names) {
    names = new Map();
    for (const h of holidays.getHolidays(Number(year))) if (h.type === 'public') names.set(h.date.slice(0, 10), h.name);
    holidaysByYear.set(year, names);
  }
  return names.get(day) ?? null;
}

/** The Berlin calendar day of an instant, as YYYY-MM-DD. */
export function berlinDay(t: Date | number): string {
  return DateTime.fromMillis(typeof t === 'number' ? t : t.getTime(), { zone: ZONE }).toISODate()!;
}

/** Calendar-day arithmetic on YYYY-MM-DD (no time zone involved). */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

interface DayFrame {
  /** UTC ms of local midnight. */
  midnight: number;
  /** True when the UTC offset is the same all day (every day but the two DST switch Sundays). */
  steady: boolean;
  weekday: number;
}
const frames = new Map<string, DayFrame>();

/** Per-day facts, computed once with luxon and cached: slot search evaluates thousands of starts. */
function frame(day: string): DayFrame {
  let f = frames.get(day);
  if (!f) {
    const start = DateTime.fromISO(day, { zone: ZONE });
    f = { midnight: start.toMillis(), steady: start.offset === start.endOf('day').offset, weekday: start.weekday };
    if (frames.size > 5000) frames.clear();
    frames.set(day, f);
  }
  return f;
}

/** UTC epoch ms of a Berlin wall-clock time on a day; correct across the DST changes. */
export function berlinTime(day: string, minutes: number): number {
  const f = frame(day);
  if (f.steady) return f.midnight + minutes * 60_000;
  return DateTime.fromISO(day, { zone: ZONE }).set({ hour: Math.floor(minutes / 60), minute: minutes % 60 }).toMillis();
}

/** "Montag, 15.06.2026, 09:00 Uhr" */
export function formatBerlin(ms: number): string {
  return DateTime.fromMillis(ms, { zone: ZONE }).setLocale('de').toFormat("cccc, dd.LL.yyyy, HH:mm 'Uhr'");
}

/** "Montag, 15.06.2026" */
export function formatBerlinDay(ms: number): string {
  return DateTime.fromMillis(ms, { zone: ZONE }).setLocale('de').toFormat('cccc, dd.LL.yyyy');
}

export function formatBerlinTime(ms: number): string {
  return DateTime.fromMillis(ms, { zone: ZONE }).toFormat('HH:mm');
}

/** Why a Berlin day can never have slots (weekend/holiday), or null when it is a working day. */
export function closedReason(day: string): string | null {
  const wd = frame(day).weekday;
  if (wd >= 6) return 'Wochenende';
  const h = hessianHoliday(day);
  return h ? `Feiertag in Hessen (${h})` : null;
}

export function weekdayKey(day: string): (typeof WEEKDAYS)[number] {
  return WEEKDAYS[frame(day).weekday - 1];
}

/** Earliest and latest bookable Berlin day for a search made at `now`. */
export function bookableWindow(cfg: BookingCalendarConfig, now: number): { first: string; last: string } {
  const today = berlinDay(now);
  return { first: addDays(today, cfg.rules.leadTimeDays), last: addDays(today, cfg.rules.horizonDays) };
}

/** An advisor's occupied time: the appointment plus travel buffers around on-site visits. */
export interface BusyInterval {
  advisorId: string;
  startMs: number;
  endMs: number;
  onSite: boolean;
}

export function blockedRange(b: { startMs: number; endMs: number; onSite: boolean }, advisor: Advisor): [number, number] {
  const buf = b.onSite ? advisor.travelBufferMinutes * 60_000 : 0;
  return [b.startMs - buf, b.endMs + buf];
}

export interface Candidate {
  advisorId: string;
  typeId: string;
  startMs: number;
  endMs: number;
}

/** Advisors who offer a type to a Kommune (by AGS prefix). */
export function advisorsFor(cfg: BookingCalendarConfig, typeId: string, ags: string): Advisor[] {
  return cfg.advisors.filter((a) => a.appointmentTypes.includes(typeId) && a.covers.some((p) => ags.startsWith(p)));
}

/**
 * Every free start of one type on one Berlin day for the given advisors, given their busy
 * intervals (same day ± buffers). Pure: the caller loads the busy intervals.
 */
export function freeStartsOnDay(
  cfg: BookingCalendarConfig,
  type: AppointmentType,
  advisors: readonly Advisor[],
  day: string,
  busy: readonly BusyInterval[],
  notBeforeMs: number,
): Candidate[] {
  if (closedReason(day)) return [];
  const out: Candidate[] = [];
  const dur = type.durationMinutes * 60_000;
  const onSite = type.place === 'vor-ort';
  const key = weekdayKey(day);
  const dayStart = berlinTime(day, 0);
  const dayEnd = berlinTime(addDays(day, 1), 0);
  for (const advisor of advisors) {
    const mine = busy.filter((b) => b.advisorId === advisor.id);
    const sameDay = mine.filter((b) => b.startMs >= dayStart && b.startMs < dayEnd).length;
    if (sameDay >= advisor.maxPerDay) continue;
    const ranges = mine.map((b) => blockedRange(b, advisor));
    for (const iv of advisor.hours[key] ?? []) {
      for (let m = iv.from; m + type.durationMinutes <= iv.to; m += cfg.rules.slotStepMinutes) {
        const startMs = berlinTime(day, m);
        if (startMs < notBeforeMs) continue;
        const [bs, be] = blockedRange({ startMs, endMs: startMs + dur, onSite }, advisor);
        if (ranges.some(([s, e]) => s < be && bs < e)) continue;
        out.push({ advisorId: advisor.id, typeId: type.id, startMs, endMs: startMs + dur });
      }
    }
  }
  return out.sort((a, b) => a.startMs - b.startMs || a.advisorId.localeCompare(b.advisorId));
}

/**
 * Why a requested start is not bookable (outside the window, closed day, outside working hours,
 * off the slot grid), or null. Busy-ness is checked separately, inside the booking transaction.
 */
export function slotProblem(cfg: BookingCalendarConfig, type: AppointmentType, advisor: Advisor, startMs: number, now: number): string | null {
  if (!Number.isFinite(startMs)) return 'Ungültige Startzeit.';
  if (startMs <= now) return 'Der Termin liegt in der Vergangenheit.';
  const day = berlinDay(startMs);
  const { first, last } = bookableWindow(cfg, now);
  if (day < first) return `Frühestens ab ${first} buchbar (Vorlauf ${cfg.rules.leadTimeDays} Tage).`;
  if (day > last) return `Höchstens bis ${last} buchbar (${cfg.rules.horizonDays} Tage im Voraus).`;
  const closed = closedReason(day);
  if (closed) return `Kein Arbeitstag: ${closed}.`;
  const local = DateTime.fromMillis(startMs, { zone: ZONE });
  const minute = local.hour * 60 + local.minute;
  const fits = (advisor.hours[weekdayKey(day)] ?? []).some(
    (iv) => minute >= iv.from && minute + type.durationMinutes <= iv.to && (minute - iv.from) % cfg.rules.slotStepMinutes === 0,
  );
  if (!fits || local.second !== 0 || local.millisecond !== 0) return 'Außerhalb der Beratungszeiten.';
  return null;
}
