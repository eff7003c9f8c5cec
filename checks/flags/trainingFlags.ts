import { departmentTraining, sharePercent } from '../trainingRules.js';
import type { Flag, FlagData } from './flagTypes.js';

/** A department whose share of staff in date for Prevent training is below its target. */
export function trainingFlags(data: FlagData, asOf: string): Flag[] {
  const out: Flag[] = [];
  for (const t of departmentTraining(data, asOf)) {
    if (!t.belowTarget) continue;
    const d = t.department;
    // Rounded half up, 89.9% reads as 90%: below a 90% target it is said as "just under".
    const percent = sharePercent(t.trained, t.required)!;
    const shown = percent >= d.targetPercent ? `just under ${d.targetPercent}%` : `${percent}%`;
    out.push({
      rule: 'training-below-target',
      severity: 'medium',
      subject: { type: 'department', id: d.id, ref: d.name, name: d.name },
      dueOn: null,
      message: `${t.trained} of ${t.required} staff trained (${shown}), below the ${d.targetPercent}% target`,
    });
  }
  return out;
}
