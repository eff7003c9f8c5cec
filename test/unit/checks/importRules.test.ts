import { expect } from 'chai';
import { importKindsFor, mayImport } from '../../../checks/importRules.js';
import { importKinds } from '../../../data/schemas/importSchemas.js';

describe('Who may import what (SPEC §12)', () => {
  it('when a coordinator imports, then every kind is allowed', () => {
    expect([...importKindsFor('coordinator')]).to.deep.equal([...importKinds]);
  });

  it('when education or facilities import, then only their registers are allowed', () => {
    expect([...importKindsFor('education')].sort()).to.deep.equal(['schools', 'training']);
    expect([...importKindsFor('facilities')].sort()).to.deep.equal(['bookings', 'premises']);
    expect(mayImport('education', 'premises')).to.equal(false);
    expect(mayImport('facilities', 'watchlist')).to.equal(false);
  });

  it('when a library manager or a viewer imports, then nothing is allowed', () => {
    for (const kind of importKinds) {
      expect(mayImport('library-manager', kind)).to.equal(false);
      expect(mayImport('viewer', kind)).to.equal(false);
    }
  });
});
