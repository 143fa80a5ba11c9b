import type { Db, Migration } from './db';

export const jobLeaseMigrations: Migration[] = [
  {
    id: 'storage-002-job-leases',
    sql: [`CREATE TABLE IF NOT EXISTS job_leases (name TEXT PRIMARY KEY, owner TEXT NOT NULL, until_ms BIGINT NOT NULL)`],
  },
];

/**
 * Runs `fn` only if this owner holds the named lease: a conditional INSERT/UPDATE in one
 * transaction, so of several instances exactly one runs a periodic job at a time. Returns
 * false when another instance holds an unexpired lease.
 */
export async function withJobLease(db: Db, name: string, owner: string, now: number, leaseMs: number, fn: () => Promise<void>): Promise<boolean> {
  const taken = await db.transaction(async (tx) => {
    await tx.run('INSERT INTO job_leases (name, owner, until_ms) VALUES ($1, $2, 0) ON CONFLICT (name) DO NOTHING', [name, owner]);
    const r = await tx.run('UPDATE job_leases SET owner = $2, until_ms = $3 WHERE name = $1 AND (until_ms < $4 OR owner = $2)', [name, owner, now + leaseMs, now]);
    return r.changes === 1;
  });
  if (!taken) return false;
  try {
    await fn();
  } finally {
    await db.run('UPDATE job_leases SET until_ms = 0 WHERE name = $1 AND owner = $2', [name, owner]);
  }
  return true;
}
