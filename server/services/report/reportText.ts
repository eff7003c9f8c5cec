import type { PlanSummary } from '../../../checks/report/boardReport.js';
import type { RagStatus } from '../../../data/schemas/trainingSchemas.js';

export const ragLabels: Record<RagStatus, string> = {
  red: 'Red',
  amber: 'Amber',
  green: 'Green',
  complete: 'Complete',
};

export const reviewStateText: Record<PlanSummary['reviewState'], string> = {
  none: 'No review on record',
  overdue: 'Review overdue',
  'due-soon': 'Review due soon',
  'in-date': 'Review in date',
};
