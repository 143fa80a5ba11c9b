import { MONTHS } from './date-words';

/**
 * Typing slips in the words a date answer is made of ("donnerstg", "Mitwoch", "Dezmber",
 * "nächte Woche"): a word of six or more letters one edit (a letter missing, extra, wrong, or
 * two neighbours swapped) away from exactly one date word is read as that word. Shorter words
 * are left alone ("mit" is no "mi", "jun" no "juni"). Linear: each word is compared with a
 * fixed list, each comparison bounded by the word lengths (words over 20 letters are skipped).
 */
const DATE_WORDS = [
  'montag', 'dienstag', 'mittwoch', 'donnerstag', 'freitag', 'samstag', 'sonntag', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday',
  ...Object.keys(MONTHS).filter((m) => m.length >= 6),
  'naechste', 'naechsten', 'naechster', 'uebernaechste', 'uebernaechsten', 'kalenderwoche', 'vormittag', 'vormittags', 'nachmittag',
  'nachmittags', 'uebermorgen', 'kommende', 'kommenden', 'weihnachten', 'silvester', 'neujahr',
];
const KNOWN = new Set(DATE_WORDS);
/** Real words one edit away from a date word. */
const NOT_TYPOS = new Set(['montage', 'montags', 'dienstags', 'mittwochs', 'donnerstags', 'freitags', 'samstags', 'sonntags', 'naechstes', 'kommender', 'kommendes', 'vormittage', 'nachmittage']);

export function fixDateTypo(word: string): string {
  if (word.length < 6 || word.length > 20 || KNOWN.has(word) || NOT_TYPOS.has(word)) return word;
  let found: string | undefined;
  for (const w of DATE_WORDS) {
    if (Math.abs(w.length - word.length) > 1 || !oneEdit(word, w)) continue;
    if (found !== undefined && found !== w) return word;
    found = w;
  }
  return found ?? word;
}

/** True when a and b differ by exactly one insertion, deletion, substitution or swap of neighbours. */
function oneEdit(a: string, b: string): boolean {
  if (a === b) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const ra = a.slice(i);
  const rb = b.slice(i);
  if (ra.slice(1) === rb.slice(1) && a.length === b.length) return true; // substitution
  if (ra.slice(1) === rb || ra === rb.slice(1)) return true; // insertion / deletion
  return a.length === b.length && ra.length >= 2 && ra[0] === rb[1] && ra[1] === rb[0] && ra.slice(2) === rb.slice(2); // swap
}
