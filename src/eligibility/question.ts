import type { Programme } from './programmes';
import { DISTRICT_WORDS, KommunenRegister, MUNICIPAL_WORDS, type KindFilter } from './register';
import { foldTokens, hasPhrase as containsPhrase } from '../text/fold';
import { isConnector } from './normalise';
import type { Association, EligibilityFacts, Resolution } from './types';

/** Words before a common-word place name that make it a place ("in Wetter", "für Sinn"). */
const PLACE_MARKERS = new Set(['in', 'fuer', 'aus', 'stadt', 'gemeinde']);
/** Longest place name in words ("Bad Homburg v. d. Höhe" = 3 after dropping connectors). */
const MAX_NAME_WORDS = 5;

export interface ParsedQuestion {
  /** Unset when the sentence speaks for an association ("Kann unser Zweckverband …"): the dialog asks its name. */
  kommune?: Resolution;
  /** Where the Kommune's name stands: [first, last) index into the folded tokens of the text. */
  kommuneSpan?: [number, number];
  /** A programme topic ("kdlz", "ikz"); evaluate() picks the version valid at the date asked about. */
  programmeId?: string;
  /** Facts the sentence already states (e.g. stage 2 for "Stresstest"). */
  facts?: Partial<EligibilityFacts>;
}

/** Finds the Kommune a sentence names: longest exact register name first, typos are left to the dialog. */
function findKommune(all: string[], register: KommunenRegister): { resolution: Resolution; span?: [number, number] } | undefined {
  const words = all.map((t, i) => ({ t, i })).filter((w) => !isConnector(w.t));
  for (let s = 0; s < words.length; s++) {
    // Most words of a sentence begin no name: one set lookup instead of five joined keys.
    if (!register.beginsName(words[s].t)) continue;
    const before = all[words[s].i - 1];
    const filter: KindFilter = MUNICIPAL_WORDS.has(before) ? 'municipal' : DISTRICT_WORDS.has(before) ? 'district' : undefined;
    for (let n = Math.min(MAX_NAME_WORDS, words.length - s); n >= 1; n--) {
      const key = words.slice(s, s + n).map((w) => w.t).join(' ');
      if (key.length < 3) continue;
      if (n === 1 && register.isCommonWord(key) && !PLACE_MARKERS.has(before)) continue;
      const hits = register.exact(key, filter);
      if (hits.length > 0) return { resolution: register.answer(hits), span: [words[s].i, words[s + n - 1].i + 1] };
    }
  }
  for (let s = 0; s < words.length; s++) {
    if (!register.beginsName(words[s].t)) continue;
    for (let n = Math.min(MAX_NAME_WORDS, words.length - s); n >= 1; n--) {
      const outside = register.outsidePlace(words.slice(s, s + n).map((w) => w.t).join(' '));
      if (outside) return { resolution: { kind: 'outside-hessen', input: outside.place, land: outside.land }, span: [words[s].i, words[s + n - 1].i + 1] };
    }
  }
  const at = all.findIndex((t) => /^06\d{3}(\d{3})?$/.test(t));
  const k = at >= 0 ? register.byAgs(all[at]) : undefined;
  return k ? { resolution: { kind: 'found', kommune: k }, span: [at, at + 1] } : undefined;
}

/** The topic whose keywords the sentence uses; none or several → undefined (the dialog asks). */
/** Folded keywords per programme, folded once (programmes are loaded once and frozen). */
const foldedKeywords = new WeakMap<Programme, string[][]>();

function findTopic(all: string[], programmes: readonly Programme[]): string | undefined {
  const topics = new Set<string>();
  for (const p of programmes) {
    let keywords = foldedKeywords.get(p);
    if (!keywords) foldedKeywords.set(p, (keywords = p.keywords.map((kw) => foldTokens(kw))));
    if (keywords.some((kw) => containsPhrase(all, kw))) topics.add(p.topic);
  }
  return topics.size === 1 ? [...topics][0] : undefined;
}

/** Longest association name kept from what a person typed. */
const MAX_ASSOCIATION_NAME = 120;
/** "Zweckverbände" folds to this; other "-verband" forms are covered by the suffix test. */
const ZWECKVERBAND = ['zweckverband', 'zweckverbands', 'zweckverbandes', 'zweckverbaende'];
const VERBAND_ENDINGS = ['verband', 'verbands', 'verbandes', 'verbaende'];

/**
 * Whether a text names an association of Kommunen instead of one Kommune: a word "Zweckverband"
 * (the form the IKZ source names as a legal person) or any other word ending in "-verband"
 * ("Gemeindeverwaltungsverband", "Abwasserverband"). Token logic only, no regular expression on
 * the text. The name is the text as written, trimmed and capped.
 */
export function recogniseAssociation(text: string): Association | undefined {
  const kind = associationKind(foldTokens(text));
  if (!kind) return undefined;
  const name = text.trim().replace(/\s+/g, ' ').slice(0, MAX_ASSOCIATION_NAME);
  return { name, kind };
}

function associationKind(tokens: readonly string[]): Association['kind'] | undefined {
  if (tokens.some((t) => ZWECKVERBAND.includes(t))) return 'zweckverband';
  return tokens.some((t) => VERBAND_ENDINGS.some((e) => t.endsWith(e))) ? 'verband' : undefined;
}

/** "Kann Buseck das KDLZ nutzen?" → Buseck + kdlz; "Ist Limburg förderfähig?" → Limburg + ikz. */
export function parseQuestion(text: string, register: KommunenRegister, programmes: readonly Programme[]): ParsedQuestion {
  const all = foldTokens(text);
  const out: ParsedQuestion = {};
  // "Kann der Zweckverband Buseck-Grünberg …": the association asks, not the place in its name.
  const kommune = associationKind(all) ? undefined : findKommune(all, register);
  if (kommune) {
    out.kommune = kommune.resolution;
    out.kommuneSpan = kommune.span;
  }
  const topic = findTopic(all, programmes);
  if (topic) out.programmeId = topic;
  if (all.includes('stresstest') || containsPhrase(all, ['stufe', '2']) || containsPhrase(all, ['stufe', 'zwei'])) out.facts = { stage: 2 };
  return out;
}
