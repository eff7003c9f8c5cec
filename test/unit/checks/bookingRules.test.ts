import { expect } from 'chai';
import {
  type DecisionContext,
  type DecisionInput,
  checksOutcomeTag,
  decisionChoices,
  decisionProblems,
  firstDayBeyond,
  mayDecide,
  namesToScreen,
  screenKeysOf,
  screenNames,
  watchlistIndexOf,
} from '../../../checks/bookingRules.js';
import { entryRecord, watchlistRecord } from '../../support/hallHireRecords.js';

describe('booking screening against the watch list', () => {
  const lists = [
    watchlistRecord('l1', { source: 'Home Office proscribed organisations' }),
    watchlistRecord('l2', { source: 'OFSI consolidated list', format: 'ofsi', asOf: '2026-02-01' }),
  ];
  const entries = [
    entryRecord('e1', 'l1', 'Example Front'),
    entryRecord('e2', 'l2', 'Jon Q. Exemplar', { type: 'person', aliases: ['Jonathan Exemplar'] }),
  ];
  const index = watchlistIndexOf(lists, entries);
  const screen = (organisation: string | null, speakers: string[], otherNames: string[] = []) =>
    screenNames(
      index,
      namesToScreen(
        { name: 'Pat Example', organisation, otherNames },
        speakers.map((name) => ({ name, aliases: [], affiliation: null })),
      ),
    );

  it('when the organisation is "The Example Front Ltd", then it matches "Example Front" with the list and the reason', () => {
    const [m] = screen('The Example Front Ltd', []);
    expect(m.role).to.equal('organisation');
    expect(m.entry.id).to.equal('e1');
    expect(m.source).to.equal('Home Office proscribed organisations');
    expect(m.reason).to.equal(
      '"The Example Front Ltd" matches "Example Front" (listed name) on the Home Office proscribed organisations: same words once case, "the" and company suffixes are set aside',
    );
  });

  it('when a speaker is "Exemplar, Jon Q.", then they match "Jon Q. Exemplar" on the OFSI list', () => {
    const [m] = screen(null, ['Exemplar, Jon Q.']);
    expect(m.role).to.equal('speaker');
    expect(m.listId).to.equal('l2');
    expect(m.reason).to.include('punctuation and word order');
  });

  it('when a speaker’s name has accents ("Jón Q Exemplar"), then they still match', () => {
    const [m] = screen(null, ['Jón Q Exemplar']);
    expect(m.entry.id).to.equal('e2');
    expect(m.reason).to.include('accents');
  });

  it('when a listed alias is used as another name of the hirer, then it matches via the alias', () => {
    const [m] = screen(null, [], ['JONATHAN EXEMPLAR']);
    expect(m.role).to.equal('other-name');
    expect(m.via).to.equal('alias');
  });

  it('when the names only nearly match ("Example Frontline", "Jon Exemplar"), then nothing matches', () => {
    expect(screen('Example Frontline', ['Jon Exemplar'])).to.deep.equal([]);
  });

  it('when the same key comes from two names, then it is stored once with the first role', () => {
    const keys = screenKeysOf([
      { role: 'organisation', name: 'Example Front' },
      { role: 'other-name', name: 'The Example Front Ltd' },
      { role: 'hirer', name: 'The Ltd' },
    ]);
    expect(keys).to.deep.equal([{ key: 'example front', role: 'organisation' }]);
  });
});

describe('firstDayBeyond', () => {
  it('when as of Friday 13 November 2026, then the first day beyond 10 working days is Monday 30 November', () => {
    expect(firstDayBeyond('2026-11-13', 10)).to.equal('2026-11-30');
    expect(firstDayBeyond('2026-11-13', 2)).to.equal('2026-11-18');
  });
});

describe('recording a booking decision', () => {
  const input = (over: Partial<DecisionInput> = {}): DecisionInput => ({
    decision: 'approved',
    rationale: 'All checks complete; no concerns.',
    conditions: [],
    balancing: { expression: '', equality: '', alternatives: '' },
    ...over,
  });
  const ctx = (over: Partial<DecisionContext> = {}): DecisionContext => ({
    status: 'checks-complete',
    isCoordinator: false,
    checksComplete: true,
    checksOutcome: 'compliant',
    criticalNos: [],
    openMatches: 0,
    ...over,
  });
  const balancing = { expression: 'Weighed.', equality: 'Considered.', alternatives: 'Conditions instead.' };

  it('when the checks are complete and reasons are given, then an approval has no problems', () => {
    expect(decisionProblems(input(), ctx())).to.deep.equal([]);
  });

  it('when the checks are incomplete, then approving is refused with a clear message, with or without conditions', () => {
    for (const decision of ['approved', 'approved-with-conditions']) {
      const problems = decisionProblems(
        input({ decision, conditions: decision === 'approved' ? [] : ['Officer present'], balancing }),
        ctx({ status: 'provisional', checksComplete: false, checksOutcome: null }),
      );
      expect(problems).to.deep.equal([
        {
          field: 'decision',
          message:
            'You cannot approve this booking yet: its due-diligence checks (H1 to H14) are not complete. Submit the checklist first, or refer or refuse the booking',
        },
      ]);
    }
  });

  it('when the checks are incomplete, then the booking can still be referred, refused or cancelled', () => {
    const open = ctx({ status: 'provisional', checksComplete: false, checksOutcome: null });
    expect(decisionProblems(input({ decision: 'referred' }), open)).to.deep.equal([]);
    expect(decisionProblems(input({ decision: 'cancelled' }), open)).to.deep.equal([]);
    expect(decisionProblems(input({ decision: 'refused', balancing }), open)).to.deep.equal([]);
  });

  it('when no reasons are given, then the decision is refused', () => {
    expect(decisionProblems(input({ rationale: '  ' }), ctx()).map((p) => p.field)).to.deep.equal([
      'rationale',
    ]);
  });

  it('when approving with conditions, then at least one condition and the balancing are needed', () => {
    const fields = decisionProblems(input({ decision: 'approved-with-conditions' }), ctx()).map(
      (p) => p.field,
    );
    expect(fields).to.deep.equal(['conditions', 'expression', 'equality', 'alternatives']);
  });

  it('when refusing, then freedom of expression, the Equality Act duties and less restrictive options must be recorded', () => {
    const problems = decisionProblems(
      input({ decision: 'refused', balancing: { ...balancing, alternatives: '' } }),
      ctx(),
    );
    expect(problems).to.deep.equal([
      { field: 'alternatives', message: 'Say which less restrictive options were weighed' },
    ]);
  });

  it('when conditions are given with a plain approval, then they are refused rather than dropped', () => {
    expect(
      decisionProblems(input({ conditions: ['Officer present'] }), ctx()).map((p) => p.field),
    ).to.deep.equal(['conditions']);
  });

  it('when a name matches the watch list, then a booking officer cannot approve but a coordinator can', () => {
    expect(decisionProblems(input(), ctx({ openMatches: 1 }))[0].message).to.match(/matches the watch list/);
    expect(decisionProblems(input(), ctx({ openMatches: 1, isCoordinator: true }))).to.deep.equal([]);
  });

  it('when a critical question was answered "no", then a booking officer cannot approve but a coordinator can', () => {
    const failed = ctx({ checksOutcome: 'non-compliant', criticalNos: ['H10'] });
    expect(decisionProblems(input(), failed)[0].message).to.include('critical question H10');
    expect(decisionProblems(input(), { ...failed, isCoordinator: true })).to.deep.equal([]);
  });

  it('when a booking is referred, then only a coordinator may decide it', () => {
    expect(mayDecide('referred', false)).to.equal(false);
    expect(mayDecide('referred', true)).to.equal(true);
    expect(mayDecide('checks-complete', false)).to.equal(true);
  });

  it('when the decision is not one of the five, then it is refused', () => {
    expect(decisionProblems(input({ decision: 'maybe' }), ctx())[0]).to.deep.equal({
      field: 'decision',
      message: 'Select a decision',
    });
  });

  it('when the choices are listed, then each forbidden one carries the same reason deciding it would give', () => {
    const allowed = (c: DecisionContext) =>
      decisionChoices(c)
        .filter((x) => x.refusal === null)
        .map((x) => x.value);
    expect(allowed(ctx())).to.deep.equal([
      'approved',
      'approved-with-conditions',
      'referred',
      'refused',
      'cancelled',
    ]);
    expect(allowed(ctx({ openMatches: 1 }))).to.deep.equal(['referred', 'refused', 'cancelled']);
    expect(allowed(ctx({ openMatches: 1, isCoordinator: true }))).to.deep.equal([
      'approved',
      'approved-with-conditions',
      'refused',
      'cancelled',
    ]);
    expect(allowed(ctx({ checksComplete: false, isCoordinator: true }))).to.deep.equal([
      'refused',
      'cancelled',
    ]);
    const matched = ctx({ openMatches: 2 });
    for (const c of decisionChoices(matched)) {
      const sent = decisionProblems(input({ decision: c.value }), matched).find(
        (p) => p.field === 'decision',
      );
      expect(sent?.message ?? null).to.equal(c.refusal);
    }
  });

  it('when a watch-list match is open, then the checks’ outcome never reads "Compliant"', () => {
    expect(checksOutcomeTag('compliant', 0)).to.deep.equal({ text: 'Compliant', colour: 'green' });
    for (const outcome of ['compliant', 'partially-compliant', 'non-compliant', null] as const)
      expect(checksOutcomeTag(outcome, 1).text, String(outcome)).to.not.include('Compliant');
  });
});
