/**
 * Field lengths (SPEC §10): longer input is refused with the field's error, never truncated. One table
 * for form schemas, JSON bodies and CSV readers.
 */
export const LIMITS = {
  email: 254,
  name: 200,
  reference: 50,
  freeText: 5_000,
  /** A telephone number as people write it: digits, spaces, +, brackets. */
  phone: 40,
} as const;

export type LimitKind = keyof typeof LIMITS;
