import { expect } from 'chai';
import { buildBoardReport } from '../../../checks/report/boardReport.js';
import { BOARD_MEASURES } from '../../../checks/report/complianceMeasures.js';
import { librariesAttestedMeasure } from '../../../checks/report/librariesMeasure.js';
import { parsePeriod } from '../../../checks/report/reportPeriod.js';
import { schoolsTrainedLeadMeasure } from '../../../checks/report/schoolsMeasure.js';
import { sharePercent } from '../../../checks/trainingRules.js';
import { emptyDb } from '../../../data/dbSchema.js';
import { libraryRecord } from '../../support/libraryRecords.js';
import { reviewRecord } from '../../support/records.js';
import { leadRecord, leadTrainingRecord, schoolRecord } from '../../support/schoolRecords.js';

// Q2 2026 reported after it ended: figures as of 30 June, the previous quarter as of 31 March.
const Q2 = parsePeriod('2026-Q2')!;
const TODAY = '2026-07-15';

function line(db: ReturnType<typeof emptyDb>, id: string, period = Q2) {
  const report = buildBoardReport(db, period, TODAY, [librariesAttestedMeasure, schoolsTrainedLeadMeasure]);
  return report.compliance.find((c) => c.id === id)!;
}

const attestation = (id: string, libraryId: string, completedOn: string, nextDue: string) =>
  reviewRecord(id, libraryId, {
    templateId: 'library-attestation',
    subjectType: 'library',
    completedOn,
    nextDue,
    submittedAt: `${completedOn}T10:00:00.000Z`,
  });

describe('Board report: the Libraries and Schools measures at quarter boundaries', () => {
  it('when percentages are worked out, then they round half up in whole numbers, at most 100', () => {
    expect(sharePercent(8, 12)).to.equal(67);
    expect(sharePercent(1, 8)).to.equal(13);
    expect(sharePercent(1, 3)).to.equal(33);
    expect(sharePercent(1, 200)).to.equal(1);
    expect(sharePercent(1, 201)).to.equal(0);
    expect(sharePercent(199, 200)).to.equal(100);
    expect(sharePercent(12, 11)).to.equal(100);
    expect(sharePercent(0, 0)).to.equal(null);
  });

  it('when libraries are counted, then an attestation counts up to its due day, from its completion day, and not after a provider change', () => {
    const db = emptyDb();
    db.libraries.push(
      libraryRecord('l1'),
      libraryRecord('l2'),
      libraryRecord('l3'),
      libraryRecord('l4'),
      libraryRecord('l6', {
        reattestation: {
          dueFrom: '2026-05-10',
          since: '2026-05-10T09:00:00.000Z',
          reason: 'provider changed',
        },
      }),
      // Closed in 2025: out of scope in both quarters of 2026.
      libraryRecord('l7', { yearClosed: 2025 }),
    );
    db.reviews.push(
      // Due on the quarter's last day: still in date that day.
      attestation('a1', 'l1', '2025-06-30', '2026-06-30'),
      // Due the day before: lapsed at the quarter's end, in date at the previous one.
      attestation('a2', 'l2', '2025-06-29', '2026-06-29'),
      // Completed the day after the quarter ended: not counted for it.
      attestation('a3', 'l3', '2026-07-01', '2027-07-01'),
      // Completed on the previous quarter's last day: counted for both.
      attestation('a4', 'l4', '2026-03-31', '2027-03-31'),
      // In date, until the provider changed on 10 May.
      attestation('a6', 'l6', '2026-01-10', '2027-01-10'),
      attestation('a7', 'l7', '2026-01-10', '2027-01-10'),
    );
    expect(line(db, 'libraries-attested')).to.deep.include({
      current: { met: 2, total: 5, percent: 40 },
      previous: { met: 4, total: 5, percent: 80 },
      change: -40,
    });
    // A new attestation after the change puts l6 back in date.
    db.reviews.push(attestation('a8', 'l6', '2026-06-01', '2027-06-01'));
    expect(line(db, 'libraries-attested').current).to.deep.equal({ met: 3, total: 5, percent: 60 });
  });

  it('when a library closed in a later year than the quarter, then it was open and in scope then', () => {
    const db = emptyDb();
    db.libraries.push(libraryRecord('l1', { yearClosed: 2026 }), libraryRecord('l2'));
    db.reviews.push(attestation('a1', 'l1', '2025-10-01', '2026-10-01'));
    const q1 = line(db, 'libraries-attested', parsePeriod('2026-Q1')!);
    // 2026-Q1: l1 closed that year, so only l2 (never attested). 2025-Q4: both, l1 attested.
    expect(q1.current).to.deep.equal({ met: 0, total: 1, percent: 0 });
    expect(q1.previous).to.deep.equal({ met: 1, total: 2, percent: 50 });
  });

  it('when schools are counted, then a current lead with Prevent training in the 2 years up to the quarter end counts, each boundary by a day', () => {
    const db = emptyDb();
    db.schools.push(
      schoolRecord('s1'),
      schoolRecord('s2'),
      schoolRecord('s3'),
      schoolRecord('s4'),
      schoolRecord('s5'),
      schoolRecord('s6', { inScope: false, phaseName: 'Primary' }),
      schoolRecord('s7'),
      schoolRecord('s8'),
    );
    db.preventLeads.push(
      leadRecord('p1', 's1'),
      leadRecord('p2', 's2'),
      leadRecord('p3', 's3'),
      // Left on 30 June: not current on the quarter's last day.
      leadRecord('p4', 's4', { endOn: '2026-06-30' }),
      // Started on 1 April: current at the end of Q2, not of Q1.
      leadRecord('p5', 's5', { startOn: '2026-04-01' }),
      leadRecord('p6', 's6'),
      leadRecord('p7', 's7'),
    );
    db.leadTraining.push(
      // Exactly 2 years before 30 June 2026: still in date.
      leadTrainingRecord('t1', 'p1', '2024-06-30'),
      // A day older: lapsed on 30 June, in date on 31 March.
      leadTrainingRecord('t2', 'p2', '2024-06-29'),
      // Trained the day after the quarter ended.
      leadTrainingRecord('t3', 'p3', '2026-07-01'),
      leadTrainingRecord('t4', 'p4', '2026-01-01'),
      leadTrainingRecord('t5', 'p5', '2026-02-01'),
      leadTrainingRecord('t6', 'p6', '2026-02-01'),
      // Safeguarding training is not Prevent training.
      leadTrainingRecord('t7', 'p7', '2026-02-01', { type: 'dsl-training' }),
    );
    // Q2: s1, s5 of 7 in scope = 28.6% → 29. Q1: s1, s2, s4 of 7 = 42.9% → 43.
    expect(line(db, 'schools-trained-lead')).to.deep.include({
      current: { met: 2, total: 7, percent: 29 },
      previous: { met: 3, total: 7, percent: 43 },
      change: -14,
    });
  });

  it('when a school has two current leads and only the deputy is trained, then it counts once', () => {
    const db = emptyDb();
    db.schools.push(schoolRecord('s1'));
    db.preventLeads.push(leadRecord('p1', 's1'), leadRecord('p2', 's1', { role: 'deputy-dsl' }));
    db.leadTraining.push(
      leadTrainingRecord('t1', 'p2', '2026-05-01'),
      leadTrainingRecord('t2', 'p2', '2026-06-01'),
    );
    expect(line(db, 'schools-trained-lead').current).to.deep.equal({ met: 1, total: 1, percent: 100 });
  });

  it('when every registered measure is computed, then each is a real count over the data (no placeholder): zero in scope on an empty database, never "not built"', () => {
    const ctx = { periodStart: Q2.start, periodEnd: Q2.end, asOf: Q2.end };
    expect(BOARD_MEASURES.map((m) => m.area)).to.deep.equal([
      'Premises',
      'Hall hire',
      'Libraries',
      'Schools',
    ]);
    for (const m of BOARD_MEASURES) {
      expect(m.compute(emptyDb(), ctx), m.id).to.deep.equal({ met: 0, total: 0 });
    }
  });
});
