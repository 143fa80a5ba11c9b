import { afterEach, describe, expect, it } from 'vitest';
import { PersonalDataRegistry, startRetentionJob } from '../../src/privacy';
import { type Db, jobLeaseMigrations } from '../../src/storage';
import { openTestDb } from '../helpers/db';

const dbs: Db[] = [];
afterEach(async () => {
  while (dbs.length) await dbs.pop()!.close();
});

describe('retention job', () => {
  it('runs the registry pass on one instance at a time', async () => {
    const db = await openTestDb('sqlite', jobLeaseMigrations);
    dbs.push(db);
    let passes = 0;
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    const registry = new PersonalDataRegistry();
    registry.register({
      id: 'slow',
      holds: 'x',
      retention: { ms: 1, variable: 'X', countsFrom: '' },
      deleteFor: async () => 0,
      async deleteExpired() {
        passes++;
        await slow;
        return 1;
      },
    });
    // intervalMs far away: only the explicit passes run (the start tick is the first).
    const a = startRetentionJob({ db, registry, intervalMs: 3_600_000 });
    const b = startRetentionJob({ db, registry, intervalMs: 3_600_000 });
    const second = await b.runOnce();
    expect(second).toBeUndefined();
    release();
    await a.stop();
    await b.stop();
    expect(passes).toBe(1);
    expect(await a.runOnce()).toEqual([{ store: 'slow', removed: 1 }]);
  });
});
