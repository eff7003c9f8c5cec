import { expect } from 'chai';
import { runLoad } from '../load/loadDriver.js';

describe('Load: signed-in users reading and editing at once (a short run of the load driver)', function () {
  this.timeout(240_000);

  it('when 20 users read and edit for 20 seconds, then no answer is a server error, no acknowledged edit is lost and each racing pair saves one', async () => {
    const f = await runLoad({ users: 20, seconds: 20 });
    expect(f.problems).to.deep.equal([]);
    expect(f.serverErrors).to.equal(0);
    expect(f.acknowledgedEdits).to.be.greaterThan(0);
    expect(f.lostUpdates).to.equal(0);
    expect(f.conflictPairs.bothSaved).to.equal(0);
    expect(f.savedEditsInLog).to.be.at.least(f.acknowledgedEdits);
    expect(f.stopExitCode).to.equal(0);
  });
});
