import { ruleCodes, ruleLabel, sentenceCase, subjectTypeLabel } from '../../checks/labels.js';
import { formatDate, formatDateTime } from '../../checks/londonDates.js';
import { type CollectionName, collectionSchemas } from '../../data/dbSchema.js';
import { type AuditEntry, redactSecrets, SECRET_FIELDS } from '../../data/store/auditLog.js';
import { ERASED, PERSONAL_FIELDS } from '../../data/store/personalFields.js';
import type { Role } from '../../data/schemas/accountSchemas.js';
import { trainingTypeLabels as leadTrainingLabels } from '../../data/schemas/schoolSchemas.js';
import { trainingTypeLabels as staffTrainingLabels } from '../../data/schemas/trainingSchemas.js';
import { importKindLabels } from '../../checks/importRules.js';
import type { Store } from '../../data/store/store.js';
import { fieldLabels, referenceCollections } from '../forms/fieldLabels.js';
import { roleNames } from './invitationService.js';
import { ragLabels } from './report/reportText.js';

/**
 * The fields and values of audit-log entries in words (SPEC §17): fields by their form labels, values in
 * human formats, references by the name of the record they point to, secrets and erased values said so.
 */

/** Labels of fields that no form shows but records carry. */
const COMMON_LABELS: Record<string, string> = {
  name: 'Name',
  email: 'Email address',
  role: 'Role',
  active: 'Active',
  passwordHash: 'Password',
  tokenHash: 'Token',
  calendarTokenHash: 'Calendar link',
  totpSecret: 'Two-factor authentication',
  recoveryCodeHashes: 'Recovery codes',
  mustChangePassword: 'Must change their password',
  createdAt: 'Created',
  updatedAt: 'Last changed',
  createdBy: 'Created by',
  libraryIds: 'Libraries they manage',
  personalDataRemoved: 'Personal data removed',
  dueOn: 'Due date',
  description: 'Description',
  urn: 'URN',
  laCode: 'Local authority code',
  laName: 'Local authority',
  subjectType: 'About',
  subjectId: 'Record',
  templateId: 'Checklist',
  templateVersion: 'Checklist version',
  totpEnabledAt: 'Two-factor authentication set up',
  uprn: 'UPRN',
  sha256: 'Fingerprint of the file (SHA-256)',
  la: 'Local authority',
};

/**
 * Words for coded values of particular fields, by collection and field (the forms' own words). A coded
 * value without words here is said in sentence case ("provisional" → "Provisional", see enumWords).
 */
const VALUE_LABELS: Record<string, Record<string, Record<string, string>>> = {
  users: { role: roleNames },
  preventLeads: {
    role: {
      dsl: 'Designated safeguarding lead',
      'deputy-dsl': 'Deputy designated safeguarding lead',
      other: 'Other role',
    },
  },
  leadTraining: { type: leadTrainingLabels },
  trainingSessions: { type: staffTrainingLabels },
  staffRecords: { trainingType: staffTrainingLabels },
  homeEducationCounts: { term: { autumn: 'Autumn term', spring: 'Spring term', summer: 'Summer term' } },
  planActivities: { rag: ragLabels },
  imports: { kind: importKindLabels },
  watchlists: { format: { simple: 'Simple list', ofsi: 'OFSI consolidated list' } },
  returnLinks: {
    purpose: {
      invitation: 'Invitation',
      'reminder-14': 'Reminder 14 days before the last day',
      'reminder-3': 'Reminder 3 days before the last day',
    },
  },
  evidence: {
    mediaType: {
      'application/pdf': 'PDF',
      'image/png': 'PNG image',
      'image/jpeg': 'JPEG image',
      'text/plain': 'Text file',
      'text/csv': 'CSV file',
    },
  },
};

/** The values a field of a collection's schema may take, if it is coded (a zod enum, or a list of one). */
function codedValues(schema: unknown): ReadonlySet<string> | null {
  let cur = schema as { _zod?: { def?: Record<string, unknown> } } | undefined;
  for (let depth = 0; depth < 8 && cur; depth++) {
    const def = cur._zod?.def;
    if (!def) return null;
    if (def.type === 'enum') return new Set(Object.values(def.entries as Record<string, string>));
    const inner =
      def.type === 'array' ? def.element : (def.innerType ?? (def.type === 'pipe' ? def.in : null));
    cur = inner as typeof cur;
  }
  return null;
}

/** Every coded field of every collection, with its values (read once from the schemas). */
export const CODED_FIELDS: ReadonlyMap<string, ReadonlyMap<string, ReadonlySet<string>>> = new Map(
  Object.entries(collectionSchemas).map(([collection, schema]) => {
    const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape ?? {};
    const fields = new Map<string, ReadonlySet<string>>();
    for (const [field, fieldSchema] of Object.entries(shape)) {
      const values = codedValues(fieldSchema);
      if (values) fields.set(field, values);
    }
    return [collection, fields];
  }),
);

/** A coded value of a collection's field in words, or undefined if the field is not coded or the value not one of it. */
export function enumWords(collection: string, field: string, value: string): string | undefined {
  if (!CODED_FIELDS.get(collection)?.get(field)?.has(value)) return undefined;
  return VALUE_LABELS[collection]?.[field]?.[value] ?? sentenceCase(value);
}

/** A checklist answer in the form's words. */
const ANSWERS: Record<string, string> = { yes: 'Yes', no: 'No', na: 'Not applicable' };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const CODE = /^[a-z]+(?:-[a-z]+)+$/;
const RULES: ReadonlySet<string> = new Set(ruleCodes);

/** Fields an entry's change list leaves out: bookkeeping nobody reads. */
export const UNSHOWN_FIELDS: ReadonlySet<string> = new Set([
  'id',
  'version',
  'updatedAt',
  'createdAt',
  'screenKeys',
]);

export interface AuditChange {
  field: string;
  before: string;
  after: string;
}

function show(value: unknown): string {
  if (value === undefined) return '';
  if (value === null) return 'none';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** What an entry changed, field by field, as stored (secrets only as fingerprints); `inWords` words it. */
export function changesOf(entry: AuditEntry): AuditChange[] {
  const before = redactSecrets(entry.before) as Record<string, unknown> | null;
  const after = redactSecrets(entry.after) as Record<string, unknown> | null;
  const isObject = (v: unknown): v is Record<string, unknown> =>
    !!v && typeof v === 'object' && !Array.isArray(v);
  if (!isObject(before) && !isObject(after)) return [];
  const keys = new Set([
    ...Object.keys(isObject(before) ? before : {}),
    ...Object.keys(isObject(after) ? after : {}),
  ]);
  const changes: AuditChange[] = [];
  for (const field of keys) {
    if (UNSHOWN_FIELDS.has(field)) continue;
    const b = isObject(before) ? before[field] : undefined;
    const a = isObject(after) ? after[field] : undefined;
    if (JSON.stringify(b) === JSON.stringify(a)) continue;
    changes.push({ field, before: show(b), after: show(a) });
  }
  return changes;
}

export function fieldLabel(collection: string, field: string): string {
  return fieldLabels[collection]?.[field] ?? COMMON_LABELS[field] ?? sentenceCase(field.replace(/Id$/, ''));
}

/** A stored record by kind and id, if that kind is stored and the record is there now. */
export function recordIn(store: Store, collection: string, id: string): Record<string, unknown> | undefined {
  if (!Object.hasOwn(collectionSchemas, collection)) return undefined;
  return store.get(collection as CollectionName, id) as Record<string, unknown> | undefined;
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  !!v && typeof v === 'object' && !Array.isArray(v);

/** The name a person knows a record by, from its fields (an empty string if it has none). */
export function recordName(record: unknown): string {
  if (!isRecord(record)) return '';
  for (const key of [
    'name',
    'eventTitle',
    'description',
    'title',
    'hallName',
    'organisation',
    'label',
    'email',
    'ref',
  ]) {
    const v = record[key];
    if (typeof v === 'string' && v && v !== ERASED) {
      const ref =
        typeof record.ref === 'string' && key !== 'ref' && record.ref !== v ? ` (${record.ref})` : '';
      return `${v}${ref}`;
    }
  }
  return typeof record.ref === 'string' ? record.ref : '';
}

/** Which collection holds the subjects of each subject type (of reviews and actions). */
const SUBJECT_COLLECTIONS: Record<string, string> = {
  premises: 'premises',
  booking: 'bookings',
  library: 'libraries',
  school: 'schools',
  department: 'departments',
  action: 'actions',
};

/** What a review or action is about, by name: "Riverside Community Centre", "the action plan". */
export function subjectName(store: Store, subjectType: unknown, subjectId: unknown): string {
  if (subjectType === 'plan') return 'the action plan';
  const into = SUBJECT_COLLECTIONS[String(subjectType)];
  return (into && recordName(recordIn(store, into, String(subjectId)))) || 'a record since removed';
}

/** A record's name, where reviews are named by what they review and halls with their building. */
export function describeRecord(store: Store, collection: string, record: unknown): string {
  if (collection === 'reviews' && isRecord(record))
    return `the review of ${subjectName(store, record.subjectType, record.subjectId)}`;
  // A watch list by its source and date, as the watch-list page lists it.
  if (collection === 'watchlists' && isRecord(record) && typeof record.source === 'string')
    return `${record.source}, dated ${formatDate(String(record.asOf)) || String(record.asOf)}`;
  // A hall by its building too, as the booking form offers it ("Riverside Community Centre — Main Hall").
  if (collection === 'halls' && isRecord(record) && typeof record.name === 'string') {
    const building = recordName(recordIn(store, 'premises', String(record.premisesId)));
    return building ? `${building} — ${record.name}` : record.name;
  }
  return recordName(record);
}

/** Words for values of one entry: looks referenced records up in the store as it is now. */
export function createValueWords(store: Store) {
  function referenced(collection: string, id: string): string {
    return describeRecord(store, collection, recordIn(store, collection, id)) || 'a record since removed';
  }

  function userName(email: string): string {
    const lower = email.toLowerCase();
    return store.list('users').find((u) => u.email.toLowerCase() === lower)?.name ?? email;
  }

  function scalar(field: string, value: unknown): string {
    if (value === null || value === undefined || value === '') return 'Not given';
    if (typeof value === 'boolean') return value ? 'Yes' : 'No';
    if (typeof value === 'number') return String(value);
    if (typeof value !== 'string') return words('', value);
    // Who did something ("decidedBy", "uploadedBy"): a person by the name their account gives them.
    if (/(^b|B)y$/.test(field) && value.includes('@')) return userName(value);
    // A checklist answer as the form offers it.
    if (field === 'answer' && Object.hasOwn(ANSWERS, value)) return ANSWERS[value] as string;
    if (/(^r|R)ole$/.test(field) && Object.hasOwn(roleNames, value)) return roleNames[value as Role];
    const into = referenceCollections[field];
    if (into && UUID.test(value)) return referenced(into, value);
    if (UUID.test(value)) return 'a record';
    if (ISO_DATE.test(value)) return formatDate(value) || value;
    if (ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value))) return formatDateTime(value);
    if (RULES.has(value)) return ruleLabel(value);
    if (CODE.test(value)) return sentenceCase(value);
    return value;
  }

  function scalarOf(record: Record<string, unknown> | null, field: string, value: unknown): string {
    if (field === 'subjectType' && typeof value === 'string') return subjectTypeLabel(value);
    if (field === 'subjectId' && record) return subjectName(store, record.subjectType, value);
    return scalar(field, value);
  }

  /** A value in words; lists and nested fields are spelt out, capped so one entry stays readable. */
  function words(field: string, value: unknown): string {
    if (Array.isArray(value)) {
      if (value.length === 0) return 'None';
      const items = value
        .slice(0, 10)
        .map((v) => (isRecord(v) ? recordName(v) || words('', v) : scalar(field, v)));
      return `${items.join(', ')}${value.length > 10 ? ` and ${value.length - 10} more` : ''}`;
    }
    if (isRecord(value)) {
      const parts = Object.entries(value)
        .filter(([k, v]) => !UNSHOWN_FIELDS.has(k) && v !== undefined)
        .slice(0, 8)
        .map(([k, v]) => `${sentenceCase(k)}: ${scalar(k, v)}`);
      return parts.length ? parts.join('; ') : 'None';
    }
    return scalar(field, value);
  }

  /** A field's value, or what may be said of it: a secret is never shown, an erased value says so. */
  return function valueInWords(
    collection: string,
    field: string,
    value: unknown,
    record: Record<string, unknown> | null = null,
  ): string {
    if (value === undefined) return '';
    if (SECRET_FIELDS.has(field)) return value ? 'Set (secret, never shown)' : 'Not set';
    if (value === ERASED && PERSONAL_FIELDS[collection]?.fields.includes(field))
      return 'Personal data erased under the retention rules';
    if (field === 'subjectType' || field === 'subjectId') return scalarOf(record, field, value);
    const coded =
      typeof value === 'string'
        ? (VALUE_LABELS[collection]?.[field]?.[value] ?? enumWords(collection, field, value))
        : undefined;
    if (coded) return coded;
    if (Array.isArray(value) && value.every((v) => typeof v === 'string' && enumWords(collection, field, v)))
      return value.length === 0
        ? 'None'
        : value.map((v) => enumWords(collection, field, v as string)).join(', ');
    return words(field, value);
  };
}

export type ValueWords = ReturnType<typeof createValueWords>;
