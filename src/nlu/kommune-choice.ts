import { foldTokens } from '../text/fold';
import { findNumbers, ordinalWord } from './numbers';
import { scan } from './tokens';

/**
 * "„Lautertal“ gibt es mehrmals in Hessen. Welche meinen Sie?" – which of the offered Kommunen the
 * answer means: its number ("1", "die zweite"), its kind ("die Stadt", "den Landkreis", "wir
 * sind die Kreisverwaltung") or where it lies ("die im Vogelsberg", "Bergstraße", "Lautertal
 * (Odenwald)"). Only the offered candidates can come out: a district named as the place of a
 * Gemeinde picks that Gemeinde, never the district itself, and another Kommune's name picks
 * nothing (the dialog asks again).
 */
export interface KommuneCandidate {
  ags: string;
  kind: 'gemeinde' | 'stadt' | 'kreisfreie_stadt' | 'landkreis';
  /** Official and everyday names, the label shown, the district's name: everything that describes it. */
  names: string[];
}

const CITY = new Set(['stadt', 'city', 'town', 'kernstadt', 'innenstadt']);
const DISTRICT = new Set(['landkreis', 'kreis', 'lk', 'kreisverwaltung', 'landkreises', 'kreises', 'district', 'county', 'landratsamt', 'kreisausschuss']);
const MUNICIPALITY = new Set(['gemeinde', 'municipality', 'village', 'dorf', 'gemeindeverwaltung']);
const LOCATION = new Set(['im', 'in', 'aus', 'bei', 'an', 'am', 'der', 'dem']);
/** Words that say nothing about which candidate. */
const NOISE = new Set(['die', 'der', 'das', 'den', 'dem', 'wir', 'sind', 'ich', 'bin', 'meine', 'meinen', 'the', 'one', 'we', 'are', 'bitte', 'liegt', 'von', 'vom']);

type Kind = 'city' | 'district' | 'municipality';

function kindOf(c: KommuneCandidate): Kind {
  return c.kind === 'landkreis' ? 'district' : c.kind === 'gemeinde' ? 'municipality' : 'city';
}

/** Index (0-based) of the candidate the answer means, or undefined. */
export function readKommuneChoice(text: string, candidates: readonly KommuneCandidate[]): number | undefined {
  const tokens = scan(text);
  const words = tokens.filter((t) => t.kind === 'word').map((t) => t.t);
  const picks = new Set<number>();
  // By number or ordinal.
  const ordinal = words.map(ordinalWord).find((o) => o !== undefined);
  const numbers = findNumbers(tokens).filter((n) => !n.together && !n.fraction && tokens[n.at].kind === 'num');
  if (ordinal !== undefined) picks.add(ordinal === -1 ? candidates.length - 1 : ordinal - 1);
  else if (numbers.length === 1 && numbers[0].value >= 1) picks.add(numbers[0].value - 1);
  else if (numbers.length > 1) return undefined;
  // By kind: "die Stadt", "den Landkreis" – unless the word names the place ("die im Landkreis …").
  let kind: Kind | undefined;
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const located = LOCATION.has(words[i - 1] ?? '') && words[i - 1] !== 'der' && words[i - 1] !== 'dem';
    if (located) continue;
    if (DISTRICT.has(w)) kind = 'district';
    else if (CITY.has(w) || (w.endsWith('stadt') && w !== 'stadt' && !DISTRICT.has(w))) kind ??= 'city';
    else if (MUNICIPALITY.has(w)) kind ??= 'municipality';
  }
  if (kind) {
    const ofKind = candidates.map((c, i) => (kindOf(c) === kind ? i : -1)).filter((i) => i >= 0);
    if (ofKind.length === 1) picks.add(ofKind[0]);
    else if (ofKind.length === 0 && words.length <= 3) return undefined;
  }
  // By distinctive name words (prefixes count: "vogelsberg" names the "Vogelsbergkreis").
  const named = byNames(words, candidates);
  if (named !== undefined) picks.add(named);
  if (picks.size !== 1) return undefined;
  const i = [...picks][0];
  return i >= 0 && i < candidates.length ? i : undefined;
}

const KIND_WORDS = new Set([...CITY, ...DISTRICT, ...MUNICIPALITY, 'universitaetsstadt', 'kreisstadt', 'kreisfreie', 'kreisfreie', 'markt', 'marktgemeinde']);

function byNames(words: string[], candidates: readonly KommuneCandidate[]): number | undefined {
  const answer = words.filter((w) => w.length >= 3 && !NOISE.has(w) && !LOCATION.has(w) && !KIND_WORDS.has(w));
  if (answer.length === 0) return undefined;
  const sets = candidates.map((c) => new Set(c.names.flatMap((n) => foldTokens(n)).filter((t) => t.length >= 3 && !KIND_WORDS.has(t))));
  const shared = [...(sets[0] ?? [])].filter((t) => sets.every((s) => s.has(t)));
  const matches = (w: string, t: string) => t === w || (w.length >= 5 && t.startsWith(w)) || (t.length >= 5 && w.startsWith(t));
  const scores = sets.map((s) => answer.filter((w) => !shared.some((t) => matches(w, t)) && [...s].some((t) => matches(w, t))).length);
  const best = Math.max(...scores);
  if (best === 0 || scores.filter((s) => s === best).length > 1) return undefined;
  // An answer whose words mostly fit no candidate names another Kommune: no pick.
  const unmatched = answer.filter((w) => !sets.some((s) => [...s].some((t) => matches(w, t))));
  if (unmatched.length > best) return undefined;
  return scores.indexOf(best);
}
