import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect } from 'chai';
import { runCliProcess } from '../../support/runCliProcess.js';
import { tempFolders } from '../../support/tempFolder.js';

// The published GIAS samples live beside the project; without them no test is registered (not skipped).
const realDir = resolve(process.cwd(), '../shared/fixtures/real');
const files = existsSync(realDir) ? readdirSync(realDir).filter((f) => /^gias_.*\.csv$/.test(f)) : [];

if (files.length > 0) {
  describe('CLI: import schools from the real GIAS samples (../shared/fixtures/real)', function () {
    this.timeout(60_000);
    const folders = tempFolders('schools-real');
    after(() => folders.cleanUp());

    for (const file of files) {
      it(`when ${file} is imported twice, then every school is created, then all unchanged`, () => {
        const db = join(folders.make(), 'db.json');
        const first = runCliProcess(['import', 'schools', join(realDir, file), '--db', db]);
        expect(first.code, first.stderr).to.equal(0);
        expect(first.stdout).to.match(/^created [1-9]\d*, updated 0, unchanged 0, skipped 0\n$/);
        const count = Number(/created (\d+)/.exec(first.stdout)![1]);
        const again = runCliProcess(['import', 'schools', join(realDir, file), '--db', db]);
        expect(again.stdout.trim()).to.equal(`created 0, updated 0, unchanged ${count}, skipped 0`);
      });
    }

    it('when the 2018/19 sample is imported, then the open secondary and "All through" schools are in scope, primaries not', () => {
      const db = join(folders.make(), 'db.json');
      const file = join(realDir, 'gias_edubase_sample_dfe_schools_experience.csv');
      if (!existsSync(file)) return;
      expect(runCliProcess(['import', 'schools', file, '--db', db]).code).to.equal(0);
      const stored: { urn: string; inScope: boolean }[] = JSON.parse(readFileSync(db, 'utf8')).schools;
      expect(Object.fromEntries(stored.map((s) => [s.urn, s.inScope]))).to.deep.equal({
        '100492': false,
        '100459': true,
        '100494': false,
        '100171': true,
      });
    });

    it('when the 2024 sample is imported, then the closed school and the special academy are out of scope', () => {
      const db = join(folders.make(), 'db.json');
      const file = join(realDir, 'gias_edubase_example_2024header_dfe_schools_experience_ANONYMISED.csv');
      if (!existsSync(file)) return;
      expect(runCliProcess(['import', 'schools', file, '--db', db]).code).to.equal(0);
      const stored: { urn: string; inScope: boolean; statusName: string }[] = JSON.parse(
        readFileSync(db, 'utf8'),
      ).schools;
      expect(stored.map((s) => [s.urn, s.statusName, s.inScope])).to.deep.equal([
        ['138130', 'Open', false],
        ['140134', 'Closed', false],
      ]);
    });
  });
}
