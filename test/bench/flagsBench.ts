/**
 * The flag figures of the bench (SPEC §9), run by bench.ts in a process of its own so the national
 * dataset's memory is gone before the server is measured:
 *
 *   node --import tsx test/bench/flagsBench.ts [--quick]
 *
 * Prints progress, then one JSON line: `{ flagsNational, flagsScaling, flags }`.
 */
import { parseArgs } from 'node:util';
import { computeFlags } from '../../checks/flags/computeFlags.js';
import { londonDate } from '../../checks/londonDates.js';
import { generateDataset, NATIONAL, recordsIn, type Scale } from './datasetGenerator.js';

const round = (n: number, places = 2) => Math.round(n * 10 ** places) / 10 ** places;

function scaled(scale: Scale, by: number): Scale {
  return {
    premises: Math.round(scale.premises / by),
    bookings: Math.round(scale.bookings / by),
    schools: Math.round(scale.schools / by),
    libraries: Math.round(scale.libraries / by),
  };
}

/**
 * The best of `runs` timings after one warm-up run: the run least disturbed by other work on the machine.
 * Each run works everything out afresh from the data; the watch-list index (kept between runs until a
 * list changes, as in the server) is built in the warm-up.
 */
function bestMs(fn: () => unknown, runs: number): number {
  fn();
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

const { values } = parseArgs({ options: { quick: { type: 'boolean' } } });
const quick = Boolean(values.quick);
const asOf = londonDate(new Date());
// --quick: a fiftieth of national scale (and a tenth of that), enough to check the bench runs.
const large = quick ? scaled(NATIONAL, 50) : NATIONAL;
const small = scaled(large, 10);
const say = (line: string) => console.log(line);

let t0 = performance.now();
const smallDb = generateDataset(small, asOf);
const largeDb = generateDataset(large, asOf);
say(
  `flags: generated ${recordsIn(largeDb).toLocaleString('en-GB')} records (${large.premises} premises, ${large.bookings} bookings, ${large.schools} schools, ${large.libraries} libraries) and a tenth of that in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);
t0 = performance.now();
const smallMs = bestMs(() => computeFlags(smallDb, asOf), 5);
const largeMs = bestMs(() => computeFlags(largeDb, asOf), 3);
const flagCount = computeFlags(largeDb, asOf).length;
const sizeRatio = recordsIn(largeDb) / recordsIn(smallDb);
say(
  `flags: ${recordsIn(smallDb)} records ${smallMs.toFixed(1)} ms; ${recordsIn(largeDb)} records ${largeMs.toFixed(1)} ms (${flagCount} flags); time ratio ${(largeMs / smallMs).toFixed(2)} for size ratio ${sizeRatio.toFixed(2)}`,
);
console.log(
  JSON.stringify({
    flagsNational: { records: recordsIn(largeDb), ms: round(largeMs) },
    flagsScaling: {
      smallMs: round(smallMs),
      largeMs: round(largeMs),
      sizeRatio: round(sizeRatio),
      timeRatio: round(largeMs / smallMs),
    },
    flags: flagCount,
  }),
);
