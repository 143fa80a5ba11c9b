import { foldTokens } from '../text/fold';
import { stemOf } from './features';
import { findNumbers, ordinalWord } from './numbers';
import { scan, type Token } from './tokens';

/**
 * Readers for choice questions: which of the offered options the person meant, by its number
 * ("2", "Nummer 2", "die zweite", "4."), its words ("die Online-Beratung", "the stress test") or,
 * for appointment slots, its day and time ("13:00", "Dienstag nachmittag", "der am 20.",
 * "halb elf"). Nothing outside the options is ever picked: no match or a tie → undefined, and the
 * prompt asks again.
 */
export interface ChoiceOption {
  label: string;
  /** For appointment slots: Berlin day (YYYY-MM-DD) and start time (HH:MM). */
  day?: string;
  time?: string;
}

export type Choice = number | 'other';

const OTHER_PHRASES = [
  ['andere', 'woche'], ['anderen', 'woche'], ['andere', 'termine'], ['andere', 'zeit'], ['woche', 'danach'], ['naechste', 'woche'], ['spaeter'],
  ['keiner', 'passt'], ['keine', 'passt'], ['passt', 'keiner'], ['passt', 'nicht'], ['geht', 'nicht'], ['none'], ['other', 'week'], ['later'],
  ['andere'], ['anderer'], ['anderen'], ['weitere'], ['mehr', 'termine'], ['keiner'], ['keinen'], ['keins'], ['nichts', 'dabei'], ['nicht', 'dabei'],
];
const NUMBER_WORDS_BEFORE = new Set(['nummer', 'nr', 'option', 'number', 'no', 'auswahl', 'punkt']);
/** Words that carry no meaning for telling options apart. */
const STOP = new Set([
  'die', 'der', 'das', 'den', 'dem', 'des', 'ein', 'eine', 'einen', 'und', 'oder', 'bitte', 'ich', 'wir', 'nehme', 'nehmen', 'nehm', 'moechte',
  'moechten', 'haette', 'haetten', 'gern', 'gerne', 'the', 'a', 'an', 'one', 'please', 'zur', 'zum', 'fuer', 'mit', 'von', 'vom', 'im', 'in', 'am',
  'an', 'auf', 'bei', 'min', 'std', 'uhr', 'termin', 'ja', 'nein', 'it', 'of', 'to', 'haben', 'keine', 'eigene', 'lieber', 'option', 'nummer',
]);

const WEEKDAY_WORDS: Record<string, number> = {
  montag: 1, dienstag: 2, mittwoch: 3, donnerstag: 4, freitag: 5, mo: 1, di: 2, mi: 3, do: 4, fr: 5, monday: 1, tuesday: 2, wednesday: 3, thursday: 4,
  friday: 5, montags: 1, dienstags: 2, mittwochs: 3, donnerstags: 4, freitags: 5,
};
const MORNING = ['vormittag', 'vormittags', 'morgens', 'frueh', 'morning'];
const AFTERNOON = ['nachmittag', 'nachmittags', 'mittags', 'afternoon', 'abends'];

function has(words: readonly string[], phrase: readonly string[]): boolean {
  outer: for (let i = 0; i + phrase.length <= words.length; i++) {
    for (let j = 0; j < phrase.length; j++) if (words[i + j] !== phrase[j]) continue outer;
    return true;
  }
  return false;
}

/** Word forms of a text for matching: stems, and neighbouring words joined ("stress test" = "stresstest"). */
function forms(text: string): Set<string> {
  const words = foldTokens(text).filter((w) => !/^\d+$/.test(w));
  const out = new Set<string>();
  for (let i = 0; i < words.length; i++) {
    if (!STOP.has(words[i]) && words[i].length > 1) out.add(stemOf(words[i]));
    if (i + 1 < words.length) out.add(stemOf(words[i] + words[i + 1]));
    if (i + 2 < words.length) out.add(stemOf(words[i] + words[i + 1] + words[i + 2]));
  }
  return out;
}

/** Index (0-based) of the option the text names by number or ordinal; -2 when it names one out of range. */
function byNumber(tokens: Token[], count: number, slots: boolean): number | undefined {
  const words = tokens.map((t) => t.t);
  for (let i = 0; i < words.length; i++) {
    const o = ordinalWord(words[i]);
    if (o !== undefined) return o === -1 ? count - 1 : o <= count ? o - 1 : -2;
  }
  const numbers = findNumbers(tokens).filter((n) => {
    // A time ("14 Uhr", "13:00") or a day of the month ("der am 20.") is no option number.
    if (n.unit === 'uhr' || tokens[n.end]?.t === ':' || tokens[n.at - 1]?.t === ':') return false;
    if (slots && n.dotted && (words[n.at - 1] === 'am' || words[n.at - 1] === 'den' || n.value > count)) return false;
    if (n.date || n.unit === 'prozent' || n.unit === '%' || n.fraction || n.together) return false;
    return true;
  });
  if (numbers.length !== 1) return numbers.length > 1 ? -2 : undefined;
  const n = numbers[0];
  // A bare number is an option number when it fits; slots also accept a bare hour ("14").
  if (Number.isInteger(n.value) && n.value >= 1 && n.value <= count) return n.value - 1;
  if (NUMBER_WORDS_BEFORE.has(words[n.at - 1])) return -2;
  return slots && n.value >= 6 && n.value <= 20 ? undefined : -2;
}

/**
 * The option the text picks, 'other' for "andere Woche" (when `allowOther`), or undefined.
 * Options with `day`/`time` are appointment slots.
 */
export function readChoice(input: string, options: readonly ChoiceOption[], opts: { allowOther?: boolean } = {}): Choice | undefined {
  // A choice is a few words; the rest of a long message cannot change which option it names.
  const text = input.slice(0, 500);
  const tokens = scan(text);
  const words = tokens.filter((t) => t.kind === 'word').map((t) => t.t);
  const slots = options.some((o) => o.day);
  const numbered = byNumber(tokens, options.length, slots);
  const picked = new Set<number>();
  if (numbered !== undefined && numbered >= 0) picked.add(numbered);
  const slotPick = slots ? bySlotDetails(tokens, options) : undefined;
  if (slotPick === -2 && numbered === undefined) return undefined;
  if (slotPick !== undefined && slotPick >= 0) picked.add(slotPick);
  if (!slots) {
    const named = byWords(text, options);
    if (named !== undefined) picked.add(named);
  }
  if (picked.size === 1 && numbered !== -2) return [...picked][0];
  if (picked.size === 0 && opts.allowOther && OTHER_PHRASES.some((p) => has(words, p))) return 'other';
  return undefined;
}

/** The option whose distinctive words the text uses most (a tie → undefined). */
function byWords(text: string, options: readonly ChoiceOption[]): number | undefined {
  const answer = forms(text);
  if (answer.size === 0) return undefined;
  const optionForms = options.map((o) => forms(o.label));
  const everywhere = [...optionForms[0] ?? []].filter((f) => optionForms.every((s) => s.has(f)));
  // A compound's head counts: "Test" names the "Stresstest", "Analyse" the "Vor-Ort-Analyse".
  const fits = (f: string, s: Set<string>) => s.has(f) || (f.length >= 4 && [...s].some((o) => o.length > f.length && o.endsWith(f)));
  const scores = optionForms.map((s) => [...answer].filter((f) => fits(f, s) && !everywhere.some((e) => e === f)).length);
  const best = Math.max(...scores);
  if (best === 0 || scores.filter((s) => s === best).length > 1) return undefined;
  return scores.indexOf(best);
}

/**
 * Slots by day and time: weekday, day of month ("der am 20.", "21.01."), time ("10:30", "9 Uhr",
 * "halb elf") and part of the day. -2: the details fit several slots or none.
 */
function bySlotDetails(tokens: Token[], options: readonly ChoiceOption[]): number | undefined {
  const words = tokens.map((t) => t.t);
  let candidates = options.map((_, i) => i);
  let constrained = false;
  const narrow = (keep: (o: ChoiceOption) => boolean) => {
    constrained = true;
    candidates = candidates.filter((i) => keep(options[i]));
  };
  const wd = words.map((w) => WEEKDAY_WORDS[w] ?? WEEKDAY_WORDS[w.replace(/(nach|vor)mittags?$/, '')]).find((v) => v !== undefined);
  if (wd) narrow((o) => !!o.day && weekdayOf(o.day) === wd);
  const dayOfMonth = dayMentioned(tokens);
  if (dayOfMonth) narrow((o) => !!o.day && (dayOfMonth.month ? o.day.slice(5) === `${pad(dayOfMonth.month)}-${pad(dayOfMonth.day)}` : Number(o.day.slice(8)) === dayOfMonth.day));
  const time = timeMentioned(tokens);
  if (time) narrow((o) => o.time === time);
  if (words.some((w) => MORNING.includes(w) || w.endsWith('vormittag') || w.endsWith('vormittags'))) narrow((o) => !!o.time && o.time < '12:00');
  if (words.some((w) => AFTERNOON.includes(w) || w.endsWith('nachmittag') || w.endsWith('nachmittags'))) narrow((o) => !!o.time && o.time >= '12:00');
  if (!constrained) return undefined;
  return candidates.length === 1 ? candidates[0] : -2;
}

const pad = (n: number) => String(n).padStart(2, '0');

function weekdayOf(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number);
  return ((new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7) + 1;
}

/** "21.01." → {21, 1}; "der am 20." / "den 20." → {20}. */
function dayMentioned(tokens: Token[]): { day: number; month?: number } | undefined {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== 'num' || tokens[i + 1]?.t !== '.') continue;
    const next = tokens[i + 2];
    if (next?.kind === 'num' && !next.spaced && tokens[i + 3]?.t === '.') return { day: Number(t.t), month: Number(next.t) };
    const before = tokens[i - 1]?.t;
    if (before === 'am' || before === 'den' || before === 'der' || before === 'vom') return { day: Number(t.t) };
  }
  return undefined;
}

const HALF: Record<string, number> = { eins: 1, zwei: 2, drei: 3, vier: 4, fuenf: 5, sechs: 6, sieben: 7, acht: 8, neun: 9, zehn: 10, elf: 11, zwoelf: 12 };

/** "10:30", "13.00 Uhr", "9 Uhr", "14 uhr", "halb elf" (10:30) → "HH:MM". */
function timeMentioned(tokens: Token[]): string | undefined {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.t === 'halb' && HALF[tokens[i + 1]?.t] !== undefined) return `${pad(HALF[tokens[i + 1].t] - 1)}:30`;
    if (t.kind !== 'num' || t.t.length > 2) continue;
    const h = Number(t.t);
    if (h > 23) continue;
    const sep = tokens[i + 1];
    const min = tokens[i + 2];
    if (sep && (sep.t === ':' || (sep.t === '.' && tokens[i + 3]?.t === 'uhr')) && !sep.spaced && min?.kind === 'num' && min.t.length === 2) return `${pad(h)}:${min.t}`;
    if (sep?.t === 'uhr' || sep?.t === 'h') return `${pad(h)}:00`;
  }
  return undefined;
}
