import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkBookingConfig } from '../../src/booking/check';
import { knowledgeDir } from '../../src/paths';
import { TEST_CALENDAR_YAML } from './fixtures';

const KNOWN = ['kdlz', 'ikz', 'akc-kdlz-cs'];

describe('booking:check', () => {
  const shipped = readFileSync(path.join(knowledgeDir(), 'booking.yaml'), 'utf8');

  it('the shipped booking.yaml has no errors outside production, but warns that it is the example', () => {
    const r = checkBookingConfig(shipped, KNOWN, ['06531003', '06411000', '06633001']);
    expect(r.errors).toEqual([]);
    // example: true, two placeholder advisors, the organizer address
    expect(r.warnings.filter((w) => w.includes('Beispiel-Platzhalter'))).toHaveLength(4);
  });

  it('in production mode the same placeholders are errors (the bot would not book)', () => {
    const r = checkBookingConfig(shipped, KNOWN, ['06531003'], { production: true });
    expect(r.errors).toHaveLength(4);
    expect(r.errors.join('\n')).toMatch(/advisors\.beratung-nord: Platzhalter .*in Produktion ist die Buchung damit aus/);
    expect(r.errors.join('\n')).toMatch(/example: true/);
  });

  it('in production with real data and SMTP_FROM there is nothing to report', () => {
    const real = TEST_CALENDAR_YAML.replace(/ \(Beispiel\)/g, '').replace(/(nord|sued)@example\.invalid/g, '$1@kdlz.example.de');
    expect(checkBookingConfig(real, KNOWN, ['06531003'], { production: true, smtpFrom: 'KDLZ <termine@kdlz.example.de>' }).errors).toEqual([]);
    // without SMTP_FROM the organizer in the file (termine@example.invalid) is still a placeholder
    expect(checkBookingConfig(real, KNOWN, ['06531003'], { production: true }).errors.join('\n')).toMatch(/organizer\.email/);
  });

  it.each([
    ['unknown eligibility topic', TEST_CALENDAR_YAML.replace('eligibility: kdlz', 'eligibility: kdlzz'), /weder „alle“/],
    ['a type nobody offers', TEST_CALENDAR_YAML.replace('appointmentTypes: [vor-ort, online]', 'appointmentTypes: [online]'), /keine Beratung bietet diesen Termintyp/],
    ['no window long enough', TEST_CALENDAR_YAML.replace(/08:00-12:00/g, '08:00-09:30').replace('"13:00-16:00"', '"13:00-14:00"'), /kein Zeitfenster ist lang genug für vor-ort/],
    ['schema error', TEST_CALENDAR_YAML.replace('durationMinutes: 120', 'durationMinutes: "zwei"'), /durationMinutes/],
  ])('%s is an error', (_n, yaml, message) => {
    expect(checkBookingConfig(yaml, KNOWN, []).errors.join('\n')).toMatch(message);
  });

  it('warns about Kommunen no advisor covers', () => {
    expect(checkBookingConfig(TEST_CALENDAR_YAML, KNOWN, ['06531003', '07111000']).warnings.join('\n')).toMatch(/1 Kommunen ohne zuständige Beratung, z\. B\. AGS 07111000/);
  });
});
