import type { Flag, FlagRule } from './flags/flagTypes.js';
import type { SubjectType } from './templateTypes.js';

/**
 * The one plain label of each rule, subject type and record type (SPEC §17). Every page, email, CSV and
 * the board report shows these; the codes stay in the API, the CLI and HTML attributes (form values).
 */
export const ruleLabels: Record<FlagRule, string> = {
  'review-overdue': 'Review overdue',
  'review-due-soon': 'Review due soon',
  'non-compliant': 'Non-compliant',
  'partially-compliant': 'Partially compliant',
  'action-overdue': 'Action overdue',
  'booking-checks-incomplete': 'Booking checks incomplete',
  'booking-watchlist-match': 'Watch-list match awaiting decision',
  'spoc-missing': 'No Prevent lead',
  'spoc-training-expired': 'Prevent lead training expired',
  'spoc-contact-stale': 'Prevent lead contact not confirmed',
  'training-below-target': 'Training below target',
  'filter-test-failed': 'Filter test failed',
};

/** Every rule code, for pages that must never show one (the plain-words browser test). */
export const ruleCodes = Object.keys(ruleLabels) as FlagRule[];

/** A rule's label; an unknown code (from an older record) is put in words rather than shown as it is. */
export function ruleLabel(rule: string): string {
  return (ruleLabels as Record<string, string>)[rule] ?? sentenceCase(rule);
}

/**
 * The label of one flag: its rule's, except where the rule's label would say something untrue of this
 * flag (a lead never trained has no training to expire).
 */
export function flagLabel(flag: Pick<Flag, 'rule' | 'message' | 'dueOn'>): string {
  if (flag.rule === 'spoc-training-expired' && flag.dueOn === null) return 'Prevent lead never trained';
  return ruleLabel(flag.rule);
}

export interface Noun {
  one: string;
  many: string;
}

/** What each kind of subject (of flags, reviews and actions) is called. */
export const subjectTypeLabels: Record<SubjectType, Noun> = {
  premises: { one: 'Premises', many: 'Premises' },
  booking: { one: 'Booking', many: 'Bookings' },
  library: { one: 'Library', many: 'Libraries' },
  school: { one: 'School', many: 'Schools' },
  department: { one: 'Department', many: 'Departments' },
  action: { one: 'Action', many: 'Actions' },
  plan: { one: 'Action plan', many: 'Action plans' },
};

export function subjectTypeLabel(type: string, plural = false): string {
  const noun = (subjectTypeLabels as Record<string, Noun>)[type];
  if (!noun) return sentenceCase(type);
  return plural ? noun.many : noun.one;
}

/** What each kind of stored record (a collection, or a log-only subject) is called. */
export const recordTypeLabels: Record<string, Noun> = {
  users: { one: 'User', many: 'Users' },
  apiTokens: { one: 'API token', many: 'API tokens' },
  premises: { one: 'Premises', many: 'Premises' },
  reviews: { one: 'Review', many: 'Reviews' },
  actions: { one: 'Action', many: 'Actions' },
  halls: { one: 'Hall', many: 'Halls' },
  hirers: { one: 'Hirer', many: 'Hirers' },
  bookings: { one: 'Booking', many: 'Bookings' },
  bookingDecisions: { one: 'Booking decision', many: 'Booking decisions' },
  bookingScreenings: { one: 'Watch-list screening', many: 'Watch-list screenings' },
  watchlists: { one: 'Watch list', many: 'Watch lists' },
  watchlistEntries: { one: 'Watch-list name', many: 'Watch-list names' },
  hireRequests: { one: 'Hire request', many: 'Hire requests' },
  notifications: { one: 'Notification', many: 'Notifications' },
  libraries: { one: 'Library', many: 'Libraries' },
  filterTests: { one: 'Filter test', many: 'Filter tests' },
  schools: { one: 'School', many: 'Schools' },
  preventLeads: { one: 'Prevent lead', many: 'Prevent leads' },
  leadTraining: { one: 'Prevent lead training record', many: 'Prevent lead training records' },
  homeEducationCounts: { one: 'Home education count', many: 'Home education counts' },
  schoolReturns: { one: 'School return', many: 'School returns' },
  returnLinks: { one: 'School return link', many: 'School return links' },
  bulletins: { one: 'School bulletin', many: 'School bulletins' },
  departments: { one: 'Department', many: 'Departments' },
  trainingSessions: { one: 'Training session', many: 'Training sessions' },
  staffRecords: { one: 'Staff training record', many: 'Staff training records' },
  actionPlans: { one: 'Action plan', many: 'Action plans' },
  planHeadings: { one: 'Action plan heading', many: 'Action plan headings' },
  planActivities: { one: 'Action plan activity', many: 'Action plan activities' },
  evidence: { one: 'Evidence file', many: 'Evidence files' },
  imports: { one: 'Import', many: 'Imports' },
  audit: { one: 'Audit log', many: 'Audit log' },
  auditLog: { one: 'Audit log', many: 'Audit log' },
  database: { one: 'Database', many: 'Database' },
  outbox: { one: 'Email file', many: 'Email files' },
  reminderLog: { one: 'Reminder log', many: 'Reminder log' },
};

export function recordTypeLabel(collection: string, plural = false): string {
  const noun = recordTypeLabels[collection];
  if (!noun) return sentenceCase(collection);
  return plural ? noun.many : noun.one;
}

/** "leadTraining" / "spoc-missing" → "Lead training" / "Spoc missing": the last resort for a name with no label. */
export function sentenceCase(name: string): string {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_.]+/g, ' ')
    .trim()
    .toLowerCase();
  return words ? `${words.charAt(0).toUpperCase()}${words.slice(1)}` : name;
}
