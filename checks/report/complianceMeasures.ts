import type { FlagData } from '../flags/flagTypes.js';
import { bookingsCheckedMeasure } from './bookingsMeasure.js';
import { librariesAttestedMeasure } from './librariesMeasure.js';
import { premisesAuditedMeasure } from './premisesMeasure.js';
import { schoolsTrainedLeadMeasure } from './schoolsMeasure.js';

/** The period a measure is worked out for; `asOf` is the period's end, or today for the current quarter. */
export interface MeasureContext {
  periodStart: string;
  periodEnd: string;
  asOf: string;
}

/** How many of the subjects in scope meet the measure. */
export interface MeasureResult {
  met: number;
  total: number;
}

/**
 * One line of the board report's "compliance by area": a pure function of the data. A total of 0 shows
 * the line as "No data" (nothing in scope in that quarter).
 */
export interface ComplianceMeasure {
  id: string;
  /** Area heading the line sits under, e.g. "Premises". */
  area: string;
  /** What is counted, e.g. "Premises audited and in date". */
  label: string;
  compute(data: FlagData, ctx: MeasureContext): MeasureResult | null;
}

/** An ordered set of measures; a measure with an id already there replaces it in place. */
export function createMeasureRegistry(initial: readonly ComplianceMeasure[] = []) {
  const measures: ComplianceMeasure[] = [];
  const registry = {
    register(measure: ComplianceMeasure): void {
      const i = measures.findIndex((m) => m.id === measure.id);
      if (i >= 0) measures[i] = measure;
      else measures.push(measure);
    },
    list: (): readonly ComplianceMeasure[] => measures,
  };
  for (const measure of initial) registry.register(measure);
  return registry;
}

export type MeasureRegistry = ReturnType<typeof createMeasureRegistry>;

/**
 * The board report's four areas (SPEC §16), in the order the board reads them. Each is a real computation
 * over the records; a test holds every one to that. createServices builds the app's registry from these and
 * passes it to the report service: nothing is registered as a side effect of importing a module.
 */
export const BOARD_MEASURES: readonly ComplianceMeasure[] = [
  premisesAuditedMeasure,
  bookingsCheckedMeasure,
  librariesAttestedMeasure,
  schoolsTrainedLeadMeasure,
];
