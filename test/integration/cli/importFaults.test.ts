import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { runCliInProcess as cli } from '../../support/runCliProcess.js';
import { tempFolders } from '../../support/tempFolder.js';

const folders = tempFolders('importfaults');
const PREMISES_HEADER =
  'ref,name,uprn,address,postcode,ward,operator,building_type,hireable_space,public_it,risk,site_manager_email';
const BOOKINGS_HEADER =
  'booking_ref,premises_ref,hall,start,end,event_title,purpose,expected_attendance,open_to_public,hirer_name,organisation,other_names,charity_number,company_number,speakers,booking_officer_email';

/** A folder holding one input file, and the path of a database that does not exist yet. */
function folderWith(name: string, content: string | Buffer) {
  const dir = folders.make();
  const file = join(dir, name);
  writeFileSync(file, content);
  return { dir, file, dbPath: join(dir, 'dueregard.json') };
}

describe('CLI imports: nothing left behind, plausible years, encodings named', () => {
  afterEach(() => folders.cleanUp());

  it('when a dry run names a database that does not exist, then it reports and creates no file', async () => {
    const f = folderWith('premises.csv', `${PREMISES_HEADER}\nP1,Town Hall,,,,,,,,,,\n`);
    const r = await cli(['import', 'premises', f.file, '--dry-run', '--db', f.dbPath]);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.include('Dry run, nothing written: created 1');
    expect(readdirSync(f.dir)).to.deep.equal(['premises.csv']);
  });

  it('when an import into a database that does not exist is refused, then it creates no file', async () => {
    const f = folderWith('premises.csv', `${PREMISES_HEADER}\n,No reference,,,,,,,,,,\n`);
    const r = await cli(['import', 'premises', f.file, '--db', f.dbPath]);
    expect(r.code).to.equal(1);
    expect(readdirSync(f.dir)).to.deep.equal(['premises.csv']);
  });

  it('when an import into a database that does not exist succeeds, then the database is created with it', async () => {
    const f = folderWith('premises.csv', `${PREMISES_HEADER}\nP1,Town Hall,,,,,,,,,,\n`);
    const r = await cli(['import', 'premises', f.file, '--db', f.dbPath]);
    expect(r.code, r.stderr).to.equal(0);
    expect(readdirSync(f.dir)).to.include.members(['dueregard.json', 'dueregard.audit.jsonl']);
  });

  it('when bookings have years 0000, 1900, 2999 or 9999, then the import is refused naming each row and column', async () => {
    const rows = ['0000-03-14T18:30', '1900-03-14T18:30', '2999-03-14T18:30', '9999-12-31T23:00'].map(
      (start, i) => `B-${i},P-1,Main Hall,${start},2026-03-14T21:00,Talk,,,,Amina Khan,,,,,,`,
    );
    const f = folderWith('bookings.csv', `${BOOKINGS_HEADER}\n${rows.join('\n')}\n`);
    const r = await cli(['import', 'bookings', f.file, '--db', f.dbPath]);
    expect(r.code).to.equal(1);
    for (const [row, year] of [
      [2, '0000'],
      [3, '1900'],
      [4, '2999'],
      [5, '9999'],
    ])
      expect(r.stderr).to.include(`row ${row}, column "start": "${year}`);
    expect(r.stderr).to.include('is not plausible for a booking: give a year from 2000 to 2099');
    expect(readdirSync(f.dir)).to.deep.equal(['bookings.csv']);
  });

  it('when a training record was completed in 1900, then the import is refused naming the row and column', async () => {
    const f = folderWith(
      'training.csv',
      'department,staff_id,name,role,training_type,completed_on\nCommunity Safety,CS1,A,B,WRAP,1900-01-01\n',
    );
    const r = await cli(['import', 'training', f.file, '--db', f.dbPath]);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include('row 2, column "completed_on": "1900-01-01": the year 1900 is not plausible');
  });

  it('when the file is UTF-16 (with or without its byte order mark), then it is named as UTF-16, not as an Excel workbook', async () => {
    const text = `${PREMISES_HEADER}\nP1,Town Hall,,,,,,,,,,\n`;
    for (const bytes of [
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
      Buffer.from(text, 'utf16le'),
      Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]),
    ]) {
      const f = folderWith('premises.csv', bytes);
      const r = await cli(['import', 'premises', f.file, '--db', f.dbPath]);
      expect(r.code).to.equal(1);
      expect(r.stderr).to.include('UTF-16');
      expect(r.stderr).to.not.include('Excel workbook');
      expect(readdirSync(f.dir)).to.deep.equal(['premises.csv']);
    }
  });
});
