import { describe, expect, it } from 'vitest';
import { dataSubject, type DataSubject, type PersonalDataStore, PersonalDataRegistry } from '../../src/privacy';

/** A store over an in-memory list of rows, matching on whatever identifiers a row has. */
function memoryStore(id: string, rows: { user?: string; email?: string; conv?: string; ref?: string; at: number }[], opts: { knowsEmails?: boolean; fails?: boolean } = {}): PersonalDataStore & { rows: typeof rows } {
  const matches = (r: (typeof rows)[number], s: DataSubject) =>
    (r.user && s.userIds.includes(r.user)) || (r.email && s.emails.includes(r.email)) || (r.conv && s.conversationIds.includes(r.conv)) || (r.ref && s.references.includes(r.ref));
  return {
    id,
    rows,
    holds: id,
    retention: { ms: 1000, variable: 'X', countsFrom: 'jetzt' },
    identify: opts.knowsEmails
      ? async (s) => ({ emails: rows.filter((r) => matches(r, s)).map((r) => r.email!), references: rows.filter((r) => matches(r, s)).map((r) => r.ref!) })
      : undefined,
    async deleteFor(s) {
      if (opts.fails) throw new Error('unreachable');
      const before = rows.length;
      for (let i = rows.length - 1; i >= 0; i--) if (matches(rows[i], s)) rows.splice(i, 1);
      return before - rows.length;
    },
    async deleteExpired(now) {
      const before = rows.length;
      for (let i = rows.length - 1; i >= 0; i--) if (rows[i].at < now - 1000) rows.splice(i, 1);
      return before - rows.length;
    },
  };
}

describe('PersonalDataRegistry', () => {
  it('finds the person in every store through identifiers another store knows', async () => {
    const registry = new PersonalDataRegistry();
    // Bookings know user → e-mail and reference; the mail files only know the reference; questions only the e-mail.
    const bookings = memoryStore('bookings', [{ user: 'u1', email: 'a@b.de', ref: 'R1', at: 0 }, { user: 'u2', email: 'c@d.de', ref: 'R2', at: 0 }], { knowsEmails: true });
    const files = memoryStore('files', [{ ref: 'R1', at: 0 }, { ref: 'R2', at: 0 }]);
    const questions = memoryStore('questions', [{ email: 'a@b.de', at: 0 }, { email: 'c@d.de', at: 0 }]);
    for (const s of [bookings, files, questions]) registry.register(s);

    const report = await registry.deleteFor(dataSubject({ userIds: ['u1', undefined, ''] }));
    expect(report.complete).toBe(true);
    expect(report.subject.emails).toEqual(['a@b.de']);
    expect(report.outcomes.map((o) => [o.store, o.removed])).toEqual([['bookings', 1], ['files', 1], ['questions', 1]]);
    // The other person's entries stay.
    expect(bookings.rows.map((r) => r.user)).toEqual(['u2']);
    expect(files.rows.map((r) => r.ref)).toEqual(['R2']);
    expect(questions.rows.map((r) => r.email)).toEqual(['c@d.de']);
  });

  it('a failing store does not stop the others, and the report says it is incomplete', async () => {
    const registry = new PersonalDataRegistry();
    const broken = memoryStore('broken', [{ user: 'u1', at: 0 }], { fails: true });
    const fine = memoryStore('fine', [{ user: 'u1', at: 0 }]);
    registry.register(broken);
    registry.register(fine);
    const report = await registry.deleteFor(dataSubject({ userIds: ['u1'] }));
    expect(report.complete).toBe(false);
    expect(report.outcomes.find((o) => o.store === 'broken')!.error).toBe('unreachable');
    expect(fine.rows).toEqual([]);
  });

  it('the retention pass reaches every store', async () => {
    const registry = new PersonalDataRegistry();
    const a = memoryStore('a', [{ at: 0 }, { at: 5000 }]);
    const b = memoryStore('b', [{ at: 100 }]);
    registry.register(a);
    registry.register(b);
    const outcomes = await registry.deleteExpired(5500);
    expect(outcomes).toEqual([{ store: 'a', removed: 1 }, { store: 'b', removed: 1 }]);
    expect(a.rows).toEqual([{ at: 5000 }]);
  });

  it('refuses a store twice and a store without a retention period', () => {
    const registry = new PersonalDataRegistry();
    registry.register(memoryStore('a', []));
    expect(() => registry.register(memoryStore('a', []))).toThrow(/twice/);
    expect(() => registry.register({ ...memoryStore('b', []), retention: { ms: 0, variable: 'X', countsFrom: '' } })).toThrow(/retention/);
  });

  it('dataSubject drops blanks, de-duplicates and lower-cases e-mails', () => {
    expect(dataSubject({ userIds: ['x', 'x', null, ' '], emails: ['A@B.de', 'a@b.de'] })).toEqual({ userIds: ['x'], conversationIds: [], emails: ['a@b.de'], references: [] });
  });
});
