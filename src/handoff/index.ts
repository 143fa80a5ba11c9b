import type { PersonalDataStore } from '../privacy';
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
  /** Handoffs and transcripts in the personal-data registry (retention and "Meine Daten löschen"). */
  personalData: PersonalDataStore;
  /** Starts the timeout job (waiting → callback) on this instance; retention runs in the registry's job. */
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
    personalData: handoffPersonalDataStore(service, opts.retentionDays),
    startJobs(intervalMs = 15_000) {
      let running = false;
      const tick = async () => {
        if (running) return;
        running = true;
        try {
          await service.expireWaiting();
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

/** Requests, contact details and transcripts as one personal-data store. */
export function handoffPersonalDataStore(service: HandoffService, retentionDays: number): PersonalDataStore {
  return {
    id: 'handoff.requests',
    holds: 'Übergaben an das KDLZ-Team: Kommune, Anliegen, freiwillige Kontaktdaten und Gesprächsverlauf (handoff_requests, handoff_messages)',
    retention: { ms: retentionDays * 86_400_000, variable: 'HANDOFF_RETENTION_DAYS', countsFrom: 'nach der letzten Nachricht oder Änderung' },
    identify: (s) => service.store.identify(s.userIds),
    deleteFor: (s) => service.deleteFor(s),
    deleteExpired: (nowMs) => service.purgeExpired(nowMs),
  };
}
