/**
 * npm run bench:knowledge — a benchmark, not a test: prints figures beside their targets.
 * 1. Retrieval quality on test/knowledge/questions.de.json: hit@1, hit@3, MRR, decline accuracy
 *    for this German retriever vs LangChain's BM25Retriever vs a default MiniSearch.
 * 2. Decision threshold sweep on test/knowledge/calibration.json (dev set, not the eval set).
 * 3. Answer-level evaluation (facts contained, declines) for the eval and dev sets.
 * 4. Start-up/build time and answer latency (p50/p95) for the built-in KB and 10,000 synthetic
 *    articles (`--legacy-synthetic`: the first, repetitive generator, for comparison).
 * 5. RSS around the synthetic build and peak RSS of the process.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Document } from '@langchain/core/documents';
import { BM25Retriever } from '@langchain/community/retrievers/bm25';
import MiniSearch from 'minisearch';
import { buildKnowledgeService, createKnowledgeService, type KnowledgeService } from '../src/knowledge';
import { loadArticles } from '../src/knowledge/articles';
import { decide, decisionSignals } from '../src/knowledge/decide';
import { evaluate, type EvalQuestion } from '../src/knowledge/evaluation';
import { Lexicon } from '../src/knowledge/lexicon';
import { KnowledgeIndex } from '../src/knowledge/retriever';
import { knowledgeDir, projectRoot } from '../src/paths';
import { synthetic } from './knowledge-synthetic';

const questions = JSON.parse(readFileSync(path.join(projectRoot(), 'test/knowledge/questions.de.json'), 'utf8')) as EvalQuestion[];
const calibration = JSON.parse(readFileSync(path.join(projectRoot(), 'test/knowledge/calibration.json'), 'utf8')) as EvalQuestion[];

interface Quality {
  name: string;
  hit1: number;
  hit3: number;
  mrr: number;
  decline: string;
}

/** Ranked distinct article files for each question, and whether the system would decline. */
async function quality(name: string, rank: (q: string) => Promise<{ files: string[]; declined: boolean | null }>): Promise<Quality> {
  let hit1 = 0, hit3 = 0, rr = 0, n = 0, declOk = 0, declN = 0, declKnown = true;
  for (const q of questions) {
    const r = await rank(q.q);
    if (q.decline) {
      declN++;
      if (r.declined === null) declKnown = false;
      else if (r.declined) declOk++;
      continue;
    }
    if (!q.article) continue;
    n++;
    const pos = r.files.indexOf(`articles/${q.article}`);
    if (pos === 0) hit1++;
    if (pos >= 0 && pos < 3) hit3++;
    if (pos >= 0) rr += 1 / (pos + 1);
  }
  return {
    name,
    hit1: hit1 / n,
    hit3: hit3 / n,
    mrr: rr / n,
    decline: declKnown ? `${declOk}/${declN}` : 'n/a (no score)',
  };
}

const distinct = (files: string[]) => [...new Set(files)];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function latency(service: KnowledgeService, rounds: number): Promise<{ p50: number; p95: number; n: number }> {
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const q of questions) {
      const t = process.hrtime.bigint();
      await service.answer(q.q);
      times.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), n: times.length };
}

/** Answer-level evaluation (the same judge as test/knowledge/evaluation.test.ts). */
async function facts(service: KnowledgeService, set: EvalQuestion[]): Promise<string> {
  const s = await evaluate((q) => service.answer(q), set);
  const pct = (a: number, b: number) => `${a}/${b} (${((100 * a) / b).toFixed(1)} %)`;
  return `facts ${pct(s.factCorrect, s.factTotal)}, declines ${pct(s.declineCorrect, s.declineTotal)}`;
}

const fmt = (x: number) => x.toFixed(3);
const ms = (x: number) => `${x.toFixed(2)} ms`;

async function main(): Promise<void> {
  const dir = knowledgeDir();
  const { articles } = loadArticles(dir);
  const lexicon = Lexicon.fromFile(path.join(dir, 'synonyms.yaml'));

  // --- quality ---
  const index = await KnowledgeIndex.build(articles, lexicon);
  const docs = index.passages.map((p) => new Document({ pageContent: `${p.title} ${p.heading}\n${p.text}`, metadata: { file: p.file } }));
  const bm25 = BM25Retriever.fromDocuments(docs, { k: 10 });
  const plain = new MiniSearch<{ id: number; file: string; title: string; text: string }>({ fields: ['title', 'text'], storeFields: ['file'] });
  plain.addAll(index.passages.map((p) => ({ id: p.id, file: p.file, title: `${p.title} ${p.heading}`, text: p.text })));

  const rows = [
    await quality('KDLZ German retriever', async (q) => {
      const r = index.retrieve(q, 10);
      return { files: distinct(r.hits.map((h) => h.passage.file)), declined: decide(decisionSignals(r, r.hits[0]?.passage.article)) === 'decline' };
    }),
    await quality('LangChain BM25Retriever', async (q) => ({ files: distinct((await bm25.invoke(q)).map((d) => d.metadata.file as string)), declined: null })),
    await quality('MiniSearch (defaults)', async (q) => {
      const r = plain.search(q);
      return { files: distinct(r.map((x) => x.file as string)), declined: r.length === 0 };
    }),
  ];
  const inScope = questions.filter((q) => !q.decline && q.article).length;
  const outScope = questions.filter((q) => q.decline).length;
  console.log(`\nRetrieval quality on questions.de.json (${inScope} answerable, ${outScope} must decline)`);
  console.log('system                      hit@1   hit@3   MRR     declines correct');
  for (const r of rows) console.log(`${r.name.padEnd(27)} ${fmt(r.hit1)}   ${fmt(r.hit3)}   ${fmt(r.mrr)}   ${r.decline}`);

  // The decision thresholds are calibrated on the blind dev split: npm run eval:knowledge -- --sweep.

  // --- speed ---
  let t = performance.now();
  const builtIn = await createKnowledgeService({});
  const buildSmall = performance.now() - t;
  const smallCold = await latency(builtIn, 1);
  const small = await latency(builtIn, 5);
  console.log('\nAnswers (extractive, judged like test/knowledge/evaluation.test.ts; bar: facts ≥ 95 %, declines 100 %)');
  console.log(`built-in KB, questions.de.json (eval):    ${await facts(builtIn, questions)}`);
  console.log(`built-in KB, calibration.json (dev):      ${await facts(builtIn, calibration)}`);

  const legacy = process.argv.includes('--legacy-synthetic');
  const synth = [...articles, ...synthetic(articles, 10_000, { legacyRandom: legacy })];
  if (global.gc) global.gc();
  const rssBefore = process.memoryUsage().rss;
  t = performance.now();
  const big = await buildKnowledgeService(synth, lexicon);
  const buildBig = performance.now() - t;
  if (global.gc) global.gc();
  const rssAfter = process.memoryUsage().rss;
  const largeCold = await latency(big, 1);
  const large = await latency(big, 5);
  console.log(`synthetic KB, questions.de.json (eval):   ${await facts(big, questions)}`);

  const mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
  const synthName = legacy ? 'synthetic KB, legacy generator' : 'synthetic KB';
  console.log(`\nSpeed (one process, single-threaded; all ${questions.length} questions of questions.de.json, first pass cold, then 5 passes)`);
  console.log('                                                             figure              target');
  console.log(`built-in KB (${articles.length} articles): start-up (load + index)        ${ms(buildSmall).padEnd(19)} < 2000 ms`);
  console.log(`built-in KB: answer p50 / p95, first pass                    ${ms(smallCold.p50)} / ${ms(smallCold.p95)}`);
  console.log(`built-in KB: answer p50 / p95 (${small.n} answers)                ${ms(small.p50)} / ${ms(small.p95)}`);
  console.log(`${synthName} (${synth.length} articles): index build        ${ms(buildBig).padEnd(19)} < 2000 ms`);
  console.log(`${synthName}: answer p50 / p95, first pass          ${ms(largeCold.p50)} / ${ms(largeCold.p95)}`);
  console.log(`${synthName}: answer p50 / p95 (${large.n} answers)      ${ms(large.p50)} / ${ms(large.p95)}   p95 < 5 ms`);
  console.log(`RSS before / after building the synthetic index             ${mb(rssBefore)} / ${mb(rssAfter)}`);
  console.log(`peak RSS of this process                                     ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB              < 300 MB`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
