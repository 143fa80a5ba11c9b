/**
 * `npm run bench:soak [-- --minutes 10] [-- --postgres]`: the KDLZ-Bot under steady mixed load for
 * a long while, resident memory sampled throughout. Passes the eye test when RSS stays flat: no
 * more than 10 % above the level reached after the first tenth of the run (warm-up). New
 * conversations start all the time, so per-conversation leaks (state, Direct Line sockets,
 * caches) would show as growth. Figures, not a test.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { projectRoot } from '../src/paths';
import { startCluster, type Cluster } from '../test/setup/postgres-cluster';
import { ChannelServer, type Reply } from './lib/channel';
import { runDirectLine } from './lib/directline';
import { LOAD_CORE, pinSelf, spawnPinned } from './lib/proc';
import { KNOWLEDGE_QUESTIONS } from './lib/questions';
import { runTurns } from './lib/turns';

const args = process.argv.slice(2);
const minutesArg = args.indexOf('--minutes');
const MINUTES = minutesArg >= 0 ? Number(args[minutesArg + 1]) : 10;
if (!Number.isFinite(MINUTES) || MINUTES <= 0) throw new Error('--minutes needs a positive number');
const POSTGRES = args.includes('--postgres');
const SECRET = 'soak-direct-line-secret-0123456789abcdef';
const GROWTH_LIMIT = 0.1;
const log = (s: string) => process.stdout.write(s + '\n');

async function main(): Promise<void> {
  const root = projectRoot();
  const pinned = pinSelf(LOAD_CORE);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'kdlz-soak-'));
  let cluster: Cluster | undefined;
  const env: Record<string, string> = { SQLITE_FILE: path.join(tmp, 'soak.db'), DIRECT_LINE_SECRET: SECRET, OUTBOX_DIR: path.join(tmp, 'outbox') };
  if (POSTGRES) {
    cluster = await startCluster();
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    await admin.query('CREATE DATABASE soak');
    await admin.end();
    env.DATABASE_URL = cluster.url.replace(/\/postgres$/, '/soak');
  }
  const channel = await ChannelServer.start();
  const server = await spawnPinned({ entry: path.join(root, 'dist', 'src', 'index.js'), env });
  log(`soak: ${MINUTES} min on ${POSTGRES ? 'PostgreSQL' : 'SQLite'}; server core 0, load ${pinned}`);

  const totalMs = MINUTES * 60_000;
  const started = Date.now();
  const samples: { atS: number; rssMb: number }[] = [];
  const sampleEveryMs = Math.max(1000, Math.min(10_000, totalMs / 60));
  const sampler = setInterval(() => {
    const rss = server.rssMb();
    if (rss !== undefined) samples.push({ atS: (Date.now() - started) / 1000, rssMb: rss });
  }, sampleEveryMs);

  // Steady load in slices of 20 s: Teams-like turns (new conversation every 5 questions) and
  // Web Chat users (new Direct Line conversations with sockets, 3 questions each, then gone).
  let turns = 0;
  let dlTurns = 0;
  let errors = 0;
  let firstError: string | undefined;
  let slice = 0;
  while (Date.now() - started < totalMs) {
    const seconds = Math.min(20, (totalMs - (Date.now() - started)) / 1000);
    if (seconds < 1) break;
    const [t, d] = await Promise.all([
      runTurns({
        botUrl: server.url,
        channel,
        users: 8,
        seconds,
        tag: `soak-${slice}`,
        script: (u, round) => Array.from({ length: 5 }, (_x, i) => KNOWLEDGE_QUESTIONS[(u + round + i) % KNOWLEDGE_QUESTIONS.length]),
        newUserPerConversation: true,
        thinkMs: 20,
        check: (r: Reply) => r.activity.type === 'message',
      }),
      runDirectLine({ baseUrl: server.url, secret: SECRET, conversations: 20, seconds, mode: 'stream', thinkMs: 300, questions: KNOWLEDGE_QUESTIONS }),
    ]);
    turns += t.count;
    dlTurns += d.count;
    errors += t.errors + d.errors;
    firstError ??= t.firstError ?? d.firstError;
    slice++;
    const last = samples[samples.length - 1];
    log(`  ${Math.round((Date.now() - started) / 1000)} s: ${Math.round(t.perSec)} turns/s /api/messages, ${Math.round(d.perSec)} turns/s Direct Line, RSS ${last ? Math.round(last.rssMb) : '?'} MB`);
  }
  clearInterval(sampler);
  const peak = server.peakRssMb();
  await server.stop();
  await channel.close();
  cluster?.stop();
  rmSync(tmp, { recursive: true, force: true });

  // Warm-up: the first tenth of the run (at least the first two samples).
  const warm = samples.filter((s) => s.atS * 1000 >= totalMs / 10);
  const baseline = warm.length ? warm[0].rssMb : NaN;
  const maxAfter = Math.max(...warm.map((s) => s.rssMb));
  const growth = maxAfter / baseline - 1;
  const verdict = growth <= GROWTH_LIMIT ? 'flat (met)' : 'GROWING (missed)';
  const lines = [
    `# KDLZ-Bot soak — ${new Date().toISOString()}`,
    '',
    `${MINUTES} min, ${POSTGRES ? 'PostgreSQL' : 'SQLite'}, ${turns} turns via /api/messages (new conversation every 5), ${dlTurns} Direct Line turns (20 sockets at a time, new conversations every slice), ${errors} errors${firstError ? ` (first: ${firstError})` : ''}.`,
    '',
    `RSS after warm-up ${baseline.toFixed(0)} MB, highest later ${maxAfter.toFixed(0)} MB: growth ${(growth * 100).toFixed(1)} % (limit ${GROWTH_LIMIT * 100} %) — ${verdict}. Peak RSS (VmHWM) ${peak?.toFixed(0)} MB.`,
    '',
    `Samples (s: MB): ${samples.map((s) => `${Math.round(s.atS)}: ${Math.round(s.rssMb)}`).join(', ')}`,
    '',
    `Command: \`npm run bench:soak -- ${args.join(' ')}\``,
  ];
  log('\n' + lines.join('\n'));
  mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
  writeFileSync(path.join(root, 'bench', 'results', `soak-${POSTGRES ? 'postgres' : 'sqlite'}.md`), lines.join('\n') + '\n');
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`soak failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
