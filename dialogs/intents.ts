import { fold } from '../src/text/fold';

/**
 * What a free-text turn asks for, recognised from German (and some English) wording. The
 * Teams command list (manifest) uses the same phrases, so every command reaches its dialog.
 * Anything not recognised is a question for the knowledge base.
 */
export type Intent = 'help' | 'eligibility' | 'booking' | 'myAppointments' | 'deleteMyData' | 'notifyHere' | 'newConversation' | 'handoff' | 'question';

/** Folded text (src/text/fold.ts) keeping the marks dates and addresses need (@ . -), single spaces. */
export function normalize(text: string): string {
  return fold(text)
    .replace(/[^a-z0-9@.\- ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const KANN = (w: string) => w === 'kann';
const OFFER = (w: string) => /^(kdlz|ikz|akc|beratung|foerderung|angebot)/.test(w);
const OBTAIN = (w: string) => w === 'nutzen' || w === 'bekommen' || w === 'beantragen';

/** True when words matching first, then (not directly after it) second, then third occur in this order. */
function inOrder(words: string[], first: (w: string) => boolean, second: (w: string) => boolean, third: (w: string) => boolean): boolean {
  const i = words.findIndex(first);
  if (i < 0) return false;
  let j = i + 2;
  while (j < words.length && !second(words[j])) j++;
  for (let k = j + 1; k < words.length; k++) if (third(words[k])) return true;
  return false;
}

/**
 * Every pattern runs on normalised, length-capped text and has no nested or unbounded
 * repetition before a choice (no `.*` followed by alternatives): matching stays linear.
 */
const rules: { intent: Intent; patterns: RegExp[]; words?: (words: string[]) => boolean }[] = [
  { intent: 'notifyHere', patterns: [/^benachrichtigungen hier$/] },
  {
    // Until the trained intent model (issue 12) takes over: the plain ways to ask for a person.
    intent: 'handoff',
    patterns: [
      /\bmit (einem|einer|einem echten|einer echten) (menschen|person|mitarbeiter|mitarbeiterin|berater|beraterin) (sprechen|reden|verbunden werden|chatten)\b/,
      /\b(mit dem|das) kdlz[- ]team (sprechen|kontaktieren|erreichen)\b/,
      /^mit (dem )?kdlz[- ]team sprechen$/,
      /\brueckruf\b/,
      /\b(talk|speak) to (a|an) (human|person|agent)\b/,
      /^(mensch|mitarbeiter|person|human|agent)$/,
    ],
  },
  { intent: 'deleteMyData', patterns: [/\b(meine|unsere) daten loeschen\b/, /^daten loeschen$/, /\bdelete my data\b/] },
  { intent: 'myAppointments', patterns: [/^meine termine?$/, /\b(meine|unsere) (termine|buchungen|buchung)\b/, /\btermin (absagen|stornieren|verschieben|aendern)\b/, /\bmy appointments\b/] },
  {
    intent: 'booking',
    patterns: [/^termin$/, /\btermin (vereinbaren|buchen|ausmachen|machen|anfragen)\b/, /\b(vor ort termin|beratungstermin|schulungstermin)\b/, /\bbook (an )?appointment\b/, /\bich (moechte|will|wuerde gern[e]?) einen termin\b/],
  },
  {
    intent: 'eligibility',
    patterns: [
      /\bfoerderfaehigkeit\b/,
      /\bfoerderfaehig\b/,
      /\b(berechtigt|anspruchsberechtigt)\b/,
      /\bkoennen wir (das|den|die|es)? ?(kdlz|angebot|beratung|modul)? ?(nutzen|bekommen|beantragen|in anspruch nehmen)\b/,
      /\b(bekommen|kriegen|erhalten) wir (eine )?foerderung\b/,
      /\beligib/,
    ],
    // "kann <Kommune> … <Angebot> … nutzen": word positions, not a backtracking pattern.
    words: (w) => inOrder(w, KANN, OFFER, OBTAIN),
  },
  { intent: 'help', patterns: [/^(hilfe|help|\?|was kannst du( alles)?|menue|menu|start|hallo|hi|guten (tag|morgen|abend)|moin|servus)$/] },
  { intent: 'newConversation', patterns: [/^(neues gespraech|neu starten|von vorn|von vorne)$/] },
];

export function detectIntent(text: string | undefined): Intent {
  const t = normalize(text ?? '');
  if (!t) return 'help';
  let words: string[] | undefined;
  for (const rule of rules) {
    if (rule.patterns.some((p) => p.test(t))) return rule.intent;
    if (rule.words && rule.words((words ??= t.split(' ')))) return rule.intent;
  }
  return 'question';
}
