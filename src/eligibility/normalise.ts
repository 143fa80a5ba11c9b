/**
 * Text folding for place names: what people type ("Moerfelden Walldorf", "Giessen",
 * "Limburg an der Lahn") and what the register holds ("Mörfelden-Walldorf", "Gießen",
 * "Limburg a. d. Lahn") must meet in one spelling.
 */

/** Small words inside official names that people leave out or spell differently. */
const CONNECTORS = new Set(['a', 'd', 'am', 'an', 'der', 'den', 'dem', 'v', 'vor', 'im', 'in', 'ob', 'bei']);

const UMLAUTS: Record<string, string> = { ä: 'ae', ö: 'oe', ü: 'ue', ß: 'ss' };

/** Lower case, umlauts as ae/oe/ue, ß as ss, other accents dropped, anything else a word break. */
export function foldTokens(text: string): string[] {
  const folded = text
    .toLowerCase()
    .replace(/[äöüß]/g, (c) => UMLAUTS[c])
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');
  return folded.split(/[^a-z0-9]+/).filter((t) => t.length > 0);
}

/** One lookup key: folded tokens without connector words, joined by single spaces. */
export function nameKey(text: string): string {
  return foldTokens(text)
    .filter((t) => !CONNECTORS.has(t))
    .join(' ');
}

export function isConnector(token: string): boolean {
  return CONNECTORS.has(token);
}

/**
 * Optimal-string-alignment distance (Levenshtein plus swapped neighbours), giving up early once
 * it exceeds `max`: typo matching runs over ~2,000 keys per lookup and must stay well under 1 ms.
 */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const n = b.length;
  let prevPrev = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prevPrev[j - 2] + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prevPrev, prev, cur] = [prev, cur, prevPrev];
  }
  return prev[n];
}
