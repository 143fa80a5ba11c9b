import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { freePort } from '../../test/setup/free-port';

/** Cores: the servers under test run on SERVER_CORE, the load generator (this process) on LOAD_CORE. */
export const SERVER_CORE = 0;
export const LOAD_CORE = 1;

let tasksetChecked: boolean | undefined;
function hasTaskset(): boolean {
  if (tasksetChecked === undefined) {
    try {
      execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
      tasksetChecked = true;
    } catch {
      tasksetChecked = false;
    }
  }
  return tasksetChecked;
}

/** Pins this process (all its threads) to one core, so the load generator does not steal the server's core. */
export function pinSelf(core: number): string {
  if (!hasTaskset()) return 'not pinned (taskset missing)';
  try {
    execFileSync('taskset', ['-a', '-cp', String(core), String(process.pid)], { stdio: 'ignore' });
    return `core ${core}`;
  } catch (err) {
    return `not pinned (${(err as Error).message.split('\n')[0]})`;
  }
}

/** Kilobytes from a /proc/<pid>/status line such as "VmHWM:   81234 kB". */
function statusKb(pid: number, field: 'VmHWM' | 'VmRSS'): number | undefined {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

export interface ServerProcess {
  url: string;
  pid: number;
  /** spawn → first 200 from the ready path, in ms. */
  startupMs: number;
  /** Peak resident set size of the process so far (kernel high-water mark), MB. */
  peakRssMb(): number | undefined;
  rssMb(): number | undefined;
  output(): string;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  /** Script run by node (absolute path). */
  entry: string;
  env?: Record<string, string>;
  /** Path answered with 200 once the server is ready. */
  readyPath?: string;
  nodeArgs?: string[];
  core?: number;
  timeoutMs?: number;
}

/**
 * Starts a server as its own process pinned to one core (`taskset -c <core> node …`; taskset
 * execs node, so the pid is node's own) and waits until the ready path answers 200.
 */
export async function spawnPinned(opts: SpawnOptions): Promise<ServerProcess> {
  const port = await freePort();
  const core = opts.core ?? SERVER_CORE;
  const nodeArgv = [...(opts.nodeArgs ?? []), opts.entry];
  const [cmd, args] = hasTaskset() ? ['taskset', ['-c', String(core), process.execPath, ...nodeArgv]] : [process.execPath, nodeArgv];
  const started = performance.now();
  const proc: ChildProcess = spawn(cmd, args, {
    env: { PATH: process.env.PATH, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', NODE_ENV: 'test', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const keep = (d: Buffer) => {
    out += d;
    if (out.length > 64_000) out = out.slice(-32_000);
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  for (;;) {
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`${opts.entry} exited (${proc.exitCode ?? proc.signalCode}):\n${out}`);
    try {
      const r = await fetch(url + (opts.readyPath ?? '/readyz'));
      await r.arrayBuffer();
      if (r.status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`${opts.entry} not ready in time:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  const startupMs = performance.now() - started;
  const pid = proc.pid!;
  return {
    url,
    pid,
    startupMs,
    peakRssMb: () => {
      const kb = statusKb(pid, 'VmHWM');
      return kb === undefined ? undefined : kb / 1024;
    },
    rssMb: () => {
      const kb = statusKb(pid, 'VmRSS');
      return kb === undefined ? undefined : kb / 1024;
    },
    output: () => out,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const hard = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(hard);
    },
  };
}
