import { expect } from 'chai';
import { computeFlags } from '../../../checks/flags/computeFlags.js';
import type { Flag } from '../../../checks/flags/flagTypes.js';
import { emptyDb } from '../../../data/dbSchema.js';
import type { Library } from '../../../data/schemas/librarySchemas.js';
import type { Review } from '../../../data/schemas/reviewSchemas.js';
import { libraryRecord } from '../../support/libraryRecords.js';
import { reviewRecord } from '../../support/records.js';

const AS_OF = '2026-06-15';
const BURNT_OAK = { type: 'library', id: 'l1', ref: 'Burnt Oak', name: 'Burnt Oak' };

function data(libraries: Library[], reviews: Review[] = []) {
  const db = emptyDb();
  db.libraries.push(...libraries);
  db.reviews.push(...reviews);
  return db;
}

function attestation(id: string, overrides: Partial<Review> = {}): Review {
  return reviewRecord(id, 'l1', {
    templateId: 'library-attestation',
    subjectType: 'library',
    completedOn: '2026-01-05',
    submittedAt: '2026-01-05T11:00:00.000Z',
    nextDue: '2027-01-05',
    ...overrides,
  });
}

const burntOak = (overrides: Partial<Library> = {}) =>
  libraryRecord('l1', { name: 'Burnt Oak', ...overrides });
const rules = (flags: Flag[]) => flags.map((f) => f.rule).sort();

describe('Flags for libraries', () => {
  it('when an open library has never been attested, then review-overdue (high) with its name as ref', () => {
    expect(computeFlags(data([burntOak()]), AS_OF)).to.deep.equal([
      {
        rule: 'review-overdue',
        severity: 'high',
        subject: BURNT_OAK,
        dueOn: null,
        message: 'No library attestation on record',
      },
    ]);
  });

  it('when a library has a closing year, then it is never flagged, attested or not', () => {
    const closedNever = libraryRecord('l2', { name: 'Church End', yearClosed: 2017 });
    const closedLate = burntOak({ yearClosed: 2024 });
    const lateNonCompliant = attestation('r1', { nextDue: '2026-01-01', outcome: 'non-compliant' });
    expect(computeFlags(data([closedNever, closedLate], [lateNonCompliant]), AS_OF)).to.deep.equal([]);
  });

  it('when the attestation is due within 30 days, then review-due-soon (low)', () => {
    const flags = computeFlags(data([burntOak()], [attestation('r1', { nextDue: '2026-07-10' })]), AS_OF);
    expect(flags).to.deep.equal([
      {
        rule: 'review-due-soon',
        severity: 'low',
        subject: BURNT_OAK,
        dueOn: '2026-07-10',
        message: 'Library attestation due by 10 July 2026',
      },
    ]);
  });

  it('when the next due date has passed, then review-overdue and not due soon', () => {
    const flags = computeFlags(data([burntOak()], [attestation('r1', { nextDue: '2026-06-14' })]), AS_OF);
    expect(rules(flags)).to.deep.equal(['review-overdue']);
    expect(flags[0]?.message).to.equal('Library attestation overdue since 14 June 2026');
  });

  it('when the latest attestation is non-compliant or partially compliant, then that flag with the next due date', () => {
    const non = computeFlags(data([burntOak()], [attestation('r1', { outcome: 'non-compliant' })]), AS_OF);
    expect(non).to.have.length(1);
    expect(non[0]).to.include({ rule: 'non-compliant', severity: 'high', dueOn: '2027-01-05' });
    const partly = computeFlags(
      data([burntOak()], [attestation('r1', { outcome: 'partially-compliant' })]),
      AS_OF,
    );
    expect(partly.map((f) => [f.rule, f.severity])).to.deep.equal([['partially-compliant', 'medium']]);
  });

  it('when a later attestation is compliant, then the earlier outcome no longer counts', () => {
    const older = attestation('r1', { completedOn: '2025-01-05', outcome: 'non-compliant' });
    const newer = attestation('r2', { completedOn: '2026-01-05', outcome: 'compliant' });
    expect(computeFlags(data([burntOak()], [newer, older]), AS_OF)).to.deep.equal([]);
  });

  describe('a new attestation due at once (filtering provider changed)', () => {
    const changed = {
      dueFrom: '2026-06-01',
      since: '2026-06-01T13:30:00.000Z',
      reason: 'the filtering provider changed from Netsweeper to Smoothwall on 1 June 2026',
    };

    it('when the provider changed after the last attestation, then review-overdue from the change date, and the old outcome no longer stands', () => {
      const flags = computeFlags(
        data([burntOak({ reattestation: changed })], [attestation('r1', { outcome: 'partially-compliant' })]),
        AS_OF,
      );
      expect(flags).to.deep.equal([
        {
          rule: 'review-overdue',
          severity: 'high',
          subject: BURNT_OAK,
          dueOn: '2026-06-01',
          message:
            'New library attestation due since 1 June 2026: the filtering provider changed from Netsweeper to Smoothwall on 1 June 2026',
        },
      ]);
    });

    it('when as-of is the day of the change, then it is already overdue', () => {
      const flags = computeFlags(
        data([burntOak({ reattestation: changed })], [attestation('r1')]),
        '2026-06-01',
      );
      expect(rules(flags)).to.deep.equal(['review-overdue']);
    });

    it('when an attestation was submitted after the change, even the same day, then the change is satisfied', () => {
      const sameDayLater = attestation('r2', {
        completedOn: '2026-06-01',
        submittedAt: '2026-06-01T15:00:00.000Z',
      });
      const flags = computeFlags(
        data([burntOak({ reattestation: changed })], [attestation('r1'), sameDayLater]),
        AS_OF,
      );
      expect(flags).to.deep.equal([]);
    });

    it('when an attestation was submitted the same day but before the change, then it does not count', () => {
      const sameDayEarlier = attestation('r2', {
        completedOn: '2026-06-01',
        submittedAt: '2026-06-01T09:00:00.000Z',
        nextDue: '2027-06-01',
      });
      const flags = computeFlags(data([burntOak({ reattestation: changed })], [sameDayEarlier]), AS_OF);
      expect(rules(flags)).to.deep.equal(['review-overdue']);
      expect(flags[0]?.dueOn).to.equal('2026-06-01');
    });

    it('when a library never attested has a provider change, then review-overdue from the change date', () => {
      const flags = computeFlags(data([burntOak({ reattestation: changed })]), AS_OF);
      expect(flags.map((f) => [f.rule, f.dueOn])).to.deep.equal([['review-overdue', '2026-06-01']]);
    });

    it('when as-of is before the change, then the new attestation is due soon, on the day of the change', () => {
      const flags = computeFlags(
        data([burntOak({ reattestation: changed })], [attestation('r1')]),
        '2026-05-20',
      );
      expect(flags.map((f) => [f.rule, f.dueOn])).to.deep.equal([['review-due-soon', '2026-06-01']]);
    });

    it('when the library is closed, then a provider change raises nothing', () => {
      const flags = computeFlags(data([burntOak({ reattestation: changed, yearClosed: 2026 })]), AS_OF);
      expect(flags).to.deep.equal([]);
    });
  });
});
