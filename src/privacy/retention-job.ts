import { randomUUID } from 'node:crypto';
import { type Db, withJobLease } from '../storage';
import type { PersonalDataRegistry, StoreOutcome } from './registry';

/** Just enough of a logger (pino fits); the domain does not depend on the app's logger. */
export interface RetentionLog {
  info(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface RetentionJobOptions {
  db: Db;
  registry: PersonalDataRegistry;
  intervalMs?: number;
  log?: RetentionLog;
  now?: () => number;
}

export interface RetentionJob {
  /** One pass now (under the lease); undefined when another instance is running it. */
  runOnce(): Promise<StoreOutcome[] | undefined>;
  stop(): Promise<void>;
}

/**
 * Walks the personal-data registry periodically and deletes what has outlived its retention
 * period, on one instance at a time (job lease 'privacy-retention').
 */
export function startRetentionJob(opts: RetentionJobOptions): RetentionJob {
  const owner = randomUUID();
  const now = opts.now ?? Date.now;
  let running: Promise<unknown> | undefined;
  const runOnce = async (): Promise<StoreOutcome[] | undefined> => {
    let outcomes: StoreOutcome[] | undefined;
    await withJobLease(opts.db, 'privacy-retention', owner, now(), 10 * 60_000, async () => {
      outcomes = await opts.registry.deleteExpired(now());
    });
    if (outcomes) {
      const removed = Object.fromEntries(outcomes.filter((o) => o.removed).map((o) => [o.store, o.removed]));
      if (Object.keys(removed).length) opts.log?.info({ removed }, 'retention: expired personal data removed');
      for (const o of outcomes) if (o.error) opts.log?.error({ store: o.store, err: o.error }, 'retention: store failed');
    }
    return outcomes;
  };
  const tick = () => {
    if (running) return;
    running = runOnce()
      .catch((e) => opts.log?.error({ err: (e as Error)?.message ?? String(e) }, 'retention job failed'))
      .finally(() => (running = undefined));
  };
  const timer = setInterval(tick, opts.intervalMs ?? 10 * 60_000);
  timer.unref();
  tick();
  return {
    runOnce,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
