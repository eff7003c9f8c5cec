import { itemAt } from '../../data/itemAt.js';
import iconv from 'iconv-lite';

// The 2018/19 `edubasealldata` header, in the order DfE publishes it.
const HEADER_133 = [
  'URN',
  'LA (code)',
  'LA (name)',
  'EstablishmentNumber',
  'EstablishmentName',
  'TypeOfEstablishment (code)',
  'TypeOfEstablishment (name)',
  'EstablishmentTypeGroup (code)',
  'EstablishmentTypeGroup (name)',
  'EstablishmentStatus (code)',
  'EstablishmentStatus (name)',
  'ReasonEstablishmentOpened (code)',
  'ReasonEstablishmentOpened (name)',
  'OpenDate',
  'ReasonEstablishmentClosed (code)',
  'ReasonEstablishmentClosed (name)',
  'CloseDate',
  'PhaseOfEducation (code)',
  'PhaseOfEducation (name)',
  'StatutoryLowAge',
  'StatutoryHighAge',
  'Boarders (code)',
  'Boarders (name)',
  'NurseryProvision (name)',
  'OfficialSixthForm (code)',
  'OfficialSixthForm (name)',
  'Gender (code)',
  'Gender (name)',
  'ReligiousCharacter (code)',
  'ReligiousCharacter (name)',
  'ReligiousEthos (name)',
  'Diocese (code)',
  'Diocese (name)',
  'AdmissionsPolicy (code)',
  'AdmissionsPolicy (name)',
  'SchoolCapacity',
  'SpecialClasses (code)',
  'SpecialClasses (name)',
  'CensusDate',
  'NumberOfPupils',
  'NumberOfBoys',
  'NumberOfGirls',
  'PercentageFSM',
  'TrustSchoolFlag (code)',
  'TrustSchoolFlag (name)',
  'Trusts (code)',
  'Trusts (name)',
  'SchoolSponsorFlag (name)',
  'SchoolSponsors (name)',
  'FederationFlag (name)',
  'Federations (code)',
  'Federations (name)',
  'UKPRN',
  'FEHEIdentifier',
  'FurtherEducationType (name)',
  'OfstedLastInsp',
  'OfstedSpecialMeasures (code)',
  'OfstedSpecialMeasures (name)',
  'LastChangedDate',
  'Street',
  'Locality',
  'Address3',
  'Town',
  'County (name)',
  'Postcode',
  'SchoolWebsite',
  'TelephoneNum',
  'HeadTitle (name)',
  'HeadFirstName',
  'HeadLastName',
  'HeadPreferredJobTitle',
  'InspectorateName (name)',
  'InspectorateReport',
  'DateOfLastInspectionVisit',
  'NextInspectionVisit',
  'TeenMoth (name)',
  'TeenMothPlaces',
  'CCF (name)',
  'SENPRU (name)',
  'EBD (name)',
  'PlacesPRU',
  'FTProv (name)',
  'EdByOther (name)',
  'Section41Approved (name)',
  'SEN1 (name)',
  'SEN2 (name)',
  'SEN3 (name)',
  'SEN4 (name)',
  'SEN5 (name)',
  'SEN6 (name)',
  'SEN7 (name)',
  'SEN8 (name)',
  'SEN9 (name)',
  'SEN10 (name)',
  'SEN11 (name)',
  'SEN12 (name)',
  'SEN13 (name)',
  'TypeOfResourcedProvision (name)',
  'ResourcedProvisionOnRoll',
  'ResourcedProvisionCapacity',
  'SenUnitOnRoll',
  'SenUnitCapacity',
  'GOR (code)',
  'GOR (name)',
  'DistrictAdministrative (code)',
  'DistrictAdministrative (name)',
  'AdministrativeWard (code)',
  'AdministrativeWard (name)',
  'ParliamentaryConstituency (code)',
  'ParliamentaryConstituency (name)',
  'UrbanRural (code)',
  'UrbanRural (name)',
  'GSSLACode (name)',
  'Easting',
  'Northing',
  'CensusAreaStatisticWard (name)',
  'MSOA (name)',
  'LSOA (name)',
  'Inspectorate (name)',
  'SENStat',
  'SENNoStat',
  'BoardingEstablishment (name)',
  'PropsName',
  'PreviousLA (code)',
  'PreviousLA (name)',
  'PreviousEstablishmentNumber',
  'OfstedRating (name)',
  'RSCRegion (name)',
  'Country (name)',
  'UPRN',
  'SiteName',
  'MSOA (code)',
  'LSOA (code)',
];

/** The 2024 header: the 2018/19 one with the renames, removals and additions DfE made since. */
function header139(): string[] {
  const h = HEADER_133.filter((c) => c !== 'CensusAreaStatisticWard (name)' && c !== 'RSCRegion (name)');
  h[h.indexOf('InspectorateName (name)')] = 'BSOInspectorateName (name)';
  h[h.indexOf('Inspectorate (name)')] = 'InspectorateName (name)';
  const qab = [
    'QABName (code)',
    'QABName (name)',
    'EstablishmentAccredited (code)',
    'EstablishmentAccredited (name)',
    'QABReport',
    'CHNumber',
  ];
  h.splice(h.indexOf('SiteName') + 1, 0, ...qab);
  h.push('FSM', 'AccreditationExpiryDate');
  return h;
}

// DfE writes these without quotes in data rows; every other field is quoted, blanks as "".
const UNQUOTED = new Set([
  'URN',
  'StatutoryLowAge',
  'StatutoryHighAge',
  'SchoolCapacity',
  'UKPRN',
  'Easting',
  'Northing',
]);

const LAS: [string, string][] = [
  ['201', 'City of London'],
  ['202', 'Camden'],
  ['206', 'Islington'],
  ['207', 'Kensington and Chelsea'],
  ['302', 'Barnet'],
  ['330', 'Birmingham'],
  ['355', 'Salford'],
  ['380', 'Bradford'],
  ['873', 'Cambridgeshire'],
  ['886', 'Kent'],
  ['919', 'Hertfordshire'],
  ['926', 'Norfolk'],
  ['936', 'Surrey'],
  ['941', 'North Northamptonshire'],
];
const SAINTS = ['Mary’s', 'Joseph’s', 'Thomas’', 'Anne’s', 'John’s', 'Peter’s', 'Michael’s', 'Bernadette’s'];
const PLACES = [
  'Highgate',
  'Brent Cross',
  'Eccles',
  'Ashford',
  'Hitchin',
  'Mill Hill',
  'Bromsgrove',
  'Thetford',
];
const KINDS: [string, string, string, string][] = [
  ['02', 'Voluntary aided school', '2', 'Primary'],
  ['01', 'Community school', '2', 'Primary'],
  ['34', 'Academy converter', '4', 'Secondary'],
  ['28', 'Academy sponsor led', '4', 'Secondary'],
  ['11', 'Other independent school', '0', 'Not applicable'],
  ['15', 'Local authority nursery school', '1', 'Nursery'],
  ['18', 'Further education', '6', '16 plus'],
];
const HEADS: [string, string, string][] = [
  ['Mrs', 'Zoë', 'O’Brien'],
  ['Mr', 'José', 'Dubois'],
  ['Ms', 'Renée', 'Smith'],
  ['Dr', 'Amit', 'Patel'],
];

function schoolName(i: number, phase: string): string {
  const place = itemAt(PLACES, i % PLACES.length);
  switch (i % 5) {
    case 0:
      return `St ${itemAt(SAINTS, i % SAINTS.length)} CofE ${phase} School`;
    case 1:
      return `École ${place} ${phase}`;
    case 2:
      return `${place} Academy`;
    case 3:
      return `Our Lady of Lourdes RC ${phase} School`;
    default:
      return `${place} Café Nursery and ${phase} School ${i}`;
  }
}

function ddmmyyyy(i: number, year: number): string {
  return `${String((i % 28) + 1).padStart(2, '0')}-${String((i % 12) + 1).padStart(2, '0')}-${year}`;
}

function rowValues(i: number): Record<string, string> {
  const [laCode, laName] = itemAt(LAS, i % LAS.length);
  const [typeCode, typeName, phaseCode, phaseName] = itemAt(KINDS, i % KINDS.length);
  const [title, first, last] = itemAt(HEADS, i % HEADS.length);
  const closed = i % 9 === 0;
  const secondary = phaseName === 'Secondary';
  const place = itemAt(PLACES, (i >> 3) % PLACES.length);
  return {
    URN: String(100000 + i),
    'LA (code)': laCode,
    'LA (name)': laName,
    EstablishmentNumber: String(1000 + (i % 8999)),
    EstablishmentName: schoolName(i, phaseName),
    'TypeOfEstablishment (code)': typeCode,
    'TypeOfEstablishment (name)': typeName,
    'EstablishmentTypeGroup (code)': '4',
    'EstablishmentTypeGroup (name)': 'LA maintained schools',
    'EstablishmentStatus (code)': closed ? '2' : '1',
    'EstablishmentStatus (name)': closed ? 'Closed' : 'Open',
    'ReasonEstablishmentOpened (code)': '00',
    'ReasonEstablishmentOpened (name)': 'Not applicable',
    OpenDate: i % 3 === 0 ? ddmmyyyy(i, 2000 + (i % 24)) : '',
    'ReasonEstablishmentClosed (code)': closed ? '04' : '00',
    'ReasonEstablishmentClosed (name)': closed ? 'Fresh Start' : 'Not applicable',
    CloseDate: closed ? ddmmyyyy(i, 2022) : '',
    'PhaseOfEducation (code)': phaseCode,
    'PhaseOfEducation (name)': phaseName,
    StatutoryLowAge: secondary ? '11' : '3',
    StatutoryHighAge: secondary ? '18' : '11',
    'Boarders (code)': '1',
    'Boarders (name)': 'No boarders',
    'NurseryProvision (name)': 'Has Nursery Classes',
    'OfficialSixthForm (code)': '2',
    'OfficialSixthForm (name)': 'Does not have a sixth form',
    'Gender (code)': '3',
    'Gender (name)': 'Mixed',
    'ReligiousCharacter (name)': 'Does not apply',
    'ReligiousEthos (name)': 'Does not apply',
    'Diocese (code)': '0000',
    'Diocese (name)': 'Not applicable',
    'AdmissionsPolicy (name)': 'Not applicable',
    SchoolCapacity: String(200 + (i % 1300)),
    'SpecialClasses (name)': 'No Special Classes',
    CensusDate: '18-01-2024',
    NumberOfPupils: String(180 + (i % 1200)),
    PercentageFSM: '24.0',
    'TrustSchoolFlag (name)': 'Not applicable',
    'SchoolSponsorFlag (name)': 'Not applicable',
    'FederationFlag (name)': 'Not under a federation',
    UKPRN: String(10000000 + i),
    'FurtherEducationType (name)': 'Not applicable',
    OfstedLastInsp: ddmmyyyy(i + 3, 2019),
    'OfstedSpecialMeasures (name)': 'Not applicable',
    LastChangedDate: ddmmyyyy(i + 7, 2024),
    Street: `${(i % 200) + 1} ${place} Road`,
    Locality: i % 2 === 0 ? 'North Kensington' : '',
    Town: place,
    'County (name)': i % 4 === 0 ? 'Hertfordshire' : '',
    Postcode: `N${(i % 20) + 1} ${i % 10}${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + ((i >> 5) % 26))}`,
    SchoolWebsite: `www.school${i}.example.sch.uk`,
    TelephoneNum: `020${String(80000000 + i)}`,
    'HeadTitle (name)': title,
    HeadFirstName: first,
    HeadLastName: last,
    HeadPreferredJobTitle: 'Headteacher',
    'GOR (code)': 'H',
    'GOR (name)': 'London',
    'DistrictAdministrative (code)': 'E09000003',
    'DistrictAdministrative (name)': laName,
    'UrbanRural (name)': 'Urban major conurbation',
    Easting: String(520000 + (i % 9000)),
    Northing: String(180000 + (i % 9000)),
    'MSOA (name)': `${laName} 001`,
    'LSOA (name)': `${laName} 001E`,
    'OfstedRating (name)': 'Good',
    'Country (name)': '',
    UPRN: String(200000000 + i),
  };
}

function quote(value: string): string {
  return `"${value.replaceAll('"', '""')}"`;
}

/**
 * A synthetic GIAS `edubasealldata` file shaped like the real download: Windows-1252, CRLF, every header
 * field quoted, numeric fields unquoted in data rows, DD-MM-YYYY dates, names with ’ and é.
 * URNs are 100000, 100001, …; LAs cycle through a fixed list (Barnet is code 302).
 */
export function generateGiasCsv(rows: number, layout: 133 | 139): Buffer {
  const header = layout === 133 ? HEADER_133 : header139();
  const lines: string[] = [header.map(quote).join(',')];
  for (let i = 0; i < rows; i++) {
    const values = rowValues(i);
    const fields: string[] = new Array(header.length);
    for (let c = 0; c < header.length; c++) {
      const column = itemAt(header, c);
      const value = values[column] ?? (column.endsWith('(name)') ? 'Not applicable' : '');
      fields[c] = UNQUOTED.has(column) ? value : quote(value);
    }
    lines.push(fields.join(','));
  }
  return iconv.encode(`${lines.join('\r\n')}\r\n`, 'win1252');
}
