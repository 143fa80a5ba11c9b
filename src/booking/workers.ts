import { randomUUID } from 'node:crypto';
import type { Db } from '../storage';
import type { Deliverer } from './delivery';
import { OutboxStore } from './outbox-store';
import type { BookingService } from './service';
import type { OutboxChannel } from './types';

/** Just enough of a logger (pino fits) so the domain does not depend on the app's logger. */
export interface WorkerLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface OutboxWorkerOptions {
  db: Db;
  deliverers: Partial<Record<OutboxChannel, Deliverer>>;
  owner?: string;
  now?: () => number;
  pollMs?: number;
  /** How long a claimed row stays ours; a crashed instance's rows are taken over afterwards. */
  leaseMs?: number;
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  maxAttempts?: number;
  log?: WorkerLog;
}

/** Receivers' error texts may quote addresses ("550 <x@y.de> rejected"); logs never carry them. */
export function scrubAddresses(message: string): string {
  return message.replace(/[^\s<>"']+@[^\s<>"']+/g, '[adresse]');
}

/** Exponential backoff with a cap: base, 2·base, 4·base … */
export function backoffMs(attempts: number, base: number, max: number): number {
  return Math.min(max, base * 2 ** Math.max(0, attempts));
}

/**
 * Delivers outbox rows at least once: claim with a lease, deliver, mark done; on failure retry
 * later with exponential backoff. Several instances may run it at once.
 */
export class OutboxWorker {
  readonly store: OutboxStore;
  private readonly owner: string;
  private readonly now: () => number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;

  constructor(private readonly opts: OutboxWorkerOptions) {
    this.store = new OutboxStore(opts.db);
    this.owner = opts.owner ?? randomUUID();
    this.now = opts.now ?? Date.now;
  }

  /** One pass over the due rows; returns how many were delivered. */
  async runOnce(): Promise<number> {
    const max = this.opts.maxAttempts ?? 20;
    let delivered = 0;
    for (const { eventId, channel } of await this.store.due(this.now(), max)) {
      const row = await this.store.claim(eventId, channel, this.owner, this.now(), this.opts.leaseMs ?? 60_000);
      if (!row) continue;
      const deliver = this.opts.deliverers[channel];
      try {
        if (!deliver) throw new Error(`kein Zusteller für Kanal ${channel} konfiguriert`);
        await deliver(row.event);
        await this.store.delivered(eventId, channel, this.owner, this.now());
        delivered++;
      } catch (e) {
        const wait = backoffMs(row.attempts, this.opts.baseBackoffMs ?? 5_000, this.opts.maxBackoffMs ?? 3_600_000);
        // Receivers' errors may quote addresses: neither the row nor the log keeps them.
        const err = scrubAddresses((e as Error).message ?? String(e));
        const attempts = row.attempts + 1;
        const abandon = attempts >= max;
        await this.store.failed(eventId, channel, this.owner, this.now() + wait, err, abandon ? this.now() : null);
        if (abandon) {
          // Nobody would notice a notification that is silently dropped: an error for the
          // operators, and the staff API lists it (GET /api/outbox) with a retry.
          this.opts.log?.error({ eventId, channel, attempts, err }, 'booking outbox delivery abandoned; retry with POST /api/outbox/:eventId/:channel/retry');
        } else {
          this.opts.log?.warn({ eventId, channel, attempts, retryInMs: wait, err }, 'booking outbox delivery failed');
        }
      }
    }
    return delivered;
  }

  /** Runs a pass now (after a booking change) instead of waiting for the next poll. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await this.runOnce();
        } catch (e) {
          this.opts.log?.error({ err: (e as Error).message }, 'booking outbox pass failed');
        }
      } while (this.again && !this.stopped);
    })().finally(() => (this.running = undefined));
  }

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.kick(), this.opts.pollMs ?? 2_000);
    this.timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }
}

/**
 * Runs a periodic job on one instance at a time: the lease row in booking_job_leases is taken
 * with a conditional UPDATE/INSERT, so two instances never run the same job concurrently.
 */
export async function withJobLease(db: Db, name: string, owner: string, now: number, leaseMs: number, fn: () => Promise<void>): Promise<boolean> {
  const taken = await db.transaction(async (tx) => {
    await tx.run('INSERT INTO booking_job_leases (name, owner, until_ms) VALUES ($1, $2, 0) ON CONFLICT (name) DO NOTHING', [name, owner]);
    const r = await tx.run('UPDATE booking_job_leases SET owner = $2, until_ms = $3 WHERE name = $1 AND (until_ms < $4 OR owner = $2)', [name, owner, now + leaseMs, now]);
    return r.changes === 1;
  });
  if (!taken) return false;
  try {
    await fn();
  } finally {
    await db.run('UPDATE booking_job_leases SET until_ms = 0 WHERE name = $1 AND owner = $2', [name, owner]);
  }
  return true;
}

export interface BookingWorkersOptions {
  db: Db;
  service: BookingService;
  deliverers: Partial<Record<OutboxChannel, Deliverer>>;
  log?: WorkerLog;
  now?: () => number;
  /** Outbox poll; reminders run every jobIntervalMs. */
  pollMs?: number;
  jobIntervalMs?: number;
  baseBackoffMs?: number;
  leaseMs?: number;
}

export interface BookingWorkers {
  outbox: OutboxWorker;
  /** One reminder pass (under the job lease); exposed for tests and operators. */
  runJobs(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts the outbox delivery loop and the reminder scheduler of this instance. */
export function startBookingWorkers(opts: BookingWorkersOptions): BookingWorkers {
  const owner = randomUUID();
  const now = opts.now ?? Date.now;
  const outbox = new OutboxWorker({
    db: opts.db,
    deliverers: opts.deliverers,
    owner,
    now,
    pollMs: opts.pollMs,
    log: opts.log,
    baseBackoffMs: opts.baseBackoffMs,
    leaseMs: opts.leaseMs,
  });
  outbox.start();
  let jobs: Promise<void> | undefined;
  const runJobs = async (): Promise<void> => {
    await withJobLease(opts.db, 'booking-jobs', owner, now(), 5 * 60_000, async () => {
      // Retention (contact data after CONTACT_RETENTION_DAYS) runs in the personal-data registry's job.
      const reminders = await opts.service.queueReminders();
      if (reminders) opts.log?.info({ reminders }, 'booking jobs');
    });
    outbox.kick();
  };
  const tick = (): void => {
    if (jobs) return;
    jobs = runJobs()
      .catch((e) => opts.log?.error({ err: (e as Error).message }, 'booking jobs failed'))
      .finally(() => (jobs = undefined));
  };
  const timer = setInterval(tick, opts.jobIntervalMs ?? 5 * 60_000);
  timer.unref();
  tick();
  return {
    outbox,
    runJobs,
    async stop() {
      clearInterval(timer);
      await jobs;
      await outbox.stop();
    },
  };
}
