import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { parseTrainingCsv, trainingTypeFrom } from '../../../data/csv/trainingReader.js';

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/csv/${name}`, import.meta.url));
const TODAY = '2026-06-15';

describe('Staff training records reader', () => {
  it('when the file is good, then each row is read with its training type recognised by label or id', () => {
    const { rows, errors } = parseTrainingCsv(fixture('training.csv'), { today: TODAY });
    expect(errors).to.deep.equal([]);
    expect(
      rows.map((r) => [r.row, r.department, r.staffId, r.name, r.trainingType, r.completedOn]),
    ).to.deep.equal([
      [2, 'Community Safety', 'CS101', 'Alex Morgan', 'prevent-awareness', '2025-09-01'],
      [3, 'Community Safety', 'CS102', 'Sam Patel', 'wrap', '2025-10-15'],
      [4, 'housing and neighbourhoods', 'HN201', 'Jo Reid', 'prevent-referrals', '2026-01-20'],
      [5, 'Housing and Neighbourhoods', 'HN202', "O'Neill, Pat", 'venue-hire-briefing', '2024-02-10'],
    ]);
  });

  it('when rows are bad, then each is named by row and column, and a repeated person, course and date is refused', () => {
    const { rows, errors } = parseTrainingCsv(fixture('training_bad.csv'), { today: TODAY });
    expect(errors.map((e) => [e.row, e.column])).to.deep.equal([
      [3, 'department'],
      [4, 'staff_id'],
      [5, 'training_type'],
      [6, 'completed_on'],
      [7, 'completed_on'],
      [8, 'staff_id'],
    ]);
    expect(errors[2]?.message).to.match(/"First aid" is not a training type/);
    expect(errors[3]?.message).to.equal('"01/09/2025" is not a date like 2025-03-14');
    expect(errors[4]?.message).to.match(/2099-01-01 is in the future/);
    expect(errors[5]?.message).to.match(/already on row 2/);
    // Departments are checked against the register by the import, not by the reader.
    expect(rows.map((r) => r.row)).to.deep.equal([2, 9]);
  });

  it('when a required column is missing from the header, then the header row names it', () => {
    const { errors } = parseTrainingCsv(Buffer.from('department,name,training_type\nHousing,A,WRAP\n'), {
      today: TODAY,
    });
    expect(errors).to.deep.equal([
      { row: 1, column: 'staff_id', message: 'the header has no "staff_id" column' },
      { row: 1, column: 'completed_on', message: 'the header has no "completed_on" column' },
    ]);
  });

  it('when the optional name and role columns are left out, then rows still read', () => {
    const { rows, errors } = parseTrainingCsv(
      Buffer.from(
        'staff_id,department,completed_on,training_type\r\nE1,Housing,2026-02-30,WRAP\r\nE2,Housing,2026-02-28,wrap\r\n',
      ),
      { today: TODAY },
    );
    expect(errors).to.deep.equal([
      { row: 2, column: 'completed_on', message: '"2026-02-30" is not a date like 2025-03-14' },
    ]);
    expect(rows).to.deep.equal([
      {
        row: 3,
        department: 'Housing',
        staffId: 'E2',
        name: null,
        role: null,
        trainingType: 'wrap',
        completedOn: '2026-02-28',
      },
    ]);
  });

  it('when training types are written as HR systems do, then they are recognised', () => {
    expect(trainingTypeFrom('Workshop to Raise Awareness of Prevent')).to.equal('wrap');
    expect(trainingTypeFrom('PREVENT AWARENESS')).to.equal('prevent-awareness');
    expect(trainingTypeFrom('Home Office Channel awareness e-learning')).to.equal('channel-awareness');
    expect(trainingTypeFrom('Council Prevent briefing')).to.equal('council-briefing');
    expect(trainingTypeFrom('Fire safety')).to.equal(undefined);
  });
});
