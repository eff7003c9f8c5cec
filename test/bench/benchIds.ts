const KINDS = [
  'premises',
  'review',
  'action',
  'school',
  'lead',
  'lead2',
  'training',
  'training2',
  'school-review',
  'library',
  'library-review',
  'hall',
  'hirer',
  'booking',
  'booking-review',
] as const;

/**
 * A generated record's id, shaped like the UUIDs the store gives records (so lookups hash strings of the
 * real length), unique per kind and number and the same on every run.
 */
export function benchId(kind: (typeof KINDS)[number], n: number): string {
  const k = KINDS.indexOf(kind).toString(16).padStart(8, '0');
  return `${k}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}
