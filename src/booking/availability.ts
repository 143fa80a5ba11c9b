import type { BookingCalendarConfig } from './calendar';
import { bookingOffText } from './texts';

/**
 * Whether the bot books appointments at all. The shipped knowledge/booking.yaml is an example
 * with placeholder advisors: in production the bot must not offer appointments with people who
 * do not exist, so booking is off there until operators enter real data and set `example: false`.
 * Outside production the example calendar works, so tests and demos run.
 */
export interface BookingAvailability {
  enabled: boolean;
  /** 'on': real calendar; 'example': example calendar outside production; 'off': no booking. */
  status: 'on' | 'example' | 'off';
  /** For operators (/readyz, start log, booking:check); set when status is not 'on'. */
  reason?: string;
  /** What the bot says instead of the booking dialog when booking is off (German, with the source). */
  message: string;
}

/** Entries of the calendar that are still example placeholders, as operator-facing findings. */
export function placeholderFindings(cfg: BookingCalendarConfig, smtpFrom?: string): string[] {
  const found: string[] = [];
  if (cfg.example) found.push('example: true (Beispielkonfiguration)');
  for (const a of cfg.advisors) {
    if (isPlaceholderAddress(a.email) || /\(Beispiel\)/i.test(a.name)) found.push(`advisors.${a.id}: Platzhalter (${a.name}, ${a.email})`);
  }
  if (!smtpFrom && isPlaceholderAddress(cfg.organizer.email)) found.push(`organizer.email: Platzhalter (${cfg.organizer.email}); SMTP_FROM setzen oder echte Adresse eintragen`);
  return found;
}

/** RFC 2606 reserves .invalid (and example.*) for addresses that can never be delivered. */
function isPlaceholderAddress(email: string): boolean {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  return domain.endsWith('.invalid') || domain === 'invalid' || /^example\.(com|org|net)$/.test(domain) || domain.endsWith('.example');
}

export function bookingAvailability(cfg: BookingCalendarConfig, opts: { production: boolean; smtpFrom?: string }): BookingAvailability {
  const findings = placeholderFindings(cfg, opts.smtpFrom);
  const message = bookingOffText(cfg.registration);
  if (findings.length === 0) return { enabled: true, status: 'on', message };
  const reason = `knowledge/booking.yaml ist noch die Beispielkonfiguration: ${findings.join('; ')}`;
  if (!opts.production) return { enabled: true, status: 'example', reason, message };
  return { enabled: false, status: 'off', reason: `Buchung in Produktion aus – ${reason}`, message };
}
