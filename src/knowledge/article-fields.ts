/**
 * The list-valued front matter fields of an article: `sources:` (where each passage comes from)
 * and `questions:` (editors' question variants). Kept apart from articles.ts so the article
 * parser reads as the file format, top to bottom.
 */

/** Where a statement comes from: shown as "Quelle: …, Stand: …" and in the citation entity. */
export interface SourceRef {
  /** The id a paragraph's marker `[^id]` names. */
  id: string;
  /** "Publisher, title" as shown to users. */
  source: string;
  publisher: string;
  title: string;
  url: string;
  /** "YYYY", "YYYY-MM", "YYYY-MM-DD" or "ohne Datum" for pages that state no date. */
  asOf: string;
  /** What is known about an undated page ("frühestens 2024"), shown beside the date. */
  asOfNote?: string;
}

export type Report = (line: number, message: string) => void;

export const UNDATED = 'ohne Datum';
/** Question variants an article needs at least, and how long one may be. */
export const MIN_QUESTIONS = 6;
const MAX_QUESTION_CHARS = 300;
const SOURCE_FIELDS = new Set(['id', 'publisher', 'title', 'url', 'as_of', 'as_of_note']);
const SOURCE_ID = /^[a-z0-9][a-z0-9-]*$/;

export function isValidAsOf(value: string): boolean {
  if (value === UNDATED) return true;
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value);
  if (!m) return false;
  const year = Number(m[1]);
  const month = m[2] ? Number(m[2]) : 1;
  const day = m[3] ? Number(m[3]) : 1;
  const d = new Date(Date.UTC(year, month - 1, day));
  const real = d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
  return real && year >= 1990 && d.getTime() <= Date.now();
}

export function isAbsoluteHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname.includes('.');
  } catch {
    return false;
  }
}

/** Lower case, umlauts and ß spelt out, punctuation dropped: two variants that fold alike are one. */
export function questionKey(question: string): string {
  return question
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** 1-based line of the first front matter line at or after `from` that contains `text`. */
function lineContaining(frontLines: string[], from: number, text: string): number {
  const i = frontLines.findIndex((l, n) => n + 1 >= from && l.includes(text));
  return i < 0 ? from : i + 1;
}

/**
 * `sources:` is a list of {id, publisher, title, url, as_of, as_of_note?}. Each paragraph of the
 * body names one of them with a marker `[^id]` at the end of its last line.
 */
export function parseSources(raw: unknown, frontLines: string[], start: number, problem: Report): Map<string, SourceRef> {
  const sources = new Map<string, SourceRef>();
  const hint = 'Liste von Quellen mit id, publisher, title, url, as_of (optional as_of_note)';
  if (raw === undefined) {
    problem(start, `Feld "sources" fehlt (${hint})`);
    return sources;
  }
  if (!Array.isArray(raw) || raw.length === 0) {
    problem(start, `Feld "sources" muss eine nicht leere ${hint} sein`);
    return sources;
  }
  for (const item of raw) {
    if (!item || typeof item !== 'object' || Array.isArray(item)) {
      problem(start, `Feld "sources": jeder Eintrag braucht id, publisher, title, url, as_of`);
      continue;
    }
    const entry = item as Record<string, unknown>;
    const id = typeof entry.id === 'string' ? entry.id.trim() : '';
    const at = frontLines.findIndex((l, n) => n + 1 >= start && l.replace(/^[\s-]+/, '').trim() === `id: ${id}`);
    const line = id && at >= 0 ? at + 1 : start;
    const bad = (message: string) => problem(line, `Quelle "${id || '?'}": ${message}`);
    if (!SOURCE_ID.test(id)) {
      bad('"id" fehlt oder ist kein Kürzel aus Kleinbuchstaben, Ziffern und "-" (z. B. polizei-zac)');
      continue;
    }
    for (const key of Object.keys(entry)) {
      if (!SOURCE_FIELDS.has(key)) bad(`unbekanntes Feld "${key}" (erlaubt: ${[...SOURCE_FIELDS].join(', ')})`);
    }
    const text = (key: string): string => {
      const v = entry[key];
      if (v === undefined || v === null || String(v).trim() === '' || (typeof v !== 'string' && typeof v !== 'number')) {
        bad(`Feld "${key}" fehlt oder ist kein Text`);
        return '';
      }
      return String(v).trim();
    };
    const publisher = text('publisher');
    const title = text('title');
    const url = text('url');
    const asOf = text('as_of');
    const asOfNote = entry.as_of_note === undefined ? undefined : String(entry.as_of_note).trim();
    if (url && !isAbsoluteHttpUrl(url)) bad(`url "${url}" ist keine absolute http(s)-Adresse`);
    if (asOf && !isValidAsOf(asOf)) bad(`as_of "${asOf}" ist kein Datum (JJJJ, JJJJ-MM, JJJJ-MM-TT, nicht in der Zukunft) und nicht "${UNDATED}"`);
    if (sources.has(id)) {
      bad('id doppelt');
      continue;
    }
    sources.set(id, { id, source: `${publisher}, ${title}`, publisher, title, url, asOf, asOfNote });
  }
  return sources;
}

/**
 * `questions:` is a list of at least MIN_QUESTIONS texts and the last key of the front matter
 * (long lists stay out of the way of the fields a maintainer reads first).
 */
export function parseQuestions(meta: Record<string, unknown>, frontLines: string[], start: number, problem: Report): string[] {
  const raw = meta.questions;
  const hint = `mindestens ${MIN_QUESTIONS} Fragen in den Worten der Kommunen, z. B. questions: ["Was kostet …?", …]`;
  if (raw === undefined) {
    problem(frontLines.length, `Feld "questions" fehlt (${hint})`);
    return [];
  }
  const keys = Object.keys(meta);
  if (keys[keys.length - 1] !== 'questions') problem(start, 'Feld "questions" muss das letzte Feld des Front Matter sein');
  if (!Array.isArray(raw)) {
    problem(start, `Feld "questions" muss eine Liste sein (${hint})`);
    return [];
  }
  const questions: string[] = [];
  const seen = new Map<string, string>();
  for (const item of raw) {
    if (typeof item !== 'string' || !item.trim()) {
      problem(start, 'Feld "questions": jeder Eintrag muss ein nicht leerer Text sein');
      continue;
    }
    const q = item.trim();
    if (q.length > MAX_QUESTION_CHARS) problem(lineContaining(frontLines, start, q.slice(0, 40)), `Frage länger als ${MAX_QUESTION_CHARS} Zeichen`);
    const key = questionKey(q);
    const first = seen.get(key);
    if (first !== undefined) {
      problem(lineContaining(frontLines, start, q), `Frage doppelt: "${q}" (gleich wie "${first}")`);
      continue;
    }
    seen.set(key, q);
    questions.push(q);
  }
  if (questions.length < MIN_QUESTIONS) problem(start, `nur ${questions.length} Fragen unter "questions" (${hint})`);
  return questions;
}
