import { expect } from 'chai';
import { runCrashSoak } from './crashSoak.js';

describe('Reliability: crash safety (a short run of the crash soak)', function () {
  this.timeout(180_000);

  it('when the real server is killed with SIGKILL five times mid-writes and restarted, then it takes over the stale lock, the database loads, the audit log verifies and no acknowledged write is lost', async () => {
    const f = await runCrashSoak({ kills: 5, workers: 3, startupKillShare: 0 });
    expect(f.problems).to.deep.equal([]);
    expect(f.kills).to.equal(5);
    expect(f.killsDuringWrites).to.equal(5);
    expect(f.staleLocksTakenOver).to.equal(5);
    expect(f.acknowledgedCreates).to.be.greaterThan(0);
    expect(f.lost).to.equal(0);
    expect(f.unexpectedAnswers).to.equal(0);
    expect(f.auditVerifications).to.equal(6);
    expect(f.finalStopExitCode).to.equal(0);
    expect(f.strayTempFiles).to.equal(0);
  });
});
