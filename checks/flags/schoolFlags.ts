import type { PreventLead } from '../../data/schemas/schoolSchemas.js';
import { addMonths, formatDate } from '../londonDates.js';
import {
  CONTACT_CONFIRM_MONTHS,
  isCurrentLead,
  PREVENT_TRAINING,
  PREVENT_TRAINING_MONTHS,
} from '../schoolRules.js';
import type { Flag, FlagContext, FlagData, FlagSubject } from './flagTypes.js';
import { messagesByDate, periodicReviewFlags } from './periodicReviewFlags.js';

type Role = PreventLead['role'];

/** Flag messages reach the viewer's dashboard, so they name the lead's role, never the person. */
const WHO: Record<Role, string> = {
  dsl: 'Prevent lead (DSL)',
  'deputy-dsl': 'Prevent lead (deputy DSL)',
  other: 'Prevent lead (other role)',
};

const refreshDue = messagesByDate((trained) => addMonths(trained, PREVENT_TRAINING_MONTHS));
const confirmDue = messagesByDate((confirmed) => addMonths(confirmed, CONTACT_CONFIRM_MONTHS));

/** Each role's messages, each date's made once (many leads share a date at national scale). */
const MESSAGES = Object.fromEntries(
  (Object.keys(WHO) as Role[]).map((role) => {
    const who = WHO[role];
    return [
      role,
      {
        untrained: `${who} has no Prevent training on record`,
        trainingExpired: messagesByDate(
          (trained) =>
            `${who} last had Prevent training on ${formatDate(trained)}; a refresh was due by ${formatDate(refreshDue(trained))}`,
        ),
        neverConfirmed: `${who}: contact details have never been confirmed`,
        contactStale: messagesByDate(
          (confirmed) =>
            `${who}: contact details last confirmed on ${formatDate(confirmed)}; due again by ${formatDate(confirmDue(confirmed))}`,
        ),
      },
    ];
  }),
) as Record<
  Role,
  {
    untrained: string;
    trainingExpired: (d: string) => string;
    neverConfirmed: string;
    contactStale: (d: string) => string;
  }
>;

/**
 * Schools in SPOC scope: a current Prevent lead, each lead trained in Prevent in the last 2 years and their
 * contact details confirmed in the last 12 months, and the yearly school audit. One pass over each
 * collection; training and leads are grouped in Maps first.
 */
export function schoolFlags(data: FlagData, asOf: string, { latest }: FlagContext): Flag[] {
  const out: Flag[] = [];
  const schools = data.schools;
  if (schools.length === 0) return out;

  // Latest Prevent training on or before as-of, per lead.
  const trainedOn = new Map<string, string>();
  for (const t of data.leadTraining) {
    if (!PREVENT_TRAINING.has(t.type) || t.completedOn > asOf) continue;
    const cur = trainedOn.get(t.leadId);
    if (cur === undefined || t.completedOn > cur) trainedOn.set(t.leadId, t.completedOn);
  }
  const leadsOf = new Map<string, PreventLead[]>();
  for (const lead of data.preventLeads) {
    if (!isCurrentLead(lead, asOf)) continue;
    const list = leadsOf.get(lead.schoolId);
    if (list) list.push(lead);
    else leadsOf.set(lead.schoolId, [lead]);
  }

  const trainingCutoff = addMonths(asOf, -PREVENT_TRAINING_MONTHS);
  const contactCutoff = addMonths(asOf, -CONTACT_CONFIRM_MONTHS);

  for (const s of schools) {
    if (!s.inScope) continue;
    const subject: FlagSubject = { type: 'school', id: s.id, ref: s.urn, name: s.name };
    const leads = leadsOf.get(s.id);
    if (!leads) {
      out.push({
        rule: 'spoc-missing',
        severity: 'high',
        subject,
        dueOn: null,
        message: 'No current Prevent lead (single point of contact)',
      });
    } else {
      for (const lead of leads)
        leadFlags(lead, subject, trainedOn.get(lead.id), asOf, out, {
          trainingCutoff,
          contactCutoff,
        });
    }
    periodicReviewFlags(subject, latest.of('school', s.id), asOf, 'School audit', out);
  }
  return out;
}

function leadFlags(
  lead: PreventLead,
  subject: FlagSubject,
  trained: string | undefined,
  asOf: string,
  out: Flag[],
  cutoffs: { trainingCutoff: string; contactCutoff: string },
): void {
  const messages = MESSAGES[lead.role];
  if (trained === undefined) {
    out.push({
      rule: 'spoc-training-expired',
      severity: 'high',
      subject,
      dueOn: null,
      message: messages.untrained,
    });
  } else if (trained < cutoffs.trainingCutoff) {
    out.push({
      rule: 'spoc-training-expired',
      severity: 'high',
      subject,
      dueOn: refreshDue(trained),
      message: messages.trainingExpired(trained),
    });
  }
  const confirmed =
    lead.contactConfirmedOn !== null && lead.contactConfirmedOn <= asOf ? lead.contactConfirmedOn : null;
  if (confirmed === null) {
    out.push({
      rule: 'spoc-contact-stale',
      severity: 'low',
      subject,
      dueOn: null,
      message: messages.neverConfirmed,
    });
  } else if (confirmed < cutoffs.contactCutoff) {
    out.push({
      rule: 'spoc-contact-stale',
      severity: 'low',
      subject,
      dueOn: confirmDue(confirmed),
      message: messages.contactStale(confirmed),
    });
  }
}
