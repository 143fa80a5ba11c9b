import { fold } from '../text/fold';

/**
 * A finer tokenisation than foldTokens for answers that carry numbers, dates and times:
 * "Di., 26.01., ab 14 Uhr" → di . , 26 . 01 . , ab 14 uhr; "7,5 %" → 7 , 5 %. Words are folded
 * (src/text/fold.ts); digits stay digit runs; the marks . , : / - + % @ stay as their own tokens.
 * One linear pass, at most MAX_TOKENS tokens.
 */
export interface Token {
  /** Folded word, digit run, or the mark itself. */
  t: string;
  kind: 'word' | 'num' | 'mark';
  /** True when a space (or the start) comes before the token: "14:00" vs "14 : 00". */
  spaced: boolean;
}

export const MAX_TOKENS = 400;
const MARKS = new Set(['.', ',', ':', '/', '-', '+', '%', '@', '?', '!', '(', ')', '&']);

export function scan(text: string): Token[] {
  const s = fold(text);
  const out: Token[] = [];
  let i = 0;
  let spaced = true;
  while (i < s.length && out.length < MAX_TOKENS) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      let j = i + 1;
      while (j < s.length && s.charCodeAt(j) >= 48 && s.charCodeAt(j) <= 57) j++;
      out.push({ t: s.slice(i, j), kind: 'num', spaced });
      i = j;
      spaced = false;
    } else if (c >= 97 && c <= 122) {
      let j = i + 1;
      for (; j < s.length; j++) {
        const d = s.charCodeAt(j);
        if (!(d >= 97 && d <= 122)) break;
      }
      out.push({ t: s.slice(i, j), kind: 'word', spaced });
      i = j;
      spaced = false;
    } else if (MARKS.has(s[i])) {
      out.push({ t: s[i], kind: 'mark', spaced });
      i++;
      spaced = false;
    } else {
      i++;
      spaced = true;
    }
  }
  return out;
}

/** The words of a scan, in order (marks and numbers left out). */
export function wordsOf(tokens: readonly Token[]): string[] {
  return tokens.filter((t) => t.kind === 'word').map((t) => t.t);
}
