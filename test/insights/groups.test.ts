import { describe, expect, it } from 'vitest';
import { groupSimilar, scrubQuestion } from '../../src/insights';

describe('unanswered questions for the staff page', () => {
  it.each([
    ['Bitte an erika.muster@buseck.example schicken', 'Bitte an [E-Mail] schicken'],
    ['Rückruf unter 06408 123456 bitte', 'Rückruf unter [Nummer] [Nummer] bitte'],
    ['Aktenzeichen AZ-2026/0815 prüfen', 'Aktenzeichen [Nummer] prüfen'],
    ['Was kostet das 2 Jahre lang?', 'Was kostet das 2 Jahre lang?'],
  ])('scrubs %j', (text, shown) => expect(scrubQuestion(text)).toBe(shown));

  it('cuts long questions to 160 characters', () => {
    expect(scrubQuestion('Wort '.repeat(100))).toHaveLength(160);
  });

  it('groups similar questions (stems, no stop words), largest group first', () => {
    const groups = groupSimilar([
      { text: 'Wer ist Bürgermeister von Mainz?', kind: 'declined' },
      { text: 'Wie backe ich Käsekuchen für erika@example.org?', kind: 'declined' },
      { text: 'Käsekuchen backen: wie geht das?', kind: 'declined' },
      { text: 'Käsekuchen richtig backen?', kind: 'downVoted' },
      { text: 'und oder aber', kind: 'declined' },
    ]);
    expect(groups.map((g) => [g.count, g.declined, g.downVoted])).toEqual([
      [3, 2, 1],
      [1, 1, 0],
    ]);
    expect(groups[0].example).toBe('Wie backe ich Käsekuchen für [E-Mail]');
    expect(JSON.stringify(groups)).not.toContain('@');
  });
});
