import type { Token } from './tokens';

/**
 * Numbers as people write them in German (and English): digits ("3", "7,5", "50.000"), words
 * ("drei", "fünfundzwanzig", "zwanzig"), ordinals ("die zweite", "der 4."), "zu dritt", fractions
 * ("die Hälfte"). Each number found carries the word after it, so a parser can tell "20 Prozent"
 * from "20 Kommunen".
 */

const UNITS: Record<string, number> = {
  null: 0, ein: 1, eins: 1, eine: 1, einer: 1, einem: 1, einen: 1, eines: 1, zwei: 2, zwo: 2, drei: 3, vier: 4, fuenf: 5, sechs: 6, sieben: 7,
  acht: 8, neun: 9, zehn: 10, elf: 11, zwoelf: 12, dreizehn: 13, vierzehn: 14, fuenfzehn: 15, sechzehn: 16, siebzehn: 17, achtzehn: 18,
  neunzehn: 19, zwanzig: 20, dreissig: 30, vierzig: 40, fuenfzig: 50, sechzig: 60, siebzig: 70, achtzig: 80, neunzig: 90, hundert: 100,
  einhundert: 100, tausend: 1000, dutzend: 12, beide: 2, beiden: 2, both: 2,
  zero: 0, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11, twelve: 12, fifteen: 15,
  twenty: 20, thirty: 30, forty: 40, fifty: 50, hundred: 100,
};
const TENS: [string, number][] = [['zwanzig', 20], ['dreissig', 30], ['vierzig', 40], ['fuenfzig', 50], ['sechzig', 60], ['siebzig', 70], ['achtzig', 80], ['neunzig', 90]];
const UNIT_PREFIX: Record<string, number> = { ein: 1, zwei: 2, drei: 3, vier: 4, fuenf: 5, sechs: 6, sieben: 7, acht: 8, neun: 9 };

/** "fuenfundzwanzig" → 25, "zweihundert" → 200, "drei" → 3; undefined for other words. */
export function numberWord(w: string): number | undefined {
  if (w in UNITS) return UNITS[w];
  for (const [tens, v] of TENS) {
    if (w.endsWith(`und${tens}`)) {
      const u = UNIT_PREFIX[w.slice(0, -(tens.length + 3))];
      if (u !== undefined) return v + u;
    }
  }
  const h = w.indexOf('hundert');
  if (h > 0 && h + 7 <= w.length) {
    const head = UNIT_PREFIX[w.slice(0, h)];
    const rest = w.slice(h + 7);
    const tail = rest ? numberWord(rest) : 0;
    if (head !== undefined && tail !== undefined && tail < 100) return head * 100 + tail;
  }
  return undefined;
}

const ORDINALS: Record<string, number> = {
  erste: 1, erster: 1, ersten: 1, erstes: 1, erstem: 1, zweite: 2, zweiter: 2, zweiten: 2, zweites: 2, dritte: 3, dritter: 3, dritten: 3,
  drittes: 3, vierte: 4, vierter: 4, vierten: 4, viertes: 4, fuenfte: 5, fuenfter: 5, fuenften: 5, fuenftes: 5, sechste: 6, sechster: 6,
  sechsten: 6, sechstes: 6, letzte: -1, letzter: -1, letzten: -1, letztes: -1,
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, last: -1,
};

/** "die zweite", "the first" → 2, 1; "letzte" → -1 (the last option). */
export function ordinalWord(w: string): number | undefined {
  return ORDINALS[w];
}

/** "zu dritt" → 3: how many people or Kommunen are together. */
const TOGETHER: Record<string, number> = { zweit: 2, dritt: 3, viert: 4, fuenft: 5, sechst: 6, siebt: 7, acht: 8, neunt: 9, zehnt: 10 };

const FRACTIONS: Record<string, number> = { haelfte: 50, viertel: 25, drittel: 100 / 3, fuenftel: 20, zehntel: 10, half: 50, quarter: 25, third: 100 / 3 };

export interface FoundNumber {
  value: number;
  /** Index of the number's first token. */
  at: number;
  /** Index after the number. */
  end: number;
  /** The word right after the number ("prozent", "jahre", "kommunen"), '%' for a percent sign. */
  unit?: string;
  /** Written as "zu dritt". */
  together?: boolean;
  /** A fraction word ("die Hälfte"): already in percent. */
  fraction?: boolean;
  /** Written with a decimal mark. */
  decimal?: boolean;
  /** A digit run followed directly by a point ("4.", "21."): an ordinal or a date part. */
  dotted?: boolean;
  /** A date ("21.01.", "21.1.2027"): value is the day; the month follows. */
  date?: boolean;
}

/** Word beginnings after which "ein"/"eine" is the number one. */
const COUNTED = ['jahr', 'kommun', 'gemeind', 'partner', 'prozent', 'monat', 'stadt', 'staedt', 'kreis', 'landkreis', 'woche', 'tag'];

const FILLER_BEFORE_UNIT = new Set(['weitere', 'weiteren', 'andere', 'anderen', 'more', 'other', 'ganze', 'volle']);

/** Every number in the tokens, left to right. Dates ("21.01.") come out as two dotted numbers. */
export function findNumbers(tokens: readonly Token[]): FoundNumber[] {
  const out: FoundNumber[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i];
    let n: FoundNumber | undefined;
    if (tok.kind === 'num') {
      n = { value: Number(tok.t), at: i, end: i + 1 };
      const mark = tokens[i + 1];
      const next = tokens[i + 2];
      if (mark?.t === '.' && !mark.spaced && next?.kind === 'num' && !next.spaced && next.t.length <= 2 && tokens[i + 3]?.t === '.') {
        // "21.01." or "21.1.2027": a date, not a number.
        const withYear = tokens[i + 4]?.kind === 'num' && !tokens[i + 4].spaced;
        out.push({ value: Number(tok.t), at: i, end: i + (withYear ? 5 : 4), date: true, dotted: true });
        i += withYear ? 4 : 3;
        continue;
      }
      if (mark && next && !next.spaced && !mark.spaced && next.kind === 'num' && (mark.t === ',' || mark.t === '.')) {
        if (mark.t === '.' && next.t.length === 3 && tok.t.length <= 3 && tokens[i + 3]?.t !== '.') {
          n = { value: Number(tok.t + next.t), at: i, end: i + 3 };
        } else if (mark.t === ',' || tokens[i + 3]?.t !== '.') {
          n = { value: Number(`${tok.t}.${next.t}`), at: i, end: i + 3, decimal: true };
        }
      } else if (mark?.t === '.' && !mark.spaced) {
        n.dotted = true;
      }
    } else if (tok.kind === 'word') {
      if (tok.t === 'zu' && tokens[i + 1] && TOGETHER[tokens[i + 1].t] !== undefined) {
        out.push({ value: TOGETHER[tokens[i + 1].t], at: i, end: i + 2, together: true });
        i++;
        continue;
      }
      if (FRACTIONS[tok.t] !== undefined) {
        out.push({ value: FRACTIONS[tok.t], at: i, end: i + 1, fraction: true });
        continue;
      }
      const v = numberWord(tok.t);
      if (v === undefined) continue;
      // "ein"/"eine" are articles far more often than numbers: they count only before a unit word.
      if (v === 1 && tok.t !== 'eins' && tok.t !== 'one' && !COUNTED.some((c) => tokens[i + 1]?.t.startsWith(c))) continue;
      n = { value: v, at: i, end: i + 1 };
    }
    if (!n) continue;
    let u = n.end;
    if (tokens[u]?.kind === 'word' && FILLER_BEFORE_UNIT.has(tokens[u].t)) u++;
    const unit = tokens[u];
    if (unit && (unit.kind === 'word' || unit.t === '%')) n.unit = unit.t;
    out.push(n);
    i = n.end - 1;
  }
  return out;
}
