import type { TestProject } from 'vitest/node';
import { startCluster, type Cluster } from './postgres-cluster';

let cluster: Cluster | undefined;

/** One PostgreSQL cluster for the whole run; each test opens its own fresh database in it. */
export async function setup(project: TestProject): Promise<void> {
  cluster = await startCluster();
  process.env.KDLZ_TEST_PG_URL = cluster.url;
  project.provide('pgUrl', cluster.url);
}

export async function teardown(): Promise<void> {
  cluster?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string;
  }
}
