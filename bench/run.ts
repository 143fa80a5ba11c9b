/**
 * `npm run bench`: the KDLZ-Bot measured side by side with its anchors, in one run on the same
 * machine state. Servers run as child processes pinned to one core, this process (the load
 * generator and the loopback channel server) on the other. Every turn is measured end to end:
 * from sending the activity until the bot's reply reached the channel (or the Direct Line client).
 * Prints the table and writes it to bench/results/latest.md. Figures, not a pass/fail test.
 *
 * Options: --seconds 8 (per measured run)  --runs 3  --warmup 3  --users 32
 *          --only bare,echo,kdlz-sqlite,kdlz-postgres,eligibility,booking,dl-stream,dl-poll,startup
 *                 (kdlz-help: diagnostic, only when named)  --profile (CPU profiles of echo and KDLZ-Bot under load)
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import pg from 'pg';
import { projectRoot } from '../src/paths';
import { startCluster, type Cluster } from '../test/setup/postgres-cluster';
import { ChannelServer, type Reply } from './lib/channel';
import { summariseProfile } from './lib/cpuprofile';
import { runDirectLine } from './lib/directline';
import { LOAD_CORE, pinSelf, SERVER_CORE, spawnPinned, type ServerProcess } from './lib/proc';
import { bookingScript, ELIGIBILITY_SCRIPT, KNOWLEDGE_QUESTIONS } from './lib/questions';
import { markdownTable, type Row, textTable } from './lib/report';
import { median, medianOfRuns, summarise, type RunFigures } from './lib/stats';
import { runTurns, type TurnLoadOptions, type TurnRun } from './lib/turns';

const args = process.argv.slice(2);
const opt = (name: string, fallback: number): number => {
  const i = args.indexOf('--' + name);
  const v = i >= 0 ? Number(args[i + 1]) : fallback;
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} needs a positive number`);
  return v;
};
const SECONDS = opt('seconds', 8);
const RUNS = opt('runs', 3);
const WARMUP = opt('warmup', 3);
const USERS = opt('users', 32);
const DL_CONVERSATIONS = opt('dl-conversations', 100);
const DL_THINK_MS = opt('dl-think-ms', 1000);
const onlyArg = args.indexOf('--only');
const ONLY = onlyArg >= 0 ? new Set(args[onlyArg + 1].split(',')) : undefined;
const PROFILE = args.includes('--profile');
/** Diagnostic scenarios, run only when named in --only. */
const OPT_IN = new Set(['kdlz-help']);
const wanted = (id: string) => (ONLY ? ONLY.has(id) : !OPT_IN.has(id));

const root = projectRoot();
const dist = (...p: string[]) => path.join(root, 'dist', ...p);
const SERVER_ENTRY = dist('src', 'index.js');
const SECRET = 'bench-direct-line-secret-0123456789abcdef';
const tmp = mkdtempSync(path.join(os.tmpdir(), 'kdlz-bench-'));
const log = (s: string) => process.stdout.write(s + '\n');

/** A knowledge answer carries the schema.org citation entity (DESIGN.md); a fallback does not. */
const isCited = (a: Record<string, any>): boolean =>
  Array.isArray(a.entities) && a.entities.some((e: any) => e?.type === 'https://schema.org/Message' && Array.isArray(e.citation) && e.citation.length > 0);

const knowledgeScript = (u: number, round: number): string[] =>
  // Five questions per conversation, each user starting elsewhere in the list.
  Array.from({ length: 5 }, (_x, i) => KNOWLEDGE_QUESTIONS[(u * 5 + round * 5 + i) % KNOWLEDGE_QUESTIONS.length]);

function kdlzEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    SQLITE_FILE: path.join(mkdtempSync(path.join(tmp, 'sqlite-')), 'bench.db'),
    DIRECT_LINE_SECRET: SECRET,
    OUTBOX_DIR: path.join(tmp, 'outbox'),
    ...extra,
  };
}

/** A bot under /api/messages load; all of them run interleaved so each sees the same machine state. */
interface TurnSubject {
  id: string;
  name: string;
  server: ServerProcess;
  load: Omit<TurnLoadOptions, 'seconds' | 'tag' | 'botUrl'>;
  runs: TurnRun[];
  /** Read just before the server stops. */
  peakRssMb?: number;
}

/**
 * Warm-up for every subject, then RUNS rounds in which each subject gets one measured run in
 * turn (A B C A B C …): on a shared machine the load of others drifts, and interleaving makes the
 * ratio to the echo bot compare runs taken at nearly the same time.
 */
async function interleaved(subjects: TurnSubject[]): Promise<void> {
  for (const s of subjects) await runTurns({ ...s.load, botUrl: s.server.url, seconds: WARMUP, tag: `${s.id}-warm` });
  for (let r = 0; r < RUNS; r++) {
    for (const s of subjects) {
      log(`  run ${r + 1}/${RUNS}: ${s.id}`);
      s.runs.push(await runTurns({ ...s.load, botUrl: s.server.url, seconds: SECONDS, tag: `${s.id}-r${r}` }));
    }
  }
}

function subjectRow(s: TurnSubject, echo?: TurnSubject): Row {
  const figures = medianOfRuns(s.runs);
  const checked = s.runs.reduce((n, r) => n + r.checked, 0);
  const ok = s.runs.reduce((n, r) => n + r.checkedOk, 0);
  const err = s.runs.find((r) => r.firstError)?.firstError;
  const notes = [checked ? `${ok}/${checked} replies as expected` : '', err ? `first error: ${err}` : ''].filter(Boolean);
  const row: Row = { name: s.name, figures, peakRssMb: s.peakRssMb, note: notes.join('; ') || undefined };
  if (echo && echo !== s) {
    // Per-round ratios, then their median: each compares two runs taken back to back.
    row.ratio = median(s.runs.map((r, i) => r.perSec / echo.runs[i].perSec));
    row.p99Ratio = median(s.runs.map((r, i) => r.p99 / echo.runs[i].p99));
  }
  return row;
}

async function bareRestify(): Promise<Row> {
  const server = await spawnPinned({ entry: dist('bench', 'bare-restify.js') });
  try {
    const once = async (seconds: number): Promise<RunFigures> => {
      const latencies: number[] = [];
      const instance = autocannon({ url: server.url + '/hello', connections: USERS, duration: seconds });
      instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => latencies.push(responseTime));
      const result = await instance;
      return summarise(latencies, seconds, result.errors + result.non2xx);
    };
    await once(WARMUP);
    const runs: RunFigures[] = [];
    for (let r = 0; r < RUNS; r++) runs.push(await once(SECONDS));
    return { name: 'bare restify hello world (anchor)', figures: medianOfRuns(runs), peakRssMb: server.peakRssMb(), note: 'autocannon, requests/s' };
  } finally {
    await server.stop();
  }
}

async function directLine(name: string, env: Record<string, string>, mode: 'stream' | 'poll', conversations: number, thinkMs: number): Promise<Row> {
  const server = await spawnPinned({ entry: SERVER_ENTRY, env });
  try {
    const base = { baseUrl: server.url, secret: SECRET, mode, pollMs: 1000, thinkMs, questions: KNOWLEDGE_QUESTIONS, check: isCited } as const;
    await runDirectLine({ ...base, conversations, seconds: WARMUP });
    const runs = [];
    for (let r = 0; r < RUNS; r++) runs.push(await runDirectLine({ ...base, conversations, seconds: SECONDS }));
    const m = medianOfRuns(runs);
    const checked = runs.reduce((s, r) => s + r.checked, 0);
    const ok = runs.reduce((s, r) => s + r.checkedOk, 0);
    const err = runs.find((r) => r.firstError)?.firstError;
    return { name, figures: m, peakRssMb: server.peakRssMb(), note: `${ok}/${checked} cited${err ? `; first error: ${err}` : ''}` };
  } finally {
    await server.stop();
  }
}

/** spawn → /readyz 200 for the built server, several times (fresh SQLite file each). */
async function startups(env: () => Record<string, string>, times: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < times; i++) {
    const s = await spawnPinned({ entry: SERVER_ENTRY, env: env() });
    out.push(s.startupMs);
    await s.stop();
  }
  return out;
}

async function pgDatabase(cluster: Cluster): Promise<string> {
  const name = 'bench_' + Math.random().toString(36).slice(2, 10);
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(cluster.url);
  url.pathname = '/' + name;
  return url.toString();
}

function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  for (const f of [SERVER_ENTRY, dist('bench', 'echo-bot.js'), dist('bench', 'bare-restify.js')]) {
    if (!existsSync(f)) throw new Error(`${f} missing: run npm run build first (npm run bench does)`);
  }
  const pinned = pinSelf(LOAD_CORE);
  const startedAt = new Date();
  const load0 = os.loadavg()[0];
  log(`KDLZ-Bot benchmark — ${SECONDS} s × ${RUNS} runs after ${WARMUP} s warm-up, ${USERS} virtual users; servers on core ${SERVER_CORE}, load generator ${pinned}`);
  const channel = await ChannelServer.start();
  const rows: Row[] = [];
  const startupFigures: { label: string; ms: number[] }[] = [];
  let cluster: Cluster | undefined;
  const profileDir = PROFILE ? path.join(root, 'bench', 'results', 'profiles') : undefined;
  const profileArgs = (sub: string): string[] => (profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(profileDir, sub)}`] : []);
  const subjects: TurnSubject[] = [];
  const knowledgeLoad = { channel, users: USERS, script: knowledgeScript, newUserPerConversation: false, check: (r: Reply) => isCited(r.activity) };
  let echoRow: Row | undefined;

  try {
    if (wanted('bare')) {
      log('· bare restify …');
      rows.push(await bareRestify());
    }

    // The bots behind /api/messages: started together, measured interleaved.
    const botScenarios = ['echo', 'kdlz-sqlite', 'kdlz-postgres', 'eligibility', 'booking', 'kdlz-help'].filter(wanted);
    if (botScenarios.length) {
      log('· starting the bots for /api/messages …');
      if (profileDir) {
        rmSync(profileDir, { recursive: true, force: true });
        mkdirSync(path.join(profileDir, 'echo'), { recursive: true });
        mkdirSync(path.join(profileDir, 'kdlz'), { recursive: true });
      }
      subjects.push({
        id: 'echo',
        name: 'echo bot, CloudAdapter + MemoryStorage (reference)',
        server: await spawnPinned({ entry: dist('bench', 'echo-bot.js'), nodeArgs: profileArgs('echo') }),
        load: { ...knowledgeLoad, check: undefined },
        runs: [],
      });
    }
    if (wanted('kdlz-sqlite')) {
      const server = await spawnPinned({ entry: SERVER_ENTRY, env: kdlzEnv(), nodeArgs: profileArgs('kdlz') });
      subjects.push({ id: 'kdlz-sqlite', name: 'KDLZ-Bot knowledge via /api/messages, SQLite', server, load: knowledgeLoad, runs: [] });
    }
    if (wanted('kdlz-help')) {
      // Diagnostic: the same bot and turn path without a knowledge lookup ("hilfe" is answered from
      // the texts module), so the framework-and-dialog share of a turn can be told from the search.
      const server = await spawnPinned({ entry: SERVER_ENTRY, env: kdlzEnv() });
      subjects.push({ id: 'kdlz-help', name: 'KDLZ-Bot "hilfe" (no knowledge lookup), SQLite — diagnostic', server, load: { ...knowledgeLoad, script: () => ['hilfe'], check: undefined }, runs: [] });
    }
    if (wanted('kdlz-postgres')) {
      try {
        cluster = await startCluster();
      } catch (err) {
        rows.push({ name: 'KDLZ-Bot knowledge via /api/messages, PostgreSQL', note: `n/a (no PostgreSQL: ${(err as Error).message.split('\n')[0]})` });
      }
      if (cluster) {
        const server = await spawnPinned({ entry: SERVER_ENTRY, env: kdlzEnv({ DATABASE_URL: await pgDatabase(cluster) }) });
        startupFigures.push({ label: 'PostgreSQL (fresh database, migrations)', ms: [server.startupMs] });
        subjects.push({ id: 'kdlz-postgres', name: 'KDLZ-Bot knowledge via /api/messages, PostgreSQL', server, load: knowledgeLoad, runs: [] });
      }
    }
    if (wanted('eligibility')) {
      const last = ELIGIBILITY_SCRIPT.length - 1;
      subjects.push({
        id: 'eligibility',
        name: `KDLZ-Bot eligibility dialog, ${ELIGIBILITY_SCRIPT.length} turns each, SQLite`,
        server: await spawnPinned({ entry: SERVER_ENTRY, env: kdlzEnv() }),
        load: {
          channel,
          users: USERS,
          script: () => ELIGIBILITY_SCRIPT,
          newUserPerConversation: true,
          // The last step must bring the machine-readable result (DESIGN.md: type "eligibility").
          check: (reply, step) => (step === last ? Array.isArray(reply.activity.entities) && reply.activity.entities.some((e: any) => e?.type === 'eligibility') : undefined),
        },
        runs: [],
      });
    }
    if (wanted('booking')) {
      const summary = bookingScript(0, 0).length - 2;
      subjects.push({
        id: 'booking',
        name: `KDLZ-Bot booking dialog, ${summary + 2} turns each (to the summary, then "Abbrechen"), SQLite`,
        server: await spawnPinned({ entry: SERVER_ENTRY, env: kdlzEnv() }),
        load: {
          channel,
          users: USERS,
          script: bookingScript,
          newUserPerConversation: true,
          // The contact data must lead to the summary, which offers the binding booking.
          check: (reply, step) =>
            step === summary ? (reply.activity.suggestedActions?.actions ?? []).some((a: any) => a?.title === 'Verbindlich buchen') : undefined,
        },
        runs: [],
      });
    }
    if (subjects.length) {
      log(`· /api/messages: ${subjects.map((s) => s.id).join(', ')} (interleaved) …`);
      try {
        await interleaved(subjects);
      } finally {
        for (const s of subjects) {
          s.peakRssMb = s.server.peakRssMb();
          await s.server.stop();
        }
      }
      const echo = subjects.find((s) => s.id === 'echo')!;
      for (const s of subjects) {
        if (s.id === 'echo' && !wanted('echo')) continue;
        const row = subjectRow(s, echo);
        const f = row.figures!;
        const rssOk = (row.peakRssMb ?? Infinity) < 300;
        if (s.id === 'echo') echoRow = row;
        if (s.id === 'kdlz-sqlite') {
          row.target = '≥ 80 % of echo turns/s, p99 ≤ 1.5× echo, RSS < 300 MB';
          row.met = row.ratio! >= 0.8 && row.p99Ratio! <= 1.5 && rssOk && f.errors === 0;
        } else if (s.id === 'kdlz-postgres') {
          row.target = '≥ 60 % of echo turns/s, RSS < 300 MB';
          row.met = row.ratio! >= 0.6 && rssOk && f.errors === 0;
        } else if (s.id === 'eligibility' || s.id === 'booking') {
          row.note = [`${s.runs.reduce((n, r) => n + r.conversations, 0)} dialogs completed`, row.note].filter(Boolean).join('; ');
          row.target = 'RSS < 300 MB';
          row.met = rssOk && f.errors === 0;
        }
        rows.push(row);
      }
    }
    const echoPerSec = echoRow?.figures?.perSec;
    const echoP99 = echoRow?.figures?.p99;
    const relate = (row: Row): Row =>
      row.figures && echoPerSec && echoP99 ? { ...row, ratio: row.figures.perSec / echoPerSec, p99Ratio: row.figures.p99 / echoP99 } : row;

    if (wanted('dl-stream')) {
      log(`· Direct Line, WebSocket stream, ${DL_CONVERSATIONS} conversations …`);
      const row = await directLine(`Direct Line stream: ${DL_CONVERSATIONS} conversations, ${DL_THINK_MS / 1000} s think time, send → reply on socket`, kdlzEnv(), 'stream', DL_CONVERSATIONS, DL_THINK_MS);
      row.target = 'p95 < 50 ms, RSS < 300 MB';
      row.met = row.figures ? row.figures.p95 < 50 && (row.peakRssMb ?? Infinity) < 300 && row.figures.errors === 0 : false;
      // Paced users: turns/s is the offered load, so no ratio to the echo bot.
      rows.push(row);
      log(`· Direct Line, WebSocket stream, ${DL_CONVERSATIONS} conversations without pause …`);
      rows.push(relate(await directLine(`Direct Line stream: ${DL_CONVERSATIONS} conversations, no think time (saturation)`, kdlzEnv(), 'stream', DL_CONVERSATIONS, 1)));
    }
    if (wanted('dl-poll')) {
      log('· Direct Line, polling every 1 s, 20 conversations …');
      const row = await directLine('Direct Line polling (1 s, as directlinejs without socket): 20 conversations, 1 s think time', kdlzEnv(), 'poll', 20, DL_THINK_MS);
      row.target = 'works (replies arrive)';
      row.met = row.figures ? row.figures.count > 0 && row.figures.errors === 0 : false;
      rows.push(row);
    }

    if (wanted('startup')) {
      log('· start-up to ready (5 ×) …');
      startupFigures.unshift({ label: 'SQLite (fresh file, migrations, built-in knowledge base)', ms: await startups(() => kdlzEnv(), 5) });
    }
  } finally {
    // Servers started before a failure must not outlive the bench (stop() is a no-op once exited).
    for (const s of subjects) await s.server.stop();
    await channel.close();
    cluster?.stop();
    rmSync(tmp, { recursive: true, force: true });
  }

  const startupLines = startupFigures.map((s) => {
    const m = median(s.ms);
    return `- start-up to ready (spawn → /readyz 200), ${s.label}: median ${Math.round(m)} ms of ${s.ms.map((x) => Math.round(x)).join(', ')} ms — target < 2000 ms: ${m < 2000 ? 'met' : 'MISSED'}`;
  });

  let profileText = '';
  if (profileDir) {
    for (const [sub, what] of [['echo', 'echo bot'], ['kdlz', 'KDLZ-Bot (SQLite, knowledge load)']] as const) {
      const dir = path.join(profileDir, sub);
      for (const f of existsSync(dir) ? readdirSync(dir).filter((x) => x.endsWith('.cpuprofile')) : []) {
        const s = summariseProfile(path.join(dir, f), root, 20);
        profileText +=
          `\n### CPU profile of the ${what}: ${sub}/${f}\n\n${Math.round(s.total)} ms busy (start-up included, idle left out). Self time by origin:\n\n` +
          s.origins.map((o) => `- ${(o.share * 100).toFixed(1)} % ${o.label}`).join('\n') +
          `\n\nTop functions by self time:\n\n` +
          s.functions.map((o) => `- ${(o.share * 100).toFixed(1)} % ${o.label}`).join('\n') +
          '\n';
      }
    }
  }

  const header =
    `# KDLZ-Bot benchmark — latest run\n\n` +
    `${startedAt.toISOString()} · commit ${gitCommit()} · Node ${process.version} · ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'} · load average at start ${load0.toFixed(2)}\n\n` +
    `Servers as child processes on core ${SERVER_CORE}; load generator and loopback channel server (this process) ${pinned}; PostgreSQL (throwaway cluster) inherits the load generator's core. ` +
    `${USERS} virtual users with one keep-alive connection each, closed loop (next turn when the reply is in); ${WARMUP} s warm-up, then ${RUNS} runs of ${SECONDS} s, median of each figure. ` +
    `Latency is end to end: activity sent → the bot's reply arrived at the channel server (Direct Line: visible to the client). ` +
    `Peak RSS is the server process's kernel high-water mark (VmHWM) over its whole life, start-up included.\n\n` +
    `Command: \`npm run bench -- ${args.join(' ')}\`\n\n`;
  const md = header + markdownTable(rows) + '\n\n' + startupLines.join('\n') + '\n' + profileText;
  log('\n' + textTable(rows) + '\n\n' + startupLines.join('\n') + profileText);
  mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(path.join(root, 'bench', 'results', 'latest.md'), md);
  log('\nwritten to bench/results/latest.md');
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
