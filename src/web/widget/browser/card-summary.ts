/**
 * What a screen reader hears when an Adaptive Card arrives. Web Chat's own screen-reader copy
 * of a card drops the labels of its inputs (an unlabelled text field in the live region), so
 * the widget announces a plain German summary instead: the card's texts, its fields by label,
 * and its buttons. The card itself stays fully usable in the transcript.
 */
import { widgetTexts as t } from './texts';

type Json = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

function walk(element: unknown, out: string[]): void {
  if (!element || typeof element !== 'object') return;
  if (Array.isArray(element)) {
    for (const e of element) walk(e, out);
    return;
  }
  const e = element as Json;
  const type = str(e.type) ?? '';
  if (type === 'TextBlock' || type === 'RichTextBlock') {
    const text = str(e.text) ?? (Array.isArray(e.inlines) ? e.inlines.map((i) => (typeof i === 'string' ? i : str((i as Json).text) ?? '')).join('') : undefined);
    if (text) out.push(text);
  } else if (type === 'FactSet' && Array.isArray(e.facts)) {
    for (const f of e.facts as Json[]) out.push(`${str(f.title) ?? ''}: ${str(f.value) ?? ''}`);
  } else if (type.startsWith('Input.')) {
    const name = str(e.label) ?? str(e.placeholder) ?? str(e.title) ?? str(e.id) ?? '';
    out.push(t.cardField(name));
    if (type === 'Input.ChoiceSet' && Array.isArray(e.choices)) {
      out.push(t.cardChoices((e.choices as Json[]).map((c) => str(c.title) ?? '').filter(Boolean)));
    }
  } else if (type === 'Image' && str(e.altText)) {
    out.push(str(e.altText)!);
  }
  for (const child of ['body', 'items', 'columns']) walk(e[child], out);
  // Buttons by title; what an Action.ShowCard reveals is read when it is opened.
  if (type.startsWith('Action.') && str(e.title)) out.push(t.cardButton(str(e.title)!));
  walk(e.actions, out);
}

/** One line per piece, in reading order. */
export function summariseAdaptiveCard(content: unknown): string {
  const out: string[] = [];
  walk(content, out);
  return [t.cardIntro, ...out].join('\n');
}
