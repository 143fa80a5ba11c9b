import { foldTokens } from '../src/text/fold';
import { readYesNo } from '../src/nlu';

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

/** "Ja", "jep", "auf jeden Fall" → true; "nein", "nö" → false; anything else → undefined (src/nlu readYesNo). */
export function recogniseYesNo(text: string | undefined): boolean | undefined {
  return readYesNo(text ?? '');
}
