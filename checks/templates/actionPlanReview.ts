import type { ChecklistTemplate } from '../templateTypes.js';

const TOOLKIT_2024 = 'Prevent duty toolkit for local authorities (Home Office, February 2024)';

/**
 * Quarterly governance review of the partnership's Prevent action plan as a whole (CHECKLISTS.md §6).
 * The actions themselves are records with owners and due dates, not questions here.
 */
export const actionPlanReview: ChecklistTemplate = {
  id: 'action-plan-review',
  version: 1,
  title: 'Prevent action plan review',
  subjectType: 'plan',
  intervalMonths: 3,
  questions: [
    {
      id: 'G1',
      text: 'Is there a multi-agency Prevent partnership group with terms of reference?',
      help: 'The group agrees the local risk and coordinates Prevent work.',
      source: `${TOOLKIT_2024}, section 1: multi-agency partnership group; Bath and North East Somerset Prevent action plan`,
      critical: true,
      naAllowed: false,
      naNeedsReason: true,
      confirmEachTime: true,
    },
    {
      id: 'G2',
      text: 'Is the plan informed by the current Counter Terrorism Local Profile (CTLP) and local risk assessment?',
      help: 'The CTLP is produced each year.',
      source: `${TOOLKIT_2024}, sections 2 and 3: local risk assessment and partnership plan; Barnet delivery group`,
      critical: true,
      naAllowed: false,
      naNeedsReason: true,
    },
    {
      id: 'G3',
      text: 'Does every action in the plan have an owner, a due date and a status?',
      help: 'Actions without an owner or date cannot be chased.',
      source: `${TOOLKIT_2024}, section 3: partnership plan`,
      critical: false,
      naAllowed: false,
      naNeedsReason: true,
    },
    {
      id: 'G4',
      text: 'Was progress on the plan reviewed at each quarterly partnership meeting?',
      help: 'Record the meeting dates.',
      source: 'Barnet: action plan reviewed every quarter; Fylde: partnership group meets quarterly',
      critical: true,
      naAllowed: false,
      naNeedsReason: true,
    },
    {
      id: 'G5',
      text: 'Has the plan been refreshed in the last 12 months, after the annual CTLP or local risk assessment?',
      help: 'A plan written in the last 12 months counts as refreshed.',
      source: `Barnet: the CTLP is produced annually and informs local action plans; ${TOOLKIT_2024}, section 3`,
      critical: false,
      naAllowed: false,
      naNeedsReason: true,
    },
    {
      id: 'G6',
      text: 'Are the links to the Safeguarding Children Partnership, Safeguarding Adults Board, Community Safety Partnership and Channel panel documented?',
      help: 'For example who attends which board and what is reported.',
      source:
        'Bath and North East Somerset Prevent action plan: links to safeguarding boards, Channel and youth offending; Fylde and Bromley practice',
      critical: false,
      naAllowed: false,
      naNeedsReason: true,
      confirmEachTime: true,
    },
  ],
};
