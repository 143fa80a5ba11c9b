import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseQuestions, parseSources, questionKey, type SourceRef } from './article-fields';

export { isAbsoluteHttpUrl, isValidAsOf, MIN_QUESTIONS, questionKey } from './article-fields';
export type { SourceRef };

/**
 * A retrievable piece of an article: the text under one heading that comes from one source.
 * A heading whose paragraphs name two sources yields two sections with the same heading, so
 * every passage cites exactly the source of its sentences.
 */
export interface Section {
  heading: string;
  /** 1-based line of the first text line of this section. */
  line: number;
  /** The statements, source markers removed; paragraphs separated by a blank line. */
  text: string;
  ref: SourceRef;
}

export interface Article {
  file: string;
  title: string;
  tags: string[];
  /** The article's sources in front matter order (each used by at least one paragraph). */
  sources: SourceRef[];
  sections: Section[];
  /**
   * Editors' question variants (front matter key `questions:`): questions this article answers,
   * in the words of municipal staff. Indexed as their own field; never shown to users.
   */
  questions: string[];
  /** `emergency: true`: the sourced first-aid article (at most one in the knowledge base). */
  emergency: boolean;
  /**
   * `programme: <id>`: the programme rules (knowledge/programmes) the article describes, so an
   * answer from it can carry the programme's validity caveat; kb:check verifies the id exists.
   */
  programme?: string;
}

export interface Problem {
  file: string;
  line: number;
  message: string;
}

const FIELDS = new Set(['title', 'sources', 'tags', 'programme', 'emergency', 'questions']);
const PROGRAMME_ID = /^[a-z0-9][a-z0-9-]*$/;
/** Fields of the old one-source format, named in the message so a maintainer knows what to do. */
const OLD_FIELDS = new Set(['source', 'url', 'as_of', 'as_of_note']);
/** The source marker at the end of a paragraph's last line (or of any line of it): ` [^id]`. */
const MARKER = /\s*\[\^([^\]\s]*)\]\s*$/;

/** One paragraph's lines up to and including the line with the marker. */
interface Group {
  line: number;
  lines: string[];
  sourceId: string;
  /** First group of a paragraph: joined to the previous one with a blank line. */
  paragraphStart: boolean;
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
  const frontLines = lines.slice(0, end);
  const lineOf = (key: string) => {
    const i = frontLines.findIndex((l) => l.startsWith(`${key}:`));
    return i < 0 ? 1 : i + 1;
  };
  for (const key of Object.keys(meta)) {
    if (OLD_FIELDS.has(key)) problem(lineOf(key), `Feld "${key}" gibt es nicht mehr: Quellen stehen unter "sources:", jeder Absatz endet mit [^id]`);
    else if (!FIELDS.has(key)) problem(lineOf(key), `unbekanntes Feld "${key}" (erlaubt: ${[...FIELDS].join(', ')})`);
  }
  const rawTitle = meta.title;
  const title = typeof rawTitle === 'string' || typeof rawTitle === 'number' ? String(rawTitle).trim() : '';
  if (!title) problem(lineOf('title'), 'Feld "title" fehlt oder ist leer');
  const tags = meta.tags;
  // A tag like 442 is read by YAML as a number; that is what the maintainer meant, so accept it.
  const tagList = Array.isArray(tags) ? tags.map((t) => (typeof t === 'number' ? String(t) : t)) : [];
  if (tagList.length === 0 || tagList.some((t) => typeof t !== 'string' || !t.trim())) {
    problem(lineOf('tags'), 'Feld "tags" muss eine nicht leere Liste von Texten sein, z. B. [IKZ, Förderung]');
  }
  const sources = parseSources(meta.sources, frontLines, lineOf('sources'), problem);
  const emergency = meta.emergency === undefined ? false : meta.emergency;
  if (typeof emergency !== 'boolean') problem(lineOf('emergency'), 'Feld "emergency" muss true oder false sein');
  const programme = meta.programme === undefined ? undefined : String(meta.programme).trim();
  if (programme !== undefined && !PROGRAMME_ID.test(programme)) problem(lineOf('programme'), `Feld "programme" muss eine Programm-ID sein (die id einer Datei in knowledge/programmes, z. B. ikz-rahmenvereinbarung)`);
  const questions = parseQuestions(meta, frontLines, lineOf('questions'), problem);

  const sections = parseBody(lines, end + 1, title, sources, problem);
  const used = new Set(sections.map((s) => s.ref.id));
  for (const id of sources.keys()) {
    if (used.has(id)) continue;
    const at = frontLines.findIndex((l) => l.replace(/^[\s-]+/, '').trim() === `id: ${id}`);
    problem(at < 0 ? lineOf('sources') : at + 1, `Quelle "${id}" wird von keinem Absatz verwendet (Marker [^${id}] fehlt oder Quelle streichen)`);
  }
  if (problems.length > 0) return { problems };
  return {
    article: {
      file,
      title,
      tags: tagList as string[],
      sources: [...sources.values()],
      sections,
      questions,
      emergency: emergency === true,
      ...(programme ? { programme } : {}),
    },
    problems,
  };
}

/**
 * Body: "# Titel" and intro, then "## Abschnitt" blocks. A paragraph is a run of non-empty
 * lines; each paragraph ends with a source marker `[^id]` on its last line, and any line may
 * carry its own marker to close a group of statements from one source earlier.
 */
function parseBody(lines: string[], first: number, title: string, sources: Map<string, SourceRef>, problem: (line: number, message: string) => void): Section[] {
  const sections: Section[] = [];
  let heading: { text: string; line: number; groups: Group[] } | undefined;
  let pending: { line: number; text: string }[] = [];
  let paragraphStart = true;

  const endParagraph = () => {
    if (pending.length > 0) {
      const last = pending[pending.length - 1];
      problem(last.line, `Absatz ohne Quellenmarker: die letzte Zeile muss mit [^id] enden (id aus "sources:")`);
    }
    pending = [];
    paragraphStart = true;
  };
  const closeHeading = () => {
    endParagraph();
    if (!heading) return;
    // Consecutive groups from the same source form one section.
    let run: { line: number; parts: string[]; ref: SourceRef } | undefined;
    const flush = () => {
      if (run) sections.push({ heading: heading!.text, line: run.line, text: run.parts.join(''), ref: run.ref });
      run = undefined;
    };
    for (const g of heading.groups) {
      const ref = sources.get(g.sourceId)!;
      const text = g.lines.join('\n');
      if (run && run.ref.id === ref.id) run.parts.push(g.paragraphStart ? `\n\n${text}` : `\n${text}`);
      else {
        flush();
        run = { line: g.line, parts: [text], ref };
      }
    }
    flush();
    if (heading.groups.length === 0 && heading.text !== title) problem(heading.line, `Abschnitt "${heading.text}" ist leer`);
    heading = undefined;
  };

  for (let i = first; i < lines.length; i++) {
    const line = lines[i];
    const lineNo = i + 1;
    const h = /^(#{1,6})\s+(.*)$/.exec(line);
    if (h) {
      closeHeading();
      if (!h[2].trim()) problem(lineNo, 'Überschrift ohne Text');
      // The H1 repeats the title; text under it is the article's intro.
      heading = { text: h[1].length === 1 ? title : h[2].trim(), line: lineNo, groups: [] };
      continue;
    }
    if (!line.trim()) {
      endParagraph();
      continue;
    }
    if (/^>\s*Quelle:/.test(line)) {
      problem(lineNo, 'Quellenzeilen "> Quelle: …" gibt es nicht mehr: Quelle unter "sources:" eintragen und den Absatz mit [^id] beenden');
      continue;
    }
    if (!heading) heading = { text: title, line: lineNo, groups: [] };
    const marker = MARKER.exec(line);
    const text = marker ? line.slice(0, marker.index).trim() : line.trim();
    if (text.includes('[^')) problem(lineNo, 'Quellenmarker [^id] nur einmal und nur am Zeilenende');
    if (!text) {
      problem(lineNo, 'Zeile mit Quellenmarker, aber ohne Text');
      continue;
    }
    pending.push({ line: lineNo, text });
    if (!marker) continue;
    const id = marker[1];
    if (!sources.has(id)) {
      problem(lineNo, `Quellenmarker [^${id}] ohne passende Quelle unter "sources:"`);
      pending = [];
      paragraphStart = false;
      continue;
    }
    heading.groups.push({ line: pending[0].line, lines: pending.map((p) => p.text), sourceId: id, paragraphStart });
    pending = [];
    paragraphStart = false;
  }
  closeHeading();
  if (sections.length === 0) problem(first + 1, 'Artikel hat keinen Inhalt');
  return sections;
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
