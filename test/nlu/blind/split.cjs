// Deterministic stratified 50/50 split (mulberry32, seed 20261129). Items are grouped by `key`,
// shuffled within each group, and alternately assigned dev/test.
const fs = require('fs');
function rng(seed) { return () => { seed |= 0; seed = (seed + 0x6d2b79f5) | 0; let t = Math.imul(seed ^ (seed >>> 15), 1 | seed); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; }; }
function split(items, key, seed) {
  const r = rng(seed); const groups = new Map();
  for (const it of items) { const k = key(it); if (!groups.has(k)) groups.set(k, []); groups.get(k).push(it); }
  const dev = [], test = []; let flip = 0;
  for (const k of [...groups.keys()].sort()) {
    const g = groups.get(k).slice();
    for (let i = g.length - 1; i > 0; i--) { const j = Math.floor(r() * (i + 1)); [g[i], g[j]] = [g[j], g[i]]; }
    g.forEach((it) => ((flip++ % 2 === 0 ? dev : test).push(it)));
  }
  return { dev, test };
}
const [,, input, keyName, outDev, outTest] = process.argv;
const items = JSON.parse(fs.readFileSync(input, 'utf8'));
const keyFns = { nlu: (x) => x.intent, slots: (x) => x.slot + '/' + (x.question ?? '') + '/' + (x.value === 'ASK_AGAIN' ? 'again' : 'value'), kb: (x) => x.id.slice(0, 2) + '/' + x.kind };
const { dev, test } = split(items, keyFns[keyName], 20261129);
fs.writeFileSync(outDev, JSON.stringify(dev, null, 1) + '\n');
fs.writeFileSync(outTest, JSON.stringify(test, null, 1) + '\n');
console.log(keyName, 'dev', dev.length, 'test', test.length);
