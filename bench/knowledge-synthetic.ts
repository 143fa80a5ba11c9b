import type { Article } from '../src/knowledge/articles';

/**
 * Deterministic synthetic articles: every third word from the real articles' vocabulary (so the
 * domain words recur and queries hit many passages), the rest from 50,000 made-up German-like
 * words, as a large real knowledge base would have many topics of its own.
 */
export function synthetic(real: Article[], count: number, opts: { legacyRandom?: boolean } = {}): Article[] {
  const vocab = [...new Set(real.flatMap((a) => a.sections.flatMap((s) => s.text.split(/\s+/))).filter((w) => /^[\p{L}-]{4,}$/u.test(w)))];
  const rnd = opts.legacyRandom ? legacyRandom(42) : mulberry32(42);
  const syllables = ['ver', 'wal', 'tung', 'ge', 'mein', 'de', 'kreis', 'amt', 'sch', 'ul', 'bau', 'hof', 'stra', 'ße', 'was', 'ser', 'rat', 'haus', 'feu', 'er', 'wehr', 'markt', 'platz', 'ord', 'nung'];
  const made = Array.from({ length: 50_000 }, () => Array.from({ length: 2 + Math.floor(rnd() * 3) }, () => syllables[Math.floor(rnd() * syllables.length)]).join(''));
  const word = (i: number) => (i % 3 === 0 ? vocab[Math.floor(rnd() * vocab.length)] : made[Math.floor(rnd() * made.length)]);
  const words = (n: number) => Array.from({ length: n }, (_, i) => word(i)).join(' ');
  const ref = { id: 'synthetisch', source: 'Synthetische Quelle, Testdaten', publisher: 'Synthetische Quelle', title: 'Testdaten', url: 'https://example.org/synthetisch', asOf: '2024-01-01' };
  return Array.from({ length: count }, (_, i) => ({
    file: `articles/synth-${i}.md`,
    title: `Synthetischer Artikel ${i} ${words(3)}`,
    tags: words(3).split(' '),
    sources: [ref],
    sections: [0, 1, 2].map((s) => {
      const text = `${words(18)}. ${words(22)}. ${words(15)}.`;
      return { heading: words(2), line: 10 + s, text, ref };
    }),
    questions: [],
    emergency: false,
  }));
}

/** Small, well-distributed 32-bit PRNG (deterministic across runs). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The generator of the first benchmark runs: the product overflows double precision, so it
 * repeats after about 16,000 values and the "50,000 made-up words" were in fact about 3,500
 * distinct words in total. Kept (`--legacy-synthetic`) so old and new figures can be compared.
 */
function legacyRandom(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}
