import { emptyFilteringProfile, type Library } from '../../data/schemas/librarySchemas.js';

const STAMP = '2026-01-05T09:00:00.000Z';

/** The fields of a library record as a transaction inserts them (no id, version or timestamps). */
export function libraryFields(name: string, overrides: Partial<Library> = {}) {
  return {
    service: 'London Borough of Barnet',
    name,
    address: null,
    postcode: null,
    uprn: null,
    type: null,
    statutory: true,
    yearOpened: null,
    yearClosed: null,
    contactEmail: null,
    filtering: emptyFilteringProfile(),
    reattestation: null,
    ...overrides,
  };
}

/** A stored library record, for building data for pure functions. */
export function libraryRecord(id: string, overrides: Partial<Library> = {}): Library {
  return {
    id,
    version: 1,
    createdAt: STAMP,
    updatedAt: STAMP,
    ...libraryFields(`Library ${id}`),
    ...overrides,
  };
}
