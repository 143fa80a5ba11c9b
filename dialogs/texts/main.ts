/** German texts of the main menu and the bot's frame. */
export const mainTexts = {
  welcome:
    'Guten Tag! Ich bin der **KDLZ-Bot** für die Kommunen in Hessen. Ich kann:\n\n' +
    '- **Fragen beantworten** zu Cybersicherheit, zum KDLZ CS, zum Aktionsprogramm Kommunale Cybersicherheit und zur Förderung der interkommunalen Zusammenarbeit (IKZ) – immer mit Quelle und Stand,\n' +
    '- **Förderfähigkeit prüfen**: Kann Ihre Kommune ein Angebot nutzen oder Förderung bekommen?\n' +
    '- **Termin vereinbaren** mit den Beraterinnen und Beratern des KDLZ,\n' +
    '- **Meine Termine** anzeigen, verschieben oder absagen.\n\n' +
    'Schreiben Sie einfach Ihre Frage. Bei einem akuten Sicherheitsvorfall fragen Sie zum Beispiel: „Wir haben einen Cyberangriff – was tun?“',
  help:
    'So kann ich helfen:\n\n' +
    '- Stellen Sie eine **Frage**, z. B. „Was kostet die Beratung des KDLZ?“\n' +
    '- **Förderfähigkeit prüfen**, z. B. „Kann Buseck das KDLZ nutzen?“\n' +
    '- **Termin vereinbaren**\n' +
    '- **Meine Termine**\n' +
    '- **Meine Daten löschen**\n\n' +
    'Mit „abbrechen“ beenden Sie jederzeit einen laufenden Dialog.',
  menuActions: ['Förderfähigkeit prüfen', 'Termin vereinbaren', 'Meine Termine', 'Hilfe'],
  askQuestion: 'Gern – stellen Sie Ihre Frage, zum Beispiel: „Was kostet die Beratung des KDLZ?“ oder „Wie melde ich einen Cyberangriff?“',
  cancelled: 'In Ordnung, ich habe abgebrochen. Wie kann ich sonst helfen?',
  nothingToCancel: 'Es läuft gerade nichts, das ich abbrechen könnte. Wie kann ich helfen?',
  concurrentChange:
    'Ihre Nachricht kam gleichzeitig mit einer anderen aus diesem Gespräch an, deshalb habe ich sie nicht verarbeitet. Bitte senden Sie sie noch einmal.',
  error: (correlationId: string) =>
    'Entschuldigung, da ist bei mir etwas schiefgegangen. Bitte versuchen Sie es noch einmal. ' +
    `Wenn es wieder passiert, nennen Sie dem Support bitte diese Kennung: ${correlationId}`,
  staleCard: 'Diese Auswahl ist nicht mehr aktuell. Bitte nutzen Sie die zuletzt angezeigten Schaltflächen oder beginnen Sie neu.',
  feedbackThanks: 'Danke für Ihre Rückmeldung!',
  feedbackSorry: 'Danke für Ihre Rückmeldung. Ich gebe die Frage an das Redaktionsteam weiter, damit die Antwort besser wird.',
  notifyHereOnlyInTeams: 'Diesen Befehl gibt es nur in einem Teams-Kanal des KDLZ-Teams.',
  newConversation: 'Wir beginnen von vorn. Wie kann ich helfen?',
  textShortened: (max: number) =>
    `Ihre Nachricht war sehr lang. Ich habe nur die ersten ${max.toLocaleString('de-DE')} Zeichen gelesen – bitte stellen Sie Ihre Frage kürzer, wenn meine Antwort nicht passt.`,
};
