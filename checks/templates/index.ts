import type { ChecklistTemplate, SubjectType } from '../templateTypes.js';
import { actionPlanReview } from './actionPlanReview.js';
import { bookingDueDiligence, bookingDueDiligenceV1 } from './bookingDueDiligence.js';
import { libraryAttestation } from './libraryAttestation.js';
import { premisesAudit } from './premisesAudit.js';
import { schoolAudit } from './schoolAudit.js';

/**
 * Every template version ever published. Old versions stay here once a new one is added, because a
 * submitted review always refers to the version it was completed against.
 */
export const templates: readonly ChecklistTemplate[] = [
  premisesAudit,
  bookingDueDiligenceV1,
  bookingDueDiligence,
  libraryAttestation,
  schoolAudit,
  actionPlanReview,
];

function latestOf(candidates: readonly ChecklistTemplate[]): ChecklistTemplate | undefined {
  let latest: ChecklistTemplate | undefined;
  for (const template of candidates) {
    if (!latest || template.version > latest.version) latest = template;
  }
  return latest;
}

/** The template with this id, at `version` or the latest version when omitted. Throws when there is none. */
export function getTemplate(id: string, version?: number): ChecklistTemplate {
  const versions = templates.filter((template) => template.id === id);
  if (versions.length === 0) {
    throw new Error(`Unknown checklist template "${id}".`);
  }
  if (version === undefined) return latestOf(versions)!;
  const found = versions.find((template) => template.version === version);
  if (!found) {
    const known = versions.map((template) => template.version).join(', ');
    throw new Error(`Checklist template "${id}" has no version ${version} (known versions: ${known}).`);
  }
  return found;
}

/**
 * The latest template for a subject type, or undefined when that type has no checklist
 * (departments and single actions are measured, not reviewed).
 */
export function latestTemplateFor(subjectType: SubjectType): ChecklistTemplate | undefined {
  return latestOf(templates.filter((template) => template.subjectType === subjectType));
}
