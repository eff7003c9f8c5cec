import { filterCategories, policyDocNames } from '../../checks/libraryFiltering.js';
import { addMonths } from '../../checks/londonDates.js';
import {
  type FilteringProfile,
  type PolicyDoc,
  type PolicyDocKey,
  type ProviderConfirmation,
  policyDocKeys,
} from '../../data/schemas/librarySchemas.js';
import type { FieldErrors } from '../errors.js';
import { type Body, type DateParts, readDateInput, str, strs } from './formHelpers.js';

const MAX_TEXT = 200;
const KNOWN = new Set<string>(filterCategories);

/** What the profile form shows: text as typed, dates as ISO or as the three parts typed. */
export type ProfileFormValues = Record<string, string | string[] | DateParts | null>;

/** Categories ticked, plus others typed comma-separated, without repeats (case-insensitive). */
function readCategories(body: Body, name: string, otherName: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const typed = str(body, otherName)
    .split(/[,;]/)
    .map((c) => c.trim().replace(/\s+/g, ' '))
    .filter(Boolean);
  for (const c of [...strs(body, name).filter((c) => KNOWN.has(c)), ...typed]) {
    if (seen.has(c.toLowerCase())) continue;
    seen.add(c.toLowerCase());
    out.push(c.slice(0, MAX_TEXT));
  }
  return out;
}

/** Splits stored categories back into the ticked ones and the typed "other" ones. */
function categoryValues(categories: string[]) {
  return {
    ticked: categories.filter((c) => KNOWN.has(c)),
    other: categories.filter((c) => !KNOWN.has(c)).join(', '),
  };
}

function wholeNumber(
  value: string,
  min: number,
  max: number,
  field: string,
  label: string,
  errors: FieldErrors,
): number | null {
  if (value === '') return null;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    errors[field] = { text: `${label} must be a whole number from ${min} to ${max}`, href: `#${field}` };
    return null;
  }
  return Number(value);
}

function text(body: Body, name: string, label: string, errors: FieldErrors): string | null {
  const value = str(body, name).replace(/\s+/g, ' ');
  if (value.length > MAX_TEXT)
    errors[name] = { text: `${label} must be ${MAX_TEXT} characters or fewer`, href: `#${name}` };
  return value || null;
}

function notInFuture(
  date: ReturnType<typeof readDateInput>,
  field: string,
  label: string,
  today: string,
  errors: FieldErrors,
): string | null {
  if (date.error) {
    errors[field] = { text: date.error, href: `#${field}-day` };
    return null;
  }
  if (date.iso && date.iso > today) {
    errors[field] = { text: `${label} must be today or in the past`, href: `#${field}-day` };
    return null;
  }
  return date.iso;
}

function readConfirmation(
  body: Body,
  prefix: 'iwf' | 'ctiru',
  what: string,
  today: string,
  errors: FieldErrors,
): ProviderConfirmation {
  // The date and evidence belong to a confirmation; without one they are not kept.
  if (str(body, `${prefix}Confirmed`) !== 'yes') return { confirmed: false, on: null, evidence: null };
  const on = notInFuture(
    readDateInput(body, `${prefix}On`, `the date the provider confirmed ${what}`),
    `${prefix}On`,
    `The date the provider confirmed ${what}`,
    today,
    errors,
  );
  const evidence = text(body, `${prefix}Evidence`, 'Evidence', errors);
  if (!evidence && !errors[`${prefix}Evidence`]) {
    errors[`${prefix}Evidence`] = {
      text: `Enter the evidence that the provider confirmed ${what}, such as a link or document reference`,
      href: `#${prefix}Evidence`,
    };
  }
  return { confirmed: true, on, evidence };
}

function readPolicyDoc(body: Body, key: PolicyDocKey, today: string, errors: FieldErrors): PolicyDoc {
  const name = policyDocNames[key];
  const version = text(body, `${key}Version`, `${name} version`, errors);
  const approvedRaw = readDateInput(
    body,
    `${key}Approved`,
    `the date the ${name.toLowerCase()} was approved`,
    false,
  );
  const approvedOn = notInFuture(
    approvedRaw,
    `${key}Approved`,
    `The date the ${name.toLowerCase()} was approved`,
    today,
    errors,
  );
  const reviewRaw = readDateInput(
    body,
    `${key}Review`,
    `the ${name.toLowerCase()}'s next review date`,
    false,
  );
  let nextReview = reviewRaw.iso;
  if (reviewRaw.error) errors[`${key}Review`] = { text: reviewRaw.error, href: `#${key}Review-day` };
  const url = text(body, `${key}Url`, `${name} link or reference`, errors);
  if (version && !approvedOn && !approvedRaw.error && !errors[`${key}Approved`]) {
    errors[`${key}Approved`] = {
      text: `Enter the date version ${version} of the ${name.toLowerCase()} was approved`,
      href: `#${key}Approved-day`,
    };
  }
  if (approvedOn && !version && !errors[`${key}Version`]) {
    errors[`${key}Version`] = {
      text: `Enter the version of the ${name.toLowerCase()} that was approved`,
      href: `#${key}Version`,
    };
  }
  if (approvedOn && nextReview && nextReview <= approvedOn) {
    errors[`${key}Review`] = {
      text: `The ${name.toLowerCase()}'s next review must be after the date it was approved`,
      href: `#${key}Review-day`,
    };
  }
  // Policies are reviewed annually (CHECKLISTS.md §3 (c)) unless another date is given.
  if (approvedOn && !nextReview && !reviewRaw.error) nextReview = addMonths(approvedOn, 12);
  return { version, approvedOn, nextReview, url };
}

/** Reads the filtering profile form: the profile, or the errors and what was typed to show again. */
export function readProfileForm(
  body: Body,
  today: string,
): { profile: FilteringProfile | null; values: ProfileFormValues; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const childProfileAnswer = str(body, 'childProfile');
  const childProfile = childProfileAnswer === 'yes' ? true : childProfileAnswer === 'no' ? false : null;
  const wifi = str(body, 'publicWifi');
  const profile: FilteringProfile = {
    provider: text(body, 'provider', 'Filtering provider', errors),
    product: text(body, 'product', 'Filter product', errors),
    iwf: readConfirmation(body, 'iwf', 'IWF membership', today, errors),
    ctiru: readConfirmation(body, 'ctiru', 'the CTIRU list is blocked', today, errors),
    blockedCategories: readCategories(body, 'blockedCategories', 'otherCategories'),
    childProfile,
    // The age belongs to a children's profile; without one it is not kept (nor checked).
    childAgeThreshold: wholeNumber(
      childProfile ? str(body, 'childAgeThreshold') : '',
      1,
      25,
      'childAgeThreshold',
      'The age limit of the children’s profile',
      errors,
    ),
    publicPcCount: wholeNumber(
      str(body, 'publicPcCount'),
      0,
      10000,
      'publicPcCount',
      'The number of public computers',
      errors,
    ),
    publicWifi: wifi === 'filtered' || wifi === 'unfiltered' || wifi === 'none' ? wifi : null,
    filteringPolicy: readPolicyDoc(body, 'filteringPolicy', today, errors),
    accessAgreement: readPolicyDoc(body, 'accessAgreement', today, errors),
    inappropriateUsePolicy: readPolicyDoc(body, 'inappropriateUsePolicy', today, errors),
  };

  const values: ProfileFormValues = {};
  for (const name of [
    'provider',
    'product',
    'iwfConfirmed',
    'iwfEvidence',
    'ctiruConfirmed',
    'ctiruEvidence',
    'otherCategories',
    'childProfile',
    'childAgeThreshold',
    'publicPcCount',
    'publicWifi',
  ]) {
    values[name] = str(body, name);
  }
  values.blockedCategories = strs(body, 'blockedCategories');
  for (const prefix of ['iwfOn', 'ctiruOn']) values[prefix] = readDateInput(body, prefix, '', false).parts;
  for (const key of policyDocKeys) {
    values[`${key}Version`] = str(body, `${key}Version`);
    values[`${key}Url`] = str(body, `${key}Url`);
    values[`${key}Approved`] = readDateInput(body, `${key}Approved`, '', false).parts;
    values[`${key}Review`] = readDateInput(body, `${key}Review`, '', false).parts;
  }
  return { profile: Object.keys(errors).length > 0 ? null : profile, values, errors };
}

/** The form's values for a stored profile. */
export function profileFormValues(profile: FilteringProfile): ProfileFormValues {
  const yesNo = (v: boolean | null) => (v === null ? '' : v ? 'yes' : 'no');
  const categories = categoryValues(profile.blockedCategories);
  const values: ProfileFormValues = {
    provider: profile.provider ?? '',
    product: profile.product ?? '',
    iwfConfirmed: profile.iwf.confirmed ? 'yes' : 'no',
    iwfOn: profile.iwf.on,
    iwfEvidence: profile.iwf.evidence ?? '',
    ctiruConfirmed: profile.ctiru.confirmed ? 'yes' : 'no',
    ctiruOn: profile.ctiru.on,
    ctiruEvidence: profile.ctiru.evidence ?? '',
    blockedCategories: categories.ticked,
    otherCategories: categories.other,
    childProfile: yesNo(profile.childProfile),
    childAgeThreshold: profile.childAgeThreshold === null ? '' : String(profile.childAgeThreshold),
    publicPcCount: profile.publicPcCount === null ? '' : String(profile.publicPcCount),
    publicWifi: profile.publicWifi ?? '',
  };
  for (const key of policyDocKeys) {
    const doc = profile[key];
    values[`${key}Version`] = doc.version ?? '';
    values[`${key}Url`] = doc.url ?? '';
    values[`${key}Approved`] = doc.approvedOn;
    values[`${key}Review`] = doc.nextReview;
  }
  return values;
}

export interface FilterTestInput {
  testedOn: string;
  deviceOrNetwork: string;
  categoriesTried: string[];
  result: 'blocked' | 'not-blocked';
  /** Of the categories tried, those that got through; empty when everything was blocked. */
  categoriesNotBlocked: string[];
  notes: string | null;
}

/** Reads the "record a filter test" form. */
export function readFilterTestForm(
  body: Body,
  today: string,
): { test: FilterTestInput | null; values: ProfileFormValues; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const testedOn = notInFuture(
    readDateInput(body, 'testedOn', 'the date of the test'),
    'testedOn',
    'The date of the test',
    today,
    errors,
  );
  const deviceOrNetwork = text(body, 'deviceOrNetwork', 'Device or network', errors);
  if (!deviceOrNetwork && !errors.deviceOrNetwork) {
    errors.deviceOrNetwork = {
      text: 'Enter the device or network tested, such as “Public PC 3” or “Public Wi-Fi”',
      href: '#deviceOrNetwork',
    };
  }
  const categoriesTried = readCategories(body, 'categoriesTried', 'otherCategories');
  if (categoriesTried.length === 0) {
    errors.categoriesTried = { text: 'Select or enter the categories you tried', href: '#categoriesTried' };
  }
  const result = str(body, 'result');
  if (result !== 'blocked' && result !== 'not-blocked') {
    errors.result = { text: 'Select the result of the test', href: '#result' };
  }
  // Which categories got through: the action raised for a failed test names them.
  let categoriesNotBlocked: string[] = [];
  if (result === 'blocked' && readCategories(body, 'categoriesNotBlocked', 'otherNotBlocked').length > 0) {
    errors.categoriesNotBlocked = {
      text: 'You said everything tried was blocked: untick the categories that got through, or change the result',
      href: '#categoriesNotBlocked',
    };
  } else if (result === 'not-blocked') {
    categoriesNotBlocked = readCategories(body, 'categoriesNotBlocked', 'otherNotBlocked');
    const tried = new Set(categoriesTried.map((c) => c.toLowerCase()));
    const untried = categoriesNotBlocked.filter((c) => !tried.has(c.toLowerCase()));
    if (categoriesNotBlocked.length === 0) {
      errors.categoriesNotBlocked = {
        text: 'Select or enter the categories that were not blocked',
        href: '#categoriesNotBlocked',
      };
    } else if (untried.length > 0 && categoriesTried.length > 0) {
      errors.categoriesNotBlocked = {
        text: `${untried.join(', ')} ${untried.length === 1 ? 'is' : 'are'} not among the categories tried: select ${untried.length === 1 ? 'it' : 'them'} there too`,
        href: '#categoriesNotBlocked',
      };
    }
  }
  const notes = str(body, 'notes').slice(0, 2000) || null;
  if (result === 'not-blocked' && !notes) {
    errors.notes = { text: 'Describe what was not blocked and what you did about it', href: '#notes' };
  }
  const values: ProfileFormValues = {
    testedOn: readDateInput(body, 'testedOn', '', false).parts,
    deviceOrNetwork: str(body, 'deviceOrNetwork'),
    categoriesTried: strs(body, 'categoriesTried'),
    otherCategories: str(body, 'otherCategories'),
    result,
    categoriesNotBlocked: strs(body, 'categoriesNotBlocked'),
    otherNotBlocked: str(body, 'otherNotBlocked'),
    notes: str(body, 'notes'),
  };
  if (Object.keys(errors).length > 0) return { test: null, values, errors };
  return {
    test: {
      testedOn: testedOn!,
      deviceOrNetwork: deviceOrNetwork!,
      categoriesTried,
      result: result as FilterTestInput['result'],
      categoriesNotBlocked,
      notes,
    },
    values,
    errors,
  };
}
