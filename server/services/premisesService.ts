import { isEmailAddress } from '../../checks/email.js';
import type { Premises } from '../../data/schemas/premisesSchemas.js';
import type { Store } from '../../data/store/store.js';
import type { SubjectRegistry } from './subjectRegistry.js';
import { type FieldErrors, InputError } from '../errors.js';

export interface PremisesInput {
  ref: string;
  name: string;
  uprn: string;
  address: string;
  postcode: string;
  ward: string;
  operator: string;
  buildingType: string;
  hireableSpace: string;
  publicIt: string;
  risk: string;
  riskRationale: string;
  siteManagerEmail: string;
}

const POSTCODE = /^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$/i;
const blank = (s: string | undefined) => (s ?? '').trim() || null;
const yesNo = (s: string | undefined) => (s === 'yes' ? true : s === 'no' ? false : null);

export function premisesFields(input: PremisesInput) {
  return {
    ref: input.ref.trim(),
    name: input.name.trim(),
    uprn: blank(input.uprn),
    address: blank(input.address),
    postcode: blank(input.postcode)?.toUpperCase() ?? null,
    ward: blank(input.ward),
    operator: blank(input.operator),
    buildingType: blank(input.buildingType),
    hireableSpace: yesNo(input.hireableSpace),
    publicIt: yesNo(input.publicIt),
    risk: (['low', 'medium', 'high'].includes(input.risk) ? input.risk : null) as Premises['risk'],
    riskRationale: blank(input.riskRationale),
    siteManagerEmail: blank(input.siteManagerEmail)?.toLowerCase() ?? null,
  };
}

export function createPremisesService(store: Store, subjects: SubjectRegistry) {
  subjects.register({
    type: 'premises',
    templateId: 'premises-audit',
    reviewName: 'Premises audit',
    describe(s, id) {
      const p = s.get('premises', id);
      return p
        ? {
            type: 'premises',
            id: p.id,
            ref: p.ref,
            name: p.name,
            href: `/premises/${p.id}`,
            highRisk: p.risk === 'high',
            ownerEmails: p.siteManagerEmail ? [p.siteManagerEmail] : [],
          }
        : undefined;
    },
    canView: (user) => user.role === 'coordinator' || user.role === 'facilities',
    canEdit: (user) => user.role === 'coordinator' || user.role === 'facilities',
  });

  const byRef = (ref: string) =>
    store.list('premises').find((p) => p.ref.toLowerCase() === ref.toLowerCase());

  function validate(input: PremisesInput, currentId?: string): FieldErrors {
    const errors: FieldErrors = {};
    const ref = (input.ref ?? '').trim();
    if (!ref) errors.ref = { text: 'Enter a reference (the UPRN or council reference)', href: '#ref' };
    else if (ref.length > 40) errors.ref = { text: 'Reference must be 40 characters or fewer', href: '#ref' };
    else if (byRef(ref) && byRef(ref)!.id !== currentId)
      errors.ref = { text: `Premises ${ref} already exists`, href: '#ref' };
    if (!(input.name ?? '').trim()) errors.name = { text: 'Enter the name of the building', href: '#name' };
    if (blank(input.postcode) && !POSTCODE.test(input.postcode.trim())) {
      errors.postcode = { text: 'Enter a real postcode, like SW1A 1AA', href: '#postcode' };
    }
    if (blank(input.uprn) && !/^\d{1,12}$/.test(input.uprn.trim())) {
      errors.uprn = { text: 'UPRN must be a number of up to 12 digits', href: '#uprn' };
    }
    if (input.risk && !['low', 'medium', 'high', ''].includes(input.risk)) {
      errors.risk = { text: 'Select a risk rating', href: '#risk' };
    }
    if (input.risk === 'high' && !blank(input.riskRationale)) {
      errors.riskRationale = { text: 'Explain why the building is high risk', href: '#riskRationale' };
    }
    if (blank(input.siteManagerEmail) && !isEmailAddress(input.siteManagerEmail.trim())) {
      errors.siteManagerEmail = {
        text: 'Enter the site manager’s email address in the correct format',
        href: '#siteManagerEmail',
      };
    }
    return errors;
  }

  function refuseProblems(errors: FieldErrors): void {
    if (Object.keys(errors).length > 0) throw new InputError(errors);
  }

  return {
    byRef,
    get: (id: string) => store.get('premises', id),
    list(filter: { risk?: string; ward?: string; q?: string } = {}): Premises[] {
      return store
        .list('premises')
        .filter((p) => !p.archived)
        .filter((p) => !filter.risk || (filter.risk === 'unrated' ? p.risk === null : p.risk === filter.risk))
        .filter((p) => !filter.ward || p.ward === filter.ward)
        .filter(
          (p) =>
            !filter.q ||
            `${p.name} ${p.ref} ${p.postcode ?? ''}`.toLowerCase().includes(filter.q.toLowerCase().trim()),
        )
        .sort((a, b) => a.name.localeCompare(b.name));
    },
    wards: () =>
      [
        ...new Set(
          store
            .list('premises')
            .map((p) => p.ward)
            .filter((w): w is string => !!w),
        ),
      ].sort(),
    halls: (premisesId: string) =>
      ((store.data as unknown as { halls?: { premisesId: string }[] }).halls ?? []).filter(
        (h) => h.premisesId === premisesId,
      ),

    // Checked inside the change, on memory caught up with every instance: a reference taken meanwhile
    // (the same form sent twice at once, or through another instance) is refused, never used twice.
    async create(actor: string, input: PremisesInput): Promise<Premises> {
      return store.transact(actor, (tx) => {
        refuseProblems(validate(input));
        return tx.insert('premises', { ...premisesFields(input), archived: false });
      });
    },

    async update(actor: string, id: string, input: PremisesInput, version: number): Promise<Premises> {
      return store.transact(actor, (tx) => {
        refuseProblems(validate(input, id));
        return tx.update('premises', id, premisesFields(input), version);
      });
    },
  };
}

export type PremisesService = ReturnType<typeof createPremisesService>;
