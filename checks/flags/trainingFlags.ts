import { departmentTraining, sharePercent } from '../trainingRules.js';
import type { Flag, FlagData } from './flagTypes.js';

/** A department whose share of staff in date for Prevent training is below its target. */
export function trainingFlags(data: FlagData, asOf: string): Flag[] {
  const out: Flag[] = [];
  for (const t of departmentTraining(data, asOf)) {
    if (!t.belowTarget) continue;
    const d = t.department;
    out.push({
      rule: 'training-below-target',
      severity: 'medium',
      subject: { type: 'department', id: d.id, ref: d.name, name: d.name },
      dueOn: null,
      message: `${t.trained} of ${t.required} staff trained (${sharePercent(t.trained, t.required)}%), below the ${d.targetPercent}% target`,
    });
  }
  return out;
}
