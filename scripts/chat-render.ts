/**
 * Turns bot activities into plain terminal text for `npm run chat`: Markdown without its marks,
 * cards as their text, buttons and suggested actions as numbered choices, sources and
 * attachments listed. Pure functions, so the rendering is tested without a terminal.
 */

/** What the user can pick by number, and the activity that picking it sends. */
export interface Choice {
  title: string;
  send: { type: 'message'; text?: string; value?: unknown };
}

export interface Rendered {
  lines: string[];
  choices: Choice[];
}

type Json = Record<string, any>;

/** Bold/italic marks and link syntax removed; the link target kept in brackets. */
export function plainMarkdown(md: string): string {
  return md
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_m, text: string, href: string) => (text === href ? href : `${text} <${href}>`))
    .replace(/\*\*(.+?)\*\*/g, '$1')
    .replace(/__(.+?)__/g, '$1')
    .replace(/(^|\s)\*(\S.*?)\*(?=\s|$|[.,;:!?])/g, '$1$2');
}

/** A Bot Framework card action as a choice; undefined for actions that only open something. */
function cardActionChoice(a: Json): Choice | undefined {
  const title = String(a.title ?? a.text ?? a.value ?? '');
  switch (a.type) {
    case 'imBack':
      return { title, send: { type: 'message', text: String(a.value ?? a.title) } };
    case 'postBack':
    case 'messageBack':
      return { title, send: { type: 'message', text: typeof a.value === 'string' ? a.value : a.text, value: typeof a.value === 'string' ? undefined : a.value } };
    default:
      return undefined;
  }
}

/** Text of Adaptive Card elements, depth first, as Web Chat would show them top to bottom. */
function adaptiveLines(elements: Json[] | undefined, out: string[], inputs: string[]): void {
  for (const e of elements ?? []) {
    if (!e || typeof e !== 'object') continue;
    switch (e.type) {
      case 'TextBlock':
        if (e.text) out.push(plainMarkdown(String(e.text)));
        break;
      case 'RichTextBlock':
        out.push((e.inlines ?? []).map((i: Json | string) => (typeof i === 'string' ? i : i.text ?? '')).join(''));
        break;
      case 'FactSet':
        for (const f of e.facts ?? []) out.push(`  ${f.title}: ${plainMarkdown(String(f.value ?? ''))}`);
        break;
      case 'ColumnSet':
        for (const c of e.columns ?? []) adaptiveLines(c.items, out, inputs);
        break;
      case 'Container':
        adaptiveLines(e.items, out, inputs);
        break;
      default:
        if (typeof e.type === 'string' && e.type.startsWith('Input.')) inputs.push(String(e.label ?? e.placeholder ?? e.id ?? e.type));
    }
  }
}

function adaptiveActions(actions: Json[] | undefined, lines: string[], choices: Choice[]): void {
  for (const a of actions ?? []) {
    if (a.type === 'Action.Submit' || a.type === 'Action.Execute') {
      const data = a.data ?? {};
      // Web Chat sends a submit as a message with the data as value; a string stays text.
      choices.push({ title: String(a.title ?? 'Absenden'), send: typeof data === 'string' ? { type: 'message', text: data } : { type: 'message', value: data } });
    } else if (a.type === 'Action.OpenUrl') {
      lines.push(`  Link: ${a.title ?? ''} <${a.url}>`);
    } else if (a.type === 'Action.ShowCard') {
      adaptiveLines(a.card?.body, lines, []);
      adaptiveActions(a.card?.actions, lines, choices);
    }
  }
}

function attachmentLines(att: Json, lines: string[], choices: Choice[]): void {
  const c = att.content ?? {};
  if (att.contentType === 'application/vnd.microsoft.card.adaptive') {
    const inputs: string[] = [];
    adaptiveLines(c.body, lines, inputs);
    if (inputs.length) lines.push(`  (Formularfelder: ${inputs.join(', ')} – bitte im Web-Chat oder in Teams ausfüllen, oder die Angaben hier als Text schreiben.)`);
    adaptiveActions(c.actions, lines, choices);
  } else if (/^application\/vnd\.microsoft\.card\.(hero|thumbnail)$/.test(att.contentType)) {
    for (const t of [c.title, c.subtitle, c.text]) if (t) lines.push(plainMarkdown(String(t)));
    for (const b of c.buttons ?? []) {
      const choice = cardActionChoice(b);
      if (choice) choices.push(choice);
      else if (b.type === 'openUrl') lines.push(`  Link: ${b.title ?? ''} <${b.value}>`);
    }
  } else {
    lines.push(`  Anhang: ${att.name ?? att.contentType}${att.contentUrl && !String(att.contentUrl).startsWith('data:') ? ` <${att.contentUrl}>` : ''}`);
  }
}

/** Sources of a cited answer (schema.org Message entity), as "[n] Name – URL". */
function citationLines(entities: Json[] | undefined): string[] {
  const out: string[] = [];
  for (const e of entities ?? []) {
    if (e?.['@type'] !== 'Message' || !Array.isArray(e.citation)) continue;
    for (const c of e.citation) {
      const doc = c.appearance ?? {};
      out.push(`  [${c.position}] ${doc.name ?? ''}${doc.url ? ` – ${doc.url}` : ''}`);
    }
  }
  return out.length ? ['Quellen:', ...out] : [];
}

export function renderActivity(activity: Json): Rendered {
  const lines: string[] = [];
  const choices: Choice[] = [];
  if (activity.type !== 'message') return { lines, choices };
  if (activity.text) lines.push(...plainMarkdown(String(activity.text)).split('\n'));
  for (const att of activity.attachments ?? []) attachmentLines(att, lines, choices);
  lines.push(...citationLines(activity.entities));
  for (const a of activity.suggestedActions?.actions ?? []) {
    const choice = cardActionChoice(a);
    if (choice) choices.push(choice);
  }
  return { lines, choices };
}

/** "  1) Ja   2) Nein" – the numbers the user may type. */
export function choiceLine(choices: Choice[]): string {
  return choices.map((c, i) => `${i + 1}) ${c.title}`).join('   ');
}

/** What a typed line sends: a number picks a listed choice, anything else is a message. */
export function interpret(line: string, choices: Choice[]): Choice['send'] | undefined {
  const text = line.trim();
  if (!text) return undefined;
  const n = /^\d{1,2}$/.test(text) ? Number(text) : NaN;
  if (n >= 1 && n <= choices.length) return choices[n - 1].send;
  return { type: 'message', text };
}
