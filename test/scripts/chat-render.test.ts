import { describe, expect, it } from 'vitest';
import { choiceLine, interpret, plainMarkdown, renderActivity } from '../../scripts/chat-render';

describe('terminal rendering of bot activities', () => {
  it('shows Markdown as plain text, keeping link targets', () => {
    expect(plainMarkdown('Der **KDLZ-Bot** hilft. Siehe [Hessen3C](https://hessen3c.de) und *bitte* melden.')).toBe(
      'Der KDLZ-Bot hilft. Siehe Hessen3C <https://hessen3c.de> und bitte melden.',
    );
    expect(plainMarkdown('[https://a.example](https://a.example)')).toBe('https://a.example');
    expect(plainMarkdown('3 * 4 = 12')).toBe('3 * 4 = 12');
  });

  it('numbers suggested actions, and a number sends the action value', () => {
    const r = renderActivity({
      type: 'message',
      text: 'Was möchten Sie tun?',
      suggestedActions: { actions: [{ type: 'imBack', title: 'Termin vereinbaren', value: 'Termin vereinbaren' }, { type: 'postBack', title: 'Ja', value: { antwort: 'ja' } }] },
    });
    expect(r.lines).toEqual(['Was möchten Sie tun?']);
    expect(choiceLine(r.choices)).toBe('1) Termin vereinbaren   2) Ja');
    expect(interpret('1', r.choices)).toEqual({ type: 'message', text: 'Termin vereinbaren' });
    expect(interpret(' 2 ', r.choices)).toEqual({ type: 'message', text: undefined, value: { antwort: 'ja' } });
    // Numbers beyond the list, and everything else, are ordinary messages.
    expect(interpret('3', r.choices)).toEqual({ type: 'message', text: '3' });
    expect(interpret('35000 Einwohner', r.choices)).toEqual({ type: 'message', text: '35000 Einwohner' });
    expect(interpret('   ', r.choices)).toBeUndefined();
  });

  it('reads an Adaptive Card: text blocks, facts, nested columns, submit actions with their data, links', () => {
    const r = renderActivity({
      type: 'message',
      attachments: [
        {
          contentType: 'application/vnd.microsoft.card.adaptive',
          content: {
            type: 'AdaptiveCard',
            version: '1.5',
            body: [
              { type: 'TextBlock', text: '**Ergebnis:** förderfähig' },
              { type: 'FactSet', facts: [{ title: 'Kommune', value: 'Alsfeld' }, { title: 'Programm', value: 'KDLZ CS' }] },
              { type: 'ColumnSet', columns: [{ items: [{ type: 'TextBlock', text: 'Spalte links' }] }, { items: [{ type: 'Container', items: [{ type: 'TextBlock', text: 'tief verschachtelt' }] }] }] },
              { type: 'Input.Text', id: 'kommune', label: 'Name der Kommune' },
            ],
            actions: [
              { type: 'Action.Submit', title: 'Termin vereinbaren', data: { action: 'book', programme: 'kdlz-cs' } },
              { type: 'Action.OpenUrl', title: 'Mehr erfahren', url: 'https://innen.hessen.de' },
            ],
          },
        },
      ],
    });
    expect(r.lines).toEqual([
      'Ergebnis: förderfähig',
      '  Kommune: Alsfeld',
      '  Programm: KDLZ CS',
      'Spalte links',
      'tief verschachtelt',
      '  (Formularfelder: Name der Kommune – bitte im Web-Chat oder in Teams ausfüllen, oder die Angaben hier als Text schreiben.)',
      '  Link: Mehr erfahren <https://innen.hessen.de>',
    ]);
    expect(r.choices).toEqual([{ title: 'Termin vereinbaren', send: { type: 'message', value: { action: 'book', programme: 'kdlz-cs' } } }]);
  });

  it('lists the sources of a cited answer and names other attachments such as the .ics file', () => {
    const r = renderActivity({
      type: 'message',
      text: 'Antwort.',
      entities: [
        {
          type: 'https://schema.org/Message',
          '@type': 'Message',
          '@context': 'https://schema.org',
          citation: [{ '@type': 'Claim', position: 1, appearance: { '@type': 'DigitalDocument', name: 'KDLZ CS', url: 'https://innen.hessen.de/kdlz' } }],
        },
      ],
      attachments: [{ contentType: 'text/calendar', name: 'termin.ics', contentUrl: 'data:text/calendar;base64,QkVHSU4=' }],
    });
    expect(r.lines).toEqual(['Antwort.', '  Anhang: termin.ics', 'Quellen:', '  [1] KDLZ CS – https://innen.hessen.de/kdlz']);
  });

  it('shows nothing for typing and other non-message activities', () => {
    expect(renderActivity({ type: 'typing' })).toEqual({ lines: [], choices: [] });
  });
});
