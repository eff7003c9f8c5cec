/**
 * Where each area registers the retention rules for the personal data it holds. `runRetention` imports
 * this file, so a rule added here applies wherever the job runs (the scheduler, the CLI, tests).
 *
 * Hall hire (hirers and speakers), for example, adds something like:
 *
 *   import { registerRetentionRule } from './retentionRegistry.js';
 *
 *   registerRetentionRule({
 *     collection: 'hirers',
 *     // Counted from the hirer's last event, so a regular hirer's history stays while they keep booking.
 *     dateOf: (h) => lastEventDateOf(h),
 *     redact: () => ({ name: 'Removed', otherNames: [], email: null, phone: null, address: null }),
 *     describe: "hirers' names and contact details, 6 years after their last event",
 *   });
 *   registerRetentionRule({
 *     collection: 'speakers',
 *     dateOf: (s) => s.eventStart,
 *     redact: () => 'delete',
 *     describe: 'speakers at events that ended 6 years ago',
 *   });
 *
 * `dateOf` must be pure (read only the record, or data passed in when the module is built). Keep what
 * the council needs as evidence without naming a person (booking dates, decisions, outcomes).
 */
export {};
