import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'chai';
import { runCliInProcess } from '../../support/runCliProcess.js';
import { needRealFixtures, realFile } from '../../support/realFixtures.js';
import { tempFolders } from '../../support/tempFolder.js';

// The published GIAS samples live beside the project; without them each test is pending, saying why.
const SAMPLE_2018 = 'gias_edubase_sample_dfe_schools_experience.csv';
const SAMPLE_2024 = 'gias_edubase_example_2024header_dfe_schools_experience_ANONYMISED.csv';

describe('CLI: import schools from the real GIAS samples (../shared/fixtures/real)', function () {
  this.timeout(60_000);
  const folders = tempFolders('schools-real');
  after(() => folders.cleanUp());

  for (const file of [SAMPLE_2018, SAMPLE_2024]) {
    it(`when ${file} is imported twice, then every school is created, then all unchanged`, async function () {
      needRealFixtures(this, file);
      const db = join(folders.make(), 'db.json');
      const first = await runCliInProcess(['import', 'schools', realFile(file), '--db', db]);
      expect(first.code, first.stderr).to.equal(0);
      expect(first.stdout).to.match(/^created [1-9]\d*, updated 0, unchanged 0, skipped 0\n$/);
      const count = Number(/created (\d+)/.exec(first.stdout)?.[1]);
      const again = await runCliInProcess(['import', 'schools', realFile(file), '--db', db]);
      expect(again.stdout.trim()).to.equal(`created 0, updated 0, unchanged ${count}, skipped 0`);
    });
  }

  it('when the 2018/19 sample is imported, then the open secondary and "All through" schools are in scope, primaries not', async function () {
    needRealFixtures(this, SAMPLE_2018);
    const db = join(folders.make(), 'db.json');
    expect((await runCliInProcess(['import', 'schools', realFile(SAMPLE_2018), '--db', db])).code).to.equal(
      0,
    );
    const stored: { urn: string; inScope: boolean }[] = JSON.parse(readFileSync(db, 'utf8')).schools;
    expect(Object.fromEntries(stored.map((s) => [s.urn, s.inScope]))).to.deep.equal({
      '100492': false,
      '100459': true,
      '100494': false,
      '100171': true,
    });
  });

  it('when the 2024 sample is imported, then the closed school and the special academy are out of scope', async function () {
    needRealFixtures(this, SAMPLE_2024);
    const db = join(folders.make(), 'db.json');
    expect((await runCliInProcess(['import', 'schools', realFile(SAMPLE_2024), '--db', db])).code).to.equal(
      0,
    );
    const stored: { urn: string; inScope: boolean; statusName: string }[] = JSON.parse(
      readFileSync(db, 'utf8'),
    ).schools;
    expect(stored.map((s) => [s.urn, s.statusName, s.inScope])).to.deep.equal([
      ['138130', 'Open', false],
      ['140134', 'Closed', false],
    ]);
  });
});
