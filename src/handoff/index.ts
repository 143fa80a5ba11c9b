import type { Db } from '../storage';
import { ServiceHours, type WeeklyHours } from './hours';
import { HandoffService, type HandoffLog } from './service';
import { HandoffStore } from './store';

export * from './types';
export { handoffMigrations } from './schema';
export { HandoffStore, emailIn } from './store';
export { HandoffService, type TakeResult, type HandoffLog } from './service';
export { ServiceHours, unionHours, hessianPublicHoliday, type WeeklyHours, type Interval } from './hours';
export { isLive, isOpen, nextStatus } from './status';

export interface HandoffModuleOptions {
  db: Db;
  /** Service hours, e.g. the union of the booking calendar's advisor hours. */
  weeklyHours: WeeklyHours;
  waitTimeoutMinutes: number;
  retentionDays: number;
  now?: () => number;
  log?: HandoffLog;
}

export interface HandoffModule {
  service: HandoffService;
  /** Starts the timeout (waiting → callback) and retention jobs on this instance. */
  startJobs(intervalMs?: number): { stop(): void };
}

export function createHandoffModule(opts: HandoffModuleOptions): HandoffModule {
  const service = new HandoffService({
    store: new HandoffStore(opts.db),
    hours: new ServiceHours(opts.weeklyHours),
    waitTimeoutMs: opts.waitTimeoutMinutes * 60_000,
    retentionMs: opts.retentionDays * 86_400_000,
    now: opts.now,
    log: opts.log,
  });
  return {
    service,
    startJobs(intervalMs = 15_000) {
      let lastPurge = 0;
      let running = false;
      const tick = async () => {
        if (running) return;
        running = true;
        try {
          await service.expireWaiting();
          if (service.clock() - lastPurge > 3600_000) {
            lastPurge = service.clock();
            await service.purgeExpired();
          }
        } catch (err) {
          opts.log?.error({ err: (err as Error).message }, 'handoff job failed');
        } finally {
          running = false;
        }
      };
      const timer = setInterval(() => void tick(), intervalMs);
      timer.unref();
      return { stop: () => clearInterval(timer) };
    },
  };
}
