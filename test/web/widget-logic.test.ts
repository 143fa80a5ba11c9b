import { describe, expect, it } from 'vitest';
import { contrastRatio, DEFAULT_PRIMARY, normaliseHex, pickPrimaryColor, readSettings, resolveUrl } from '../../src/web/widget/browser/settings';
import { summariseAdaptiveCard } from '../../src/web/widget/browser/card-summary';
import { isTokenResponse, isUsable, refreshDelay, SessionStore, sessionFromToken } from '../../src/web/widget/browser/session';

describe('primary colour from data-primary-color', () => {
  it('computes WCAG contrast ratios', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
  });

  it.each([
    ['#00508C', '#00508c'],
    ['#036', '#003366'],
    ['#777777', DEFAULT_PRIMARY], // 4.48 : 1 — just below AA for white text
    ['#ffcc00', DEFAULT_PRIMARY],
    ['red', DEFAULT_PRIMARY],
    ['#00508c;background:url(x)', DEFAULT_PRIMARY],
    [undefined, DEFAULT_PRIMARY],
  ])('%j becomes %j', (input, expected) => {
    expect(pickPrimaryColor(input)).toBe(expected);
  });

  it('normalises only #rgb and #rrggbb', () => {
    expect(normaliseHex(' #AbC ')).toBe('#aabbcc');
    expect(normaliseHex('#abcd')).toBeUndefined();
  });
});

describe('URLs from data attributes', () => {
  it('resolves relative URLs against the widget origin and refuses other schemes', () => {
    expect(resolveUrl('/api/webchat/token', 'https://bot.example', '/x')).toBe('https://bot.example/api/webchat/token');
    expect(resolveUrl('javascript:alert(1)', 'https://bot.example', '/datenschutz')).toBe('https://bot.example/datenschutz');
    expect(resolveUrl('', 'https://bot.example', '/datenschutz')).toBe('https://bot.example/datenschutz');
  });

  it('reads the script tag dataset with defaults from the script origin', () => {
    const s = readSettings({ tokenUrl: 'https://portal.example/token', title: '  ', headingLevel: '9' }, 'https://bot.example/widget.js');
    expect(s).toMatchObject({
      origin: 'https://bot.example',
      tokenUrl: 'https://portal.example/token',
      directLineDomain: 'https://bot.example/v3/directline',
      webChatUrl: 'https://bot.example/webchat/webchat.js',
      privacyUrl: 'https://bot.example/datenschutz',
      title: 'KDLZ-Bot',
      headingLevel: 2,
    });
  });
});

describe('session persistence', () => {
  class MemoryStorage {
    data = new Map<string, string>();
    getItem = (k: string) => this.data.get(k) ?? null;
    setItem = (k: string, v: string) => void this.data.set(k, v);
    removeItem = (k: string) => void this.data.delete(k);
  }

  it('round-trips the session and the open state', () => {
    const storage = new MemoryStorage();
    const store = new SessionStore(storage, 'k');
    const session = { ...sessionFromToken({ token: 't', conversationId: 'c', expires_in: 60 }, 1_000), watermark: '3' };
    store.save({ session, open: true });
    expect(new SessionStore(storage, 'k').load()).toEqual({ session: { conversationId: 'c', token: 't', expiresAt: 61_000, watermark: '3' }, open: true });
    store.update({ open: false });
    expect(store.load()).toEqual({ session, open: false });
    store.clear();
    expect(store.load()).toEqual({ open: false });
  });

  it('treats corrupt or foreign storage content as no session', () => {
    const storage = new MemoryStorage();
    storage.setItem('k', '{not json');
    expect(new SessionStore(storage, 'k').load()).toEqual({ open: false });
    storage.setItem('k', JSON.stringify({ session: { conversationId: 5 }, open: 'yes' }));
    expect(new SessionStore(storage, 'k').load()).toEqual({ session: undefined, open: false });
  });

  it('survives a storage that throws (blocked sessionStorage)', () => {
    const throwing = { getItem: () => { throw new Error('blocked'); }, setItem: () => { throw new Error('blocked'); }, removeItem: () => { throw new Error('blocked'); } };
    const store = new SessionStore(throwing, 'k');
    expect(() => store.save({ open: true })).not.toThrow();
    expect(store.load()).toEqual({ open: false });
  });

  it('refreshes halfway through the remaining lifetime and counts a token as unusable close to expiry', () => {
    const s = { conversationId: 'c', token: 't', expiresAt: 100_000 };
    expect(refreshDelay(s, 40_000)).toBe(30_000);
    expect(refreshDelay(s, 200_000)).toBe(0);
    expect(isUsable(s, 97_000)).toBe(true);
    expect(isUsable(s, 98_500)).toBe(false);
  });

  it('accepts only complete token responses', () => {
    expect(isTokenResponse({ token: 'a', conversationId: 'b', expires_in: 10 })).toBe(true);
    expect(isTokenResponse({ token: 'a', conversationId: 'b' })).toBe(false);
    expect(isTokenResponse({ token: '', conversationId: 'b', expires_in: 10 })).toBe(false);
    expect(isTokenResponse(null)).toBe(false);
  });
});

describe('Adaptive Card summary for screen readers', () => {
  it('reads texts, facts, fields by label, choices and buttons in order, nested columns included', () => {
    const summary = summariseAdaptiveCard({
      type: 'AdaptiveCard',
      version: '1.5',
      body: [
        { type: 'TextBlock', text: 'Ergebnis der Prüfung' },
        { type: 'FactSet', facts: [{ title: 'Kommune', value: 'Alsfeld' }] },
        { type: 'ColumnSet', columns: [{ type: 'Column', items: [{ type: 'Container', items: [{ type: 'TextBlock', text: 'tief' }] }] }] },
        { type: 'Input.Text', id: 'email', placeholder: 'name@kommune.de' },
        { type: 'Input.ChoiceSet', id: 'slot', label: 'Termin', choices: [{ title: 'Mo 9 Uhr', value: '1' }, { title: 'Di 14 Uhr', value: '2' }] },
        { type: 'ActionSet', actions: [{ type: 'Action.OpenUrl', title: 'Quelle öffnen', url: 'https://hessen.de' }] },
      ],
      actions: [{ type: 'Action.Submit', title: 'Buchen' }],
    });
    expect(summary.split('\n')).toEqual([
      'Eine Karte:',
      'Ergebnis der Prüfung',
      'Kommune: Alsfeld',
      'tief',
      'Eingabefeld „name@kommune.de“',
      'Eingabefeld „Termin“',
      'Auswahl: Mo 9 Uhr, Di 14 Uhr',
      'Schaltfläche „Quelle öffnen“',
      'Schaltfläche „Buchen“',
    ]);
  });

  it('copes with content that is not a card', () => {
    expect(summariseAdaptiveCard(null)).toBe('Eine Karte:');
    expect(summariseAdaptiveCard({ body: 'kaputt' })).toBe('Eine Karte:');
  });
});
