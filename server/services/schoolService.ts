import { isEmailAddress } from '../../checks/email.js';
import { londonDate } from '../../checks/londonDates.js';
import { isCurrentLead } from '../../checks/schoolRules.js';
import type { User } from '../../data/schemas/accountSchemas.js';
import {
  type HomeEducationCount,
  type LeadTraining,
  leadRoleShort,
  leadRoles,
  type PreventLead,
  type School,
  type Term,
  type TrainingType,
  terms,
  trainingTypes,
} from '../../data/schemas/schoolSchemas.js';
import type { Store } from '../../data/store/store.js';
import { notFound } from '../errors.js';
import type { SubjectRegistry } from './subjectRegistry.js';
import { type FieldErrors, InputError } from '../errors.js';

/** A GOV.UK date input read by the route: the ISO date, or why it could not be read. */
export interface DateField {
  iso: string | null;
  error: string | null;
}

export interface LeadInput {
  name: string;
  role: string;
  email: string;
  phone: string;
  startOn: DateField;
  endOn: DateField;
  contactConfirmedOn: DateField;
}

export interface TrainingInput {
  type: string;
  completedOn: DateField;
  evidenceRef: string;
}

export interface HomeEducationInput {
  academicYear: string;
  term: string;
  counts: Record<CountField, string>;
  notes: string;
}

export const countFields = [
  'offRollForEhe',
  'missingEducation',
  'eheTeamContacted',
  'safeguardingConcerns',
  'preventConcerns',
  'referralsToMash',
  'referralsToPrevent',
] as const;
export type CountField = (typeof countFields)[number];

export interface SchoolFilter {
  q?: string;
  phase?: string;
  scope?: string;
  status?: string;
}

export interface DistributionRow {
  name: string;
  role: string;
  email: string | null;
  school: string;
  urn: string;
}

export const PHONE_PATTERN = /^\+?[0-9 ()-]{6,20}$/;
const EDITORS = new Set(['coordinator', 'education']);

export const termLabel = (year: number, term: Term) =>
  `${term.charAt(0).toUpperCase()}${term.slice(1)} term ${term === 'autumn' ? year : year + 1} (${year}/${String((year + 1) % 100).padStart(2, '0')})`;

/** Schools, their Prevent leads and lead training, and the home-education pathway counts. */
export function createSchoolService(store: Store, subjects: SubjectRegistry) {
  const today = () => londonDate(store.now());

  subjects.register({
    type: 'school',
    templateId: 'school-audit',
    reviewName: 'School Prevent audit',
    describe(s, id) {
      const school = s.get('schools', id);
      if (!school) return undefined;
      return {
        type: 'school',
        id: school.id,
        ref: school.urn,
        name: school.name,
        href: `/schools/${school.id}`,
        ...(school.inScope
          ? {}
          : {
              notReviewed: `${school.name} is not in scope: only open secondary, middle deemed secondary, all-through and 16 plus schools are audited`,
            }),
        // The education team owns school audits; the school's own lead is not an account holder.
        ownerEmails: s
          .list('users')
          .filter((u) => u.active && u.role === 'education')
          .map((u) => u.email),
      };
    },
    canView: (user) => EDITORS.has(user.role),
    canEdit: (user) => EDITORS.has(user.role),
  });

  // The national register is 25,000+ schools: keep them sorted once per change, not per request.
  let sorted: { revision: number; list: School[]; phases: string[]; statuses: string[] } | null = null;
  function catalogue() {
    if (sorted && sorted.revision === store.revision) return sorted;
    const list = [...store.list('schools')].sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : a.urn.localeCompare(b.urn),
    );
    const phases = new Set<string>();
    const statuses = new Set<string>();
    for (const s of list) {
      if (s.phaseName) phases.add(s.phaseName);
      if (s.statusName) statuses.add(s.statusName);
    }
    sorted = { revision: store.revision, list, phases: [...phases].sort(), statuses: [...statuses].sort() };
    return sorted;
  }

  const school = (id: string) => store.get('schools', id);
  const leadOf = (schoolId: string, leadId: string) => {
    const lead = store.get('preventLeads', leadId);
    if (!lead || lead.schoolId !== schoolId) throw notFound();
    return lead;
  };

  function validateLead(input: LeadInput): FieldErrors {
    const errors: FieldErrors = {};
    if (!input.name) errors.name = { text: 'Enter the Prevent lead’s full name', href: '#name' };
    else if (input.name.length > 200)
      errors.name = { text: 'Name must be 200 characters or fewer', href: '#name' };
    if (!leadRoles.includes(input.role as never))
      errors.role = { text: 'Select the lead’s role', href: '#role' };
    if (!input.email) errors.email = { text: 'Enter the lead’s email address', href: '#email' };
    else if (!isEmailAddress(input.email))
      errors.email = {
        text: 'Enter an email address in the correct format, like name@school.sch.uk',
        href: '#email',
      };
    if (input.phone && !PHONE_PATTERN.test(input.phone))
      errors.phone = { text: 'Enter a telephone number, like 020 7946 0000', href: '#phone' };
    const dateError = (field: 'startOn' | 'endOn' | 'contactConfirmedOn', error: string | null) => {
      if (error) errors[field] = { text: error, href: `#${field}-day` };
    };
    dateError('startOn', input.startOn.error);
    dateError('endOn', input.endOn.error);
    dateError('contactConfirmedOn', input.contactConfirmedOn.error);
    const { startOn, endOn, contactConfirmedOn } = input;
    if (!errors.endOn && startOn.iso && endOn.iso && endOn.iso <= startOn.iso)
      errors.endOn = { text: 'The end date must be after the start date', href: '#endOn-day' };
    if (!errors.contactConfirmedOn && contactConfirmedOn.iso && contactConfirmedOn.iso > today())
      errors.contactConfirmedOn = {
        text: 'The date contact details were confirmed must be today or in the past',
        href: '#contactConfirmedOn-day',
      };
    return errors;
  }

  const leadFields = (input: LeadInput) => ({
    name: input.name,
    role: input.role as PreventLead['role'],
    email: input.email.toLowerCase(),
    phone: input.phone || null,
    startOn: input.startOn.iso,
    endOn: input.endOn.iso,
    contactConfirmedOn: input.contactConfirmedOn.iso,
  });

  function validateTraining(input: TrainingInput): FieldErrors {
    const errors: FieldErrors = {};
    if (!trainingTypes.includes(input.type as never))
      errors.type = { text: 'Select the type of training', href: '#type' };
    if (input.completedOn.error)
      errors.completedOn = { text: input.completedOn.error, href: '#completedOn-day' };
    else if (input.completedOn.iso && input.completedOn.iso > today())
      errors.completedOn = {
        text: 'The training date must be today or in the past',
        href: '#completedOn-day',
      };
    else if (input.completedOn.iso && input.completedOn.iso < '2000-01-01')
      errors.completedOn = { text: 'The training date must be in 2000 or later', href: '#completedOn-day' };
    if (input.evidenceRef.length > 200)
      errors.evidenceRef = {
        text: 'Evidence reference must be 200 characters or fewer',
        href: '#evidenceRef',
      };
    return errors;
  }

  function validateHomeEducation(input: HomeEducationInput, currentId?: string) {
    const errors: FieldErrors = {};
    const year = Number(input.academicYear);
    if (!/^\d{4}$/.test(input.academicYear) || year < 2000 || year > 2100)
      errors.academicYear = { text: 'Select the academic year', href: '#academicYear' };
    if (!terms.includes(input.term as Term)) errors.term = { text: 'Select the term', href: '#term' };
    const counts = {} as Record<CountField, number>;
    for (const f of countFields) {
      const raw = input.counts[f];
      if (raw === '') counts[f] = 0;
      else if (!/^\d{1,6}$/.test(raw))
        errors[f] = { text: 'Enter a whole number, like 0 or 12', href: `#${f}` };
      else counts[f] = Number(raw);
    }
    if (!errors.academicYear && !errors.term) {
      const clash = store
        .list('homeEducationCounts')
        .find((c) => c.academicYear === year && c.term === input.term && c.id !== currentId);
      if (clash)
        errors.term = {
          text: `Counts for the ${termLabel(year, input.term as Term).toLowerCase()} are already recorded; change those instead`,
          href: '#term',
        };
    }
    return {
      errors,
      fields: { academicYear: year, term: input.term as Term, ...counts, notes: input.notes || null },
    };
  }

  return {
    today,
    get: school,
    phases: () => catalogue().phases,
    statuses: () => catalogue().statuses,

    list(filter: SchoolFilter = {}): School[] {
      const q = filter.q?.trim().toLowerCase() ?? '';
      const { phase, scope, status } = filter;
      if (!q && !phase && !scope && !status) return catalogue().list;
      return catalogue().list.filter(
        (s) =>
          (!phase || s.phaseName === phase) &&
          (!status || s.statusName === status) &&
          (!scope || (scope === 'in' ? s.inScope : !s.inScope)) &&
          (!q ||
            s.urn === q ||
            s.name.toLowerCase().includes(q) ||
            (s.postcode !== null && s.postcode.toLowerCase().replace(/\s+/g, '') === q.replace(/\s+/g, ''))),
      );
    },

    /** Current leads of each school, for the list page: schoolId → count. */
    currentLeadCounts(asOf: string): Map<string, number> {
      const counts = new Map<string, number>();
      for (const l of store.list('preventLeads'))
        if (isCurrentLead(l, asOf)) counts.set(l.schoolId, (counts.get(l.schoolId) ?? 0) + 1);
      return counts;
    },

    /** Every lead of a school, current ones first, then by start date (latest first). */
    leads(schoolId: string, asOf: string) {
      return store
        .list('preventLeads')
        .filter((l) => l.schoolId === schoolId)
        .map((l) => ({ ...l, current: isCurrentLead(l, asOf) }))
        .sort(
          (a, b) =>
            Number(b.current) - Number(a.current) ||
            (b.startOn ?? '').localeCompare(a.startOn ?? '') ||
            a.name.localeCompare(b.name),
        );
    },

    lead: leadOf,

    training(leadId: string): LeadTraining[] {
      return store
        .list('leadTraining')
        .filter((t) => t.leadId === leadId)
        .sort((a, b) => b.completedOn.localeCompare(a.completedOn));
    },

    async addLead(actor: string, schoolId: string, input: LeadInput): Promise<PreventLead> {
      if (!school(schoolId)) throw notFound();
      const errors = validateLead(input);
      if (Object.keys(errors).length > 0) throw new InputError(errors);
      return store.transact(actor, (tx) => tx.insert('preventLeads', { schoolId, ...leadFields(input) }));
    },

    async updateLead(actor: string, schoolId: string, leadId: string, input: LeadInput, version: number) {
      leadOf(schoolId, leadId);
      const errors = validateLead(input);
      if (Object.keys(errors).length > 0) throw new InputError(errors);
      return store.transact(actor, (tx) => tx.update('preventLeads', leadId, leadFields(input), version));
    },

    async endLead(actor: string, schoolId: string, leadId: string, endOn: DateField, version: number) {
      const lead = leadOf(schoolId, leadId);
      let problem = endOn.error;
      if (!problem && endOn.iso && lead.startOn && endOn.iso <= lead.startOn)
        problem = 'The end date must be after the date they started';
      if (problem) throw new InputError({ endOn: { text: problem, href: '#endOn-day' } });
      return store.transact(actor, (tx) => tx.update('preventLeads', leadId, { endOn: endOn.iso }, version));
    },

    /** The school confirmed the lead's details are still right (clears `spoc-contact-stale`). */
    async confirmContact(actor: string, schoolId: string, leadId: string, version: number) {
      leadOf(schoolId, leadId);
      return store.transact(actor, (tx) =>
        tx.update('preventLeads', leadId, { contactConfirmedOn: today() }, version),
      );
    },

    async addTraining(actor: string, schoolId: string, leadId: string, input: TrainingInput) {
      leadOf(schoolId, leadId);
      const errors = validateTraining(input);
      if (Object.keys(errors).length > 0) throw new InputError(errors);
      return store.transact(actor, (tx) =>
        tx.insert('leadTraining', {
          leadId,
          type: input.type as TrainingType,
          completedOn: input.completedOn.iso!,
          evidenceRef: input.evidenceRef || null,
        }),
      );
    },

    /** Removes a training record entered by mistake (the audit log keeps what it was). */
    async removeTraining(actor: string, schoolId: string, leadId: string, trainingId: string) {
      leadOf(schoolId, leadId);
      const t = store.get('leadTraining', trainingId);
      if (!t || t.leadId !== leadId) throw notFound();
      await store.transact(actor, (tx) => tx.remove('leadTraining', trainingId));
      return t;
    },

    /** Current leads of schools in SPOC scope: who gets Prevent updates. */
    distribution(asOf: string): DistributionRow[] {
      const rows: DistributionRow[] = [];
      for (const l of store.list('preventLeads')) {
        if (!isCurrentLead(l, asOf)) continue;
        const s = store.get('schools', l.schoolId);
        if (!s?.inScope) continue;
        rows.push({ name: l.name, role: leadRoleShort[l.role], email: l.email, school: s.name, urn: s.urn });
      }
      return rows.sort((a, b) => a.school.localeCompare(b.school) || a.name.localeCompare(b.name));
    },

    homeEducationCounts(): HomeEducationCount[] {
      const order: Record<Term, number> = { autumn: 0, spring: 1, summer: 2 };
      return [...store.list('homeEducationCounts')].sort(
        (a, b) => b.academicYear - a.academicYear || order[b.term] - order[a.term],
      );
    },

    homeEducationCount: (id: string) => store.get('homeEducationCounts', id),

    async addHomeEducationCount(actor: string, input: HomeEducationInput) {
      const { errors, fields } = validateHomeEducation(input);
      if (Object.keys(errors).length > 0) throw new InputError(errors);
      return store.transact(actor, (tx) => tx.insert('homeEducationCounts', fields));
    },

    async updateHomeEducationCount(actor: string, id: string, input: HomeEducationInput, version: number) {
      if (!store.get('homeEducationCounts', id)) throw notFound();
      const { errors, fields } = validateHomeEducation(input, id);
      if (Object.keys(errors).length > 0) throw new InputError(errors);
      return store.transact(actor, (tx) => tx.update('homeEducationCounts', id, fields, version));
    },

    canEdit: (user: User) => EDITORS.has(user.role),

    /** The training record's rules, for a school's own return too. */
    trainingErrors: validateTraining,
  };
}

export type SchoolService = ReturnType<typeof createSchoolService>;
