/** The longest email address accepted (SPEC §10). */
export const EMAIL_MAX_LENGTH = 254;

const isSpace = (c: string) => c.trim() === '';

/**
 * Whether text looks like an email address: no spaces, one "@" with something before it, and a domain with
 * a dot that neither starts nor ends it ("a@b.c"). The one check for every form, import and API body: one
 * pass over at most 254 characters, so no input can make it slow (a regular expression could backtrack).
 */
export function isEmailAddress(text: string): boolean {
  if (text.length === 0 || text.length > EMAIL_MAX_LENGTH) return false;
  const at = text.indexOf('@');
  if (at <= 0 || at !== text.lastIndexOf('@')) return false;
  let dotInDomain = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (isSpace(c)) return false;
    if (c === '.' && i > at + 1 && i < text.length - 1) dotInDomain = true;
  }
  return dotInDomain;
}
