import { foldTokens } from '../src/text/fold';

/**
 * Commands a user may type at any step of a guided dialog. Shared by the guided dialogs
 * (eligibility, booking) so the same words work everywhere. Only a message that consists of the
 * command alone counts: "zurück zur Startseite" in a free-text answer is no command.
 */
export type Interruption = 'cancel' | 'help' | 'back' | 'restart';

const COMMANDS: Record<string, Interruption> = {
  abbrechen: 'cancel',
  abbruch: 'cancel',
  stopp: 'cancel',
  stop: 'cancel',
  beenden: 'cancel',
  cancel: 'cancel',
  'bitte abbrechen': 'cancel',
  hilfe: 'help',
  help: 'help',
  'was soll ich eingeben': 'help',
  zurueck: 'back',
  'einen schritt zurueck': 'back',
  back: 'back',
  'neu starten': 'restart',
  neustart: 'restart',
  'von vorn': 'restart',
  'von vorne': 'restart',
  'nochmal von vorn': 'restart',
  'noch einmal von vorn': 'restart',
};

export function recogniseInterruption(text: string | undefined): Interruption | undefined {
  if (!text) return undefined;
  if (text.trim() === '?') return 'help';
  return COMMANDS[foldTokens(text).join(' ')];
}

const YES = new Set(['ja', 'j', 'jawohl', 'jep', 'genau', 'richtig', 'stimmt', 'korrekt', 'ok', 'okay', 'yes', 'gerne', 'sicher']);
const NO = new Set(['nein', 'n', 'ne', 'noe', 'nee', 'no', 'falsch', 'nicht']);

/** "Ja", "Ja, Buseck", "nein danke" → true / false; anything else → undefined. */
export function recogniseYesNo(text: string | undefined): boolean | undefined {
  const first = foldTokens(text ?? '')[0];
  if (first === undefined) return undefined;
  if (YES.has(first)) return true;
  if (NO.has(first)) return false;
  return undefined;
}
