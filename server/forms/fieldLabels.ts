/**
 * What the forms call each field, per collection, so pages about a record (the "changed since you
 * opened it" page) show the labels people saw rather than field names. Form fields and the record's own
 * fields share one map where their names differ (a date form field `due` and the record's `dueOn`), and
 * both get the same label, so the two versions line up row by row. Nested record fields are dotted
 * (`filtering.iwf.confirmed`).
 */
const premises = {
  name: 'Name of the building',
  ref: 'Reference',
  uprn: 'UPRN',
  address: 'Address',
  postcode: 'Postcode',
  ward: 'Ward',
  operator: 'Operator',
  buildingType: 'Building type',
  hireableSpace: 'Does it have space outside groups can hire?',
  publicIt: 'Does it have public IT or Wi-Fi?',
  risk: 'Prevent risk rating',
  riskRationale: 'Why this rating',
  siteManagerEmail: 'Site manager’s email address',
};

const hirerFields = {
  hirerName: 'Name of the person booking',
  organisation: 'Organisation',
  otherNames: 'Other names they use',
  charityNumber: 'Charity number',
  companyNumber: 'Company number',
  hirerEmail: 'Email address',
  hirerPhone: 'Phone',
  hirerAddress: 'Address',
};

const dateParts = (prefix: string, label: string) => ({ [prefix]: label });

/** The home-education return's counts, as its form asks for them. */
export const homeEducationCountLabels = {
  offRollForEhe: 'Pupils taken off roll for elective home education',
  missingEducation: 'Children identified as missing education',
  eheTeamContacted: 'Contacted by the elective home education team',
  safeguardingConcerns: 'With a safeguarding concern',
  preventConcerns: 'With a Prevent concern',
  referralsToMash: 'Referred to the multi-agency safeguarding hub',
  referralsToPrevent: 'Referred to Prevent (national referral form)',
} as const;

/** Which collection a reference field points into (by the field's name, in every collection). */
export const referenceCollections: Record<string, string> = {
  premisesId: 'premises',
  hallId: 'halls',
  hirerId: 'hirers',
  bookingId: 'bookings',
  libraryId: 'libraries',
  libraryIds: 'libraries',
  schoolId: 'schools',
  leadId: 'preventLeads',
  departmentId: 'departments',
  reviewId: 'reviews',
  watchlistId: 'watchlists',
  listId: 'watchlists',
  userId: 'users',
  headingId: 'planHeadings',
  sessionId: 'trainingSessions',
  filterTestId: 'filterTests',
};

export const fieldLabels: Record<string, Record<string, string>> = {
  premises,
  users: { name: 'Name', role: 'Role', libraryIds: 'Libraries they manage' },
  reviews: {
    status: 'Status',
    notes: 'Notes',
    submittedBy: 'Submitted by',
    'attest-name': 'Name of the person attesting',
    'attest-role': 'Their role',
    'attestation.name': 'Name of the person attesting',
    'attestation.role': 'Their role',
    ...dateParts('attest-date', 'Date they confirmed'),
    'attestation.confirmedOn': 'Date they confirmed',
    draftAttestation: 'Attestation as typed on the draft',
  },
  halls: { hallName: 'Name', name: 'Name', capacity: 'Capacity', archived: 'Hiring' },
  hirers: {
    ...hirerFields,
    name: hirerFields.hirerName,
    email: hirerFields.hirerEmail,
    phone: hirerFields.hirerPhone,
    address: hirerFields.hirerAddress,
  },
  bookings: {
    ref: 'Booking reference',
    hallId: 'Hall',
    ...dateParts('start', 'Date of the event'),
    ...dateParts('end', 'Date it ends'),
    startTime: 'Start time',
    endTime: 'End time',
    eventTitle: 'Event title',
    purpose: 'Purpose, theme and agenda',
    expectedAttendance: 'Expected attendance',
    openToPublic: 'Is it open to the public?',
    ...hirerFields,
    speakers: 'Speakers',
    bookingOfficerEmail: 'Booking officer’s email address',
    status: 'Status',
    decision: 'Decision',
    rationale: 'Reasons for the decision',
    conditions: 'Conditions',
    expression: 'Freedom of expression and assembly',
    equality: 'Equality Act duties',
    alternatives: 'Less restrictive options weighed',
  },
  libraries: {
    service: 'Library service',
    type: 'Kind of library',
    statutory: 'Part of the statutory service',
    yearOpened: 'Year opened',
    yearClosed: 'Year closed',
    contactEmail: 'Public email address',
    reattestation: 'Attestation due again',
    provider: 'Filtering provider',
    'filtering.provider': 'Filtering provider',
    product: 'Filter product',
    'filtering.product': 'Filter product',
    iwfConfirmed: 'Provider confirmed IWF membership',
    'filtering.iwf.confirmed': 'Provider confirmed IWF membership',
    ...dateParts('iwfOn', 'Date the provider confirmed IWF membership'),
    'filtering.iwf.on': 'Date the provider confirmed IWF membership',
    iwfEvidence: 'Evidence of IWF membership',
    'filtering.iwf.evidence': 'Evidence of IWF membership',
    ctiruConfirmed: 'Provider confirmed CTIRU list blocking',
    'filtering.ctiru.confirmed': 'Provider confirmed CTIRU list blocking',
    ...dateParts('ctiruOn', 'Date the provider confirmed CTIRU list blocking'),
    'filtering.ctiru.on': 'Date the provider confirmed CTIRU list blocking',
    ctiruEvidence: 'Evidence of CTIRU list blocking',
    'filtering.ctiru.evidence': 'Evidence of CTIRU list blocking',
    blockedCategories: 'Categories blocked for all public users',
    'filtering.blockedCategories': 'Categories blocked for all public users',
    otherCategories: 'Other blocked categories',
    publicPcCount: 'Number of public computers',
    'filtering.publicPcCount': 'Number of public computers',
    publicWifi: 'Public Wi-Fi',
    'filtering.publicWifi': 'Public Wi-Fi',
    childProfile: 'Is there a separate, stricter profile for children?',
    'filtering.childProfile': 'Is there a separate, stricter profile for children?',
    childAgeThreshold: 'Children’s profile applies under the age of',
    'filtering.childAgeThreshold': 'Children’s profile applies under the age of',
  },
  actionPlans: { title: 'Title of the plan', ownerEmail: 'Email address of the plan’s owner' },
  planActivities: {
    headingId: 'Heading',
    description: 'Activity',
    owner: 'Owner',
    ownerEmail: 'Owner’s email address',
    ...dateParts('due', 'Due date'),
    dueOn: 'Due date',
    rag: 'RAG status',
    repeatMonths: 'Repeats every (months)',
  },
  preventLeads: {
    name: 'Full name',
    role: 'Role',
    email: 'Email address',
    phone: 'Telephone',
    startOn: 'Started as Prevent lead',
    endOn: 'Stopped being Prevent lead',
    contactConfirmedOn: 'Contact details last confirmed by the school',
  },
  homeEducationCounts: {
    academicYear: 'Academic year',
    term: 'Term',
    notes: 'Notes',
    ...homeEducationCountLabels,
  },
  // Records no form edits (filled by imports, uploads and screening): their fields as the pages name them.
  schools: {
    urn: 'URN',
    establishmentNumber: 'Establishment number',
    typeName: 'Type of establishment',
    phaseName: 'Phase of education',
    statusName: 'Status on the register',
    address3: 'Address line 3',
    headTitle: 'Headteacher’s title',
    headFirstName: 'Headteacher’s first name',
    headLastName: 'Headteacher’s last name',
    openDate: 'Opened on',
    closeDate: 'Closed on',
    statutoryLowAge: 'Youngest pupils’ age',
    statutoryHighAge: 'Oldest pupils’ age',
    inScope: 'Needs a Prevent lead and a yearly audit',
  },
  leadTraining: { type: 'Training', completedOn: 'Completed on', evidenceRef: 'Evidence reference' },
  evidence: {
    filename: 'File name',
    mediaType: 'Kind of file',
    size: 'Size in bytes',
    sha256: 'Fingerprint of the file (SHA-256)',
    description: 'Description',
    uploadedBy: 'Uploaded by',
  },
  bookingScreenings: {
    eventDay: 'Day the event ends',
    at: 'Screened at',
    by: 'Screened by',
    why: 'Screened because',
    lists: 'Lists screened against',
    matches: 'Possible matches',
  },
  bookingDecisions: { balancing: 'Rights and duties weighed' },
  watchlists: {
    asOf: 'List dated',
    entryCount: 'Number of entries',
    importedAt: 'Imported at',
    importedBy: 'Imported by',
  },
  watchlistEntries: { regime: 'Sanctions regime', aliases: 'Other names', listedOn: 'Listed on' },
  departments: {
    name: 'Department name',
    staffRequiringTraining: 'Staff requiring Prevent training',
    targetPercent: 'Target share trained, in per cent',
  },
  staffRecords: { departmentId: 'Department' },
  trainingSessions: {
    departmentId: 'Department',
    date: 'Date of the session',
    type: 'Training',
    attendees: 'Number of attendees',
    trainer: 'Delivered by',
    notes: 'Notes',
  },
};

/** `riskRationale` → "Risk rationale", `attest-name` → "Attest name": for a field no map names. */
export function humanise(key: string): string {
  const words = key
    .split('.')
    .at(-1)!
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The label of a form or record field of `collection`. */
export function fieldLabel(collection: string, key: string): string {
  return fieldLabels[collection]?.[key] ?? humanise(key);
}
