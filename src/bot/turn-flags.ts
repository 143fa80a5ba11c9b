/**
 * Turn-state flag set by "Meine Daten löschen": the handler then deletes this conversation's and
 * this user's state instead of saving it, so nothing cached in the turn (dialog steps, remembered
 * turns, references) is written back after the deletion.
 */
export const PERSONAL_DATA_DELETED = Symbol.for('kdlz.personalDataDeleted');
