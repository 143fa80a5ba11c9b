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
});
