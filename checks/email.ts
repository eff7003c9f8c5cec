import { TEXT_LIMITS } from '../data/schemas/textLimits.js';

/** The longest email address accepted (SPEC §10). */
export const EMAIL_MAX_LENGTH = TEXT_LIMITS.email;

/**
 * Whether text looks like an email address: no spaces, one "@" with something before it, and a domain with
 * a dot that neither starts nor ends it ("a@b.c"); one pass, so no input can make it slow. The one check
 * for every form, import and API body: it lives beside the field lengths in data/ so the CSV readers can
 * use it too (checks/limits.ts re-exports it with the table).
 */
export { isEmailAddress } from '../data/schemas/textLimits.js';
