/**
 * Every German sentence the knowledge feature shows, in one place for review.
 * Contact routes in the decline text are taken from the knowledge base articles
 * (wer-hilft-kontakte.md); keep them in step when those change.
 */
export const KNOWLEDGE_TEXTS = {
  decline:
    'Dazu habe ich keine gesicherte Information.\n\n' +
    'Ich kann Fragen zur Cybersicherheit und zur Förderung der interkommunalen Zusammenarbeit (IKZ) aus meiner Wissensbasis beantworten, ' +
    'prüfen, ob Ihre Kommune ein Angebot nutzen kann, und einen Beratungstermin mit dem KDLZ CS buchen.\n\n' +
    'Persönliche Auskunft: zur Cybersicherheit beim Hessen3C (hessen3c.de), zur IKZ-Förderung beim Kompetenzzentrum für ' +
    'Interkommunale Zusammenarbeit (beratungszentrum.hessen.de/interkommunale-zusammenarbeit). ' +
    'Bei einem akuten Angriff: Zentrale Ansprechstelle Cybercrime der Polizei Hessen, 0611-83 8377 (rund um die Uhr, Stand der Polizeiseite 29.09.2022).',
  declineInjection:
    'Dazu habe ich keine gesicherte Information. Ich beantworte nur Fragen zur Cybersicherheit und zur IKZ-Förderung ' +
    'aus meiner Wissensbasis.\n\n' +
    'Persönliche Auskunft: Hessen3C (hessen3c.de) oder Kompetenzzentrum für Interkommunale Zusammenarbeit (beratungszentrum.hessen.de/interkommunale-zusammenarbeit).',
  /** Clarification: the titles follow as buttons; nothing is claimed, nothing cited. */
  clarify: 'Dazu bin ich mir nicht sicher. Meinen Sie eines dieser Themen?',
  clarifyEnglish: '(Antwort auf Deutsch) Dazu bin ich mir nicht sicher. Meinen Sie eines dieser Themen?',
  /** Heading of the first-aid answer. */
  firstAidTitle: '**Notfall – das ist jetzt zu tun:**',
  /**
   * First aid when the knowledge base has no emergency article (a custom knowledge folder): the
   * contact routes of the decline text, which come from the articles (see above).
   */
  firstAidFallback:
    '**Notfall – das ist jetzt zu tun:**\n\n' +
    'Betroffene Geräte vom Netz trennen, aber nicht ausschalten, und sofort Ihre IT holen.\n\n' +
    'Zentrale Ansprechstelle Cybercrime der Polizei Hessen: 0611-83 8377 (rund um die Uhr, Stand der Polizeiseite 29.09.2022). ' +
    'Technische Hilfe für Kommunen: Hessen3C (hessen3c.de).',
  englishMarker: '(Antwort auf Deutsch)',
  sourceLine: (source: string, stand: string) => `Quelle: ${source}, Stand: ${stand}`,
  sourcesLine: (parts: string[]) => `Quellen: ${parts.join('; ')}`,
  undated: 'ohne Datum',
  feedbackQuestion: 'War die Antwort hilfreich?',
  feedbackHelpful: '👍 Hilfreich',
  feedbackNotHelpful: '👎 Nicht hilfreich',
} as const;

const MONTHS = ['Januar', 'Februar', 'März', 'April', 'Mai', 'Juni', 'Juli', 'August', 'September', 'Oktober', 'November', 'Dezember'];

/** "2018-09-05" → "5. September 2018", "2018-06" → "Juni 2018", "ohne Datum" + note → "ohne Datum (frühestens 2024)". */
export function germanStand(asOf: string, note?: string): string {
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(asOf);
  let text = asOf;
  if (m) {
    const [, y, mo, d] = m;
    if (d) text = `${Number(d)}. ${MONTHS[Number(mo) - 1]} ${y}`;
    else if (mo) text = `${MONTHS[Number(mo) - 1]} ${y}`;
    else text = y;
  }
  return note ? `${text} (${note})` : text;
}
