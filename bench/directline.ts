/**
 * Figures for the Direct Line path (not a test: prints, never fails on time): time from
 * `POST activities` until the bot's reply arrives on the client's WebSocket stream, for
 * knowledge questions from many concurrent conversations; also the same path by polling.
 *
 * The server is the real app in a child process (pinned to CPU 0 when taskset exists), the
 * virtual users run here (CPU 1). SQLite always; PostgreSQL too when its binaries are installed.
 * Run: npm run bench:directline   (BENCH_SECONDS=10 BENCH_CONVERSATIONS=100 BENCH_BACKENDS=sqlite)
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { WebSocket } from 'ws';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/log';
import { startCluster } from '../test/setup/postgres-cluster';

const QUESTIONS = ['Was ist das KDLZ CS?', 'Was kostet die Beratung des KDLZ?', 'Wie melde ich einen Cyberangriff?', 'Was ist IKZ-Förderung?'];

export interface DirectLineFigures {
  label: string;
  conversations: number;
  turns: number;
  turnsPerSec: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  peakRssMb?: number;
  /** Share of one CPU used by the load generator (near 1: the client, not the server, is the limit). */
  clientCpu?: number;
}

/** Share of one CPU the load generator itself used in the last run (is the client the limit?). */
export let clientCpuShare = 0;

const pct = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN);

async function json(url: string, init: RequestInit & { token?: string } = {}): Promise<any> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const res = await fetch(url, { ...init, headers });
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** One virtual user: its own conversation and stream, asking questions back to back. */
class VirtualUser {
  private ws!: WebSocket;
  private token = '';
  private conversationId = '';
  private watermark = '0';
  private seq = 0;

  constructor(
    private readonly base: string,
    private readonly mode: 'stream' | 'polling',
    private readonly pollMs: number,
  ) {}

  async open(): Promise<void> {
    const t = await json(`${this.base}/api/webchat/token`, { method: 'POST', body: '{}' });
    const c = await json(`${this.base}/v3/directline/conversations`, { method: 'POST', token: t.token });
    this.token = t.token;
    this.conversationId = c.conversationId;
    if (this.mode === 'stream') {
      this.ws = new WebSocket(c.streamUrl);
      this.ws.on('message', (data) => {
        const s = data.toString();
        if (s) this.onActivities(JSON.parse(s).activities);
      });
      await new Promise((resolve, reject) => this.ws.once('open', resolve).once('error', reject));
    }
  }

  /** The question in flight: its clientActivityID, then the id its echo got, then the reply. */
  private current: { clientId: string; echoId?: string; done: (t: number) => void } | undefined;

  private onActivities(activities: any[]): void {
    const now = performance.now();
    for (const a of activities) {
      const cur = this.current;
      if (!cur) return;
      if (a.channelData?.clientActivityID === cur.clientId) cur.echoId = a.id;
      else if (cur.echoId && a.replyToId === cur.echoId && a.from?.role === 'bot' && a.type === 'message') {
        this.current = undefined;
        cur.done(now);
      }
    }
  }

  /** Sends one question; resolves with ms from send until the first reply to it was received. */
  async ask(): Promise<number> {
    const text = QUESTIONS[this.seq % QUESTIONS.length];
    const clientId = `b${this.seq++}`;
    const t0 = performance.now();
    const reply = new Promise<number>((done) => (this.current = { clientId, done }));
    await json(`${this.base}/v3/directline/conversations/${this.conversationId}/activities`, {
      method: 'POST',
      token: this.token,
      body: JSON.stringify({ type: 'message', text, locale: 'de-DE', from: { id: 'bench' }, channelData: { clientActivityID: clientId } }),
    });
    if (this.mode === 'polling') {
      while (this.current) {
        await new Promise((r) => setTimeout(r, this.pollMs));
        const got = await json(`${this.base}/v3/directline/conversations/${this.conversationId}/activities?watermark=${this.watermark}`, { token: this.token });
        this.watermark = got.watermark;
        this.onActivities(got.activities);
      }
    }
    return (await reply) - t0;
  }

  close(): void {
    this.ws?.close();
  }
}

export async function benchDirectLine(
  base: string,
  opts: { label: string; conversations: number; seconds: number; mode?: 'stream' | 'polling'; pollMs?: number; thinkMs?: number },
): Promise<DirectLineFigures> {
  const users = Array.from({ length: opts.conversations }, () => new VirtualUser(base, opts.mode ?? 'stream', opts.pollMs ?? 1000));
  for (let i = 0; i < users.length; i += 20) await Promise.all(users.slice(i, i + 20).map((u) => u.open()));
  // Warm-up: every user asks once, not counted.
  await Promise.all(users.map((u) => u.ask()));
  const latencies: number[] = [];
  let errors = 0;
  const end = performance.now() + opts.seconds * 1000;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  await Promise.all(
    users.map(async (u) => {
      // Paced users start spread over one think time, not all in the same millisecond.
      if (opts.thinkMs) await new Promise((r) => setTimeout(r, Math.random() * opts.thinkMs!));
      while (performance.now() < end) {
        try {
          latencies.push(await u.ask());
        } catch {
          errors++;
        }
        // A person reads the answer before asking again; 0 means back to back (closed loop).
        if (opts.thinkMs) await new Promise((r) => setTimeout(r, opts.thinkMs! * (0.5 + Math.random())));
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  clientCpuShare = (cpu.user + cpu.system) / 1000 / (elapsed * 1000);
  for (const u of users) u.close();
  latencies.sort((a, b) => a - b);
  return {
    label: opts.label,
    conversations: opts.conversations,
    turns: latencies.length,
    turnsPerSec: latencies.length / elapsed,
    p50: pct(latencies, 50),
    p95: pct(latencies, 95),
    p99: pct(latencies, 99),
    errors,
  };
}

/** Peak resident memory of a process (VmHWM), in MB. */
function peakRssMb(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** The server side of the benchmark: the real app, started by the parent in a child process. */
async function serve(): Promise<void> {
  const config = loadConfig({ ...process.env, LOG_LEVEL: 'silent' });
  const app = await createApp(config, { logger: createLogger({ level: 'silent' }) });
  const url = await app.listen(0, '127.0.0.1');
  process.stdout.write(`READY ${url}\n`);
  process.on('SIGTERM', () => void app.close().finally(() => process.exit(0)));
}

async function startServer(env: Record<string, string>): Promise<{ url: string; proc: ChildProcess }> {
  const pin = spawnSync('sh', ['-c', 'command -v taskset']).status === 0 && os.cpus().length > 1;
  // BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server.
  const args = [...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean), process.argv[1], '--serve'];
  const proc = pin
    ? spawn('taskset', ['-c', '0', process.execPath, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] })
    : spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout!.on('data', (d) => {
      out += d;
      const m = /READY (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    proc.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return { url, proc };
}

async function main(): Promise<void> {
  if (process.argv.includes('--serve')) return serve();
  if (spawnSync('sh', ['-c', 'command -v taskset']).status === 0 && os.cpus().length > 1) {
    spawnSync('taskset', ['-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });
  }
  const seconds = Number(process.env.BENCH_SECONDS ?? 5);
  const conversations = Number(process.env.BENCH_CONVERSATIONS ?? 100);
  const baseEnv = { NODE_ENV: 'test', TOKEN_RATE_LIMIT_PER_MIN: '100000', DIRECT_LINE_SECRET: 'bench-secret-bench-secret-bench' };
  const backends: { label: string; env: () => Promise<Record<string, string>>; stop?: () => void }[] = [
    { label: 'SQLite', env: async () => ({ SQLITE_FILE: path.join(mkdtempSync(path.join(os.tmpdir(), 'kdlz-bench-')), 'bench.db') }) },
  ];
  let cluster: Awaited<ReturnType<typeof startCluster>> | undefined;
  if (process.env.BENCH_BACKENDS !== 'sqlite') {
    try {
      cluster = await startCluster();
      backends.push({ label: 'PostgreSQL', env: async () => ({ DATABASE_URL: cluster!.url }) });
    } catch (err) {
      console.log(`PostgreSQL skipped: ${(err as Error).message}`);
    }
  }
  const rows: DirectLineFigures[] = [];
  for (const b of backends) {
    const server = await startServer({ ...baseEnv, ...(await b.env()) });
    try {
      const runs: [string, Parameters<typeof benchDirectLine>[1]][] = [
        ['paced', { label: `${b.label}, stream, 1 question/s per conversation`, conversations, seconds, thinkMs: 1000 }],
        ['closed', { label: `${b.label}, stream, back to back`, conversations, seconds }],
        ['polling', { label: `${b.label}, polling every 1 s, back to back`, conversations: Math.min(conversations, 20), seconds, mode: 'polling', pollMs: 1000 }],
      ];
      for (const [, o] of runs) {
        const r = await benchDirectLine(server.url, o);
        rows.push({ ...r, peakRssMb: peakRssMb(server.proc.pid!), clientCpu: clientCpuShare });
      }
    } finally {
      server.proc.kill('SIGTERM');
      await new Promise((r) => server.proc.once('exit', r));
    }
  }
  cluster?.stop();
  const table = [
    `Direct Line: POST activities → bot reply received by the client (knowledge questions), ${seconds} s per row`,
    '',
    '| path | conversations | turns | turns/s | p50 ms | p95 ms | p99 ms | errors | server peak RSS MB | client CPU |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.label} | ${r.conversations} | ${r.turns} | ${r.turnsPerSec.toFixed(0)} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.p99.toFixed(1)} | ${r.errors} | ${r.peakRssMb?.toFixed(0) ?? '?'} | ${((r.clientCpu ?? 0) * 100).toFixed(0)} % |`,
    ),
  ];
  console.log(table.join('\n'));
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
