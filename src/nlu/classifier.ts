import type { Features } from './features';

/**
 * Multinomial logistic regression (softmax) trained by stochastic gradient descent with L2 decay,
 * the weights averaged over a few seeded runs: small, deterministic, trains on a few hundred
 * utterances in a fraction of a second and gives probabilities that sum to 1, so one confidence
 * threshold means the same for every intent.
 */
export interface ClassifierOptions {
  epochs?: number;
  learningRate?: number;
  l2?: number;
  /** Training runs whose weights are averaged (default 3; 1 is the single run used before). */
  runs?: number;
  /** Seed of the first run's shuffle order (each further run adds 7919). */
  seed?: number;
}

export class SoftmaxClassifier {
  private readonly index = new Map<string, number>();
  /** Weights feature-major: weights[feature * labels + label] (one feature's weights side by side). */
  private weights: Float64Array = new Float64Array(0);
  private bias: Float64Array;

  constructor(readonly labels: readonly string[]) {
    this.bias = new Float64Array(labels.length);
  }

  /**
   * Trains `runs` times, each with its own shuffle order, and averages the weights. One run of
   * stochastic gradient descent ends where its last examples pushed it: its answers near a
   * boundary flip with the seed or with unrelated added training data. The average of three
   * runs halves that noise (test/nlu/stability.test.ts; docs/nlu.md).
   */
  train(examples: { features: Features; label: string }[], opts: ClassifierOptions = {}): void {
    const { runs = 3, seed = 12345 } = opts;
    let sumW: Float64Array | undefined;
    const sumB = new Float64Array(this.labels.length);
    for (let r = 0; r < runs; r++) {
      this.trainOnce(examples, opts, seed + r * 7919);
      sumW ??= new Float64Array(this.weights.length);
      for (let j = 0; j < sumW.length; j++) sumW[j] += this.weights[j] / runs;
      for (let c = 0; c < sumB.length; c++) sumB[c] += this.bias[c] / runs;
    }
    if (sumW) [this.weights, this.bias] = [sumW, sumB];
  }

  private trainOnce(examples: { features: Features; label: string }[], opts: ClassifierOptions, seed0: number): void {
    const { epochs = 20, learningRate = 0.5, l2 = 1e-4 } = opts;
    for (const e of examples) for (const key of e.features.keys()) if (!this.index.has(key)) this.index.set(key, this.index.size);
    const k = this.labels.length;
    this.weights = new Float64Array(this.index.size * k);
    this.bias = new Float64Array(k);
    const data = examples.map((e) => ({ ...this.sparse(e.features), y: this.labels.indexOf(e.label) }));
    if (data.some((d) => d.y < 0)) throw new Error('Trainingsbeispiel mit unbekannter Absicht');
    // A fixed shuffle order (seeded) keeps training reproducible from start to start.
    let seed = seed0;
    const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const order = data.map((_, i) => i);
    const p = new Float64Array(k);
    const g = new Float64Array(k);
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      const rate = learningRate / (1 + epoch * 0.05);
      for (const n of order) {
        const { idx, val, y } = data[n];
        this.probabilities(idx, val, p);
        const w = this.weights;
        for (let c = 0; c < k; c++) {
          g[c] = (c === y ? 1 : 0) - p[c];
          this.bias[c] += rate * g[c];
        }
        for (let j = 0; j < idx.length; j++) {
          const base = idx[j] * k;
          const v = val[j];
          for (let c = 0; c < k; c++) w[base + c] += rate * (g[c] * v - l2 * w[base + c]);
        }
      }
    }
  }

  /** Probability per label, in the order of `labels`. Unknown features are ignored. */
  predict(features: Features): number[] {
    const k = this.labels.length;
    const s = new Array<number>(k).fill(0);
    for (let c = 0; c < k; c++) s[c] = this.bias[c];
    for (const [key, v] of features) {
      const i = this.index.get(key);
      if (i === undefined) continue;
      for (let c = 0; c < k; c++) s[c] += this.weights[i * k + c] * v;
    }
    const max = Math.max(...s);
    let sum = 0;
    for (let c = 0; c < k; c++) sum += s[c] = Math.exp(s[c] - max);
    for (let c = 0; c < k; c++) s[c] /= sum;
    return s;
  }

  /** Known features as parallel index/value arrays (unknown ones dropped). */
  private sparse(f: Features): { idx: Int32Array; val: Float64Array } {
    const idx: number[] = [];
    const val: number[] = [];
    for (const [key, v] of f) {
      const i = this.index.get(key);
      if (i !== undefined) {
        idx.push(i);
        val.push(v);
      }
    }
    return { idx: Int32Array.from(idx), val: Float64Array.from(val) };
  }

  private probabilities(idx: Int32Array, val: Float64Array, out: Float64Array): void {
    const k = out.length;
    const w = this.weights;
    for (let c = 0; c < k; c++) out[c] = this.bias[c];
    for (let j = 0; j < idx.length; j++) {
      const base = idx[j] * k;
      const v = val[j];
      for (let c = 0; c < k; c++) out[c] += w[base + c] * v;
    }
    let max = -Infinity;
    for (let c = 0; c < k; c++) if (out[c] > max) max = out[c];
    let sum = 0;
    for (let c = 0; c < out.length; c++) sum += out[c] = Math.exp(out[c] - max);
    for (let c = 0; c < out.length; c++) out[c] /= sum;
  }
}
