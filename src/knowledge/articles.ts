import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';

/** Where a statement comes from: shown as "Quelle: …, Stand: …" and in the citation entity. */
export interface SourceRef {
  source: string;
  url: string;
  /** "YYYY", "YYYY-MM", "YYYY-MM-DD" or "ohne Datum" for pages that state no date. */
  asOf: string;
  /** What is known about an undated page ("frühestens 2024"), shown beside the date. */
  asOfNote?: string;
}

export interface Section {
  heading: string;
  /** 1-based line of the heading (or of the first body line for the intro). */
  line: number;
  text: string;
  ref: SourceRef;
}

export interface Article {
  file: string;
  title: string;
  tags: string[];
  ref: SourceRef;
  sections: Section[];
  /**
   * Editors' question variants (front matter key `questions:`): questions this article answers,
   * in the words of municipal staff. Indexed as their own field; never shown to users.
   */
  questions: string[];
  /** `emergency: true`: the sourced first-aid article (at most one in the knowledge base). */
  emergency: boolean;
}

export interface Problem {
  file: string;
  line: number;
  message: string;
}

const UNDATED = 'ohne Datum';
const FIELDS = new Set(['title', 'source', 'url', 'as_of', 'as_of_note', 'tags', 'emergency', 'questions']);
/** Question variants an article needs at least, and how long one may be. */
export const MIN_QUESTIONS = 6;
const MAX_QUESTION_CHARS = 300;

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
/**
 * A section whose facts come from another page than the article's front matter ends with
 * "> Quelle: <Herausgeber, Dokument>, <URL>, Stand: <Datum> (<Hinweis>)". The line stays
 * readable for people and overrides the source for that section only.
 */
const SECTION_SOURCE = /^>\s*Quelle:\s*(.+),\s*(\S+),\s*Stand:\s*(.+?)\s*$/;

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

function parseStand(raw: string): { asOf: string; asOfNote?: string } {
  const m = /^(.+?)\s*\((.+)\)$/.exec(raw);
  return m ? { asOf: m[1], asOfNote: m[2] } : { asOf: raw };
}

/** Parses one article; problems carry file and line so a maintainer can jump to them. */
export function parseArticle(file: string, content: string): { article?: Article; problems: Problem[] } {
  const problems: Problem[] = [];
  const lines = content.replace(/\r\n?/g, '\n').split('\n');
  const problem = (line: number, message: string) => problems.push({ file, line, message });

  if (lines[0]?.trim() !== '---') {
    problem(1, 'Front Matter fehlt: die Datei muss mit einer Zeile "---" beginnen');
    return { problems };
  }
  const end = lines.indexOf('---', 1);
  if (end < 0) {
    problem(1, 'Front Matter wird nicht mit "---" abgeschlossen');
    return { problems };
  }
  let meta: Record<string, unknown>;
  try {
    const parsed: unknown = parseYaml(lines.slice(1, end).join('\n'));
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('kein Objekt');
    meta = parsed as Record<string, unknown>;
  } catch (e) {
    // YAML counts lines from the first line after "---".
    const yamlLine = (e as { linePos?: { line: number }[] }).linePos?.[0]?.line ?? 1;
    const hint = 'Texte mit ": " in Anführungszeichen setzen';
    problem(yamlLine + 1, `Front Matter ist kein gültiges YAML (${hint}): ${(e as Error).message.split('\n')[0]}`);
    return { problems };
  }
  const lineOf = (key: string) => {
    const i = lines.slice(1, end).findIndex((l) => l.startsWith(`${key}:`));
    return i < 0 ? 1 : i + 2;
  };
  for (const key of Object.keys(meta)) {
    if (!FIELDS.has(key)) problem(lineOf(key), `unbekanntes Feld "${key}" (erlaubt: ${[...FIELDS].join(', ')})`);
  }
  const text = (key: string): string => {
    const v = meta[key];
    if (v === undefined || v === null || String(v).trim() === '') {
      problem(lineOf(key), `Feld "${key}" fehlt oder ist leer`);
      return '';
    }
    if (typeof v !== 'string' && typeof v !== 'number') {
      problem(lineOf(key), `Feld "${key}" muss ein Text sein`);
      return '';
    }
    return String(v).trim();
  };
  const title = text('title');
  const source = text('source');
  const url = text('url');
  const asOf = text('as_of');
  const asOfNote = meta.as_of_note === undefined ? undefined : String(meta.as_of_note);
  if (url && !isAbsoluteHttpUrl(url)) problem(lineOf('url'), `url "${url}" ist keine absolute http(s)-Adresse`);
  if (asOf && !isValidAsOf(asOf)) {
    problem(lineOf('as_of'), `as_of "${asOf}" ist kein Datum (JJJJ, JJJJ-MM, JJJJ-MM-TT, nicht in der Zukunft) und nicht "${UNDATED}"`);
  }
  const tags = meta.tags;
  // A tag like 442 is read by YAML as a number; that is what the maintainer meant, so accept it.
  const tagList = Array.isArray(tags) ? tags.map((t) => (typeof t === 'number' ? String(t) : t)) : [];
  if (tagList.length === 0 || tagList.some((t) => typeof t !== 'string' || !t.trim())) {
    problem(lineOf('tags'), 'Feld "tags" muss eine nicht leere Liste von Texten sein, z. B. [IKZ, Förderung]');
  }
  const ref: SourceRef = { source, url, asOf, asOfNote };
  const emergency = meta.emergency === undefined ? false : meta.emergency;
  if (typeof emergency !== 'boolean') problem(lineOf('emergency'), 'Feld "emergency" muss true oder false sein');
  const questions = parseQuestions(meta, lines.slice(0, end), lineOf, problem);

  // Body: "# Titel" and intro, then "## Abschnitt" blocks.
  const sections: Section[] = [];
  let current: { heading: string; line: number; body: string[]; ref: SourceRef } | undefined;
  const close = () => {
    if (!current) return;
    const body = current.body.join('\n').trim();
    if (body) sections.push({ heading: current.heading, line: current.line, text: body, ref: current.ref });
    else if (current.heading !== title) problem(current.line, `Abschnitt "${current.heading}" ist leer`);
    current = undefined;
  };
  for (let i = end + 1; i < lines.length; i++) {
    const line = lines[i];
    const lineNo = i + 1;
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      close();
      if (!heading[2].trim()) problem(lineNo, 'Überschrift ohne Text');
      // The H1 repeats the title; text under it is the article's intro.
      current = { heading: heading[1].length === 1 ? title : heading[2].trim(), line: lineNo, body: [], ref };
      continue;
    }
    const src = SECTION_SOURCE.exec(line);
    if (src) {
      const stand = parseStand(src[3]);
      if (!isAbsoluteHttpUrl(src[2])) problem(lineNo, `Quellen-URL "${src[2]}" ist keine absolute http(s)-Adresse`);
      if (!isValidAsOf(stand.asOf)) problem(lineNo, `Stand "${stand.asOf}" ist kein gültiges Datum und nicht "${UNDATED}"`);
      if (!current) problem(lineNo, 'Quellenzeile außerhalb eines Abschnitts');
      else current.ref = { source: src[1].trim(), url: src[2], ...stand };
      continue;
    }
    if (/^>\s*Quelle:/.test(line)) {
      problem(lineNo, 'Quellenzeile muss lauten: "> Quelle: <Herausgeber, Dokument>, <URL>, Stand: <Datum>"');
      continue;
    }
    if (!current) {
      if (line.trim()) current = { heading: title, line: lineNo, body: [line], ref };
      continue;
    }
    current.body.push(line);
  }
  close();
  if (sections.length === 0) problem(end + 2, 'Artikel hat keinen Inhalt');
  if (problems.length > 0) return { problems };
  return { article: { file, title, tags: tagList as string[], ref, sections, questions, emergency: emergency === true }, problems };
}

/**
 * `questions:` is a list of at least MIN_QUESTIONS texts and the last key of the front matter
 * (long lists stay out of the way of the fields a maintainer reads first).
 */
function parseQuestions(
  meta: Record<string, unknown>,
  frontLines: string[],
  lineOf: (key: string) => number,
  problem: (line: number, message: string) => void,
): string[] {
  const raw = meta.questions;
  const hint = `mindestens ${MIN_QUESTIONS} Fragen in den Worten der Kommunen, z. B. questions: ["Was kostet …?", …]`;
  if (raw === undefined) {
    problem(frontLines.length, `Feld "questions" fehlt (${hint})`);
    return [];
  }
  const keys = Object.keys(meta);
  if (keys[keys.length - 1] !== 'questions') problem(lineOf('questions'), 'Feld "questions" muss das letzte Feld des Front Matter sein');
  if (!Array.isArray(raw)) {
    problem(lineOf('questions'), `Feld "questions" muss eine Liste sein (${hint})`);
    return [];
  }
  // The line of a list item, for messages: the first front matter line after "questions:" holding its text.
  const start = lineOf('questions');
  const lineOfItem = (text: string) => {
    const i = frontLines.findIndex((l, n) => n + 1 >= start && l.includes(text));
    return i < 0 ? start : i + 1;
  };
  const questions: string[] = [];
  const seen = new Map<string, string>();
  for (const item of raw) {
    if (typeof item !== 'string' || !item.trim()) {
      problem(start, 'Feld "questions": jeder Eintrag muss ein nicht leerer Text sein');
      continue;
    }
    const q = item.trim();
    if (q.length > MAX_QUESTION_CHARS) problem(lineOfItem(q.slice(0, 40)), `Frage länger als ${MAX_QUESTION_CHARS} Zeichen`);
    const key = questionKey(q);
    const first = seen.get(key);
    if (first !== undefined) {
      problem(lineOfItem(q), `Frage doppelt: "${q}" (gleich wie "${first}")`);
      continue;
    }
    seen.set(key, q);
    questions.push(q);
  }
  if (questions.length < MIN_QUESTIONS) problem(start, `nur ${questions.length} Fragen unter "questions" (${hint})`);
  return questions;
}

/** Reads every article of a knowledge directory ("<dir>/articles/*.md"), sorted by file name. */
export function loadArticles(knowledgeDir: string): { articles: Article[]; problems: Problem[] } {
  const dir = path.join(knowledgeDir, 'articles');
  const files = readdirSync(dir).filter((f) => f.endsWith('.md')).sort();
  const articles: Article[] = [];
  const problems: Problem[] = [];
  const titles = new Map<string, string>();
  const questionOwners = new Map<string, string>();
  let emergencyFile: string | undefined;
  for (const name of files) {
    const file = path.join('articles', name);
    const result = parseArticle(file, readFileSync(path.join(dir, name), 'utf8'));
    problems.push(...result.problems);
    if (!result.article) continue;
    const key = result.article.title.toLowerCase();
    const first = titles.get(key);
    if (first) problems.push({ file, line: 2, message: `Titel doppelt (auch in ${first})` });
    else titles.set(key, file);
    // One question answered by two articles would make the variant useless for telling them apart.
    for (const q of result.article.questions) {
      const owner = questionOwners.get(questionKey(q));
      if (owner) problems.push({ file, line: 1, message: `Frage "${q}" steht auch in ${owner}` });
      else questionOwners.set(questionKey(q), file);
    }
    if (result.article.emergency) {
      if (emergencyFile) problems.push({ file, line: 1, message: `nur ein Artikel darf "emergency: true" haben (schon ${emergencyFile})` });
      else emergencyFile = file;
    }
    articles.push(result.article);
  }
  return { articles, problems };
}
