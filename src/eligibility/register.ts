import type { Kommune, KommuneKind, Resolution, Source } from './types';
import { foldTokens } from '../text/fold';
import { editDistance, histogramBound, isConnector, letterHistogram, nameKey } from './normalise';

/** knowledge/kommunen-namen.yaml: what the register itself does not say about names. */
export interface RegisterNames {
  registerSource: Source;
  /** Kreise officially called "Kreis …" instead of "Landkreis …" (key: Destatis short name). */
  kreisBezeichnung: Record<string, string>;
  /** Abbreviations and second names → AGS. */
  aliases: Record<string, string>;
  /** Place names that are also ordinary words: in a sentence they need "in"/"für"/… before them. */
  commonWords: string[];
  /** Federal state → well-known places there. */
  outsideHessen: Record<string, string[]>;
}

/** Words people put before a name that say nothing about the place ("für die Gemeinde …"). */
const FILLER = new Set(['fuer', 'in', 'aus', 'von', 'die', 'der', 'das', 'den', 'wir', 'sind', 'ich', 'bin', 'unsere', 'unser', 'meine', 'mein', 'kommune']);
export const MUNICIPAL_WORDS = new Set(['stadt', 'gemeinde', 'marktgemeinde', 'markt', 'marktflecken', 'kreisstadt']);
export const DISTRICT_WORDS = new Set(['landkreis', 'kreis', 'lk', 'landkreises', 'kreises']);

/** Which kinds a name may stand for once the user said "Stadt …" or "Landkreis …". */
export type KindFilter = 'municipal' | 'district' | undefined;

/** More candidates than this is no longer a useful question back. */
const MAX_CANDIDATES = 6;

/** A plain CSV reader for the register: comma separated, double-quoted fields, no line breaks in fields. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const fields: string[] = [];
    let i = 0;
    while (i <= line.length) {
      if (line[i] === '"') {
        let value = '';
        i++;
        while (i < line.length) {
          if (line[i] === '"' && line[i + 1] === '"') { value += '"'; i += 2; }
          else if (line[i] === '"') { i++; break; }
          else value += line[i++];
        }
        fields.push(value);
        i++; // the comma after the closing quote
      } else {
        const end = line.indexOf(',', i);
        const stop = end === -1 ? line.length : end;
        fields.push(line.slice(i, stop));
        i = stop + 1;
      }
    }
    rows.push(fields);
  }
  return rows;
}

const KINDS: readonly KommuneKind[] = ['gemeinde', 'stadt', 'kreisfreie_stadt', 'landkreis'];

/** Rows of kommunen.csv as Kommune objects; throws on a malformed row so a bad edit fails at start. */
export function parseKommunenCsv(text: string, names: RegisterNames): Kommune[] {
  const [header, ...rows] = parseCsv(text);
  const col = (n: string): number => {
    const i = header.indexOf(n);
    if (i < 0) throw new Error(`kommunen.csv: Spalte "${n}" fehlt`);
    return i;
  };
  const c = { ags: col('ags'), name: col('name'), kind: col('kind'), district: col('district'), population: col('population'), date: col('population_date') };
  return rows.map((r, n) => {
    const kind = r[c.kind] as KommuneKind;
    const population = Number(r[c.population]);
    if (!/^06\d{3}(\d{3})?$/.test(r[c.ags]) || !KINDS.includes(kind) || !Number.isInteger(population)) {
      throw new Error(`kommunen.csv: Zeile ${n + 2} ist ungültig`);
    }
    const name = r[c.name];
    return {
      ags: r[c.ags],
      name,
      shortName: kind === 'landkreis' ? districtDisplayName(name, names) : name.split(', ')[0],
      kind,
      district: r[c.district],
      population,
      populationDate: r[c.date],
    };
  });
}

/** "Landkreis Gießen", "Kreis Groß-Gerau", "Main-Kinzig-Kreis". */
function districtDisplayName(destatisName: string, names: RegisterNames): string {
  if (/kreis$/i.test(destatisName)) return destatisName;
  return `${names.kreisBezeichnung[destatisName] ?? 'Landkreis'} ${destatisName}`;
}

/** "Limburg a. d. Lahn" → "limburg"; "Lautertal (Odenwald)" → "lautertal": what people usually say. */
function baseKey(shortName: string): string {
  const tokens = foldTokens(shortName.replace(/\s*\(.*?\)/g, ''));
  const cut = tokens.findIndex(isConnector);
  return (cut > 0 ? tokens.slice(0, cut) : tokens).join(' ');
}

function add(map: Map<string, Kommune[]>, key: string, k: Kommune): void {
  if (!key) return;
  const list = map.get(key);
  if (!list) map.set(key, [k]);
  else if (!list.includes(k)) list.push(k);
}

function allowed(k: Kommune, filter: KindFilter): boolean {
  if (filter === 'municipal') return k.kind !== 'landkreis';
  if (filter === 'district') return k.kind === 'landkreis';
  return true;
}

/** Towns before districts, then larger first: the likelier meaning leads the question back. */
function byLikelihood(a: Kommune, b: Kommune): number {
  const la = a.kind === 'landkreis' ? 1 : 0;
  const lb = b.kind === 'landkreis' ? 1 : 0;
  return la - lb || b.population - a.population;
}

/**
 * The official register of Hessian Kommunen with name matching. Built once at start; every
 * lookup is a few map reads, and a typo scan over all keys only when those miss.
 */
export class KommunenRegister {
  private readonly rows: readonly Kommune[];
  private readonly agsIndex = new Map<string, Kommune>();
  private readonly districtByName = new Map<string, Kommune>();
  /** Official names, everyday names, abbreviations. */
  private readonly primary = new Map<string, Kommune[]>();
  /** Derived forms ("Homburg" for Bad Homburg, "Wetterau"): used only when no primary key fits. */
  private readonly secondary = new Map<string, Kommune[]>();
  private readonly allKeys: [string, Kommune[]][];
  /** Letter counts of allKeys (same order), for skipping hopeless typo comparisons. */
  private readonly histograms: Uint8Array[];
  private readonly outside = new Map<string, { place: string; land: string }>();
  private readonly outsideKeys: string[];
  private readonly commonWordKeys: Set<string>;
  /** First words of every name key (register and outside Hessen): a sentence scan skips other words at once. */
  private readonly firstWords = new Set<string>();
  readonly source: Source;

  constructor(rows: Kommune[], names: RegisterNames) {
    this.rows = Object.freeze([...rows]);
    this.source = names.registerSource;
    for (const k of rows) {
      this.agsIndex.set(k.ags, k);
      if (k.kind === 'landkreis') this.districtByName.set(k.name, k);
      else if (k.kind === 'kreisfreie_stadt') this.districtByName.set(k.district, k);
    }
    for (const k of rows) this.indexNames(k);
    for (const [alias, ags] of Object.entries(names.aliases)) {
      const k = this.agsIndex.get(ags);
      if (!k) throw new Error(`kommunen-namen.yaml: Alias ${alias} zeigt auf unbekannten AGS ${ags}`);
      add(this.primary, nameKey(alias), k);
    }
    const merged = new Map<string, Kommune[]>();
    for (const map of [this.primary, this.secondary]) for (const [key, ks] of map) for (const k of ks) add(merged, key, k);
    this.allKeys = [...merged.entries()];
    this.histograms = this.allKeys.map(([key]) => letterHistogram(key));
    for (const [land, places] of Object.entries(names.outsideHessen)) {
      for (const place of places) this.outside.set(nameKey(place), { place, land });
    }
    this.outsideKeys = [...this.outside.keys()];
    this.commonWordKeys = new Set(names.commonWords.map(nameKey));
    for (const key of [...merged.keys(), ...this.outsideKeys]) this.firstWords.add(key.split(' ')[0]);
  }

  /** Whether some name (in Hessen or a known place outside) begins with this word. */
  beginsName(word: string): boolean {
    return this.firstWords.has(word);
  }

  private indexNames(k: Kommune): void {
    if (k.kind === 'landkreis') {
      add(this.primary, nameKey(k.name), k);
      add(this.primary, nameKey(k.shortName), k);
      const withoutKreis = k.name.replace(/-?kreis$/i, '');
      if (withoutKreis !== k.name) add(this.secondary, nameKey(withoutKreis), k);
      return;
    }
    const [short, ...designations] = k.name.split(', ');
    const base = baseKey(short);
    add(this.primary, nameKey(short), k);
    add(this.primary, base, k);
    add(this.primary, nameKey(k.name), k);
    // "Universitätsstadt Gießen", "Wissenschaftsstadt Darmstadt": how towns name themselves.
    for (const d of designations) add(this.primary, nameKey(`${d} ${base}`), k);
    if (base.startsWith('bad ')) add(this.secondary, base.slice(4), k);
  }

  all(): readonly Kommune[] {
    return this.rows;
  }

  byAgs(ags: string): Kommune | undefined {
    return this.agsIndex.get(ags.replace(/\s/g, ''));
  }

  /** The Kreis a municipality belongs to, for the question back ("im Landkreis Gießen"). */
  districtOf(k: Kommune): Kommune | undefined {
    return k.kind === 'landkreis' || k.kind === 'kreisfreie_stadt' ? undefined : this.districtByName.get(k.district);
  }

  /** Rows whose primary (else secondary) key is exactly `key`; used by the sentence parser too. */
  exact(key: string, filter: KindFilter = undefined): Kommune[] {
    for (const map of [this.primary, this.secondary]) {
      const hits = (map.get(key) ?? []).filter((k) => allowed(k, filter));
      if (hits.length > 0) return hits;
    }
    return [];
  }

  /** A well-known place outside Hessen with its federal state, for an exact key. */
  outsidePlace(key: string): { place: string; land: string } | undefined {
    return this.outside.get(key);
  }

  isCommonWord(key: string): boolean {
    return this.commonWordKeys.has(key);
  }

  resolve(text: string): Resolution {
    const raw = text.trim();
    const digits = raw.replace(/[\s.]/g, '');
    if (/^\d{5}(\d{3})?$/.test(digits)) {
      const k = this.agsIndex.get(digits);
      if (k) return { kind: 'found', kommune: k };
      return digits.startsWith('06') ? { kind: 'not-found', suggestions: [] } : { kind: 'outside-hessen', input: raw };
    }
    let tokens = foldTokens(raw);
    let filter: KindFilter;
    while (tokens.length > 1) {
      if (MUNICIPAL_WORDS.has(tokens[0])) filter = 'municipal';
      else if (DISTRICT_WORDS.has(tokens[0])) filter = 'district';
      else if (!FILLER.has(tokens[0])) break;
      tokens = tokens.slice(1);
    }
    let key = tokens.filter((t) => !isConnector(t)).join(' ');
    if (!key) return { kind: 'not-found', suggestions: [] };

    const exact = this.exact(key, filter);
    if (exact.length > 0) return this.answer(exact);
    // "Giessen Stadt", "Fulda Landkreis": the kind word after the name, as in the official names.
    const last = tokens[tokens.length - 1];
    if (tokens.length > 1 && !filter && (MUNICIPAL_WORDS.has(last) || DISTRICT_WORDS.has(last))) {
      filter = MUNICIPAL_WORDS.has(last) ? 'municipal' : 'district';
      key = tokens.slice(0, -1).filter((t) => !isConnector(t)).join(' ');
      const named = this.exact(key, filter);
      if (named.length > 0) return this.answer(named);
    }
    const outside = filter ? undefined : this.outside.get(key);
    if (outside) return { kind: 'outside-hessen', input: raw, land: outside.land };

    if (key.length >= 4) {
      const prefixed = this.collect((k) => k.startsWith(key), filter);
      if (prefixed.length > 0 && prefixed.length <= MAX_CANDIDATES) return this.answer(prefixed);
      if (prefixed.length > MAX_CANDIDATES) return { kind: 'not-found', suggestions: prefixed.sort(byLikelihood).slice(0, 5) };
    }

    const max = key.length <= 4 ? 0 : key.length <= 8 ? 1 : key.length <= 14 ? 2 : 3;
    const { best, near } = this.closest(key, max, filter);
    if (best.length > 0 && best.length <= MAX_CANDIDATES) return this.answer(best);
    if (!filter && max > 0) {
      // Same first letter: "Hessen" is not a typo of "Essen".
      const outsideKey = this.outsideKeys.find((o) => o[0] === key[0] && editDistance(key, o, max) <= max);
      if (outsideKey) return { kind: 'outside-hessen', input: raw, land: this.outside.get(outsideKey)?.land };
    }
    return { kind: 'not-found', suggestions: near.slice(0, 3) };
  }

  /** One row → found; several → a question back. */
  answer(rows: Kommune[]): Resolution {
    return rows.length === 1 ? { kind: 'found', kommune: rows[0] } : { kind: 'ambiguous', candidates: [...rows].sort(byLikelihood) };
  }

  private collect(test: (key: string) => boolean, filter: KindFilter): Kommune[] {
    const out = new Set<Kommune>();
    for (const [key, ks] of this.allKeys) if (test(key)) for (const k of ks) if (allowed(k, filter)) out.add(k);
    return [...out];
  }

  /** Rows at the smallest edit distance ≤ max, and suggestions up to max + 2 ordered by distance. */
  private closest(key: string, max: number, filter: KindFilter): { best: Kommune[]; near: Kommune[] } {
    const limit = max + 2;
    const found = new Map<Kommune, number>();
    const histogram = letterHistogram(key);
    for (let i = 0; i < this.allKeys.length; i++) {
      const [candidate, ks] = this.allKeys[i];
      if (Math.abs(candidate.length - key.length) > limit || histogramBound(histogram, this.histograms[i]) > limit) continue;
      const d = editDistance(key, candidate, limit);
      if (d > limit) continue;
      for (const k of ks) if (allowed(k, filter) && d < (found.get(k) ?? Infinity)) found.set(k, d);
    }
    const ordered = [...found.entries()].sort((a, b) => a[1] - b[1] || byLikelihood(a[0], b[0]));
    const bestDistance = ordered.length > 0 ? ordered[0][1] : Infinity;
    const best = bestDistance <= max ? ordered.filter(([, d]) => d === bestDistance).map(([k]) => k) : [];
    return { best, near: ordered.map(([k]) => k) };
  }
}
