import type { QueryTerm } from './analyzer';

/**
 * Article choice as classification: which article a message is about, or none ("out": another
 * municipal matter, IT shopping, another programme, small talk). A multinomial logistic
 * regression (softmax) over the analysed words of the message, trained at start-up on what the
 * editors wrote for each article (title, tags, headings, every sentence under its heading, the
 * question variants) and on the out-of-scope examples in knowledge/out-of-scope.yaml.
 *
 * The message's features are its analysed terms (stems, synonyms and English words at their
 * lower weight, compound parts) weighted by where they stood (question sentence 1, story less),
 * and the vector is scaled to length 1: a long message is not more certain than a short one, so
 * the probabilities mean the same whatever the length.
 */

/** Analysed text as the index produces it (KnowledgeIndex.analyse). */
export interface AnalysedText {
  terms: readonly QueryTerm[];
  focus: readonly number[];
}

export interface TopicExample {
  text: AnalysedText;
  /** Article index, or -1 for out of scope. */
  label: number;
}

export interface TopicGuess {
  /** Probability per article (index = article number). */
  articles: Float32Array;
  /** Probability that the message is about none of them. */
  out: number;
}

/** Above this many articles the model is not built (weights grow with articles × words); retrieval alone chooses. */
export const TOPIC_MAX_ARTICLES = 400;

const EPOCHS = 30;
const LEARNING_RATE = 0.5;
const L2 = 1e-4;

type Sparse = { idx: Int32Array; val: Float32Array };

export class TopicModel {
  private readonly features = new Map<string, number>();
  private weights: Float32Array[] = [];
  private bias: Float32Array;
  /** Classes: articles 0..n-1, then out (n). */
  private readonly classes: number;

  private constructor(articleCount: number) {
    this.classes = articleCount + 1;
    this.bias = new Float32Array(this.classes);
  }

  /** Trains the model (deterministic: a fixed shuffle order). */
  static train(articleCount: number, examples: readonly TopicExample[]): TopicModel {
    const m = new TopicModel(articleCount);
    const data: (Sparse & { y: number })[] = examples.map((e) => ({ ...m.vector(e.text, true), y: e.label < 0 ? articleCount : e.label }));
    const k = m.classes;
    m.weights = Array.from({ length: k }, () => new Float32Array(m.features.size));
    let seed = 20261129;
    const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const order = data.map((_, i) => i);
    const p = new Float64Array(k);
    // Each class counts as much as an average class: the out-of-scope examples are a sample of
    // everything else, and their number (330 against 30–150 per article) must not become a prior
    // that outweighs a message's words (with it, short in-scope questions were read as out of scope).
    const count = new Float64Array(k);
    for (const d of data) count[d.y]++;
    const perClass = data.length / k;
    const weightOf = (y: number) => perClass / count[y];
    for (let epoch = 0; epoch < EPOCHS; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      const rate = LEARNING_RATE / (1 + epoch * 0.05);
      for (const n of order) {
        const { idx, val, y } = data[n];
        m.probabilities(idx, val, p);
        for (let c = 0; c < k; c++) {
          const g = ((c === y ? 1 : 0) - p[c]) * weightOf(y);
          if (Math.abs(g) < 1e-4) continue;
          const w = m.weights[c];
          for (let j = 0; j < idx.length; j++) w[idx[j]] += rate * (g * val[j] - L2 * w[idx[j]]);
          m.bias[c] += rate * g;
        }
      }
    }
    return m;
  }

  classify(text: AnalysedText): TopicGuess {
    const { idx, val } = this.vector(text, false);
    const p = new Float64Array(this.classes);
    this.probabilities(idx, val, p);
    return { articles: Float32Array.from(p.subarray(0, this.classes - 1)), out: p[this.classes - 1] };
  }

  /** Terms weighted by focus, each term once with its strongest weight, scaled to length 1. */
  private vector(text: AnalysedText, learn: boolean): Sparse {
    const strongest = new Map<number, number>();
    for (const t of text.terms) {
      let id = this.features.get(t.term);
      if (id === undefined) {
        if (!learn) continue;
        id = this.features.size;
        this.features.set(t.term, id);
      }
      const v = t.boost * (t.origin >= 0 ? (text.focus[t.origin] ?? 1) : 1);
      if (v > (strongest.get(id) ?? 0)) strongest.set(id, v);
    }
    let norm = 0;
    for (const v of strongest.values()) norm += v * v;
    norm = Math.sqrt(norm) || 1;
    return { idx: Int32Array.from(strongest.keys()), val: Float32Array.from([...strongest.values()].map((v) => v / norm)) };
  }

  private probabilities(idx: Int32Array, val: Float32Array, out: Float64Array): void {
    let max = -Infinity;
    for (let c = 0; c < out.length; c++) {
      let s = this.bias[c];
      const w = this.weights[c];
      if (w) for (let j = 0; j < idx.length; j++) s += w[idx[j]] * val[j];
      out[c] = s;
      if (s > max) max = s;
    }
    let sum = 0;
    for (let c = 0; c < out.length; c++) sum += out[c] = Math.exp(out[c] - max);
    for (let c = 0; c < out.length; c++) out[c] /= sum;
  }
}

/** What the model learns an article from: title, tags, headings, every sentence with its heading, the question variants. */
export function articleTexts(a: { title: string; tags: readonly string[]; questions?: readonly string[]; sections: readonly { heading: string; text: string }[] }, sentences: (text: string) => string[]): string[] {
  const texts = [a.title, a.tags.join(' '), ...(a.questions ?? [])];
  const headings = new Set<string>();
  for (const s of a.sections) {
    const head = s.heading === a.title ? a.title : `${a.title} ${s.heading}`;
    if (!headings.has(head)) {
      headings.add(head);
      texts.push(head);
    }
    for (const sentence of sentences(s.text)) texts.push(`${s.heading} ${sentence}`);
  }
  return texts;
}
