import { itemAt } from '../../data/itemAt.js';
import { addDays, addMonths } from '../../checks/londonDates.js';
import { type Db, emptyDb } from '../../data/dbSchema.js';
import { namesToScreen, screenKeysOf } from '../../checks/bookingRules.js';
import type {
  Booking,
  BookingStatus,
  Hall,
  Hirer,
  Speaker,
  WatchlistEntryRecord,
  WatchlistRecord,
} from '../../data/schemas/hallHireSchemas.js';
import { emptyFilteringProfile, type Library } from '../../data/schemas/librarySchemas.js';
import type { Review } from '../../data/schemas/reviewSchemas.js';
import type { LeadTraining, PreventLead, School } from '../../data/schemas/schoolSchemas.js';
import { reviewRecord } from '../support/records.js';
import { benchId, loadedJsonList, loadedList } from './benchIds.js';
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
  const schools = loadedList<School>();
  const preventLeads = loadedList<PreventLead>();
  const leadTraining = loadedList<LeadTraining>();
  const reviews = loadedList<Review>();
  for (let i = 0; i < count; i++) {
    const id = benchId('school', i);
    const phase = itemAt(PHASES, i % PHASES.length);
    const closed = i % 9 === 0;
    const inScope = !closed && (phase === 'Secondary' || phase === 'All-through' || phase === '16 plus');
    schools.push({
      ...base(id),
      urn: String(100000 + i),
      laCode: String(200 + (i % 150)),
      laName: `${itemAt(TOWNS, i % TOWNS.length)} ${i % 150}`,
      establishmentNumber: String(1000 + (i % 8999)),
      name: `${itemAt(TOWNS, (i >> 3) % TOWNS.length)} ${phase} School ${i}`,
      typeName: 'Academy converter',
      phaseName: phase,
      statusName: closed ? 'Closed' : 'Open',
      street: `${i} High Street`,
      locality: null,
      address3: null,
      town: itemAt(TOWNS, i % TOWNS.length),
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
  return {
    schools: schools.done(),
    preventLeads: preventLeads.done(),
    leadTraining: leadTraining.done(),
    reviews: reviews.done(),
  };
}

/** Public libraries (one in fifteen closed) with their yearly attestations, some overdue. */
export function generateLibraries(count: number, asOf: string) {
  const libraries = loadedList<Library>();
  const reviews = loadedList<Review>();
  for (let i = 0; i < count; i++) {
    const id = benchId('library', i);
    libraries.push({
      ...base(id),
      service: `${itemAt(TOWNS, i % TOWNS.length)} Libraries ${i % 150}`,
      name: `${itemAt(TOWNS, (i >> 2) % TOWNS.length)} Library ${i}`,
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
  return { libraries: libraries.done(), reviews: reviews.done() };
}

const EVENTS = [
  'Choir rehearsal',
  'Tenants’ meeting',
  'Birthday party',
  'Yoga class',
  'Public talk',
  'Wedding reception',
];
const FIRST = ['Priya', 'Sam', 'Alex', 'Jordan', 'Morgan', 'Casey', 'Riley', 'Taylor', 'Jamie', 'Robin'];
const LAST = ['Example', 'Sample', 'Placeholder', 'Test', 'Demo', 'Fictional', 'Mock', 'Dummy'];
const ORGS = ['Community Choir', 'Tenants Association', 'Faith Forum', 'Debating Society', 'Traders Network'];
/** Watch-list names (made up); one booking in about 2,000 has a hirer or speaker on the list. */
const LISTED = ['The Example Front', 'Exemplar, Jon Q.', 'Placeholder Brigade', 'Sample Movement'];

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * Halls (one in each premises with hireable space), hirers (one per ten bookings: regular hirers book
 * again), bookings from two years back to six months ahead in every status (undecided ones mostly in the
 * future, about 1 in 70 starting within the 10-working-day lead time), each checked booking with its
 * due-diligence review, a watch list of 5,000 names and a few bookings whose names match it. Bookings'
 * decisions and screenings are left out: no flag rule reads them. Every name is made up.
 */
export function generateHallHire(count: number, premisesIds: readonly string[], asOf: string) {
  const hallList = loadedList<Hall>();
  for (let i = 0; i < premisesIds.length; i += 2) {
    hallList.push({
      ...base(benchId('hall', i)),
      premisesId: itemAt(premisesIds, i),
      name: 'Main Hall',
      capacity: 80 + (i % 200),
      archived: false,
    });
  }
  const halls = hallList.done();
  const watchlists = loadedList<WatchlistRecord>();
  const watchlistEntries = loadedList<WatchlistEntryRecord>();
  const hirers = loadedList<Hirer>();
  const bookings = loadedJsonList<Booking>();
  const reviews = loadedJsonList<Review>();
  const done = () => ({
    halls,
    hirers: hirers.done(),
    bookings: bookings.done(),
    reviews: reviews.done(),
    watchlists: watchlists.done(),
    watchlistEntries: watchlistEntries.done(),
  });
  if (count === 0 || halls.length === 0) return done();

  const listId = benchId('watchlist', 0);
  watchlists.push({
    ...base(listId),
    source: 'Bench watch list',
    asOf: addDays(asOf, -7),
    format: 'simple',
    entryCount: 5_000,
    importedAt: `${addDays(asOf, -7)}T09:00:00.000Z`,
    importedBy: 'coordinator@demo.test',
  });
  for (let i = 0; i < 5_000; i++) {
    watchlistEntries.push({
      ...base(benchId('watchlist-entry', i)),
      listId,
      name: i < LISTED.length ? itemAt(LISTED, i) : `Listed Group ${i} ${itemAt(LAST, i % LAST.length)}`,
      aliases: i % 3 === 0 ? [`LG${i}`] : [],
      type: i % 2 === 0 ? 'organisation' : 'person',
      listedOn: '2020-01-01',
      reference: null,
      regime: null,
    });
  }

  const hirerCount = Math.max(1, Math.ceil(count / 10));
  const keysOfHirer: string[] = [];
  for (let h = 0; h < hirerCount; h++) {
    const organisation =
      h % 3 === 0 ? null : `${itemAt(LAST, h % LAST.length)} ${itemAt(ORGS, h % ORGS.length)} ${h}`;
    const name = `${itemAt(FIRST, h % FIRST.length)} ${itemAt(LAST, (h >> 2) % LAST.length)}${h}`;
    hirers.push({
      ...base(benchId('hirer', h)),
      name,
      organisation,
      otherNames: [],
      charityNumber: null,
      companyNumber: null,
      email: `hirer${h}@example.org`,
      phone: null,
      address: null,
      lastEventOn: null,
      personalDataRemoved: false,
    });
    // Names are normalised once per hirer, as the app does when a booking is saved.
    keysOfHirer.push(JSON.stringify(screenKeysOf(namesToScreen({ name, organisation, otherNames: [] }, []))));
  }
  const listedSpeaker: Speaker[] = [{ name: itemAt(LISTED, 1), aliases: [], affiliation: null }];
  const listedKeys = JSON.stringify(
    screenKeysOf(
      namesToScreen({ name: itemAt(LISTED, 0), organisation: null, otherNames: [] }, listedSpeaker),
    ),
  );
  const listedSpeakers = JSON.stringify(listedSpeaker);
  const statuses = {
    past: ['approved', 'approved', 'approved-with-conditions', 'refused', 'cancelled'],
    soon: ['provisional', 'checks-complete', 'approved', 'approved', 'referred', 'approved'],
    later: ['provisional', 'provisional', 'checks-complete', 'approved'],
  } satisfies Record<string, BookingStatus[]>;
  const soonUntil = addDays(asOf, 14);

  const first = addDays(asOf, -730);
  const stamp = `"version":1,"createdAt":"${STAMP}","updatedAt":"${STAMP}"`;
  for (let i = 0; i < count; i++) {
    const day = addDaysCached(first, (i * 7919) % 913); // two years back, six months ahead
    const hirerIndex = (i * 31) % hirerCount;
    // A listed name: a booking like that is referred to the coordinator, who has not decided it yet.
    const listed = i % 2_000 === 1_999;
    const status = listed
      ? 'referred'
      : day < asOf
        ? statuses.past[i % 5]
        : day <= soonUntil
          ? statuses.soon[i % 6]
          : statuses.later[i % 4];
    const id = benchId('booking', i);
    const reviewId = status !== 'provisional' ? benchId('booking-review', i) : null;
    // Written as the store writes it (JSON), so a million are made in seconds.
    bookings.push(
      `{"id":"${id}",${stamp},"ref":"HB${String(i).padStart(7, '0')}","hallId":"${itemAt(halls, i % halls.length).id}",` +
        `"start":"${day}T${pad2(9 + (i % 10))}:00","end":"${day}T${pad2(11 + (i % 10))}:00",` +
        `"eventTitle":"${itemAt(EVENTS, i % EVENTS.length)} ${i}","purpose":null,"expectedAttendance":${20 + (i % 150)},` +
        `"openToPublic":${i % 3 === 0},"hirerId":"${benchId('hirer', hirerIndex)}",` +
        `"speakers":${listed ? listedSpeakers : '[]'},"bookingOfficerEmail":"officer${i % 20}@council.test",` +
        `"status":"${status}","screenKeys":${listed ? listedKeys : keysOfHirer[hirerIndex]},` +
        `"checksReviewId":${reviewId ? `"${reviewId}"` : 'null'},"decisionId":null,"clearedEntryIds":[],` +
        `"personalDataRemoved":false}`,
    );
    if (reviewId) {
      const completedOn = addDaysCached(day, -14);
      reviews.push(
        `{"id":"${reviewId}",${stamp},"templateId":"booking-due-diligence","templateVersion":1,` +
          `"subjectType":"booking","subjectId":"${id}","status":"submitted","answers":{},"notes":null,` +
          `"evidence":[],"startedBy":"facilities@demo.test","startedFrom":null,` +
          `"submittedBy":"facilities@demo.test","submittedAt":"${completedOn}T10:00:00.000Z",` +
          `"completedOn":"${completedOn}","outcome":"compliant","nextDue":null,"attestation":null}`,
      );
    }
  }
  return done();
}

const shifted = new Map<string, string>();
/** addDays, remembered: a million bookings fall on under a thousand days. */
function addDaysCached(iso: string, days: number): string {
  const key = `${iso}${days}`;
  let out = shifted.get(key);
  if (out === undefined) {
    out = addDays(iso, days);
    shifted.set(key, out);
  }
  return out;
}

/** A whole generated dataset at `scale`: every register the flag rules read. */
export function generateDataset(scale: Scale, asOf: string): Db {
  const db = emptyDb();
  const premises = generatePremisesData(scale.premises, asOf);
  const schools = generateSchools(scale.schools, asOf);
  const libraries = generateLibraries(scale.libraries, asOf);
  const hallHire = generateHallHire(
    scale.bookings,
    premises.premises.map((p) => p.id),
    asOf,
  );
  db.premises = premises.premises;
  db.halls = hallHire.halls;
  db.hirers = hallHire.hirers;
  db.bookings = hallHire.bookings;
  db.watchlists = hallHire.watchlists;
  db.watchlistEntries = hallHire.watchlistEntries;
  db.actions = premises.actions;
  db.schools = schools.schools;
  db.preventLeads = schools.preventLeads;
  db.leadTraining = schools.leadTraining;
  db.libraries = libraries.libraries;
  db.reviews = [...premises.reviews, ...schools.reviews, ...libraries.reviews];
  for (const r of hallHire.reviews) db.reviews.push(r);
  return db;
}

/** How many records a dataset holds, over every collection. */
export function recordsIn(db: Db): number {
  return Object.values(db as unknown as Record<string, unknown>).reduce<number>(
    (n, v) => n + (Array.isArray(v) ? v.length : 0),
    0,
  );
}
