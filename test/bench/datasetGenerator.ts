import { addDays, addMonths } from '../../checks/londonDates.js';
import { type Db, emptyDb } from '../../data/dbSchema.js';
import { emptyFilteringProfile, type Library } from '../../data/schemas/librarySchemas.js';
import type { Review } from '../../data/schemas/reviewSchemas.js';
import type { LeadTraining, PreventLead, School } from '../../data/schemas/schoolSchemas.js';
import { reviewRecord } from '../support/records.js';
import { benchId } from './benchIds.js';
import { generatePremisesData } from './premisesGenerator.js';

/** How much of each register a generated dataset holds (SPEC §9). */
export interface Scale {
  premises: number;
  bookings: number;
  schools: number;
  libraries: number;
}

/** A London borough: the dashboard and write targets are measured at this size. */
export const BOROUGH: Scale = { premises: 1_000, bookings: 20_000, schools: 400, libraries: 20 };
/** All of England: the flags target is measured at this size. */
export const NATIONAL: Scale = { premises: 100_000, bookings: 1_000_000, schools: 25_000, libraries: 3_500 };

const STAMP = '2025-01-06T09:00:00.000Z';
const base = (id: string) => ({ id, version: 1, createdAt: STAMP, updatedAt: STAMP });
const PHASES = ['Primary', 'Primary', 'Secondary', 'Primary', 'All-through', 'Nursery', '16 plus', 'Primary'];
const TOWNS = ['Barnet', 'Camden', 'Leeds', 'Bristol', 'Norwich', 'Salford', 'Truro', 'York'];

function schoolReview(id: string, schoolId: string, completedOn: string, outcome: Review['outcome']): Review {
  return reviewRecord(id, schoolId, {
    templateId: 'school-audit',
    subjectType: 'school',
    completedOn,
    submittedAt: `${completedOn}T10:00:00.000Z`,
    outcome,
    nextDue: addMonths(completedOn, 12),
  });
}

/**
 * Schools as GIAS has them (about a third open secondary, all-through or 16 plus, so in SPOC scope; one in
 * nine closed), in-scope schools with 0–2 Prevent leads, their training and contact confirmations spread
 * over the last 3 years, and yearly school audits (some never done). Deterministic.
 */
export function generateSchools(count: number, asOf: string) {
  const schools: School[] = [];
  const preventLeads: PreventLead[] = [];
  const leadTraining: LeadTraining[] = [];
  const reviews: Review[] = [];
  for (let i = 0; i < count; i++) {
    const id = benchId('school', i);
    const phase = PHASES[i % PHASES.length];
    const closed = i % 9 === 0;
    const inScope = !closed && (phase === 'Secondary' || phase === 'All-through' || phase === '16 plus');
    schools.push({
      ...base(id),
      urn: String(100000 + i),
      laCode: String(200 + (i % 150)),
      laName: `${TOWNS[i % TOWNS.length]} ${i % 150}`,
      establishmentNumber: String(1000 + (i % 8999)),
      name: `${TOWNS[(i >> 3) % TOWNS.length]} ${phase} School ${i}`,
      typeName: 'Academy converter',
      phaseName: phase,
      statusName: closed ? 'Closed' : 'Open',
      street: `${i} High Street`,
      locality: null,
      address3: null,
      town: TOWNS[i % TOWNS.length],
      county: null,
      postcode: `N${(i % 20) + 1} ${i % 10}AB`,
      headTitle: 'Ms',
      headFirstName: 'Alex',
      headLastName: `Head${i}`,
      openDate: null,
      closeDate: closed ? '2022-08-31' : null,
      website: null,
      telephone: null,
      statutoryLowAge: 11,
      statutoryHighAge: 18,
      inScope,
    });
    if (!inScope) continue;
    const leads = i % 11 === 0 ? 0 : i % 4 === 0 ? 2 : 1;
    for (let l = 0; l < leads; l++) {
      const leadId = benchId(l === 0 ? 'lead' : 'lead2', i);
      preventLeads.push({
        ...base(leadId),
        schoolId: id,
        name: `Lead ${i}.${l}`,
        role: l === 0 ? 'dsl' : 'deputy-dsl',
        email: `lead${i}.${l}@school.test`,
        phone: null,
        startOn: '2020-09-01',
        endOn: null,
        contactConfirmedOn: i % 5 === 0 ? null : addDays(asOf, -((i * 53 + l * 97) % 700)),
      });
      if ((i + l) % 7 === 3) continue; // never trained
      leadTraining.push({
        ...base(benchId(l === 0 ? 'training' : 'training2', i)),
        leadId,
        type: 'prevent-awareness-elearning',
        completedOn: addDays(asOf, -((i * 41 + l * 31) % 1000)),
        evidenceRef: null,
      });
    }
    if (i % 6 === 2) continue; // never audited
    const completedOn = addDays(asOf, -((i * 29) % 500));
    reviews.push(
      schoolReview(
        benchId('school-review', i),
        id,
        completedOn,
        i % 13 === 0 ? 'non-compliant' : i % 5 === 0 ? 'partially-compliant' : 'compliant',
      ),
    );
  }
  return { schools, preventLeads, leadTraining, reviews };
}

/** Public libraries (one in fifteen closed) with their yearly attestations, some overdue. */
export function generateLibraries(count: number, asOf: string) {
  const libraries: Library[] = [];
  const reviews: Review[] = [];
  for (let i = 0; i < count; i++) {
    const id = benchId('library', i);
    libraries.push({
      ...base(id),
      service: `${TOWNS[i % TOWNS.length]} Libraries ${i % 150}`,
      name: `${TOWNS[(i >> 2) % TOWNS.length]} Library ${i}`,
      address: `${i} Library Road`,
      postcode: `LS${(i % 20) + 1} 1AA`,
      uprn: null,
      type: 'Branch',
      statutory: true,
      yearOpened: 1960 + (i % 60),
      yearClosed: i % 15 === 0 ? 2019 : null,
      contactEmail: null,
      filtering: emptyFilteringProfile(),
      reattestation: null,
    });
    if (i % 7 === 3) continue;
    const completedOn = addDays(asOf, -((i * 31) % 450));
    reviews.push(
      reviewRecord(benchId('library-review', i), id, {
        templateId: 'library-attestation',
        subjectType: 'library',
        completedOn,
        submittedAt: `${completedOn}T10:00:00.000Z`,
        outcome: i % 9 === 0 ? 'partially-compliant' : 'compliant',
        nextDue: addMonths(completedOn, 12),
      }),
    );
  }
  return { libraries, reviews };
}

/** A whole generated dataset at `scale`: every register the flag rules read. */
export function generateDataset(scale: Scale, asOf: string): Db {
  const db = emptyDb();
  const premises = generatePremisesData(scale.premises, asOf);
  const schools = generateSchools(scale.schools, asOf);
  const libraries = generateLibraries(scale.libraries, asOf);
  db.premises = premises.premises;
  db.actions = premises.actions;
  db.schools = schools.schools;
  db.preventLeads = schools.preventLeads;
  db.leadTraining = schools.leadTraining;
  db.libraries = libraries.libraries;
  db.reviews = [...premises.reviews, ...schools.reviews, ...libraries.reviews];
  return asLoaded(db);
}

/**
 * The dataset as the store holds it after loading its file: every string parsed from JSON. (Strings built
 * by concatenation are ropes that V8 flattens on first use, which would make the generated data slower to
 * work on than real data.) A collection goes through JSON in slices, so no text grows past V8's limit.
 */
export function asLoaded(db: Db): Db {
  const out = { ...db } as Record<string, unknown>;
  for (const [name, value] of Object.entries(db)) {
    if (!Array.isArray(value)) continue;
    const copy: unknown[] = [];
    for (let i = 0; i < value.length; i += 50_000) {
      for (const r of JSON.parse(JSON.stringify(value.slice(i, i + 50_000)))) copy.push(r);
    }
    out[name] = copy;
  }
  return out as Db;
}

/** How many records a dataset holds, over every collection. */
export function recordsIn(db: Db): number {
  return Object.values(db as unknown as Record<string, unknown>).reduce<number>(
    (n, v) => n + (Array.isArray(v) ? v.length : 0),
    0,
  );
}
