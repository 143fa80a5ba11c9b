import { describe, expect, it } from 'vitest';
import { emailsIn } from '../../src/privacy';

describe('emailsIn', () => {
  it.each([
    ['Bitte an Erika.Muster@Example.org schicken', ['erika.muster@example.org']],
    ['(a.b@stadt-buseck.de), <c@d.hessen.de>; "e_f@g.de".', ['a.b@stadt-buseck.de', 'c@d.hessen.de', 'e_f@g.de']],
    ['kein @ hier, a@b, x@y.1, @foo.de, a@@b.de, a@b@c.de', []],
    ['', []],
  ])('%s', (text, expected) => {
    expect(emailsIn(text)).toEqual(expected);
  });

  it('stops at the maximum', () => {
    expect(emailsIn(Array.from({ length: 30 }, (_, i) => `p${i}@x.de`).join(' '), 5)).toHaveLength(5);
  });

  it('stays linear on 256 KB of hostile input', () => {
    const KB = 256 * 1024;
    for (const input of [`a@${'b.'.repeat(KB / 2)}`, 'a@b.c '.repeat(KB / 6), '@'.repeat(KB), `${'x'.repeat(KB)}@y.de`]) {
      const t0 = performance.now();
      emailsIn(input);
      expect(performance.now() - t0).toBeLessThan(1500);
    }
  });
});
