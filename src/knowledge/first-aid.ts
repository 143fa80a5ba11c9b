import type { Passage } from './retriever';
import { germanStand, KNOWLEDGE_TEXTS } from './texts';

/** A source of the first-aid answer: one per distinct source of the emergency article's sections. */
export interface FirstAidSource {
  position: number;
  passage: Passage;
}

/**
 * The fixed first-aid answer, built once from the article marked `emergency: true`
 * (knowledge/articles/notfall-erste-hilfe.md): every section as one step, in the article's order
 * ("**Heading:** text [n]"), each step marked with the number of its source, then the sources
 * with their dates. Nothing is chosen per question: in an emergency every step matters.
 */
export function firstAidText(passages: readonly Passage[]): { text: string; sources: FirstAidSource[] } {
  const sources: FirstAidSource[] = [];
  const keyOf = (p: Passage) => `${p.ref.source}\u0000${p.ref.url}`;
  const positions = new Map<string, number>();
  const steps: string[] = [];
  for (const p of passages) {
    const key = keyOf(p);
    let position = positions.get(key);
    if (position === undefined) {
      position = sources.length + 1;
      positions.set(key, position);
      sources.push({ position, passage: p });
    }
    const body = p.text.replace(/^\s*[-*]\s+/gm, '').replace(/\s+/g, ' ').trim();
    const step = p.heading === p.title ? body : `**${p.heading}:** ${body}`;
    // Two passages of one long section: one step.
    if (steps.length > 0 && passages[passages.indexOf(p) - 1]?.heading === p.heading && p.heading !== p.title) {
      steps[steps.length - 1] += ` ${body} [${position}]`;
    } else steps.push(`${step} [${position}]`);
  }
  const list = sources.map((s) => `[${s.position}] ${s.passage.ref.source}, Stand: ${germanStand(s.passage.ref.asOf, s.passage.ref.asOfNote)}`);
  const text = `${KNOWLEDGE_TEXTS.firstAidTitle}\n\n${steps.map((s, i) => `${i + 1}. ${s}`).join('\n')}\n\n${KNOWLEDGE_TEXTS.sourcesLine(list)}`;
  return { text, sources };
}
