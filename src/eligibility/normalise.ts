import { foldTokens } from '../text/fold';

/**
 * Place-name keys on top of the bot's one folding (src/text/fold.ts): what people type ("Moerfelden Walldorf", "Giessen",
 * "Limburg an der Lahn") and what the register holds ("Mörfelden-Walldorf", "Gießen",
 * "Limburg a. d. Lahn") must meet in one spelling.
 */

/** Small words inside official names that people leave out or spell differently. */
const CONNECTORS = new Set(['a', 'd', 'am', 'an', 'der', 'den', 'dem', 'v', 'vor', 'im', 'in', 'ob', 'bei']);

/** One lookup key: folded tokens without connector words, joined by single spaces. */
export function nameKey(text: string): string {
  return foldTokens(text)
    .filter((t) => !CONNECTORS.has(t))
    .join(' ');
}

export function isConnector(token: string): boolean {
  return CONNECTORS.has(token);
}

/** Row buffers reused across calls: the typo scan runs thousands of comparisons per lookup. */
let rows: [Int32Array, Int32Array, Int32Array] = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/**
 * Optimal-string-alignment distance (Levenshtein plus swapped neighbours), giving up early once
 * it exceeds `max`: typo matching runs over ~2,000 keys per lookup and must stay well under 1 ms.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  if (rows[0].length <= n) rows = [new Int32Array(n * 2), new Int32Array(n * 2), new Int32Array(n * 2)];
  let [prevPrev, prev, cur] = rows;
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const bj = b.charCodeAt(j - 1);
      let v = prev[j - 1] + (ai === bj ? 0 : 1);
      if (prev[j] + 1 < v) v = prev[j] + 1;
      if (cur[j - 1] + 1 < v) v = cur[j - 1] + 1;
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj && prevPrev[j - 2] + 1 < v) v = prevPrev[j - 2] + 1;
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    const t = prevPrev;
    prevPrev = prev;
    prev = cur;
    cur = t;
  }
  return prev[n];
}

/** Letter counts of a folded key (a–z, 0–9, space). */
export function letterHistogram(key: string): Uint8Array {
  const h = new Uint8Array(37);
  for (let i = 0; i < key.length; i++) h[histogramSlot(key.charCodeAt(i))]++;
  return h;
}

function histogramSlot(c: number): number {
  if (c >= 97 && c <= 122) return c - 97;
  if (c >= 48 && c <= 57) return c - 22;
  return 36;
}

/**
 * A cheap lower bound of the edit distance: each edit changes the letter counts by at most 2
 * (a swap by 0). Keys whose bound exceeds the limit are skipped without the full comparison.
 */
export function histogramBound(a: Uint8Array, b: Uint8Array): number {
  let diff = 0;
  for (let i = 0; i < 37; i++) diff += a[i] > b[i] ? a[i] - b[i] : b[i] - a[i];
  return Math.ceil(diff / 2);
}
