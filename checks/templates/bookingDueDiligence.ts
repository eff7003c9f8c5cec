import type { ChecklistTemplate } from '../templateTypes.js';

const NY_PARTNERSHIPS = 'North Yorkshire Partnerships, Prevent venue hire guidance';
const SOMERSET = 'Somerset Council, Prevent private venue hire and booking policy';
const CHARITY_COMMISSION =
  'Charity Commission, Compliance Toolkit chapter 5 (external speakers), as summarised by charityscreen.com';

/**
 * Due diligence on one booking, completed before it is confirmed (CHECKLISTS.md §2), as first published.
 * Sections follow the North Yorkshire ASK / CHECK / DECIDE steps; H14 is an ASK question but keeps its
 * number, so questions stay in H-number order. Kept for the checks completed against it.
 */
export const bookingDueDiligenceV1: ChecklistTemplate = {
  id: 'booking-due-diligence',
  version: 1,
  title: 'Booking due diligence',
  subjectType: 'booking',
  intervalMonths: null,
  questions: [
    {
      id: 'H1',
      section: 'ASK',
      text: "Have the booker's identity and contact details (name, address, phone and email) been verified?",
      help: 'Check them against something independent, such as a website or an earlier booking.',
      source: `${NY_PARTNERSHIPS}, ASK step; ${SOMERSET}: enough information to verify the booker's identity`,
      critical: true,
      naAllowed: false,
      naNeedsReason: true,
    },
    {
      id: 'H2',
      section: 'ASK',
      text: 'Has the organisation been identified, with any other names it uses, its partners, and the end client if an agent is booking?',
      help: 'If an event company makes the booking, find out who its client is.',
      source: `${NY_PARTNERSHIPS}, ASK step (other names, booking on behalf of others) and tip: know who the client is`,
      critical: true,
      naAllowed: false,
      naNeedsReason: true,
    },
    {
      id: 'H3',
      section: 'ASK',
      text: 'Have the event title, purpose or theme, agenda, expected audience size, and whether it is open or ticketed been recorded?',
      help: 'Ask what the event is for and who the audience will be.',
      source: `${NY_PARTNERSHIPS}, ASK step 3 (event details); East Cambridgeshire, Venue owners`,
      critical: true,
      naAllowed: false,
      naNeedsReason: true,
    },
    {
      id: 'H4',
      section: 'ASK',
      text: 'Have all speakers and performers been named?',
      help: "You can't check speakers who aren't named. Answer N/A, with a reason, if there are none.",
      source: `${NY_PARTNERSHIPS}, ASK step 3 (speakers)`,
      critical: true,
      naAllowed: true,
      naNeedsReason: true,
    },
    {
      id: 'H5',
      section: 'CHECK',
      text: 'Have the organisation and every speaker been checked against the current Home Office list of proscribed organisations, with the date of the list recorded?',
      help: 'Use the current GOV.UK list and record its date. Check the OFSI sanctions list too.',
      source: `Terrorism Act 2000: arranging or addressing a meeting that supports a proscribed organisation is an offence; ${SOMERSET}: no groups banned or proscribed by law; ${CHARITY_COMMISSION}`,
      critical: true,
      naAllowed: false,
      naNeedsReason: true,
    },
    {
      id: 'H6',
      section: 'CHECK',
      text: 'Has an open-source check (websites, social media, news, articles and speeches) been done on the organisation and speakers, with any adverse findings recorded?',
      help: 'Look at what they say and at what others say about them.',
      source: `${NY_PARTNERSHIPS}, CHECK step 1; ${CHARITY_COMMISSION}`,
      critical: true,
      naAllowed: false,
      naNeedsReason: true,
    },
    {
      id: 'H7',
      section: 'CHECK',
      text: 'If the booker is a charity, has its charity number been checked on the Charity Commission register?',
      help: 'Answer N/A, with a reason, if the booker is not a charity.',
      source: `${NY_PARTNERSHIPS}, CHECK step 3`,
      critical: false,
      naAllowed: true,
      naNeedsReason: true,
    },
    {
      id: 'H8',
      section: 'CHECK',
      text: "Has a reference been obtained from a venue the hirer used before, or has the hirer's previous safe use of council premises been confirmed?",
      help: "The hirer's history shows earlier council bookings and what was decided.",
      source: `${NY_PARTNERSHIPS}, CHECK step 2`,
      critical: false,
      naAllowed: false,
      naNeedsReason: true,
    },
    {
      id: 'H9',
      section: 'CHECK',
      text: 'Has the promotional material (flyers, posters, online adverts) been seen, and does it match what was declared?',
      help: 'It can show speakers or themes that were not declared. Answer N/A, with a reason, if the event is not promoted.',
      source: `${NY_PARTNERSHIPS}, ASK step 3 (promotion, copies of flyers)`,
      critical: false,
      naAllowed: true,
      naNeedsReason: true,
    },
    {
      id: 'H10',
      section: 'CHECK',
      text: 'Has the hirer signed the terms of hire (no proscribed groups, no promotion of hatred or terrorism, the council may cancel and may attend)?',
      help: 'Use the current terms and conditions of hire.',
      source: `${SOMERSET}: conditions of use; contractual control`,
      critical: true,
      naAllowed: false,
      naNeedsReason: true,
    },
    {
      id: 'H11',
      section: 'CHECK',
      text: 'Has the booking officer had a Prevent venue-hire briefing within the refresh period?',
      help: 'The refresh period is 2 years.',
      source: 'East Cambridgeshire, Venue owners (tip 1); Salford Prevent venue hire training',
      critical: true,
      naAllowed: false,
      naNeedsReason: true,
    },
    {
      id: 'H12',
      section: 'DECIDE',
      text: 'If a concern was found, was it referred to the Prevent lead and a decision made (approve, approve with conditions or refuse), with the reasons recorded?',
      help: 'Weigh free speech and equality too. Answer N/A, with a reason, if the checks found no concern.',
      source: `${NY_PARTNERSHIPS}, DECIDE step; ${CHARITY_COMMISSION}: record the reasoning behind decisions; Wigan, Venue hire and speakers due diligence`,
      critical: true,
      naAllowed: true,
      naNeedsReason: true,
    },
    {
      id: 'H13',
      section: 'DECIDE',
      text: 'Were any conditions recorded and passed to on-site staff (for example, a council officer present, or no change of speaker)?',
      help: 'Answer N/A, with a reason, if the booking has no conditions.',
      source: `${NY_PARTNERSHIPS}, DECIDE step: take action to reduce the risks`,
      critical: false,
      naAllowed: true,
      naNeedsReason: true,
    },
    {
      id: 'H14',
      section: 'ASK',
      text: "Has the hirer provided an equality and diversity policy, or agreed to follow the council's?",
      help: 'Ask when the booking is made.',
      source: `${NY_PARTNERSHIPS}, ASK step 2`,
      critical: false,
      naAllowed: false,
      naNeedsReason: true,
    },
  ],
};

/**
 * Version 2: the checks come before the decision, which is recorded on its own form, so H12 and H13 no
 * longer ask whether a decision was made or conditions passed on: they ask that a concern was referred
 * for the decision, and conditions it needs noted for it. Same ids, sections, critical flags and N/A rules.
 */
export const bookingDueDiligence: ChecklistTemplate = {
  ...bookingDueDiligenceV1,
  version: 2,
  questions: bookingDueDiligenceV1.questions.map((q) => {
    if (q.id === 'H12')
      return {
        ...q,
        text: 'If a concern was found, has it been referred to the Prevent lead for the decision, with what was found written down?',
        help: 'The decision and its reasons are recorded next, on the decision form. Answer N/A, with a reason, if the checks found no concern.',
      };
    if (q.id === 'H13')
      return {
        ...q,
        text: 'If the checks point to conditions (for example a council officer present, or no change of speaker), have they been noted for the decision?',
        help: 'Conditions are recorded with the decision and printed for on-site staff. Answer N/A, with a reason, if none are needed.',
      };
    return q;
  }),
};
