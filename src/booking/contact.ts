/** The contact person of a booking, as typed by the user and validated field by field. */
export interface Contact {
  name: string;
  role: string;
  email: string;
  phone: string;
}

export type ContactField = keyof Contact;

/** A validated value, or the reason (German) why it was refused. */
export type Checked = { ok: true; value: string } | { ok: false; reason: string };

const LETTER = /\p{L}/u;

export function checkName(input: string): Checked {
  const v = input.trim().replace(/\s+/g, ' ');
  if (v.length < 2 || v.length > 100 || !LETTER.test(v) || /[<>@\d]/.test(v)) return { ok: false, reason: 'name' };
  return { ok: true, value: v };
}

export function checkRole(input: string): Checked {
  const v = input.trim().replace(/\s+/g, ' ');
  if (v.length < 2 || v.length > 100 || !LETTER.test(v) || /[<>]/.test(v)) return { ok: false, reason: 'role' };
  return { ok: true, value: v };
}

/**
 * A pragmatic address check: one @, a dotted domain with a 2+ letter TLD, no spaces. Mail
 * servers decide the rest; this catches typos such as "name@gemeinde" or "name.gemeinde.de".
 */
export function checkEmail(input: string): Checked {
  const v = input.trim();
  const ok =
    v.length <= 254 &&
    /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.[A-Za-z]{2,}$/.test(v) &&
    !v.includes('..') &&
    !v.startsWith('.') &&
    !v.split('@')[0].endsWith('.');
  return ok ? { ok: true, value: v.toLowerCase() } : { ok: false, reason: 'email' };
}

/**
 * German landline or mobile, national (0…) or international (+49…, 0049…): digits with the usual
 * separators, 6 to 15 digits. Stored as typed (trimmed), so staff can read it back.
 */
export function checkPhone(input: string): Checked {
  const v = input.trim().replace(/\s+/g, ' ');
  if (!/^(\+|00|0)[\d\s/()-]+$/.test(v)) return { ok: false, reason: 'phone' };
  const digits = v.replace(/\D/g, '');
  if (digits.length < 6 || digits.length > 15) return { ok: false, reason: 'phone' };
  return { ok: true, value: v };
}

export const contactChecks: Record<ContactField, (s: string) => Checked> = {
  name: checkName,
  role: checkRole,
  email: checkEmail,
  phone: checkPhone,
};

/** All four fields valid, or the names of the invalid ones. */
export function checkContact(c: Partial<Record<ContactField, unknown>>): { ok: true; contact: Contact } | { ok: false; invalid: ContactField[] } {
  const invalid: ContactField[] = [];
  const out: Partial<Contact> = {};
  for (const f of Object.keys(contactChecks) as ContactField[]) {
    const raw = c[f];
    const r = typeof raw === 'string' ? contactChecks[f](raw) : ({ ok: false, reason: f } as Checked);
    if (r.ok) out[f] = r.value;
    else invalid.push(f);
  }
  return invalid.length ? { ok: false, invalid } : { ok: true, contact: out as Contact };
}
