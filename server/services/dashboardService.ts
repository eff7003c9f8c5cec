import type { Flag, Severity } from '../../checks/flags/flagTypes.js';
import { flagLabel, ruleLabel, subjectTypeLabel } from '../../checks/labels.js';
import { formatDate } from '../../checks/londonDates.js';
import type { User } from '../../data/schemas/accountSchemas.js';
import type { Store } from '../../data/store/store.js';
import { escapeHtml } from '../escapeHtml.js';
import { type ListSpec, listPage } from '../lists/list.js';
import { LIST_PAGE_SIZE, readListQuery } from '../lists/listQuery.js';
import type { FlagService } from './flagService.js';
import type { SubjectRegistry } from './subjectRegistry.js';

export const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low'];
export const PAGE_SIZE = LIST_PAGE_SIZE;

/** The dashboard's paging (the list component's): its rows are grouped by severity, not sorted by column. */
const DASHBOARD_LIST: ListSpec<FlagRow> = {
  path: '/',
  noun: { one: 'flag', many: 'flags' },
  csvFile: 'flags.csv',
  defaultSort: { sort: '', dir: 'asc' },
  columns: [],
};

/** Where a flag's subject lives in the app. */
export function subjectHref(flag: Flag, actionReview: (id: string) => string | null): string | null {
  const s = flag.subject;
  switch (s.type) {
    case 'premises':
      return `/premises/${s.id}`;
    case 'booking':
      return `/bookings/${s.id}`;
    case 'library':
      return `/libraries/${s.id}`;
    case 'school':
      return `/schools/${s.id}`;
    case 'department':
      return `/training/departments/${s.id}`;
    case 'plan':
      return '/plan';
    case 'action':
      return actionReview(s.id);
    default:
      return null;
  }
}

/** One flag as a table row: every cell's HTML, escaped once when the view is built. */
export interface FlagRow {
  flag: Flag;
  cells: { html: string }[];
}

/** What the dashboard shows a user, before filters and paging: worked out once per data revision. */
interface UserView {
  rows: FlagRow[];
  counts: Record<Severity, number>;
  rules: Flag['rule'][];
  types: Flag['subject']['type'][];
}

export interface DashboardQuery {
  asOf: string;
  today: string;
  severity?: unknown;
  rule?: unknown;
  type?: unknown;
  page?: unknown;
}

/** Views kept per revision; a new revision drops them all. Bounded so many users or dates cannot grow it. */
const MAX_VIEWS = 200;

/**
 * The dashboard: a user's flags grouped by severity, filterable and paged. The rows, counts and filter
 * lists of a (user, as-of date) are built once per data revision and kept: never stale, since any change
 * bumps the revision, and keyed by the user's id and version, so a change of role or libraries is a new
 * view. Each request then only filters and pages.
 */
export function createDashboardService(store: Store, flags: FlagService, subjects: SubjectRegistry) {
  const subjectKind = subjects.kind;
  let revision = -1;
  const views = new Map<string, UserView>();

  function actionReview(id: string): string | null {
    const a = store.get('actions', id);
    // An action raised by itself (a failed filter test) has no review: it lives on its subject's page.
    if (a)
      return a.reviewId
        ? `/reviews/${a.reviewId}`
        : (subjectKind(a.subjectType)?.describe(store, a.subjectId)?.href ?? null);
    return store.get('planActivities', id) ? `/plan#activity-${id}` : null;
  }

  /**
   * Link only to pages this user may open (a viewer sees every flag but no subject pages): a reviewed
   * subject's kind says who may view it; an action belongs to its review's subject.
   */
  function mayOpen(user: User, f: Flag): boolean {
    let { type, id } = f.subject as { type: string; id: string };
    if (type === 'action') {
      const a = store.get('actions', id);
      if (a) ({ subjectType: type, subjectId: id } = a);
      else if (store.get('planActivities', id)) ({ type, id } = { type: 'plan', id: 'plan' });
      else return false;
    }
    const kind = subjectKind(type);
    return kind ? kind.canView(user, id) : true;
  }

  function rowOf(user: User, f: Flag): FlagRow {
    const href = mayOpen(user, f) ? subjectHref(f, actionReview) : null;
    const name = escapeHtml(f.subject.name);
    // A subject whose reference is only its id (an action) is named by its kind alone: ids are not words.
    const ref = f.subject.ref && f.subject.ref !== f.subject.id ? ` ${f.subject.ref}` : '';
    const what = `${href ? `<a class="govuk-link" href="${escapeHtml(href)}">${name}</a>` : name}<br><span class="govuk-hint govuk-!-font-size-16">${escapeHtml(`${subjectTypeLabel(f.subject.type)}${ref}`)}</span>`;
    return {
      flag: f,
      cells: [
        { html: what },
        { html: escapeHtml(flagLabel(f)) },
        { html: escapeHtml(f.message) },
        { html: f.dueOn ? escapeHtml(formatDate(f.dueOn)) : '—' },
      ],
    };
  }

  function userView(user: User, asOf: string): UserView {
    if (revision !== store.revision) {
      views.clear();
      revision = store.revision;
    }
    const key = `${asOf}|${user.id}|${user.version}`;
    let view = views.get(key);
    if (view) return view;
    const visible = flags.forUser(user, asOf);
    const counts: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
    const rules = new Set<Flag['rule']>();
    const types = new Set<Flag['subject']['type']>();
    const rows: FlagRow[] = [];
    for (const f of visible) {
      counts[f.severity]++;
      rules.add(f.rule);
      types.add(f.subject.type);
      rows.push(rowOf(user, f));
    }
    view = { rows, counts, rules: [...rules].sort(), types: [...types].sort() };
    if (views.size >= MAX_VIEWS) views.clear();
    views.set(key, view);
    return view;
  }

  return {
    /**
     * The page's model: counts, filter lists, the page of rows grouped by severity, pagination links.
     */
    view(user: User, q: DashboardQuery) {
      const { asOf, today } = q;
      const { rows, counts, rules, types } = userView(user, asOf);
      const severity = SEVERITIES.includes(q.severity as Severity) ? (q.severity as Severity) : '';
      const rule = rules.includes(q.rule as Flag['rule']) ? (q.rule as string) : '';
      const type = types.includes(q.type as Flag['subject']['type']) ? (q.type as string) : '';
      const shown =
        severity || rule || type
          ? rows.filter(
              ({ flag: f }) =>
                (!severity || f.severity === severity) &&
                (!rule || f.rule === rule) &&
                (!type || f.subject.type === type),
            )
          : rows;
      const filters: Record<string, string> = { severity, rule, type, as_of: asOf !== today ? asOf : '' };
      const list = listPage(
        DASHBOARD_LIST,
        shown,
        readListQuery({ page: q.page }, [], { sort: '', dir: 'asc' }),
        filters,
      );
      const slice = list.rows;
      return {
        asOf,
        asOfText: formatDate(asOf),
        counts,
        total: rows.length,
        shownTotal: shown.length,
        groups: SEVERITIES.map((s) => ({
          severity: s,
          rows: slice.filter((r) => r.flag.severity === s).map((r) => r.cells),
        })).filter((g) => g.rows.length > 0),
        filters: { severity, rule, type },
        rules: rules.map((r) => ({ value: r, text: ruleLabel(r) })),
        types: types.map((t) => ({ value: t, text: subjectTypeLabel(t, true) })),
        list,
      };
    },
  };
}

export type DashboardService = ReturnType<typeof createDashboardService>;
