import { itemAt } from '../../../data/itemAt.js';
import { expect } from 'chai';
import { computeFlags } from '../../../checks/flags/computeFlags.js';
import type { Flag } from '../../../checks/flags/flagTypes.js';
import { DEFAULT_SPOC_PHASES, isCurrentLead, spocScope } from '../../../checks/schoolRules.js';
import { emptyDb } from '../../../data/dbSchema.js';
import type { LeadTraining, PreventLead, School } from '../../../data/schemas/schoolSchemas.js';
import { reviewRecord } from '../../support/records.js';

const STAMP = '2026-01-05T09:00:00.000Z';
const AS_OF = '2026-03-14';

function school(id: string, overrides: Partial<School> = {}): School {
  return {
    id,
    version: 1,
    createdAt: STAMP,
    updatedAt: STAMP,
    urn: `1000${id.slice(-2).padStart(2, '0')}`,
    laCode: '302',
    laName: 'Barnet',
    establishmentNumber: '4001',
    name: `School ${id}`,
    typeName: 'Academy converter',
    phaseName: 'Secondary',
    statusName: 'Open',
    street: null,
    locality: null,
    address3: null,
    town: null,
    county: null,
    postcode: null,
    headTitle: null,
    headFirstName: null,
    headLastName: null,
    openDate: null,
    closeDate: null,
    website: null,
    telephone: null,
    statutoryLowAge: 11,
    statutoryHighAge: 18,
    inScope: true,
    ...overrides,
  };
}

function lead(id: string, schoolId: string, overrides: Partial<PreventLead> = {}): PreventLead {
  return {
    id,
    version: 1,
    createdAt: STAMP,
    updatedAt: STAMP,
    schoolId,
    name: 'Priya Shah',
    role: 'dsl',
    email: 'p.shah@school.example.sch.uk',
    phone: null,
    startOn: '2020-09-01',
    endOn: null,
    contactConfirmedOn: '2026-01-10',
    ...overrides,
  };
}

function training(
  id: string,
  leadId: string,
  completedOn: string,
  type: LeadTraining['type'] = 'wrap',
): LeadTraining {
  return { id, version: 1, createdAt: STAMP, updatedAt: STAMP, leadId, type, completedOn, evidenceRef: null };
}

/** A school that raises nothing: in scope, a current trained and confirmed lead, audited recently. */
function healthy() {
  const db = emptyDb();
  db.schools.push(school('s1'));
  db.preventLeads.push(lead('l1', 's1'));
  db.leadTraining.push(training('t1', 'l1', '2025-06-01'));
  db.reviews.push(
    reviewRecord('r1', 's1', {
      templateId: 'school-audit',
      subjectType: 'school',
      completedOn: '2025-09-20',
      nextDue: '2026-09-20',
    }),
  );
  return db;
}

const schoolFlags = (db: ReturnType<typeof emptyDb>, asOf = AS_OF): Flag[] =>
  computeFlags(db, asOf).filter((f) => f.subject.type === 'school');
const rules = (flags: Flag[]) => flags.map((f) => f.rule).sort();

describe('SPOC scope', () => {
  const inScope = spocScope(DEFAULT_SPOC_PHASES);

  it('when a school is open or open but proposed to close, with a secondary phase, then it is in scope', () => {
    expect(inScope('Open', 'Secondary')).to.equal(true);
    expect(inScope('Open, but proposed to close', 'All-through')).to.equal(true);
    expect(inScope('Open', 'Middle deemed secondary')).to.equal(true);
    expect(inScope('Open', '16 plus')).to.equal(true);
  });

  it('when GIAS spells the phase "All through" or in another case, then it is still in scope', () => {
    expect(inScope('Open', 'All through')).to.equal(true);
    expect(inScope('open', 'SECONDARY')).to.equal(true);
  });

  it('when a school is closed or only proposed to open, then it is out of scope whatever its phase', () => {
    expect(inScope('Closed', 'Secondary')).to.equal(false);
    expect(inScope('Proposed to open', 'Secondary')).to.equal(false);
    expect(inScope(null, 'Secondary')).to.equal(false);
  });

  it('when a school is primary, nursery or special (phase "Not applicable"), then it is out of scope', () => {
    expect(inScope('Open', 'Primary')).to.equal(false);
    expect(inScope('Open', 'Nursery')).to.equal(false);
    expect(inScope('Open', 'Not applicable')).to.equal(false);
    expect(inScope('Open', null)).to.equal(false);
  });

  it('when the phases are configured, then only those phases are in scope', () => {
    const onlyPrimary = spocScope(['Primary']);
    expect(onlyPrimary('Open', 'Primary')).to.equal(true);
    expect(onlyPrimary('Open', 'Secondary')).to.equal(false);
  });
});

describe('current Prevent lead', () => {
  it('when a lead has started and not ended, then they are current', () => {
    expect(isCurrentLead({ startOn: '2026-03-14', endOn: null }, AS_OF)).to.equal(true);
    expect(isCurrentLead({ startOn: null, endOn: '2026-03-15' }, AS_OF)).to.equal(true);
  });

  it('when a lead starts tomorrow or ended today, then they are not current', () => {
    expect(isCurrentLead({ startOn: '2026-03-15', endOn: null }, AS_OF)).to.equal(false);
    expect(isCurrentLead({ startOn: null, endOn: '2026-03-14' }, AS_OF)).to.equal(false);
  });
});

describe('school flags', () => {
  it('when an in-scope school has a current trained, confirmed lead and a recent audit, then it has no flags', () => {
    expect(schoolFlags(healthy())).to.deep.equal([]);
  });

  it('when a school is out of scope, then it raises no flag even with no lead and no audit', () => {
    const db = emptyDb();
    db.schools.push(school('s1', { inScope: false, statusName: 'Closed' }));
    db.schools.push(school('s2', { inScope: false, phaseName: 'Primary' }));
    expect(schoolFlags(db)).to.deep.equal([]);
  });

  describe('spoc-missing', () => {
    it('when an in-scope school has no lead at all, then it is flagged high with the URN as ref', () => {
      const db = healthy();
      db.preventLeads = [];
      const flags = schoolFlags(db);
      expect(flags).to.deep.equal([
        {
          rule: 'spoc-missing',
          severity: 'high',
          subject: { type: 'school', id: 's1', ref: itemAt(db.schools, 0).urn, name: 'School s1' },
          dueOn: null,
          message: 'No current Prevent lead (single point of contact)',
        },
      ]);
    });

    it('when the only lead has ended or has not started yet, then the school is flagged', () => {
      const db = healthy();
      db.preventLeads = [
        lead('l1', 's1', { endOn: '2026-03-01' }),
        lead('l2', 's1', { startOn: '2026-04-01' }),
      ];
      expect(rules(schoolFlags(db))).to.deep.equal(['spoc-missing']);
    });

    it('when a second current lead is recorded, then the flag clears', () => {
      const db = healthy();
      db.preventLeads = [
        lead('l1', 's1', { endOn: '2026-03-01' }),
        lead('l2', 's1', { startOn: '2026-03-01' }),
      ];
      db.leadTraining.push(training('t2', 'l2', '2026-03-02'));
      expect(schoolFlags(db)).to.deep.equal([]);
    });
  });

  describe('spoc-training-expired', () => {
    it('when a current lead has no training on record, then it is flagged high with no due date and no name', () => {
      const db = healthy();
      db.leadTraining = [];
      const flag = itemAt(schoolFlags(db), 0);
      expect(flag).to.include({ rule: 'spoc-training-expired', severity: 'high', dueOn: null });
      expect(flag.message).to.equal('Prevent lead (DSL) has no Prevent training on record');
      expect(flag.message).to.not.include('Priya');
    });

    it('when the lead only has DSL or "other" training, then that does not count as Prevent training', () => {
      const db = healthy();
      db.leadTraining = [
        training('t1', 'l1', '2026-01-01', 'dsl-training'),
        training('t2', 'l1', '2026-01-02', 'other'),
      ];
      expect(rules(schoolFlags(db))).to.deep.equal(['spoc-training-expired']);
    });

    it('when the last Prevent training was exactly 2 years ago, then it still counts; a day more and it has lapsed', () => {
      const db = healthy();
      db.leadTraining = [training('t1', 'l1', '2024-03-14', 'channel-awareness')];
      expect(schoolFlags(db, '2026-03-14')).to.deep.equal([]);
      const flag = itemAt(schoolFlags(db, '2026-03-15'), 0);
      expect(flag).to.include({ rule: 'spoc-training-expired', dueOn: '2026-03-14' });
      expect(flag.message).to.equal(
        'Prevent lead (DSL) last had Prevent training on 14 March 2024; a refresh was due by 14 March 2026',
      );
    });

    it('when an older course lapsed but a newer one is in date, then the newest counts', () => {
      const db = healthy();
      db.leadTraining = [
        training('t1', 'l1', '2020-01-01'),
        training('t2', 'l1', '2025-01-01', 'prevent-referrals'),
      ];
      expect(schoolFlags(db)).to.deep.equal([]);
    });

    it('when training is dated after the as-of date, then it does not count as of then', () => {
      const db = healthy();
      db.leadTraining = [training('t1', 'l1', '2026-05-01')];
      expect(rules(schoolFlags(db))).to.deep.equal(['spoc-training-expired']);
    });

    it('when a school has two current leads and one is untrained, then one flag names that lead’s role', () => {
      const db = healthy();
      db.preventLeads.push(lead('l2', 's1', { role: 'deputy-dsl', name: 'Tom Whitfield' }));
      const flags = schoolFlags(db);
      expect(flags.map((f) => [f.rule, f.message])).to.deep.equal([
        ['spoc-training-expired', 'Prevent lead (deputy DSL) has no Prevent training on record'],
      ]);
    });

    it('when a lead has ended, then their lapsed training raises nothing', () => {
      const db = healthy();
      db.preventLeads.push(lead('l2', 's1', { endOn: '2025-12-31' }));
      expect(schoolFlags(db)).to.deep.equal([]);
    });
  });

  describe('spoc-contact-stale', () => {
    it('when contact details were never confirmed, then it is flagged low with no due date', () => {
      const db = healthy();
      itemAt(db.preventLeads, 0).contactConfirmedOn = null;
      const flag = itemAt(schoolFlags(db), 0);
      expect(flag).to.include({ rule: 'spoc-contact-stale', severity: 'low', dueOn: null });
      expect(flag.message).to.equal('Prevent lead (DSL): contact details have never been confirmed');
    });

    it('when they were confirmed exactly 12 months ago, then that counts; a day more and they are stale', () => {
      const db = healthy();
      itemAt(db.preventLeads, 0).contactConfirmedOn = '2025-03-14';
      expect(schoolFlags(db, '2026-03-14')).to.deep.equal([]);
      const [flag] = schoolFlags(db, '2026-03-15');
      expect(flag).to.include({ rule: 'spoc-contact-stale', severity: 'low', dueOn: '2026-03-14' });
    });
  });

  describe('school audit', () => {
    it('when an in-scope school has never been audited, then review-overdue is raised', () => {
      const db = healthy();
      db.reviews = [];
      const flag = itemAt(schoolFlags(db), 0);
      expect(flag).to.include({ rule: 'review-overdue', severity: 'high', dueOn: null });
      expect(flag.message).to.equal('No school audit on record');
    });

    it('when the audit is past its next due date, then review-overdue; within 30 days, review-due-soon', () => {
      const db = healthy();
      itemAt(db.reviews, 0).nextDue = '2026-03-13';
      expect(schoolFlags(db).map((f) => [f.rule, f.dueOn])).to.deep.equal([['review-overdue', '2026-03-13']]);
      itemAt(db.reviews, 0).nextDue = '2026-04-13';
      expect(schoolFlags(db).map((f) => [f.rule, f.dueOn])).to.deep.equal([
        ['review-due-soon', '2026-04-13'],
      ]);
    });

    it('when the latest audit is non-compliant or partially compliant, then that flag is raised', () => {
      const db = healthy();
      itemAt(db.reviews, 0).outcome = 'non-compliant';
      expect(rules(schoolFlags(db))).to.deep.equal(['non-compliant']);
      itemAt(db.reviews, 0).outcome = 'partially-compliant';
      expect(rules(schoolFlags(db))).to.deep.equal(['partially-compliant']);
    });

    it('when only a draft audit exists, then the school still has no audit on record', () => {
      const db = healthy();
      itemAt(db.reviews, 0).status = 'draft';
      expect(rules(schoolFlags(db))).to.deep.equal(['review-overdue']);
    });
  });
});
