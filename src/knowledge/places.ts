import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseCsv } from '../eligibility/register';
import { words } from './analyzer';

/**
 * Names of the Hessian Kommunen and Landkreise (knowledge/kommunen.csv), as words. People say where
 * they write from ("Stadt Herborn, Hauptamt", "wir im Vogelsbergkreis"); such a name is context,
 * not what is asked. A place word the articles do not use therefore weighs little in the share of
 * the question a passage covers (retriever.ts): otherwise every message from a Kommune the
 * articles never name would look less covered. The topic model still reads it (when the place is
 * what is asked, "Wie viele Einwohner hat Kassel?", it must not vanish).
 */
export const PLACES_FILE = 'kommunen.csv';
/** Its companion file; its `commonWords` are names that are ordinary words too. */
const NAMES_FILE = 'kommunen-namen.yaml';

/** Words of official names that say what kind of place it is ("Landkreis Kassel", "Wetteraukreis"). */
const KIND_WORDS = new Set(['stadt', 'gemeinde', 'landkreis', 'kreis', 'landeshauptstadt']);

/**
 * Lower-case place words of kommunen.csv: names (and Landkreise) that are one word ("Herborn",
 * "Vogelsbergkreis", "Landkreis Kassel" → "kassel"). Parts of longer names ("Groß-Gerau", "Bad
 * Soden am Taunus") are left out, they are ordinary words too often ("groß", "höhe", "straße"),
 * and so are the names kommunen-namen.yaml lists as ordinary words (`commonWords`: Wetter, Linden …).
 * None when the file is absent.
 */
export function readPlaceWords(dir: string, commonWords: readonly string[] = readCommonWords(dir)): string[] {
  const file = path.join(dir, PLACES_FILE);
  if (!existsSync(file)) return [];
  const [header, ...rows] = parseCsv(readFileSync(file, 'utf8'));
  const columns = ['name', 'district'].map((c) => header.indexOf(c)).filter((i) => i >= 0);
  const common = new Set(commonWords.map((w) => w.toLowerCase()));
  const out = new Set<string>();
  for (const row of rows) {
    for (const c of columns) {
      const name = words((row[c] ?? '').split(',')[0]).filter((w) => !KIND_WORDS.has(w));
      if (name.length === 1 && name[0].length >= 4 && !common.has(name[0])) out.add(name[0]);
    }
  }
  return [...out];
}

function readCommonWords(dir: string): string[] {
  const file = path.join(dir, NAMES_FILE);
  if (!existsSync(file)) return [];
  const list = (parseYaml(readFileSync(file, 'utf8')) as { commonWords?: unknown } | null)?.commonWords;
  return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : [];
}
