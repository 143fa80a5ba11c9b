import { describe, expect, it } from 'vitest';
import { bookingAvailability, placeholderFindings } from '../../src/booking/availability';
import { loadBookingConfig, parseBookingConfig } from '../../src/booking/calendar';
import { TEST_CALENDAR_YAML } from './fixtures';

const shipped = loadBookingConfig();
/** The test calendar with real-looking advisors (no "(Beispiel)", no .invalid). */
const real = parseBookingConfig(TEST_CALENDAR_YAML.replace(/ \(Beispiel\)/g, '').replace(/(nord|sued)@example\.invalid/g, '$1@kdlz.example.de'));

describe('booking availability: no bookings with placeholder advisors in production', () => {
  it('the shipped example in production: off, with the reason and the registration route (AKC, hessen3c.de, source)', () => {
    const a = bookingAvailability(shipped, { production: true });
    expect(a).toMatchObject({ enabled: false, status: 'off' });
    expect(a.reason).toMatch(/Buchung in Produktion aus.*example: true.*advisors\.beratung-nord: Platzhalter/);
    expect(a.message).toMatch(/^Termine kann ich hier zurzeit nicht buchen/);
    expect(a.message).toContain('Aktionsprogramm Kommunale Cybersicherheit');
    expect(a.message).toContain('hessen3c.de');
    expect(a.message).toContain('Quelle: [Hessen3C: Aktionsprogramm Kommunale Cybersicherheit (AKC)](https://hessen3c.de/unsere-leistungen/aktionsprogramm-kommunale-cybersicherheit-akc), Stand: undatiert');
  });

  it('the shipped example outside production: works (tests, demos), marked as example', () => {
    const a = bookingAvailability(shipped, { production: false });
    expect(a).toMatchObject({ enabled: true, status: 'example' });
    expect(a.reason).toMatch(/Beispielkonfiguration/);
  });

  it.each([
    ['one advisor still "(Beispiel)"', TEST_CALENDAR_YAML.replace('nord@example.invalid', 'nord@kdlz.example.de')],
    ['an advisor address on .invalid', TEST_CALENDAR_YAML.replace(/ \(Beispiel\)/g, '').replace('nord@example.invalid', 'nord@kdlz.example.de')],
    ['example: true with real-looking advisors', 'example: true\n' + TEST_CALENDAR_YAML.replace(/ \(Beispiel\)/g, '').replace(/(nord|sued)@example\.invalid/g, '$1@kdlz.example.de')],
  ])('production with %s: off', (_what, yaml) => {
    expect(bookingAvailability(parseBookingConfig(yaml), { production: true, smtpFrom: 'termine@kdlz.example.de' }).enabled).toBe(false);
  });

  it('production with real advisors and a real sender: on, nothing to report', () => {
    const a = bookingAvailability(real, { production: true, smtpFrom: 'KDLZ <termine@kdlz.example.de>' });
    expect(a).toMatchObject({ enabled: true, status: 'on' });
    expect(a.reason).toBeUndefined();
    expect(placeholderFindings(real, 'termine@kdlz.example.de')).toEqual([]);
  });

  it('production with real advisors but the placeholder organizer and no SMTP_FROM: off (invitations from .invalid)', () => {
    expect(bookingAvailability(real, { production: true }).reason).toMatch(/organizer\.email/);
  });

  it('without a registration block the off text still says booking is off, and invents no contact', () => {
    const a = bookingAvailability(parseBookingConfig(TEST_CALENDAR_YAML), { production: true });
    expect(a.enabled).toBe(false);
    expect(a.message).toBe('Termine kann ich hier zurzeit nicht buchen: Die Terminbuchung ist in diesem Bot noch nicht eingerichtet.');
  });
});
