import type { WatchlistEntryRecord } from '../../data/schemas/hallHireSchemas.js';
import {
  CRITICAL_WORKING_DAYS,
  firstDayBeyond,
  isDecided,
  LEAD_TIME_WORKING_DAYS,
  leadTimeText,
  roleText,
  watchlistIndexOf,
} from '../bookingRules.js';
import { formatDate } from '../londonDates.js';
import type { WatchlistHit } from '../nameMatching.js';
import type { Flag, FlagData } from './flagTypes.js';

const WAITING: Record<string, string> = {
  provisional: 'Due-diligence checks are not complete and no decision is recorded',
  'checks-complete': 'Checks are complete but no decision is recorded',
  referred: 'Referred to the coordinator and not yet decided',
};

// The index is rebuilt only when a list changes: an import that changes entries always bumps its list's
// version, so the lists' ids and versions (and the number of entries) tell when it is stale.
const indexCache = new WeakMap<
  readonly WatchlistEntryRecord[],
  { signature: string; index: ReturnType<typeof watchlistIndexOf> }
>();

function indexFor(data: FlagData): ReturnType<typeof watchlistIndexOf> | null {
  if (data.watchlists.length === 0) return null;
  const signature = `${data.watchlistEntries.length}|${data.watchlists.map((l) => `${l.id}:${l.version}:${l.asOf}:${l.source}`).join(',')}`;
  const cached = indexCache.get(data.watchlistEntries);
  if (cached?.signature === signature) return cached.index;
  const index = watchlistIndexOf(data.watchlists, data.watchlistEntries);
  indexCache.set(data.watchlistEntries, { signature, index });
  return index;
}

function onList(hit: WatchlistHit<WatchlistEntryRecord>): string {
  const source = /^the\s/i.test(hit.source) ? hit.source : `the ${hit.source}`;
  return `${source} as of ${formatDate(hit.asOf)}`;
}

/**
 * `booking-checks-incomplete` and `booking-watchlist-match` (SPEC §4) in one pass over the bookings. The
 * watch-list index is built once per run and each booking's names were normalised when it was saved, so
 * a booking costs a string comparison and a Map lookup per name.
 */
export function bookingFlags(data: FlagData, asOf: string): Flag[] {
  const out: Flag[] = [];
  const flagBefore = firstDayBeyond(asOf, LEAD_TIME_WORKING_DAYS);
  const criticalBefore = firstDayBeyond(asOf, CRITICAL_WORKING_DAYS);
  const index = indexFor(data);

  for (const b of data.bookings) {
    // "YYYY-MM-DDTHH:MM" sorts before "YYYY-MM-DD" exactly when its day is earlier: no slicing per booking.
    const inLeadTime = b.start < flagBefore && !isDecided(b.status);
    let hits: { role: string; hit: WatchlistHit<WatchlistEntryRecord> }[] | null = null;
    if (index) {
      for (const { key, role } of b.screenKeys) {
        const found = index.get(key);
        if (!found) continue;
        for (const hit of found) {
          if (b.clearedEntryIds.length > 0 && b.clearedEntryIds.includes(hit.entry.id)) continue;
          // A speaker matching one entry by name and by alias is one match.
          if (hits?.some((h) => h.hit.entry.id === hit.entry.id)) continue;
          if (hits) hits.push({ role, hit });
          else hits = [{ role, hit }];
        }
      }
    }
    if (!inLeadTime && !hits) continue;
    const eventDay = b.start.slice(0, 10);
    const subject = {
      type: 'booking' as const,
      id: b.id,
      ref: b.ref,
      name: b.eventTitle ?? `Booking ${b.ref}`,
    };
    if (inLeadTime) {
      out.push({
        rule: 'booking-checks-incomplete',
        severity: eventDay < criticalBefore ? 'critical' : 'high',
        subject,
        dueOn: eventDay,
        message: `${WAITING[b.status]}; ${leadTimeText(asOf, eventDay)}`,
      });
    }
    const first = hits?.[0];
    if (hits && first) {
      const more = hits.length - 1;
      out.push({
        rule: 'booking-watchlist-match',
        severity: 'critical',
        subject,
        dueOn: eventDay,
        message:
          `The ${roleText[first.role as keyof typeof roleText]}’s name matches “${first.hit.matchedText}” on ${onList(first.hit)}` +
          (more > 0 ? ` and ${more} more ${more === 1 ? 'match' : 'matches'}` : '') +
          '; a coordinator’s decision is needed',
      });
    }
  }
  return out;
}

const VIEWER_MESSAGES: Partial<Record<Flag['rule'], string>> = {
  'booking-watchlist-match':
    'A name on this booking matches the watch list; a coordinator’s decision is needed',
};

/**
 * The same flag without the personal data of hirers and speakers, for the viewer role: no event title
 * (it can name people) and no names in the message.
 */
export function bookingFlagForViewer(flag: Flag): Flag {
  if (flag.subject.type !== 'booking') return flag;
  return {
    ...flag,
    subject: { ...flag.subject, name: `Hall booking ${flag.subject.ref}` },
    message: VIEWER_MESSAGES[flag.rule] ?? flag.message,
  };
}
