import { fold } from '../text/fold';

/**
 * Readers for the contact person of a booking. They take the value out of a sentence
 * ("Kollegin Svenja Roth übernimmt das", "mail: t.neumann@lkgi.de", "Tel. 06031 / 12 34 56") and
 * refuse what is not one ("Ja" is no name, "Gemeinde Buseck" no person, "12345" no telephone
 * number). Linear scans over the capped text; no backtracking patterns.
 */

const SALUTATIONS = new Set([
  'herr', 'frau', 'hr', 'fr', 'dr', 'prof', 'mr', 'mrs', 'ms', 'divers',
  // Degrees written before or after a name ("Dipl.-Ing.", "Dipl.-Verw.-Wirt", "M.A.").
  'dipl', 'ing', 'verw', 'wirt', 'kfm', 'betriebsw', 'mag', 'msc', 'bsc', 'mba', 'rer', 'nat', 'pol', 'phil', 'med', 'jur', 'habil', 'llm',
]);
/** Words around a name that are no part of it. */
const NOT_NAME = new Set([
  'ja', 'nein', 'yes', 'no', 'ok', 'okay', 'nee', 'noe', 'bitte', 'danke', 'das', 'der', 'die', 'ist', 'bin', 'ich', 'selbst', 'selber', 'mein', 'meine',
  'name', 'heisst', 'heisse', 'kollege', 'kollegin', 'my', 'colleague', 'is', 'the', 'and', 'und', 'oder', 'von', 'vom', 'im', 'in', 'am', 'an', 'fuer', 'mit',
  'uebernimmt', 'macht', 'hauptamt', 'it', 'leitung', 'buergermeister', 'buergermeisterin', 'amt', 'abteilung', 'sachbearbeitung', 'ansprechpartner',
  'ansprechpartnerin', 'ansprechperson', 'kontakt', 'wir', 'sie', 'er', 'es', 'noch', 'nicht', 'weiss', 'keine', 'ahnung', 'unbekannt', 'me', 'i', 'am',
  'this', 'that', 'will', 'be', 'contact', 'person', 'gerne', 'gern', 'also', 'hier', 'sind', 'uns', 'from', 'at', 'our', 'head', 'of',
  'sachbearbeiter', 'sachbearbeiterin', 'leiter', 'leiterin', 'amtsleiter', 'amtsleiterin', 'mitarbeiter', 'mitarbeiterin', 'kaemmerer',
  'kaemmerin', 'hauptamtsleiter', 'hauptamtsleiterin', 'it-leitung', 'itleitung', 'administrator', 'administratorin', 'admin', 'zustaendig',
  'zustaendige', 'zustaendiger', 'verantwortlich', 'ist', 'wird', 'uebernehmen', 'kuemmert', 'sich', 'darum', 'wer', 'heisst', 'lautet',
  'aus', 'dem', 'den', 'des', 'bei', 'beim', 'zur', 'zum', 'unser', 'unsere', 'unserem', 'unserer',
]);
/** Endings of offices and departments ("Ordnungsamt", "Bauverwaltung"), no names. */
const OFFICE = ['amt', 'amts', 'verwaltung', 'abteilung', 'buero', 'referat', 'dezernat', 'leitung', 'stelle', 'team'];
/** Small words inside names ("Ursula von der Leyen"): kept between two name words. */
const PARTICLES = new Set(['von', 'van', 'de', 'der', 'den', 'zu', 'vom', 'zum', 'di', 'da', 'le', 'la', 'ten', 'ter']);
/** A Kommune, an office or a place is no person. */
const PLACE_WORDS = new Set(['gemeinde', 'stadt', 'landkreis', 'kreis', 'verwaltung', 'rathaus', 'kommune', 'markt', 'marktgemeinde', 'kreisverwaltung', 'stadtverwaltung', 'gemeindeverwaltung']);

interface Word {
  raw: string;
  folded: string;
  /** Index of the comma-separated part the word stands in. */
  part: number;
}

function nameWords(text: string): Word[] {
  const out: Word[] = [];
  let part = 0;
  let current = '';
  const flush = () => {
    if (current) out.push({ raw: current, folded: fold(current).replace(/[^a-z]/g, ''), part });
    current = '';
  };
  for (const ch of text.slice(0, 300)) {
    if (/\p{L}/u.test(ch) || ((ch === '-' || ch === "'" || ch === '’') && current)) current += ch;
    else {
      flush();
      if (ch === ',' || ch === ';' || ch === ':' || ch === '(' || ch === ')') part++;
      else if (!/\s/u.test(ch) && ch !== '.') part += 100; // digits, @ … break a name
    }
  }
  flush();
  return out;
}

const isCapital = (w: string) => /^\p{Lu}/u.test(w);

/**
 * "Wie heißt die Ansprechperson (Vor- und Nachname)?" → "Vorname Nachname". Needs at least two
 * name words that are not yes/no, a salutation, a place or a filler word; "Nachname, Vorname"
 * is turned round.
 */
export function readPersonName(text: string): string | undefined {
  const words = nameWords(text);
  if (words.length === 0 || words.length > 12) return undefined;
  // Typed all in lower case, any word may be a name word; otherwise names are capitalised.
  const allLower = words.every((w) => !isCapital(w.raw));
  // A place and the name after it ("Gemeinde Buseck", "aus der Stadtverwaltung Lollar") are no person.
  const place = new Set<Word>();
  words.forEach((w, i) => {
    if (!PLACE_WORDS.has(w.folded)) return;
    place.add(w);
    if (words[i + 1]) place.add(words[i + 1]);
  });
  const candidate = (w: Word) =>
    !place.has(w) && !NOT_NAME.has(w.folded) && !SALUTATIONS.has(w.folded) && !OFFICE.some((o) => w.folded.endsWith(o)) && w.folded.length >= 2 && (allLower || isCapital(w.raw));
  // Runs of name words within one comma-separated part; particles may stand inside a run.
  const runs: Word[][] = [];
  let run: Word[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const inside = run.length > 0 && run[run.length - 1].part === w.part;
    if (candidate(w) && (run.length === 0 || inside)) run.push(w);
    else if (inside && !allLower && PARTICLES.has(w.raw) && words[i + 1] && (candidate(words[i + 1]) || PARTICLES.has(words[i + 1].raw))) run.push(w);
    else {
      if (run.length) runs.push(run);
      run = candidate(w) ? [w] : [];
    }
  }
  if (run.length) runs.push(run);
  const usable = runs.filter((r) => r.length <= 5);
  const full = usable.find((r) => r.length >= 2);
  if (full) return full.map((w) => w.raw).join(' ');
  // "Schneider, Markus": two single words in two parts, nothing else.
  // Also "Mein Name ist Weber, Anna", "Müller, Dr. Hans": the other words only fillers and titles.
  const fillers = words.every((w) => candidate(w) || NOT_NAME.has(w.folded) || SALUTATIONS.has(w.folded));
  if (usable.length === 2 && usable[0].length === 1 && usable[1].length === 1 && runs.length === 2 && usable[1][0].part === usable[0][0].part + 1 && fillers) {
    return `${usable[1][0].raw} ${usable[0][0].raw}`;
  }
  return undefined;
}

const EMAIL_CHARS = /[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]/;

/** "Unter welcher E-Mail-Adresse …?" → the address found in the text (trailing period dropped). */
export function findEmail(text: string): string | undefined {
  const at = text.indexOf('@');
  if (at <= 0 || text.indexOf('@', at + 1) >= 0) return undefined;
  let start = at;
  while (start > 0 && EMAIL_CHARS.test(text[start - 1])) start--;
  let end = at + 1;
  while (end < text.length && /[A-Za-z0-9.-]/.test(text[end])) end++;
  let candidate = text.slice(start, end);
  while (candidate.endsWith('.') || candidate.endsWith('-')) candidate = candidate.slice(0, -1);
  // A domain with a top-level part of two or more letters ("max@buseck" is not an address).
  const domain = candidate.slice(candidate.indexOf('@') + 1);
  const tld = domain.slice(domain.lastIndexOf('.') + 1);
  if (!domain.includes('.') || tld.length < 2 || !/^[A-Za-z]+$/.test(tld) || candidate.startsWith('@')) return undefined;
  return candidate;
}

/**
 * "Und unter welcher Telefonnummer?" → digits with a leading 0 or +49 ("Tel. 06031 / 12 34 56"
 * → "06031123456", "0049 6631 7890" → "+4966317890"); undefined without an area code.
 */
export function readPhone(text: string): string | undefined {
  let best = '';
  let current = '';
  let plus = false;
  const flush = () => {
    const candidate = (plus ? '+' : '') + current;
    if (current.replace(/\D/g, '').length > best.replace(/\D/g, '').length) best = candidate;
    current = '';
    plus = false;
  };
  for (const ch of text.slice(0, 300)) {
    if (ch >= '0' && ch <= '9') current += ch;
    else if (ch === '+' && !current) plus = true;
    else if ((ch === ' ' || ch === '/' || ch === '-' || ch === '.' || ch === '(' || ch === ')') && (current || plus)) continue;
    else if (ch === '(' || ch === ' ') continue;
    else flush();
  }
  flush();
  let digits = best;
  if (digits.startsWith('00')) digits = `+${digits.slice(2)}`;
  // "+49 (0) 6441 …": the bracketed trunk zero is no part of the international number.
  if (digits.startsWith('+490')) digits = `+49${digits.slice(4)}`;
  const count = digits.replace(/\D/g, '').length;
  if (count < 6 || count > 15) return undefined;
  if (digits.startsWith('+')) return digits;
  return digits.startsWith('0') ? digits : undefined;
}
