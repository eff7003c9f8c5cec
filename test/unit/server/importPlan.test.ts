import { expect } from 'chai';
import { PlanRecorder, planUpserts, SAMPLE_ROWS } from '../../../server/services/importPlan.js';

type Rec = { id: string; version: number; ref: string; name: string };
const rec = (ref: string, name: string, version = 1): Rec => ({ id: `id-${ref}`, version, ref, name });

/** Plans the same incoming rows against stored records; returns the plan and its fingerprint. */
function plan(stored: Rec[], rows: { ref: string; name: string }[]) {
  const byRef = new Map(stored.map((r) => [r.ref, r]));
  const recorder = new PlanRecorder();
  const p = planUpserts<'premises'>(
    rows.map((r) => ({
      existing: byRef.get(r.ref) as never,
      fields: r as never,
      label: `${r.ref} ${r.name}`,
    })),
    recorder,
  );
  return { p, samples: recorder.samples, digest: recorder.digest() };
}

describe('Import plans: samples and the fingerprint that re-checks an apply', () => {
  const rows = [
    { ref: 'A', name: 'Alpha' },
    { ref: 'B', name: 'Beta (renamed)' },
    { ref: 'C', name: 'Gamma' },
  ];

  it('when rows are new, changed or the same, then each is counted and shown under its kind', () => {
    const { p, samples } = plan([rec('B', 'Beta'), rec('C', 'Gamma')], rows);
    expect(p.creates).to.have.length(1);
    expect(p.updates).to.have.length(1);
    expect(p.unchanged).to.equal(1);
    expect(samples).to.deep.equal({
      created: ['A Alpha'],
      updated: ['B Beta (renamed)'],
      unchanged: ['C Gamma'],
      skipped: [],
    });
  });

  it('when a preview has many rows of a kind, then only the first few are kept', () => {
    const many = Array.from({ length: 50 }, (_, i) => ({ ref: `R${i}`, name: `Row ${i}` }));
    expect(plan([], many).samples.created).to.have.length(SAMPLE_ROWS);
  });

  it('when nothing it depends on changed, then planning again gives the same fingerprint', () => {
    const stored = [rec('B', 'Beta'), rec('C', 'Gamma')];
    expect(plan(stored, rows).digest).to.equal(plan(stored, rows).digest);
  });

  it('when a record it would change got a new version, then the fingerprint differs', () => {
    const before = plan([rec('B', 'Beta'), rec('C', 'Gamma')], rows).digest;
    expect(plan([rec('B', 'Beta', 2), rec('C', 'Gamma')], rows).digest).to.not.equal(before);
  });

  it('when a record it would leave is changed so the file now changes it, then the fingerprint differs', () => {
    const before = plan([rec('B', 'Beta'), rec('C', 'Gamma')], rows).digest;
    expect(plan([rec('B', 'Beta'), rec('C', 'Gamma edited', 2)], rows).digest).to.not.equal(before);
  });

  it('when a record it leaves alone gets a new version with the same values, then the fingerprint holds', () => {
    const before = plan([rec('B', 'Beta'), rec('C', 'Gamma')], rows).digest;
    expect(plan([rec('B', 'Beta'), rec('C', 'Gamma', 7)], rows).digest).to.equal(before);
  });
});
