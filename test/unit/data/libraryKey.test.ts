import { expect } from 'chai';
import { libraryKey, parseLibrariesCsv } from '../../../data/csv/libraryReader.js';

describe('Library natural key (service + name)', () => {
  it('when the service is spelled "Barnet", "London Borough of Barnet" or "Barnet Council", then the key is the same', () => {
    const key = libraryKey('London Borough of Barnet', 'Burnt Oak');
    expect(libraryKey('Barnet', 'burnt oak ')).to.equal(key);
    expect(libraryKey('Barnet Council', 'Burnt Oak')).to.equal(key);
    expect(libraryKey('Camden', 'Burnt Oak')).to.not.equal(key);
  });

  it('when one file lists the same library under two spellings of its service, then the second row is refused', () => {
    const csv = [
      'Local authority,Library name,Year closed',
      'London Borough of Barnet,Burnt Oak,',
      'Barnet,Burnt Oak,',
      'London Borough of Camden,Burnt Oak,',
    ].join('\n');
    const result = parseLibrariesCsv(Buffer.from(csv));
    expect(result.errors).to.deep.equal([
      {
        row: 3,
        column: 'Library name',
        message: 'Burnt Oak (Barnet) is already on row 2 — each library may appear only once',
      },
    ]);
  });
});
