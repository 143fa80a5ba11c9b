import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { ServiceHours, unionHours } from '../../src/handoff/hours';
import { isLive, nextStatus } from '../../src/handoff/status';

describe('handoff status machine', () => {
  it.each([
    ['waiting', 'take', 'active'],
    ['waiting', 'timeout', 'callback'],
    ['waiting', 'leave', 'closed'],
    ['waiting', 'close', 'closed'],
    ['waiting', 'callbackDone', undefined],
    ['active', 'take', undefined],
    ['active', 'timeout', undefined],
    ['active', 'close', 'closed'],
    ['active', 'leave', 'closed'],
    ['callback', 'take', 'callback'],
    ['callback', 'callbackDone', 'closed'],
    ['callback', 'leave', undefined],
    ['closed', 'close', undefined],
    ['closed', 'take', undefined],
  ] as const)('%s --%s--> %s', (from, event, to) => {
    expect(nextStatus(from, event)).toBe(to);
  });

  it('only waiting and active requests are live (the user talks to the team)', () => {
    expect(['waiting', 'active', 'callback', 'closed'].filter((s) => isLive(s as never))).toEqual(['waiting', 'active']);
  });
});

const berlin = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/Berlin' }).toMillis();

describe('service hours (booking calendar hours, Hessian holidays)', () => {
  const hours = new ServiceHours(
    unionHours([
      { mo: [{ from: 8 * 60, to: 12 * 60 }, { from: 13 * 60, to: 16 * 60 }], fr: [{ from: 8 * 60, to: 12 * 60 }] },
      { mo: [{ from: 11 * 60, to: 14 * 60 }], di: [{ from: 9 * 60, to: 15 * 60 }], do: [{ from: 8 * 60, to: 16 * 60 }] },
    ]),
  );

  it('merges overlapping advisor hours into one schedule', () => {
    expect(unionHours([{ mo: [{ from: 480, to: 720 }, { from: 780, to: 960 }] }, { mo: [{ from: 660, to: 840 }] }]).mo).toEqual([{ from: 480, to: 960 }]);
  });

  it.each([
    ['Monday 12:30, covered by the second schedule', '2026-06-01T12:30', true],
    ['Monday 07:59', '2026-06-01T07:59', false],
    ['Monday 16:00 (end is exclusive)', '2026-06-01T16:00', false],
    ['Wednesday: nobody works', '2026-06-03T10:00', false],
    ['Thursday 4 June 2026: Fronleichnam, a holiday in Hessen', '2026-06-04T10:00', false],
    ['Thursday a week later', '2026-06-11T10:00', true],
    ['Saturday', '2026-06-06T10:00', false],
  ])('%s → open %s', (_name, iso, open) => {
    expect(hours.isOpen(berlin(iso))).toBe(open);
  });

  it.each([
    ['Friday evening → Monday 08:00', '2026-06-05T18:00', '2026-06-08T08:00'],
    ['Wednesday of Fronleichnam week → Friday 08:00', '2026-06-03T10:00', '2026-06-05T08:00'],
    ['Monday lunch gap is covered, Monday 16:30 → Tuesday 09:00', '2026-06-01T16:30', '2026-06-02T09:00'],
    ['Monday 06:00 → the same day 08:00', '2026-06-01T06:00', '2026-06-01T08:00'],
    ['Saturday before the clocks change → Monday 08:00 local (CEST)', '2026-03-28T12:00', '2026-03-30T08:00'],
  ])('next opening: %s', (_name, from, expected) => {
    expect(hours.nextOpening(berlin(from))).toBe(berlin(expected));
  });

  it('has no opening when the schedule is empty', () => {
    expect(new ServiceHours({}).nextOpening(berlin('2026-06-01T10:00'))).toBeUndefined();
  });
});
