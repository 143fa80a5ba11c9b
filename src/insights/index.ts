/**
 * Anonymised figures for the KDLZ staff page: how many questions were answered, clarified or
 * declined per day (a counter without any text or id), bookings per week, 👍/👎 over time, and
 * the most frequent unanswered or down-voted questions grouped by similarity (texts scrubbed of
 * e-mail addresses and numbers). Nothing here names a person or a conversation.
 */
import { DateTime } from 'luxon';
import type { Db, Migration } from '../storage';
import { groupSimilar, type QuestionGroup } from './groups';

export { groupSimilar, scrubQuestion, type QuestionGroup } from './groups';

export const insightsMigrations: Migration[] = [
  {
    id: 'insights-001-daily',
    sql: [`CREATE TABLE insights_daily (day TEXT NOT NULL, metric TEXT NOT NULL, count BIGINT NOT NULL, PRIMARY KEY (day, metric))`],
  },
];

/** What a knowledge reply was; counted per Berlin day. */
export const ANSWER_KINDS = ['answer', 'clarify', 'decline', 'emergency'] as const;
export type AnswerKind = (typeof ANSWER_KINDS)[number];

const ZONE = 'Europe/Berlin';
const dayOf = (ms: number) => DateTime.fromMillis(ms, { zone: ZONE }).toISODate()!;

/**
 * The Berlin day of a moment, remembered with the moments it starts and ends (next local
 * midnight, so 23- and 25-hour days too): counting a reply costs no time-zone formatting.
 */
export class BerlinDay {
  private from = 0;
  private to = 0;
  private day = '';

  of(ms: number): string {
    if (ms >= this.from && ms < this.to) return this.day;
    const start = DateTime.fromMillis(ms, { zone: ZONE }).startOf('day');
    this.day = start.toISODate()!;
    this.from = start.toMillis();
    this.to = start.plus({ days: 1 }).toMillis();
    return this.day;
  }
}

export interface DayQuestions {
  day: string;
  total: number;
  answer: number;
  clarify: number;
  decline: number;
  emergency: number;
}

export interface StaffStats {
  from: string;
  to: string;
  questionsPerDay: DayQuestions[];
  bookingsPerWeek: { week: string; count: number }[];
  feedbackPerDay: { day: string; up: number; down: number }[];
  topUnanswered: QuestionGroup[];
}

export interface InsightsOptions {
  db: Db;
  now?: () => number;
  /** How often counted answers are written (they are also written before stats are read and on close). */
  flushMs?: number;
}

/**
 * Counts knowledge replies in memory and adds them to the daily rows in one upsert, so a turn
 * costs no database write; several instances add up in the same rows.
 */
export class InsightsService {
  private readonly pending = new Map<string, number>();
  private readonly today = new BerlinDay();
  private readonly now: () => number;
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();

  constructor(private readonly opts: InsightsOptions) {
    this.now = opts.now ?? Date.now;
    this.timer = setInterval(() => void this.flush().catch(() => undefined), opts.flushMs ?? 10_000);
    this.timer.unref();
  }

  /** One knowledge reply of this kind, today. No text, no id. */
  countAnswer(kind: string): void {
    if (!(ANSWER_KINDS as readonly string[]).includes(kind)) return;
    const key = `${this.today.of(this.now())}|${kind}`;
    this.pending.set(key, (this.pending.get(key) ?? 0) + 1);
  }

  /** Writes the counted replies (serialised: a flush never overlaps another). */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (!this.pending.size) return;
      const batch = [...this.pending];
      this.pending.clear();
      try {
        await this.opts.db.transaction(async (tx) => {
          for (const [key, n] of batch) {
            const [day, metric] = key.split('|');
            await tx.run(
              'INSERT INTO insights_daily (day, metric, count) VALUES ($1, $2, $3) ON CONFLICT (day, metric) DO UPDATE SET count = insights_daily.count + excluded.count',
              [day, metric, n],
            );
          }
        });
      } catch (e) {
        for (const [key, n] of batch) this.pending.set(key, (this.pending.get(key) ?? 0) + n);
        throw e;
      }
    });
    return this.flushing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush().catch(() => undefined);
  }

  /** The staff page's figures for the last `days` days (bookings: the weeks they touch). */
  async stats(days = 30): Promise<StaffStats> {
    await this.flush();
    const now = this.now();
    const today = DateTime.fromMillis(now, { zone: ZONE }).startOf('day');
    const first = today.minus({ days: days - 1 });
    const dayList = Array.from({ length: days }, (_, i) => first.plus({ days: i }).toISODate()!);
    const fromDay = dayList[0];
    const db = this.opts.db;

    const counts = await db.query<{ day: string; metric: string; count: number }>('SELECT day, metric, count FROM insights_daily WHERE day >= $1', [fromDay]);
    const questionsPerDay = dayList.map((day) => {
      const row: DayQuestions = { day, total: 0, answer: 0, clarify: 0, decline: 0, emergency: 0 };
      for (const c of counts) if (c.day === day && (ANSWER_KINDS as readonly string[]).includes(c.metric)) row[c.metric as AnswerKind] += Number(c.count);
      row.total = row.answer + row.clarify + row.decline + row.emergency;
      return row;
    });

    const weeks = new Map<string, number>();
    for (let w = first.startOf('week'); w <= today; w = w.plus({ weeks: 1 })) weeks.set(w.toFormat("kkkk-'W'WW"), 0);
    const bookings = await db.query<{ created_ms: number }>('SELECT created_ms FROM booking_bookings WHERE reference IS NOT NULL AND created_ms >= $1', [
      first.startOf('week').toMillis(),
    ]);
    for (const b of bookings) {
      const key = DateTime.fromMillis(Number(b.created_ms), { zone: ZONE }).toFormat("kkkk-'W'WW");
      if (weeks.has(key)) weeks.set(key, weeks.get(key)! + 1);
    }

    const fromIso = first.toUTC().toISO()!;
    const feedback = await db.query<{ created_at: string; helpful: number }>('SELECT created_at, helpful FROM knowledge_feedback WHERE created_at >= $1', [fromIso]);
    const perDay = new Map(dayList.map((d) => [d, { day: d, up: 0, down: 0 }]));
    for (const f of feedback) {
      const d = perDay.get(dayOf(Date.parse(f.created_at)));
      if (!d) continue;
      if (Number(f.helpful)) d.up++;
      else d.down++;
    }

    const declined = await db.query<{ question: string }>('SELECT question FROM knowledge_unanswered WHERE asked_at >= $1 ORDER BY asked_at DESC LIMIT 2000', [fromIso]);
    const down = await db.query<{ question: string }>('SELECT question FROM knowledge_feedback WHERE helpful = 0 AND created_at >= $1 ORDER BY created_at DESC LIMIT 2000', [fromIso]);
    const topUnanswered = groupSimilar([...declined.map((r) => ({ text: r.question, kind: 'declined' as const })), ...down.map((r) => ({ text: r.question, kind: 'downVoted' as const }))]).slice(0, 10);

    return {
      from: fromDay,
      to: today.toISODate()!,
      questionsPerDay,
      bookingsPerWeek: [...weeks].map(([week, count]) => ({ week, count })),
      feedbackPerDay: [...perDay.values()],
      topUnanswered,
    };
  }
}
