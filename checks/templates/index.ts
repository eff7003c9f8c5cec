import type { ChecklistTemplate, SubjectType } from '../templateTypes.js';
import { premisesAudit } from './premisesAudit.js';

export const templates: ChecklistTemplate[] = [premisesAudit];

export function getTemplate(id: string, version?: number): ChecklistTemplate {
  const matching = templates.filter((t) => t.id === id);
  const found =
    version === undefined
      ? matching.sort((a, b) => b.version - a.version)[0]
      : matching.find((t) => t.version === version);
  if (!found)
    throw new Error(`Unknown checklist template ${id}${version === undefined ? '' : ` version ${version}`}`);
  return found;
}

export function latestTemplateFor(subjectType: SubjectType): ChecklistTemplate | undefined {
  return templates.filter((t) => t.subjectType === subjectType).sort((a, b) => b.version - a.version)[0];
}
