/**
 * What clerks and IT officers of Hessian Kommunen ask the bot, as they would type it: the load
 * of the knowledge scenarios. Each should be answered from the knowledge base (with citation);
 * the bench counts how many replies really carried one, so it never measures a fallback text.
 */
export const KNOWLEDGE_QUESTIONS: readonly string[] = [
  'Was kostet die Beratung des KDLZ?',
  'Wie melde ich einen Cyberangriff?',
  'Was ist das Aktionsprogramm Kommunale Cybersicherheit?',
  'Was kostet der Incident Response Service?',
  'Wann wurde das Hessen3C eröffnet?',
  'Wo stellen wir den Antrag auf IKZ-Förderung?',
  'Was tun bei einer verdächtigen E-Mail?',
  'Wie schützen wir unsere Datensicherung vor Ransomware?',
  'Wer darf beim AKC mitmachen?',
  'Was ist der Stresstest im Modul Sichere Kommunalnetze?',
  'Müssen wir eine Datenpanne dem Datenschutzbeauftragten melden?',
  'Was bedeutet Weg in die Basis-Absicherung?',
];

/**
 * A full eligibility check through MainDialog for a Kommune the user has not named before
 * (each virtual user is new, so nothing is remembered): every turn a real dialog step.
 */
export const ELIGIBILITY_SCRIPT: readonly string[] = [
  'Förderfähigkeit prüfen',
  'Buseck',
  'KDLZ-CS (Sicherheitsprüfung)',
  'Stufe 1: Vor-Ort-Bewertung',
];

/** A weekday `days` ahead of now, as a clerk types it ("15.06."). */
function weekdayAhead(days: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d.setUTCDate(d.getUTCDate() + 1);
  return `${String(d.getUTCDate()).padStart(2, '0')}.${String(d.getUTCMonth() + 1).padStart(2, '0')}.`;
}

/**
 * A whole booking through MainDialog, up to the binding confirmation. Virtual users ask for
 * different days (spread over the booking horizon) so they rarely race for the same slot; when a
 * day is full the bot offers the next free slots and "1" takes the first of those.
 */
export function bookingScript(user: number, round: number): string[] {
  return [
    'Termin vereinbaren',
    'Buseck',
    '2',
    weekdayAhead(3 + ((user * 7 + round * 3) % 70)),
    '1',
    'Ja, einverstanden',
    'Erika Muster',
    'IT-Leitung',
    'erika.muster@gemeinde.example',
    '0123 456789',
    'Verbindlich buchen',
  ];
}
