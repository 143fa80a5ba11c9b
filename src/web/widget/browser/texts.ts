/**
 * Every German word the chat widget shows or announces, kept together so the wording can be
 * reviewed as a whole. (Web Chat's own labels come from its de-DE localisation.)
 */
export const widgetTexts = {
  launcher: 'Chat mit dem KDLZ-Bot öffnen',
  close: 'Chat schließen',
  newConversation: 'Neues Gespräch',
  privacy: 'Datenschutzhinweise',
  accessibility: 'Barrierefreiheit',
  loading: 'Der Chat wird geladen …',
  retry: 'Erneut versuchen',
  unavailable: 'Der Chat ist gerade nicht erreichbar. Bitte versuchen Sie es in einigen Minuten noch einmal.',
  tooManyRequests: (seconds: number | undefined) =>
    seconds
      ? `Gerade wurden zu viele Chats gestartet. Bitte versuchen Sie es in ${seconds} Sekunden noch einmal.`
      : 'Gerade wurden zu viele Chats gestartet. Bitte versuchen Sie es in einer Minute noch einmal.',
  bundleFailed: 'Der Chat konnte nicht geladen werden. Bitte laden Sie die Seite neu.',
  restarted:
    'Das bisherige Gespräch konnte nicht fortgesetzt werden. Ein neues Gespräch wurde begonnen; Ihr angefangener Text ist erhalten.',
  newStarted: 'Ein neues Gespräch wurde begonnen.',
  cardIntro: 'Eine Karte:',
  cardField: (label: string) => (label ? `Eingabefeld „${label}“` : 'Eingabefeld'),
  cardChoices: (choices: string[]) => `Auswahl: ${choices.join(', ')}`,
  cardButton: (title: string) => `Schaltfläche „${title}“`,
} as const;
