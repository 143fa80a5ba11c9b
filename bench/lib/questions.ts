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

/** The n-th weekday from three days ahead (inside the booking horizon), as a clerk types it ("15.06."). */
function nthWeekday(n: number): string {
  const d = new Date(Date.now() + 3 * 86_400_000);
  for (let seen = -1; ; d.setUTCDate(d.getUTCDate() + 1)) {
    if (d.getUTCDay() !== 0 && d.getUTCDay() !== 6 && ++seen === n) break;
  }
  return `${String(d.getUTCDate()).padStart(2, '0')}.${String(d.getUTCMonth() + 1).padStart(2, '0')}.`;
}

/**
 * A whole booking through MainDialog up to the summary ("Soll ich den Termin verbindlich
 * buchen?"), then "Abbrechen", which releases the held slot. Binding bookings would use up the
 * calendar (two appointments per advisor and day) within seconds of load and send the script off
 * track; the booking transaction itself is measured by `npm run bench:booking`. Virtual users
 * ask for different days so they rarely race for the same slot.
 */
export function bookingScript(user: number, round: number): string[] {
  return [
    'Termin vereinbaren',
    'Buseck',
    '2',
    // 37 and 45 are coprime: 45 users in one round ask for 45 different weekdays.
    nthWeekday((user * 37 + round * 11) % 45),
    '1',
    'Ja, einverstanden',
    'Erika Muster',
    'IT-Leitung',
    'erika.muster@gemeinde.example',
    '0123 456789',
    'Abbrechen',
  ];
}
