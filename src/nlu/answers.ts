import { findNumbers, type FoundNumber } from './numbers';
import { scan, type Token } from './tokens';

/**
 * Typed readers for the eligibility questions. Each knows what its question asked for and
 * refuses an answer meant for another one: "ungefähr 20 Prozent" is no number of partners,
 * "5 Jahre" no percentage, "3 Kommunen" no duration. `invalid` makes the prompt ask again;
 * `unknown` means the person said they do not know (the result then says "im Einzelfall prüfen").
 */
export type Read<T> = { kind: 'value'; value: T } | { kind: 'unknown' } | { kind: 'invalid'; reason?: 'otherSlot' | 'range' | 'question' };

const value = <T>(v: T): Read<T> => ({ kind: 'value', value: v });
const invalid = <T>(reason?: 'otherSlot' | 'range' | 'question'): Read<T> => ({ kind: 'invalid', reason });

const UNKNOWN: string[][] = [
  ['weiss', 'nicht'], ['weiss', 'ich', 'nicht'], ['weiss', 'ich', 'noch', 'nicht'], ['keine', 'ahnung'], ['unbekannt'], ['unklar'], ['noch', 'offen'],
  ['ist', 'offen'], ['nicht', 'sicher'], ['noch', 'nicht', 'bekannt'], ['noch', 'nicht', 'klar'], ['kann', 'ich', 'nicht', 'sagen'], ['not', 'sure'],
  ['dont', 'know'], ['don', 't', 'know'], ['no', 'idea'], ['unknown'], ['unsure'], ['noch', 'nicht', 'entschieden'], ['muessen', 'wir', 'noch'],
  ['muss', 'ich', 'erst'], ['steht', 'noch', 'nicht'], ['nicht', 'festgelegt'], ['noch', 'unbekannt'], ['schwer', 'zu', 'sagen'], ['weiss', 'noch', 'nicht'],
  ['keine', 'angabe'], ['kann', 'ich', 'noch', 'nicht'],
];

function has(words: readonly string[], phrase: readonly string[]): boolean {
  outer: for (let i = 0; i + phrase.length <= words.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (words[i + j] !== phrase[j]) continue outer;
    return true;
  }
  return false;
}

const wordList = (tokens: Token[]) => tokens.filter((t) => t.kind !== 'mark').map((t) => t.t);

/** "weiß nicht", "keine Ahnung", "noch offen", "not sure". */
export function saysUnknown(text: string): boolean {
  const w = wordList(scan(text));
  return UNKNOWN.some((p) => has(w, p));
}

/** Words that make a number an estimate: "weiß nicht genau, vermutlich 3" answers with 3. */
const HEDGES = new Set(['vermutlich', 'wahrscheinlich', 'vielleicht', 'ungefaehr', 'etwa', 'ca', 'circa', 'schaetzungsweise', 'schaetze', 'grob', 'genau', 'probably', 'maybe', 'roughly', 'about', 'around', 'approximately', 'guess']);

/** "weiß nicht" without a number; with an estimate ("weiß nicht genau, vielleicht 20 %") the number is the answer. */
function unknownAnswer(text: string): boolean {
  if (!saysUnknown(text)) return false;
  const tokens = scan(text);
  return !(wordList(tokens).some((w) => HEDGES.has(w)) && findNumbers(tokens).length > 0);
}

const PERCENT_UNITS = new Set(['%', 'prozent', 'percent', 'pct', 'prozentpunkte']);
const YEAR_UNITS = new Set(['jahr', 'jahre', 'jahren', 'jahres', 'years', 'year', 'jahrzehnt', 'jahrzehnte', 'j']);
const MONTH_UNITS = new Set(['monat', 'monate', 'monaten', 'months', 'month']);
const OTHER_TIME_UNITS = new Set(['woche', 'wochen', 'tag', 'tage', 'tagen', 'uhr', 'stunden', 'weeks', 'days']);
const MONEY_UNITS = new Set(['euro', 'eur', 'tsd', 'mio', 'millionen', 'tausend']);
const KOMMUNE_UNITS = new Set([
  'kommunen', 'kommune', 'gemeinden', 'gemeinde', 'partner', 'partnern', 'partnerkommunen', 'staedte', 'stadt', 'landkreise', 'kreise',
  'municipalities', 'towns', 'partners', 'councils', 'beteiligte', 'beteiligten', 'teilnehmer', 'mitglieder', 'mitgliedern', 'orte', 'landkreis',
  'mitgliedsgemeinden', 'mitgliedskommunen', 'staedten', 'kommunen', 'verbandsgemeinden', 'ortsgemeinden', 'cities', 'villages',
]);
const MONEY_WORDS = new Set(['euro', 'eur']);

/** Numbers with the kind of thing they count. */
function classify(n: FoundNumber): 'percent' | 'years' | 'months' | 'kommunen' | 'money' | 'time' | 'plain' {
  if (n.fraction) return 'percent';
  if (n.together) return 'kommunen';
  const u = n.unit ?? '';
  if (PERCENT_UNITS.has(u)) return 'percent';
  if (YEAR_UNITS.has(u)) return 'years';
  if (MONTH_UNITS.has(u)) return 'months';
  if (KOMMUNE_UNITS.has(u)) return 'kommunen';
  if (MONEY_UNITS.has(u)) return 'money';
  if (OTHER_TIME_UNITS.has(u)) return 'time';
  return 'plain';
}

/** A question back ("zählt der Landkreis mit?", "was heißt das?") that carries no value. */
function isQuestionBack(text: string, numbers: FoundNumber[]): boolean {
  return text.trim().endsWith('?') && numbers.length === 0;
}

/** Words that add the asking Kommune to a count of the others ("wir und drei weitere"). */
const SELF = new Set(['wir', 'uns', 'unsere', 'unser', 'we', 'us', 'our']);
const MORE = new Set(['weitere', 'weiteren', 'andere', 'anderen', 'other', 'more', 'plus']);
/** Others named by what they are; they add the asking Kommune only when it is named too ("wir und drei Nachbargemeinden"). */
const NEIGHBOURS = new Set(['nachbargemeinden', 'nachbarkommunen', 'nachbarstaedte', 'nachbarorte', 'nachbarn', 'neighbours', 'neighbors']);

/**
 * "Wie viele Kommunen arbeiten zusammen – Ihre eingeschlossen?" → a whole number 2–442.
 * `countKommunen` counts the Kommunen a list names ("Buseck, Biebertal und wir" → 2 + us).
 */
export function readPartners(text: string, countKommunen?: (text: string) => number): Read<number> {
  if (unknownAnswer(text)) return { kind: 'unknown' };
  const tokens = scan(text);
  const words = wordList(tokens);
  const numbers = findNumbers(tokens).filter((n) => !n.dotted || n.end === tokens.length - 1 || tokens[n.end + 1]?.kind !== 'num');
  if (isQuestionBack(text, numbers)) return invalid('question');
  const kinds = numbers.map(classify);
  if (kinds.some((k) => k === 'percent' || k === 'years' || k === 'months' || k === 'money' || k === 'time')) {
    // A number of Kommunen stated as well wins ("3 Kommunen für 5 Jahre").
    const counted = numbers.filter((_, i) => kinds[i] === 'kommunen');
    if (counted.length !== 1) return invalid('otherSlot');
    return partnersValue(counted[0].value, counted[0], words);
  }
  const counted = numbers.filter((_, i) => kinds[i] === 'kommunen');
  // "3 Gemeinden und ein Landkreis" → 4; "4, davon ein Landkreis" → 4.
  if (counted.length >= 2 && new Set(counted.map((n) => n.unit)).size === counted.length && !words.some((w) => ['davon', 'darunter', 'inkl', 'including', 'of', 'which'].includes(w))) {
    return partnersValue(counted.reduce((a, n) => a + n.value, 0), counted[0], words);
  }
  const plain = numbers.filter((n, i) => kinds[i] === 'plain' && !n.decimal);
  const pick = counted.length ? counted : plain;
  const distinct = [...new Set(pick.map((n) => n.value))];
  if (distinct.length === 1) return partnersValue(distinct[0], pick[0], words);
  // "mit zwei Nachbarn, also insgesamt 3": the total named as such.
  const totals = pick.filter((n) => [tokens[n.at - 1]?.t, tokens[n.at - 2]?.t].some((w) => INCLUDED.has(w ?? '')));
  if (distinct.length > 1 && totals.length === 1) return totals[0].value >= 2 && Number.isInteger(totals[0].value) ? value(totals[0].value) : invalid('range');
  if (distinct.length > 1) return invalid();
  // No number: a list of names ("Buseck, Biebertal, Lollar und wir") or of neighbours ("wir und die Nachbargemeinde").
  const named = (countKommunen ? countKommunen(text) : 0) + words.filter((w) => GENERIC_PARTNERS.has(w)).length;
  if (named >= 1) {
    // "wir, Lollar und Staufenberg", "mit Lollar und Staufenberg": the asking Kommune counts too.
    const total = named + (words.some((w) => SELF.has(w) || w === 'mit' || w === 'with') ? 1 : 0);
    return total >= 2 ? value(total) : invalid('range');
  }
  return invalid();
}

/** A partner named by what it is, counted as one when no number is given. */
const GENERIC_PARTNERS = new Set(['nachbargemeinde', 'nachbarstadt', 'nachbarkommune', 'nachbarort', 'landkreis', 'kreis', 'nachbarkreis', 'nachbarlandkreis']);

const INCLUDED = new Set(['inkl', 'inklusive', 'eingeschlossen', 'einschliesslich', 'insgesamt', 'incl', 'including', 'mitgezaehlt', 'total']);

function partnersValue(n: number, found: FoundNumber, words: string[]): Read<number> {
  if (!Number.isInteger(n)) return invalid();
  // "unsere Stadt und drei weitere Gemeinden": the others plus the asking Kommune.
  const others = words.some((w) => MORE.has(w)) || (words.some((w) => NEIGHBOURS.has(w)) && words.some((w) => SELF.has(w) || w === 'mit' || w === 'with'));
  const more = !found.together && others && !words.some((w) => INCLUDED.has(w));
  const total = more ? n + 1 : n;
  if (total < 2 || total > 442) return invalid('range');
  return value(total);
}

/** "Sind alle Partner hessische Kommunen?" (and other yes/no/don't-know questions). */
export function readYesNoUnknown(text: string): Read<boolean> {
  if (saysUnknown(text)) return { kind: 'unknown' };
  const yes = readYesNo(text);
  return yes === undefined ? invalid() : value(yes);
}

const YES = new Set([
  'ja', 'jaa', 'jaaa', 'jo', 'joa', 'jap', 'jep', 'jup', 'j', 'jawohl', 'jawoll', 'genau', 'richtig', 'stimmt', 'korrekt', 'ok', 'okay', 'okey', 'yes',
  'yep', 'yeah', 'yup', 'sure', 'gerne', 'gern', 'sicher', 'einverstanden', 'klar', 'natuerlich', 'selbstverstaendlich', 'passt', 'zustimmen',
  'agreed', 'absolut', 'freilich', 'logo', 'bestaetigt', 'bestaetige', 'y',
]);
const NO = new Set(['nein', 'n', 'ne', 'noe', 'nee', 'neee', 'no', 'nope', 'falsch', 'nicht', 'nie', 'niemals', 'keinesfalls']);
const YES_PHRASES = [['auf', 'jeden', 'fall'], ['of', 'course'], ['na', 'klar'], ['sehr', 'gern'], ['sehr', 'gerne'], ['in', 'ordnung'], ['go', 'ahead']];
const NO_PHRASES = [['auf', 'keinen', 'fall'], ['nicht', 'einverstanden'], ['lieber', 'nicht'], ['nicht', 'alle'], ['no', 'thanks'], ['eher', 'nicht'], ['bitte', 'nicht']];

/**
 * "ja", "jep", "auf jeden Fall", "ja, passt" → true; "nein", "nö", "nicht alle" → false; anything
 * else (a number, a question, "weiß nicht") → undefined. A no-phrase wins over a yes word
 * ("ja, aber nicht alle" is no yes); otherwise the first answer word among the first three decides.
 */
export function readYesNo(text: string): boolean | undefined {
  const tokens = scan(text);
  const words = wordList(tokens);
  if (words.length === 0 || words.length > 40) return undefined;
  if (tokens.some((t) => t.kind === 'num') || saysUnknown(text)) return undefined;
  if (NO_PHRASES.some((p) => has(words, p))) return false;
  if (YES_PHRASES.some((p) => has(words, p))) return true;
  if (YES.has(words[0])) return true;
  if (NO.has(words[0])) return false;
  // "was kostet das?" is a question back, even with "nicht" or "klar" in it.
  if (text.trim().endsWith('?')) return undefined;
  const first = words.slice(0, 3).find((w) => YES.has(w) || NO.has(w));
  return first === undefined ? undefined : YES.has(first);
}

const PERMANENT_WORDS = new Set(['unbefristet', 'dauerhaft', 'unbegrenzt', 'permanent', 'indefinitely', 'unlimited', 'endlos', 'ewig', 'zeitlich', 'permanently']);
const PERMANENT_PHRASES = [
  ['auf', 'dauer'], ['fuer', 'immer'], ['ohne', 'befristung'], ['ohne', 'ende'], ['keine', 'befristung'], ['nicht', 'befristet'], ['open', 'ended'],
  ['for', 'ever'], ['forever'], ['unbestimmte', 'zeit'], ['ohne', 'enddatum'], ['kein', 'enddatum'], ['ohne', 'zeitliche', 'begrenzung'],
  ['so', 'lange', 'wie', 'moeglich'], ['no', 'end'], ['unbefristete'], ['auf', 'unbestimmte'],
];

/** "Auf wie viele Jahre ist die Zusammenarbeit angelegt?" → years, 'unbefristet', or unknown. */
export function readYears(text: string): Read<number | 'unbefristet'> {
  if (unknownAnswer(text)) return { kind: 'unknown' };
  const tokens = scan(text);
  const words = wordList(tokens);
  if (words.some((w) => PERMANENT_WORDS.has(w)) || PERMANENT_PHRASES.some((p) => has(words, p))) {
    if (!(words.includes('zeitlich') && !words.includes('unbegrenzt') && !words.includes('unbefristet'))) return value('unbefristet');
  }
  const numbers = findNumbers(tokens);
  if (isQuestionBack(text, numbers)) return invalid('question');
  if (has(words, ['halbes', 'jahr']) && findNumbers(tokens).length === 0) return value(0.5);
  if (words.includes('anderthalb') || words.includes('eineinhalb')) return value(1.5);
  const decade = words.findIndex((w) => w.startsWith('jahrzehnt') || w.startsWith('decade'));
  if (decade >= 0 && numbers.every((n) => n.end === decade)) return value(10 * (numbers[0]?.value ?? 1));
  const kinds = numbers.map(classify);
  const years = numbers.filter((_, i) => kinds[i] === 'years' || kinds[i] === 'plain');
  const months = numbers.filter((_, i) => kinds[i] === 'months');
  if (kinds.some((k) => k === 'percent' || k === 'kommunen' || k === 'money' || k === 'time')) return invalid('otherSlot');
  if (months.length === 1 && years.length === 0) return rangeYears(months[0].value / 12);
  const distinct = [...new Set(years.map((n) => n.value))];
  if (distinct.length !== 1) return invalid();
  return rangeYears(distinct[0]);
}

function rangeYears(n: number): Read<number> {
  return n > 0 && n <= 100 ? value(n) : invalid('range');
}

/** "Wie viel Prozent … spart die Zusammenarbeit?" → 0–100 (decimals allowed), or unknown. */
export function readPercent(text: string): Read<number> {
  if (unknownAnswer(text)) return { kind: 'unknown' };
  const tokens = scan(text);
  const words = wordList(tokens);
  const numbers = findNumbers(tokens);
  if (isQuestionBack(text, numbers)) return invalid('question');
  if (words.some((w) => MONEY_WORDS.has(w)) || tokens.some((t) => t.t === 'eur')) return invalid('otherSlot');
  const kinds = numbers.map(classify);
  const percent = numbers.filter((_, i) => kinds[i] === 'percent');
  if (percent.length === 0 && kinds.some((k) => k !== 'plain')) return invalid('otherSlot');
  const pick = percent.length ? percent : numbers;
  const distinct = [...new Set(pick.map((n) => n.value))];
  if (distinct.length !== 1) return invalid();
  const v = Math.round(distinct[0] * 100) / 100;
  return v >= 0 && v <= 100 ? value(v) : invalid('range');
}

/** "Stufe 1", "Vor-Ort-Bewertung" → 1; "Stufe 2", "Stresstest" → 2. */
export function readStage(text: string): Read<1 | 2> {
  const tokens = scan(text);
  const words = wordList(tokens);
  const two = words.includes('stresstest') || has(words, ['stress', 'test']) || has(words, ['stufe', '2']) || has(words, ['stufe', 'zwei']) || has(words, ['stage', '2']);
  const one = words.includes('bewertung') || has(words, ['vor', 'ort']) || words.includes('vorort') || has(words, ['stufe', '1']) || has(words, ['stufe', 'eins']) || has(words, ['stage', '1']) || words.includes('analyse');
  if (two && !one) return value(2);
  if (one && !two) return value(1);
  const numbers = findNumbers(tokens);
  if (!two && !one && numbers.length === 1 && (numbers[0].value === 1 || numbers[0].value === 2)) return value(numbers[0].value as 1 | 2);
  return invalid();
}
