/**
 * The longest text each kind of field may hold (SPEC §10). The numbers live here, in data/, because the
 * CSV readers apply them to every cell; checks/limits.ts maps each form field to its kind.
 */
export const TEXT_LIMITS = {
  email: 254,
  name: 200,
  reference: 50,
  freeText: 5_000,
  /** Passwords: the policy's own maximum (server/services/passwords.ts). */
  password: 256,
  /** A telephone number as people write it: digits, spaces, +, brackets. */
  phone: 40,
  /** A day, month or year of a GOV.UK date input, a time, a number typed in a box. */
  short: 20,
  /** Published lists' long notes (the OFSI list's "Other Information"), which Due Regard reads but never stores. */
  longText: 20_000,
} as const;

export type TextKind = keyof typeof TEXT_LIMITS;

/**
 * The kind of a CSV column, by its name in any of the import formats (§7): emails, references, single
 * names (person, organisation, school, library…); lists of names and everything else are free text.
 */
export function columnKind(column: string): TextKind {
  const c = column.toLowerCase();
  if (c.includes('email')) return 'email';
  if (c.includes('phone')) return 'phone';
  if (c === 'other information') return 'longText';
  if (/names|aliases|speakers/.test(c)) return 'freeText';
  if (c === 'urn' || c === 'uprn' || c === 'ref' || c.endsWith('_ref') || c.endsWith(' ref'))
    return 'reference';
  if (c.includes('name')) return 'name';
  return 'freeText';
}

/**
 * An email address as the forms accept it: something@something.something, no spaces, one "@", at most
 * 254 characters. One pass over the text (a regular expression with nested repeats can take quadratic
 * time on a long hostile value; this cannot).
 */
export function isEmailAddress(text: string): boolean {
  if (text.length === 0 || text.length > TEXT_LIMITS.email) return false;
  let at = -1;
  let dot = -1; // the first dot of the domain that has something before it
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    // Whitespace as \s sees it in ASCII and the common Unicode spaces.
    if (c <= 32 || c === 0x7f || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a)) return false;
    if (c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff)
      return false;
    if (c === 64) {
      if (at >= 0) return false;
      at = i;
    } else if (c === 46 && at >= 0 && dot < 0 && i > at + 1) dot = i;
  }
  // A local part, then a domain with a dot that has something on each side.
  return at > 0 && dot > 0 && dot < text.length - 1;
}
