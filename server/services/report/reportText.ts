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

/** GOV.UK colours for the charts (SVG and PDF); every bar also carries its figure as text. */
export const colours = {
  blue: '#1d70b8',
  grey: '#b1b4b6',
  green: '#00703c',
  red: '#d4351c',
  amber: '#f47738',
  text: '#0b0c0c',
  secondary: '#505a5f',
} as const;
