import type { FilterTest } from '../data/schemas/librarySchemas.js';
import type { Action } from '../data/schemas/reviewSchemas.js';
import { failedCategories } from './flags/filterTestFlags.js';
import { addDays, formatDate } from './londonDates.js';

/** Something that should be blocked and was not is put right within a week. */
export const FILTER_FIX_DAYS = 7;

/** The action a failed filter test raises by itself, so someone owns putting it right. */
export function failedTestAction(test: FilterTest): { description: string; dueOn: string } {
  return {
    description: `Get the filter to block ${failedCategories(test).join(', ')}: not blocked in the filter test on ${formatDate(test.testedOn)} (${test.deviceOrNetwork})`,
    dueOn: addDays(test.testedOn, FILTER_FIX_DAYS),
  };
}

/**
 * The open actions a passing test puts right: those raised by failed tests of the same library, on or
 * before its date, whose categories it tried again (and found blocked). An action about a category not
 * tried again stays open.
 */
export function actionsPutRightBy(
  passed: FilterTest,
  actions: readonly Action[],
  testById: (id: string) => FilterTest | undefined,
): Action[] {
  if (passed.result !== 'blocked') return [];
  const tried = new Set(passed.categoriesTried.map((c) => c.toLowerCase()));
  return actions.filter((a) => {
    if (a.status !== 'open' || !a.filterTestId || a.subjectId !== passed.libraryId) return false;
    const failed = testById(a.filterTestId);
    return (
      failed !== undefined &&
      failed.testedOn <= passed.testedOn &&
      failedCategories(failed).every((c) => tried.has(c.toLowerCase()))
    );
  });
}
