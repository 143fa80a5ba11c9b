import { placeholderFindings } from './availability';
import { closedReason, type BookingCalendarConfig, parseBookingConfig } from './calendar';

/** What `npm run booking:check` reports: errors stop the check, warnings are for operators. */
export interface BookingCheck {
  errors: string[];
  warnings: string[];
}

/**
 * Checks booking.yaml beyond its schema: every appointment type can be booked somewhere, every
 * Hessian AGS region is covered, eligibility names a known programme topic, and whether the
 * example placeholders are still in place. In production mode those placeholders are errors (the
 * bot would not book with them); otherwise warnings, since the example calendar runs for demos.
 */
export function checkBookingConfig(
  text: string,
  knownEligibility: readonly string[],
  agsList: readonly string[],
  opts: { production?: boolean; smtpFrom?: string } = {},
): BookingCheck {
  const errors: string[] = [];
  const warnings: string[] = [];
  let c: BookingCalendarConfig;
  try {
    c = parseBookingConfig(text);
  } catch (e) {
    return { errors: [(e as Error).message], warnings };
  }
  for (const t of c.appointmentTypes) {
    if (t.eligibility !== 'alle' && !knownEligibility.includes(t.eligibility)) {
      errors.push(`appointmentTypes.${t.id}.eligibility: „${t.eligibility}“ ist weder „alle“ noch ein Programm/Thema der Förderprüfung (${knownEligibility.join(', ')})`);
    }
    if (!c.advisors.some((a) => a.appointmentTypes.includes(t.id))) errors.push(`appointmentTypes.${t.id}: keine Beratung bietet diesen Termintyp an`);
    for (const a of c.advisors.filter((x) => x.appointmentTypes.includes(t.id))) {
      const fits = Object.values(a.hours).some((day) => day.some((iv) => iv.to - iv.from >= t.durationMinutes));
      if (!fits) errors.push(`advisors.${a.id}: kein Zeitfenster ist lang genug für ${t.id} (${t.durationMinutes} Min.)`);
    }
  }
  const uncovered = agsList.filter((ags) => !c.advisors.some((a) => a.covers.some((p) => ags.startsWith(p))));
  if (uncovered.length) warnings.push(`${uncovered.length} Kommunen ohne zuständige Beratung, z. B. AGS ${uncovered.slice(0, 5).join(', ')}`);
  for (const f of placeholderFindings(c, opts.smtpFrom)) {
    if (opts.production) errors.push(`${f} – in Produktion ist die Buchung damit aus; durch echte Daten ersetzen`);
    else warnings.push(`${f} – Beispiel-Platzhalter, vor dem Betrieb durch echte Daten ersetzen`);
  }
  if (!c.registration) warnings.push('registration: fehlt – ohne sie kann der Bot bei abgeschalteter Buchung nicht sagen, wo man sich anmeldet');
  if (closedReason('2026-06-04') === null) errors.push('Feiertagskalender DE-HE nicht verfügbar (Fronleichnam fehlt)');
  return { errors, warnings };
}
