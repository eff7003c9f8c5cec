import type { FilterTest } from '../../data/schemas/librarySchemas.js';
import { formatDate } from '../londonDates.js';
import type { Flag, FlagData } from './flagTypes.js';

/**
 * What a failed test found not blocked: the categories recorded as not blocked, or, for a test recorded
 * before that was asked, every category tried (which of them got through is not known).
 */
export function failedCategories(
  test: Pick<FilterTest, 'categoriesTried' | 'categoriesNotBlocked'>,
): string[] {
  return test.categoriesNotBlocked?.length ? test.categoriesNotBlocked : test.categoriesTried;
}

/** True when `a` was tested after `b`: by date, then by when it was recorded (two tests the same day). */
export function testedAfter(a: FilterTest, b: FilterTest): boolean {
  return a.testedOn !== b.testedOn ? a.testedOn > b.testedOn : a.createdAt > b.createdAt;
}

/**
 * `filter-test-failed` (SPEC §16): an open library's latest filter test up to as-of found something that
 * should have been blocked, and no later passing test is recorded. Due on the day of the failed test: it
 * needs putting right at once.
 */
export function filterTestFlags(data: FlagData, asOf: string): Flag[] {
  if (data.filterTests.length === 0) return [];
  const latest = new Map<string, FilterTest>();
  for (const t of data.filterTests) {
    if (t.testedOn > asOf) continue;
    const cur = latest.get(t.libraryId);
    if (!cur || testedAfter(t, cur)) latest.set(t.libraryId, t);
  }
  const out: Flag[] = [];
  for (const library of data.libraries) {
    const test = latest.get(library.id);
    if (test?.result !== 'not-blocked' || library.yearClosed !== null) continue;
    out.push({
      rule: 'filter-test-failed',
      severity: 'high',
      subject: { type: 'library', id: library.id, ref: library.name, name: library.name },
      dueOn: test.testedOn,
      message: `Filter test on ${formatDate(test.testedOn)} (${test.deviceOrNetwork}) found ${failedCategories(test).join(', ')} not blocked`,
    });
  }
  return out;
}
