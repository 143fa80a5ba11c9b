import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createApp, type App, type AppOptions } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/log';
import { projectRoot } from '../../src/paths';
import { createSqliteFile } from './db';
import { freePort } from '../setup/free-port';

export interface TestServer {
  url: string;
  app: App;
  close(): Promise<void>;
}

/** The real app, in-process, on a random loopback port, with a fresh SQLite file unless env says otherwise. */
export async function startTestServer(env: Record<string, string> = {}, opts: Omit<AppOptions, 'logger'> = {}): Promise<TestServer> {
  const config = loadConfig({ SQLITE_FILE: createSqliteFile(), LOG_LEVEL: 'silent', NODE_ENV: 'test', ...env });
  const app = await createApp(config, { ...opts, logger: createLogger({ level: config.LOG_LEVEL }) });
  const url = await app.listen(0, '127.0.0.1');
  return { url, app, close: () => app.close() };
}

export interface SpawnedServer {
  url: string;
  proc: ChildProcess;
  output(): string;
  /** SIGTERM and wait for exit. */
  stop(): Promise<number | null>;
  /** SIGKILL: a crash, nothing flushed. */
  kill9(): Promise<void>;
}

/**
 * The built server (`node dist/src/index.js`) as its own process, as in production: for crash,
 * restart and multi-instance tests. Needs `npm run build` first (the test command does it).
 */
export async function spawnServer(env: Record<string, string>): Promise<SpawnedServer> {
  const entry = path.join(projectRoot(), 'dist', 'src', 'index.js');
  if (!existsSync(entry)) throw new Error(`${entry} missing: run npm run build first`);
  const port = await freePort();
  const proc = spawn(process.execPath, [entry], {
    cwd: projectRoot(),
    env: { PATH: process.env.PATH, NODE_ENV: 'test', LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  proc.stdout!.on('data', (d) => (out += d));
  proc.stderr!.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode}:\n${out}`);
    try {
      const r = await fetch(url + '/readyz');
      if (r.status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`server not ready in 30 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  return {
    url,
    proc,
    output: () => out,
    async stop() {
      proc.kill('SIGTERM');
      return exited;
    },
    async kill9() {
      proc.kill('SIGKILL');
      await exited;
    },
  };
}
