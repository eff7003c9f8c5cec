import { bookingFlagForViewer } from '../../checks/flags/bookingFlags.js';
import { computeFlags } from '../../checks/flags/computeFlags.js';
import type { Flag } from '../../checks/flags/flagTypes.js';
import { londonDate } from '../../checks/londonDates.js';
import type { User } from '../../data/schemas/accountSchemas.js';
import type { Store } from '../../data/store/store.js';

const AREA_OF: Record<string, string> = {
  premises: 'facilities',
  booking: 'facilities',
  library: 'library-manager',
  school: 'education',
};

/** Per-role lists kept for a revision; bounded so many as-of dates cannot grow it. */
const MAX_LISTS = 100;

/**
 * Flags for what a user may see. The full set is worked out once per (data revision, as-of date), and each
 * role's share of it (a library manager's by their libraries) once per revision too: never stale, because
 * any change bumps the revision.
 */
export function createFlagService(store: Store) {
  let cache: { revision: number; asOf: string; flags: Flag[] } | null = null;
  let listsRevision = -1;
  const lists = new Map<string, readonly Flag[]>();

  function all(asOf: string): Flag[] {
    if (cache && cache.revision === store.revision && cache.asOf === asOf) return cache.flags;
    const flags = computeFlags(store.data, asOf);
    cache = { revision: store.revision, asOf, flags };
    return flags;
  }

  /** The subject a flag is about, for actions the subject their review was about. */
  function ownerSubject(flag: Flag): { type: string; id: string } {
    if (flag.subject.type !== 'action') return flag.subject;
    const a = store.get('actions', flag.subject.id);
    return a ? { type: a.subjectType, id: a.subjectId } : flag.subject;
  }

  function visibleTo(user: User, flag: Flag): boolean {
    if (user.role === 'coordinator' || user.role === 'viewer') return true;
    const subject = ownerSubject(flag);
    if (AREA_OF[subject.type] !== user.role) return false;
    if (user.role === 'library-manager') return user.libraryIds.includes(subject.id);
    return true;
  }

  /** An action raised on a booking's check is described in free text, which can name people. */
  function forViewer(flag: Flag): Flag {
    if (flag.subject.type === 'action' && ownerSubject(flag).type === 'booking') {
      return { ...flag, subject: { ...flag.subject, name: 'Action on a hall booking' } };
    }
    return bookingFlagForViewer(flag);
  }

  return {
    today: () => londonDate(store.now()),
    all,
    /** What `visibleTo` reads of the user (role, libraries) is the key: the same list for the same role. */
    forUser(user: User, asOf: string): readonly Flag[] {
      if (listsRevision !== store.revision) {
        lists.clear();
        listsRevision = store.revision;
      }
      const key = `${asOf}|${user.role}|${user.role === 'library-manager' ? user.libraryIds.join(',') : ''}`;
      let list = lists.get(key);
      if (!list) {
        const flags = all(asOf).filter((f) => visibleTo(user, f));
        // Viewers see no personal data of hirers or speakers (SPEC §1).
        list = user.role === 'viewer' ? flags.map(forViewer) : flags;
        if (lists.size >= MAX_LISTS) lists.clear();
        lists.set(key, list);
      }
      return list;
    },
  };
}

export type FlagService = ReturnType<typeof createFlagService>;
