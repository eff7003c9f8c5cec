import { namesToScreen, screenKeysOf } from '../../checks/bookingRules.js';
import { type Db, emptyDb } from '../../data/dbSchema.js';
import type {
  Booking,
  Hirer,
  Speaker,
  WatchlistEntryRecord,
  WatchlistRecord,
} from '../../data/schemas/hallHireSchemas.js';

const STAMP = '2026-01-05T09:00:00.000Z';
const base = (id: string) => ({ id, version: 1, createdAt: STAMP, updatedAt: STAMP });

export function hirerRecord(id: string, overrides: Partial<Hirer> = {}): Hirer {
  return {
    ...base(id),
    name: `Hirer ${id}`,
    organisation: null,
    otherNames: [],
    charityNumber: null,
    companyNumber: null,
    email: null,
    phone: null,
    address: null,
    lastEventOn: null,
    personalDataRemoved: false,
    ...overrides,
  };
}

/** A booking of `hirer` on `day` (18:30–21:00), its screen keys worked out as the app saves them. */
export function bookingRecord(
  id: string,
  hirer: Hirer,
  day: string,
  overrides: Partial<Booking> & { speakers?: Speaker[] } = {},
): Booking {
  const speakers = overrides.speakers ?? [];
  return {
    ...base(id),
    ref: `B-${id}`,
    hallId: 'hall-1',
    start: `${day}T18:30`,
    end: `${day}T21:00`,
    eventTitle: `Event ${id}`,
    purpose: null,
    expectedAttendance: null,
    openToPublic: null,
    hirerId: hirer.id,
    speakers,
    bookingOfficerEmail: 'facilities@demo.test',
    status: 'provisional',
    screenKeys: screenKeysOf(namesToScreen(hirer, speakers)),
    checksReviewId: null,
    decisionId: null,
    clearedEntryIds: [],
    personalDataRemoved: false,
    ...overrides,
  };
}

export function watchlistRecord(id: string, overrides: Partial<WatchlistRecord> = {}): WatchlistRecord {
  return {
    ...base(id),
    source: 'Home Office proscribed organisations',
    asOf: '2026-01-15',
    format: 'simple',
    entryCount: 0,
    importedAt: STAMP,
    importedBy: 'coordinator@demo.test',
    ...overrides,
  };
}

export function entryRecord(
  id: string,
  listId: string,
  name: string,
  overrides: Partial<WatchlistEntryRecord> = {},
): WatchlistEntryRecord {
  return {
    ...base(id),
    listId,
    name,
    aliases: [],
    type: 'organisation',
    listedOn: null,
    reference: null,
    regime: null,
    ...overrides,
  };
}

/** An empty database with these hall-hire records in it, for the pure flag rules. */
export function hallHireData(parts: {
  hirers?: Hirer[];
  bookings?: Booking[];
  watchlists?: WatchlistRecord[];
  entries?: WatchlistEntryRecord[];
}): Db {
  const db = emptyDb();
  db.hirers.push(...(parts.hirers ?? []));
  db.bookings.push(...(parts.bookings ?? []));
  db.watchlists.push(...(parts.watchlists ?? []));
  db.watchlistEntries.push(...(parts.entries ?? []));
  return db;
}
