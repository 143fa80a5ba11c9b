import type { Db } from '../storage';
import { addDays, berlinDay, berlinTime } from './calendar';
import type { BookingRepository, UserRef } from './repository';
import type { BookingWriter } from './writer';

export interface JobOptions {
  db: Db;
  repo: BookingRepository;
  writer: BookingWriter;
  now: () => number;
}

/**
 * The background work on bookings (run by startBookingWorkers under a job lease) and the
 * personal-data deletion that shares its anonymisation.
 */
export class BookingJobs {
  constructor(private readonly opts: JobOptions) {}

  /**
   * Reminder the day before, exactly once across instances: the conditional UPDATE claims the
   * booking and the outbox rows are written in the same transaction.
   */
  async queueReminders(): Promise<number> {
    const { repo, writer } = this.opts;
    const now = this.opts.now();
    // Not in the middle of the night: the job runs every few minutes, the reminder goes out from 07:00.
    if (now < berlinTime(berlinDay(now), 7 * 60)) return 0;
    const tomorrow = addDays(berlinDay(now), 1);
    let queued = 0;
    for (const id of await repo.idsDueForReminder(berlinTime(tomorrow, 0), berlinTime(addDays(tomorrow, 1), 0))) {
      const done = await writer.commit(async (tx) => {
        if (!(await repo.claimReminder(tx, id, now))) return false;
        await repo.addHistory(tx, id, now, 'reminded', {});
        await writer.event(tx, 'booking.reminder', await repo.load(tx, id), now);
        return true;
      });
      if (done) queued++;
    }
    return queued;
  }

  /** Retention: contact data of appointments that ended more than `days` ago. */
  async anonymiseExpired(days: number, nowMs = this.opts.now()): Promise<number> {
    const ids = await this.opts.repo.idsPastRetention(nowMs - days * 86_400_000);
    for (const id of ids) await this.anonymise(id, 'retention');
    return ids.length;
  }

  /**
   * "Meine Daten löschen": removes contact data and the channel user id from this user's
   * bookings (by user id or reference); the appointments themselves stay for the KDLZ team.
   */
  async anonymiseForUser(user: UserRef): Promise<number> {
    const ids = await this.opts.repo.idsForUser(user);
    for (const id of ids) await this.anonymise(id, 'user');
    return ids.length;
  }

  private async anonymise(id: string, why: 'user' | 'retention'): Promise<void> {
    const now = this.opts.now();
    await this.opts.db.transaction(async (tx) => {
      await this.opts.repo.anonymise(tx, id, now);
      await this.opts.repo.addHistory(tx, id, now, 'anonymised', { why });
    });
  }
}
