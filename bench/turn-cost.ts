/**
 * In-process CPU cost of one turn, without HTTP and load generator: a steadier figure than
 * `npm run bench` on a shared machine. Run after `npm run build`:
 *
 *   node --expose-gc dist/bench/turn-cost.js [--runs 7] [--turns 600] [--only service,knowledge,eligibility,booking]
 *
 * - service: KnowledgeService.answer for the bench questions (the answer chain alone).
 * - knowledge / eligibility / booking: whole bot turns (BotRuntime.run: state load and save in
 *   SQLite, MainDialog, the reply) through botbuilder's TestAdapter, five questions or one dialog
 *   script per conversation, as `npm run bench` sends them.
 * `--profile DIR` writes a CPU profile of the measured runs of each scenario to DIR/<name>.cpuprofile.
 * Prints µs per turn, wall clock and CPU time of this process (less disturbed by other processes
 * on a shared machine): the median of the runs, and the fastest run.
 */
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { performance } from 'node:perf_hooks';
import { TestAdapter } from 'botbuilder';
import { createApp } from '../src/app';
import { loadConfig } from '../src/config';
import { createKnowledgeService } from '../src/knowledge';
import { createLogger } from '../src/log';
import { bookingScript, ELIGIBILITY_SCRIPT, KNOWLEDGE_QUESTIONS } from './lib/questions';

const args = process.argv.slice(2);
const opt = (name: string, fallback: number): number => {
  const i = args.indexOf('--' + name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const RUNS = opt('runs', 7);
const TURNS = opt('turns', 600);
const onlyArg = args.indexOf('--only');
const ONLY = new Set((onlyArg >= 0 ? args[onlyArg + 1] : 'service,knowledge,eligibility,booking').split(','));

/** --profile DIR: a CPU profile of the measured runs (not the start-up) per scenario, DIR/<name>.cpuprofile. */
const profileArg = args.indexOf('--profile');
const PROFILE_DIR = profileArg >= 0 ? args[profileArg + 1] : undefined;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const gc = (globalThis as { gc?: () => void }).gc;

/** Runs `turns` turns `RUNS` times (after one warm-up run); µs per turn of each run. */
async function measure(name: string, turns: number, one: (i: number) => Promise<void>): Promise<void> {
  const perTurn: number[] = [];
  const cpuPerTurn: number[] = [];
  let i = 0;
  const session = PROFILE_DIR ? new Session() : undefined;
  session?.connect();
  for (let r = -1; r < RUNS; r++) {
    gc?.();
    if (r === 0 && session) {
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    }
    const t = performance.now();
    const cpu = process.cpuUsage();
    for (let n = 0; n < turns; n++) await one(i++);
    const us = ((performance.now() - t) * 1000) / turns;
    const used = process.cpuUsage(cpu);
    if (r >= 0) perTurn.push(us);
    if (r >= 0) cpuPerTurn.push((used.user + used.system) / turns);
  }
  if (session && PROFILE_DIR) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(path.join(PROFILE_DIR, `${name}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
  const f = (x: number) => x.toFixed(0).padStart(6);
  process.stdout.write(
    `${name.padEnd(12)} µs/turn wall median ${f(median(perTurn))} min ${f(Math.min(...perTurn))} | CPU median ${f(median(cpuPerTurn))} min ${f(Math.min(...cpuPerTurn))}  (${RUNS} runs × ${turns} turns)\n`,
  );
}

async function main(): Promise<void> {
  if (ONLY.has('service')) {
    const service = await createKnowledgeService();
    await measure('service', TURNS, async (i) => void (await service.answer(KNOWLEDGE_QUESTIONS[i % KNOWLEDGE_QUESTIONS.length])));
  }
  const bots = ['knowledge', 'eligibility', 'booking'].filter((s) => ONLY.has(s));
  if (bots.length === 0) return;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kdlz-turn-cost-'));
  const config = loadConfig({ SQLITE_FILE: path.join(dir, 'bench.db'), LOG_LEVEL: 'silent', NODE_ENV: 'test', DIRECT_LINE_SECRET: 'bench-direct-line-secret-0123456789abcdef', OUTBOX_DIR: path.join(dir, 'outbox') });
  const app = await createApp(config, { logger: createLogger({ level: 'silent' }) });
  try {
    /** One conversation per script run, a new user each time (nothing remembered), like `npm run bench`. */
    const scripted = (script: (c: number) => readonly string[]) => {
      let adapter: TestAdapter | undefined;
      let conversation = 0;
      let step = 0;
      let current: readonly string[] = [];
      return async (): Promise<void> => {
        if (!adapter || step >= current.length) {
          conversation++;
          current = script(conversation);
          step = 0;
          adapter = new TestAdapter((ctx) => app.bot.run(ctx));
          adapter.conversation.conversation.id = `turn-cost-${conversation}`;
          adapter.conversation.user = { id: `user-${conversation}`, name: 'Bench' };
        }
        await adapter.send(current[step++]).startTest();
      };
    };
    const knowledge = (c: number) => Array.from({ length: 5 }, (_x, i) => KNOWLEDGE_QUESTIONS[(c * 5 + i) % KNOWLEDGE_QUESTIONS.length]);
    const scripts: Record<string, (c: number) => readonly string[]> = {
      knowledge,
      eligibility: () => ELIGIBILITY_SCRIPT,
      booking: (c) => bookingScript(c % 45, 0).slice(0, 7).concat('Abbrechen'),
    };
    for (const s of bots) await measure(s, Math.max(40, Math.round(TURNS / 3)), scripted(scripts[s]));
  } finally {
    await app.close();
  }
}

main().catch((e) => {
  process.stderr.write(String(e?.stack ?? e) + '\n');
  process.exit(1);
});
