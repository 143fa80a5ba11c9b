import type { AnswerPart } from './compose';
import type { Passage } from './retriever';
import { germanStand, KNOWLEDGE_TEXTS } from './texts';

/** One numbered source of an answer (the citation entity lists them). */
export interface Citation {
  position: number;
  /** Article id: the file name without .md (not shown; evaluation and logs). */
  article: string;
  name: string;
  url: string;
  abstract: string;
  asOf: string;
  source: string;
}

const ABSTRACT_CHARS = 240;

function abstractOf(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= ABSTRACT_CHARS ? flat : `${flat.slice(0, ABSTRACT_CHARS - 1).replace(/\s+\S*$/, '')} …`;
}

/** "articles/kdlz-cs-heute.md" → "kdlz-cs-heute". */
function idOf(file: string): string {
  const base = file.slice(file.lastIndexOf('/') + 1);
  return base.endsWith('.md') ? base.slice(0, -3) : base;
}

export function citationOf(p: Passage, position: number): Citation {
  return {
    position,
    article: idOf(p.file),
    name: p.heading === p.title ? p.title : `${p.title} – ${p.heading}`,
    url: p.ref.url,
    abstract: abstractOf(p.text),
    asOf: germanStand(p.ref.asOf, p.ref.asOfNote),
    source: p.ref.source,
  };
}

/**
 * The extractive answer as text and citations: each quoted section starts with its heading in
 * bold, each passage is one paragraph. With one source the answer ends with "Quelle: …, Stand:
 * …"; with several, every paragraph carries the number of its source ([1], [2]) and the answer
 * ends with "Quellen: [1] …; [2] …". `caveat` (the programme's validity notice with its own source
 * in parentheses, starting with a blank line) goes between the quote and the source line.
 */
export function renderAnswer(parts: readonly AnswerPart[], caveat = ''): { text: string; citations: Citation[] } {
  const keys: string[] = [];
  const citations: Citation[] = [];
  // One number per distinct source, in order of first appearance.
  const numbered = parts.map((part) => {
    const key = `${part.passage.ref.source}\u0000${part.passage.ref.url}`;
    let i = keys.indexOf(key);
    if (i < 0) {
      i = keys.length;
      keys.push(key);
      citations.push(citationOf(part.passage, i + 1));
    }
    return { part, position: i + 1 };
  });
  const single = citations.length === 1;
  const mark = (n: number) => (single ? '' : ` [${n}]`);
  const paragraphs = numbered.map(({ part, position }) => `${part.heading ? `**${part.heading}:** ` : ''}${part.text}${mark(position)}`);
  const tail = single
    ? KNOWLEDGE_TEXTS.sourceLine(citations[0].source, citations[0].asOf)
    : KNOWLEDGE_TEXTS.sourcesLine(citations.map((c) => `[${c.position}] ${c.source}, Stand: ${c.asOf}`));
  return { text: `${paragraphs.join('\n\n')}${caveat}\n\n${tail}`, citations };
}
