import { addMonths } from '../londonDates.js';
import { isCurrentLead, PREVENT_TRAINING, PREVENT_TRAINING_MONTHS } from '../schoolRules.js';
import type { ComplianceMeasure } from './complianceMeasures.js';

/**
 * Schools in SPOC scope with a Prevent lead current on `asOf` who had Prevent training in the 2 years up
 * to then (SPEC §16), by the same rule as the `spoc-training-expired` flag: training on or after the day
 * 2 years before counts, training after `asOf` does not.
 */
export const schoolsTrainedLeadMeasure: ComplianceMeasure = {
  id: 'schools-trained-lead',
  area: 'Schools',
  label: 'In-scope schools with a trained Prevent lead',
  compute(data, { asOf }) {
    const from = addMonths(asOf, -PREVENT_TRAINING_MONTHS);
    const trainedLeads = new Set<string>();
    for (const t of data.leadTraining) {
      if (PREVENT_TRAINING.has(t.type) && t.completedOn >= from && t.completedOn <= asOf)
        trainedLeads.add(t.leadId);
    }
    const schoolsWithTrainedLead = new Set<string>();
    for (const lead of data.preventLeads) {
      if (trainedLeads.has(lead.id) && isCurrentLead(lead, asOf)) schoolsWithTrainedLead.add(lead.schoolId);
    }
    let total = 0;
    let met = 0;
    for (const s of data.schools) {
      if (!s.inScope) continue;
      total++;
      if (schoolsWithTrainedLead.has(s.id)) met++;
    }
    return { met, total };
  },
};
