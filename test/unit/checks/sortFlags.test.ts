import { itemAt } from '../../../data/itemAt.js';
import { expect } from 'chai';
import { sortFlags } from '../../../checks/flags/computeFlags.js';
import { type Flag, type Severity, severityOrder } from '../../../checks/flags/flagTypes.js';

function flag(severity: Severity, dueOn: string | null, ref: string): Flag {
  return {
    rule: 'review-overdue',
    severity,
    subject: { type: 'premises', id: ref, ref, name: ref },
    dueOn,
    message: '',
  };
}

/** The order as a plain comparison sort gives it: the reference the linear-time sort must match. */
function reference(flags: Flag[]): Flag[] {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...flags].sort(
    (a, b) =>
      severityOrder[a.severity] - severityOrder[b.severity] ||
      cmp(a.dueOn ?? '', b.dueOn ?? '') ||
      cmp(a.subject.ref, b.subject.ref),
  );
}

describe('Flag order', () => {
  it('when flags are sorted, then the most severe come first, then the earliest due (none first), then by ref', () => {
    const sorted = sortFlags([
      flag('low', '2026-01-01', 'A'),
      flag('high', '2026-03-01', 'B'),
      flag('high', null, 'Z'),
      flag('critical', '2027-12-31', 'C'),
      flag('high', '2026-03-01', 'A'),
      flag('medium', '2025-06-30', 'D'),
      flag('high', '2026-02-28', 'E'),
    ]);
    expect(sorted.map((f) => `${f.severity} ${f.dueOn} ${f.subject.ref}`)).to.deep.equal([
      'critical 2027-12-31 C',
      'high null Z',
      'high 2026-02-28 E',
      'high 2026-03-01 A',
      'high 2026-03-01 B',
      'medium 2025-06-30 D',
      'low 2026-01-01 A',
    ]);
  });

  it('when thousands of flags over many years are sorted, then the order is the one a comparison sort gives', () => {
    const severities: Severity[] = ['critical', 'high', 'medium', 'low'];
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    const flags = Array.from({ length: 5000 }, () => {
      const day = next() % 40;
      const due =
        day === 0
          ? null
          : `${1999 + (next() % 40)}-${String(1 + (next() % 12)).padStart(2, '0')}-${String((day % 28) + 1).padStart(2, '0')}`;
      return flag(itemAt(severities, next() % 4), due, `R${next() % 300}`);
    });
    const sorted = sortFlags(flags);
    expect(sorted).to.have.length(flags.length);
    const key = (f: Flag) => `${f.severity}|${f.dueOn}|${f.subject.ref}`;
    expect(sorted.map(key)).to.deep.equal(reference(flags).map(key));
    const given = new Set(flags);
    expect(
      sorted.every((f) => given.delete(f)),
      'each flag once',
    ).to.equal(true);
    expect(given.size).to.equal(0);
  });

  it('when there are no flags, then the result is empty', () => {
    expect(sortFlags([])).to.deep.equal([]);
  });
});
