import { itemAt } from '../../data/itemAt.js';
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
 * Median timings of the two sizes, measured in turn (small, large, small, large…) after one warm-up of
 * each, so both see the same state of the machine and of the heap; a median, not a best, so one run that
 * happens to find everything in cache does not decide the ratio. Each run works everything out afresh from
 * the data; the watch-list index (kept between runs until a list changes, as in the server) is built in
 * the warm-up.
 */
function medianMs(fns: (() => unknown)[], runs: number): number[] {
  for (const fn of fns) fn();
  const times = fns.map(() => [] as number[]);
  for (let i = 0; i < runs; i++) {
    fns.forEach((fn, k) => {
      const t0 = performance.now();
      fn();
      itemAt(times, k).push(performance.now() - t0);
    });
  }
  return times.map((t) =>
    itemAt(
      t.sort((a, b) => a - b),
      Math.floor(t.length / 2),
    ),
  );
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
const [smallMs = Number.NaN, largeMs = Number.NaN] = medianMs(
  [() => computeFlags(smallDb, asOf), () => computeFlags(largeDb, asOf)],
  5,
);
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
