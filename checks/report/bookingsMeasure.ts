import type { ComplianceMeasure } from './complianceMeasures.js';

/**
 * Bookings whose event took place in the period (up to `asOf`), not cancelled or refused, that had a
 * submitted due-diligence check completed on or before the event day.
 */
export const bookingsCheckedMeasure: ComplianceMeasure = {
  id: 'bookings-checked',
  area: 'Hall hire',
  label: 'Bookings checked before the event',
  compute(data, { periodStart, periodEnd, asOf }) {
    // ISO dates: the earlier of the two sorts first.
    const until = [periodEnd, asOf].sort()[0] ?? periodEnd;

    // Earliest completion per booking, in one pass over the reviews.
    const checkedOn = new Map<string, string>();
    for (const r of data.reviews) {
      if (r.subjectType !== 'booking' || r.status !== 'submitted' || !r.completedOn) continue;
      const cur = checkedOn.get(r.subjectId);
      if (!cur || r.completedOn < cur) checkedOn.set(r.subjectId, r.completedOn);
    }
    let total = 0;
    let met = 0;
    for (const b of data.bookings) {
      if (b.status === 'cancelled' || b.status === 'refused') continue;
      const day = b.start.slice(0, 10);
      if (day < periodStart || day > until) continue;
      total++;
      const on = checkedOn.get(b.id);
      if (on !== undefined && on <= day) met++;
    }
    return { met, total };
  },
};
