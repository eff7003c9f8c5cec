import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import {
  bankHolidays,
  parseBankHolidaysJson,
  useBankHolidays,
  workingDaysUntil,
} from '../../../checks/workingDays.js';
import { ConfigError, loadConfig } from '../../../server/config.js';
import { tempFolders } from '../../support/tempFolder.js';

const shippedPath = fileURLToPath(new URL('../../../checks/bank-holidays.json', import.meta.url));
const shipped = parseBankHolidaysJson(readFileSync(shippedPath, 'utf8'));
const folders = tempFolders('bank-holidays');

describe('Bank holidays shipped as GOV.UK bank-holidays.json data, replaceable by the council', () => {
  afterEach(() => {
    useBankHolidays(shipped);
    folders.cleanUp();
  });

  it('when the shipped file is read, then it covers 2018 to 2028 in the GOV.UK format and agrees with the rules', () => {
    const data = JSON.parse(readFileSync(shippedPath, 'utf8'));
    expect(data['england-and-wales'].division).to.equal('england-and-wales');
    for (const e of data['england-and-wales'].events)
      expect(e).to.have.keys(['title', 'date', 'notes', 'bunting']);
    expect(shipped.filter((d) => d.startsWith('2026'))).to.deep.equal([
      '2026-01-01',
      '2026-04-03',
      '2026-04-06',
      '2026-05-04',
      '2026-05-25',
      '2026-08-31',
      '2026-12-25',
      '2026-12-28',
    ]);
    expect(new Set(shipped.map((d) => d.slice(0, 4)))).to.have.property('size', 11);
  });

  it('when the council adds a day (e.g. a new one-off bank holiday), then the working-day count follows it', () => {
    // Monday 8 June 2026 to Friday 12 June 2026: five working days after Friday 5 June.
    expect(workingDaysUntil('2026-06-05', '2026-06-12')).to.equal(5);
    useBankHolidays([...shipped, '2026-06-08']);
    expect(workingDaysUntil('2026-06-05', '2026-06-12')).to.equal(4);
    expect(bankHolidays(2026)).to.include('2026-06-08');
  });

  it('when BANK_HOLIDAYS_FILE names a good file, then start-up uses it; a bad one stops start-up with one clear line', () => {
    const dir = folders.make();
    const good = join(dir, 'bank-holidays.json');
    writeFileSync(
      good,
      JSON.stringify({
        'england-and-wales': {
          division: 'england-and-wales',
          events: [{ title: 'Extra', date: '2027-06-07' }],
        },
      }),
    );
    loadConfig({ BANK_HOLIDAYS_FILE: good });
    expect(bankHolidays(2027)).to.deep.equal(['2027-06-07']);

    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ scotland: { events: [] } }));
    expect(() => loadConfig({ BANK_HOLIDAYS_FILE: bad })).to.throw(
      ConfigError,
      /BANK_HOLIDAYS_FILE: .*england-and-wales/,
    );
    writeFileSync(
      bad,
      JSON.stringify({ 'england-and-wales': { events: [{ title: 'x', date: '2027-02-30' }] } }),
    );
    expect(() => loadConfig({ BANK_HOLIDAYS_FILE: bad })).to.throw(ConfigError, /event 1 .*real "date"/);
    expect(() => loadConfig({ BANK_HOLIDAYS_FILE: join(dir, 'missing.json') })).to.throw(
      ConfigError,
      /cannot be read \(ENOENT\)/,
    );
  });
});
