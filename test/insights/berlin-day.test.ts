import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { BerlinDay } from '../../src/insights';

const berlin = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/Berlin' }).toMillis();
const reference = (ms: number) => DateTime.fromMillis(ms, { zone: 'Europe/Berlin' }).toISODate();

describe('BerlinDay (the day a reply is counted on, remembered between turns)', () => {
  it('changes at Berlin midnight, not at UTC midnight', () => {
    const d = new BerlinDay();
    expect(d.of(berlin('2026-11-29T23:59:59.999'))).toBe('2026-11-29');
    expect(d.of(berlin('2026-11-30T00:00:00.000'))).toBe('2026-11-30');
    expect(d.of(Date.UTC(2026, 10, 29, 23, 30))).toBe('2026-11-30');
    // Back in time (a clock set back): the earlier day again.
    expect(d.of(berlin('2026-11-29T12:00'))).toBe('2026-11-29');
  });

  it('agrees with the time-zone conversion on every hour across both DST changes', () => {
    const d = new BerlinDay();
    for (const [from, to] of [
      ['2026-03-28T00:00Z', '2026-03-31T00:00Z'],
      ['2026-10-24T00:00Z', '2026-10-27T00:00Z'],
    ]) {
      for (let ms = Date.parse(from); ms < Date.parse(to); ms += 15 * 60_000) expect(d.of(ms)).toBe(reference(ms));
    }
  });
});
