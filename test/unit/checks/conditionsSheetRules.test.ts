import { expect } from 'chai';
import { conditionsSheet } from '../../../checks/conditionsSheetRules.js';

const decided = (decision: 'approved-with-conditions' | 'approved' | 'refused' | 'referred') => ({
  decision,
  decidedOn: '2026-05-04',
});

describe('Conditions sheet rule', () => {
  it('when the booking is approved with conditions, then the sheet prints', () => {
    expect(conditionsSheet('approved-with-conditions', decided('approved-with-conditions'))).to.deep.equal({
      printable: true,
    });
  });

  it('when a booking approved with conditions went back to provisional, then no sheet: the decision no longer stands and the checks are needed again', () => {
    expect(conditionsSheet('provisional', decided('approved-with-conditions'))).to.deep.equal({
      printable: false,
      heading: 'This booking is not approved',
      why: 'The decision of 4 May 2026 no longer stands: the names on the booking changed after it, so its due-diligence checks must be done again and a new decision recorded.',
      mayGoAhead: false,
    });
    expect(conditionsSheet('checks-complete', decided('approved-with-conditions'))).to.deep.include({
      printable: false,
      mayGoAhead: false,
    });
  });

  it('when the booking is in any other state, then no sheet, and only an approval without conditions may go ahead', () => {
    const cases = [
      [
        'provisional',
        null,
        'Its due-diligence checks have not been completed, and no decision has been recorded.',
      ],
      [
        'checks-complete',
        null,
        'Its due-diligence checks are complete, but no decision has been recorded yet.',
      ],
      [
        'referred',
        decided('referred'),
        'It was referred to the Prevent coordinator, who has not recorded a decision yet.',
      ],
      ['refused', decided('refused'), 'It was refused on 4 May 2026. The event must not go ahead.'],
      ['cancelled', null, 'It was cancelled. The event must not go ahead.'],
    ] as const;
    for (const [status, decision, why] of cases) {
      expect(conditionsSheet(status, decision), status).to.deep.equal({
        printable: false,
        heading: 'This booking is not approved',
        why,
        mayGoAhead: false,
      });
    }
    expect(conditionsSheet('approved', decided('approved'))).to.deep.equal({
      printable: false,
      heading: 'This booking was approved without conditions',
      why: 'It was approved on 4 May 2026 with no conditions for on-site staff to check.',
      mayGoAhead: true,
    });
  });
});
