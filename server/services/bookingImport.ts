import { z } from 'zod';
import { namesToScreen, screenKeysOf } from '../../checks/bookingRules.js';
import { type BookingRow, parseBookingsCsv } from '../../data/csv/bookingReader.js';
import type { ParseResult, RowError } from '../../data/csv/rowError.js';
import type { Booking, Hall, Hirer, Speaker } from '../../data/schemas/hallHireSchemas.js';
import { ArchiveReader } from '../../data/store/archiveFiles.js';
import type { Store, Transaction } from '../../data/store/store.js';
import { applyNameChange, refreshHirersBookings } from '../hallHire/nameChanges.js';
import { hallKey, hirerKey, speakerKey } from '../hallHire/hallHireKeys.js';
import {
  commitPlan,
  type ImportCounts,
  ImportRefusedError,
  type PlannedImport,
  PlanRecorder,
} from './importPlan.js';

export interface BookingImportResult extends ImportCounts {
  hallsCreated: string[];
  hirersCreated: number;
  hirersUpdated: number;
  /** Bookings whose changed names sent them back for checks. */
  sentBack: string[];
  /**
   * Rows for bookings already in the archive files (decided, event ended more than 12 months ago): counted
   * in `skipped` and not created again, so refs stay unique across live and archived bookings.
   */
  skippedArchived: string[];
}

const storedEmail = z.string().email();

type HirerState = Pick<
  Hirer,
  'name' | 'organisation' | 'otherNames' | 'charityNumber' | 'companyNumber' | 'lastEventOn'
> & {
  existing: Hirer | undefined;
  changed: boolean;
};

/** Speakers from the file by name, keeping the aliases and affiliation recorded in the app for the same name. */
function mergeSpeakers(names: string[], existing: readonly Speaker[]): Speaker[] {
  const known = new Map(existing.map((s) => [speakerKey(s.name), s]));
  return names.map((name) => {
    const k = known.get(speakerKey(name));
    return { name, aliases: k?.aliases ?? [], affiliation: k?.affiliation ?? null };
  });
}

/**
 * `import bookings` (SPEC §7): all or nothing. Premises must be on the register; a hall new to its premises
 * is created; hirers are matched on name and organisation (other names are added, numbers filled in);
 * bookings are matched on their ref and updated in place. Bookings whose personal data was removed under
 * the retention policy are skipped rather than filled in again, and so are rows for bookings already
 * archived (a re-import of an old file): they are listed, never created again as live ones.
 */
export async function importBookings(
  store: Store,
  actor: string,
  file: Buffer,
  dryRun: boolean,
  archive = new ArchiveReader(store.path),
): Promise<BookingImportResult> {
  return commitPlan(store, actor, planBookings(store, parseBookingsCsv(file), archive), dryRun);
}

/** What `import bookings` will do (see importBookings); refused with every bad row. */
export function planBookings(
  store: Store,
  parsed: ParseResult<BookingRow>,
  archive = new ArchiveReader(store.path),
): PlannedImport<BookingImportResult> {
  const { rows, errors } = parsed;
  const recorder = new PlanRecorder();
  const premisesByRef = new Map(store.list('premises').map((p) => [p.ref.toLowerCase(), p]));
  const bookingsByRef = new Map(store.list('bookings').map((b) => [b.ref.toLowerCase(), b]));
  // Rows for archived bookings touch nothing, not even their hirer or hall (retention may have removed
  // the hirer's name since). Live data wins: a booking both live and archived (a move cut short) is live.
  const archivedRows = new Set(
    rows.filter(
      (r) =>
        !bookingsByRef.has(r.bookingRef.toLowerCase()) &&
        archive.bookingsByRef(r.bookingRef).some((f) => store.get('bookings', f.id) === undefined),
    ),
  );
  // Rows for live bookings whose personal data retention removed are skipped the same way: importing an
  // old file again must not bring the hirer's or speakers' names back.
  const purgedRows = new Set(
    rows.filter((r) => bookingsByRef.get(r.bookingRef.toLowerCase())?.personalDataRemoved),
  );
  const untouched = (r: (typeof rows)[number]) => archivedRows.has(r) || purgedRows.has(r);
  const problems: RowError[] = [...errors];
  for (const r of rows) {
    if (untouched(r)) continue;
    const row = r.row;
    const p = premisesByRef.get(r.premisesRef.toLowerCase());
    if (!p)
      problems.push({
        row,
        column: 'premises_ref',
        message: `there are no premises with the reference ${r.premisesRef}`,
      });
    else if (p.archived)
      problems.push({
        row,
        column: 'premises_ref',
        message: `premises ${r.premisesRef} are archived and take no bookings`,
      });
    if (r.bookingOfficerEmail && !storedEmail.safeParse(r.bookingOfficerEmail).success) {
      problems.push({
        row,
        column: 'booking_officer_email',
        message: `"${r.bookingOfficerEmail}" is not an email address`,
      });
    }
  }
  if (problems.length > 0) throw new ImportRefusedError(problems.sort((a, b) => a.row - b.row));

  const hallsByKey = new Map(store.list('halls').map((h) => [hallKey(h.premisesId, h.name), h]));
  const hirersByKey = new Map(store.list('hirers').map((h) => [hirerKey(h.name, h.organisation), h]));

  const newHalls = new Map<string, { premisesId: string; name: string }>();
  const hirers = new Map<string, HirerState>();
  for (const r of rows) {
    if (untouched(r)) continue;
    const premisesId = premisesByRef.get(r.premisesRef.toLowerCase())!.id;
    const hk = hallKey(premisesId, r.hall);
    if (!hallsByKey.has(hk) && !newHalls.has(hk))
      newHalls.set(hk, { premisesId, name: r.hall.replace(/\s+/g, ' ') });
    const key = hirerKey(r.hirerName, r.organisation);
    let h = hirers.get(key);
    if (!h) {
      const existing = hirersByKey.get(key);
      h = {
        existing,
        changed: !existing,
        name: existing?.name ?? r.hirerName,
        organisation: existing?.organisation ?? r.organisation,
        otherNames: [...(existing?.otherNames ?? [])],
        charityNumber: existing?.charityNumber ?? null,
        companyNumber: existing?.companyNumber ?? null,
        lastEventOn: existing?.lastEventOn ?? null,
      };
      hirers.set(key, h);
    }
    const endDay = r.end.slice(0, 10);
    if (!h.lastEventOn || endDay > h.lastEventOn) {
      h.lastEventOn = endDay;
      h.changed = true;
    }
    for (const n of r.otherNames) {
      if (!h.otherNames.some((o) => o.toLowerCase() === n.toLowerCase())) {
        h.otherNames.push(n);
        h.changed = true;
      }
    }
    if (r.charityNumber && r.charityNumber !== h.charityNumber) {
      h.charityNumber = r.charityNumber;
      h.changed = true;
    }
    if (r.companyNumber && r.companyNumber !== h.companyNumber) {
      h.companyNumber = r.companyNumber;
      h.changed = true;
    }
  }

  interface Planned {
    row: BookingRow;
    existing: Booking | undefined;
    hallKey: string;
    hirerKey: string;
    fields: Omit<
      Booking,
      | 'id'
      | 'version'
      | 'createdAt'
      | 'updatedAt'
      | 'hallId'
      | 'hirerId'
      | 'status'
      | 'checksReviewId'
      | 'decisionId'
      | 'clearedEntryIds'
      | 'personalDataRemoved'
    >;
  }
  const result: BookingImportResult = {
    created: 0,
    updated: 0,
    unchanged: 0,
    skipped: 0,
    hallsCreated: [...newHalls.values()].map(
      (h) => `${store.get('premises', h.premisesId)!.name} — ${h.name}`,
    ),
    hirersCreated: [...hirers.values()].filter((h) => !h.existing).length,
    hirersUpdated: [...hirers.values()].filter((h) => h.existing && h.changed).length,
    sentBack: [],
    skippedArchived: [],
  };
  const planned: Planned[] = [];
  for (const r of rows) {
    const existing = bookingsByRef.get(r.bookingRef.toLowerCase());
    if (existing?.personalDataRemoved) {
      result.skipped++;
      recorder.row('skipped', `${r.bookingRef} (its personal data was removed under the retention policy)`);
      continue;
    }
    if (archivedRows.has(r)) {
      result.skipped++;
      result.skippedArchived.push(r.bookingRef);
      recorder.row('skipped', `${r.bookingRef} (already archived)`);
      continue;
    }
    const premisesId = premisesByRef.get(r.premisesRef.toLowerCase())!.id;
    const hk = hallKey(premisesId, r.hall);
    const rk = hirerKey(r.hirerName, r.organisation);
    const hirer = hirers.get(rk)!;
    const speakers = mergeSpeakers(r.speakers, existing?.speakers ?? []);
    const fields: Planned['fields'] = {
      ref: existing?.ref ?? r.bookingRef,
      start: r.start,
      end: r.end,
      eventTitle: r.eventTitle,
      purpose: r.purpose,
      expectedAttendance: r.expectedAttendance,
      openToPublic: r.openToPublic,
      speakers,
      bookingOfficerEmail: r.bookingOfficerEmail?.toLowerCase() ?? null,
      screenKeys: screenKeysOf(namesToScreen(hirer, speakers)),
    };
    planned.push({ row: r, existing, hallKey: hk, hirerKey: rk, fields });
    const label = `${r.bookingRef} ${r.eventTitle ?? ''}`.trim();
    if (!existing) {
      result.created++;
      recorder.row('created', label, hk, rk, fields);
      continue;
    }
    const hall = hallsByKey.get(hk);
    const sameLinks = hall?.id === existing.hallId && hirer.existing?.id === existing.hirerId;
    const sameFields = Object.entries(fields).every(
      ([k, v]) =>
        JSON.stringify((existing as Record<string, unknown>)[k] ?? null) === JSON.stringify(v ?? null),
    );
    if (sameLinks && sameFields) {
      result.unchanged++;
      recorder.row('unchanged', label, existing.id);
      planned.pop();
    } else {
      result.updated++;
      recorder.row('updated', label, existing.id, existing.version, hk, rk, fields);
    }
  }
  recorder.add('halls', [...newHalls.keys()]);
  for (const [k, h] of hirers)
    if (h.changed) recorder.add('hirer', k, h.existing?.id, h.existing?.version, { ...h, existing: null });

  const anyHirerChange = [...hirers.values()].some((h) => h.changed);
  const changes = planned.length > 0 || newHalls.size > 0 || anyHirerChange;
  return { result, samples: recorder.samples, digest: recorder.digest(), changes, write };

  function write(tx: Transaction) {
    const hallIds = new Map<string, Hall>(hallsByKey);
    for (const [k, h] of newHalls)
      hallIds.set(k, tx.insert('halls', { ...h, capacity: null, archived: false }));
    const hirerRecords = new Map<string, Hirer>();
    const inFile = new Set(planned.map((p) => p.existing?.id).filter((id): id is string => !!id));
    const updatedHirers: Hirer[] = [];
    for (const [k, h] of hirers) {
      const fields = {
        name: h.name,
        organisation: h.organisation,
        otherNames: h.otherNames,
        charityNumber: h.charityNumber,
        companyNumber: h.companyNumber,
        lastEventOn: h.lastEventOn,
      };
      if (!h.existing) {
        hirerRecords.set(
          k,
          tx.insert('hirers', {
            ...fields,
            email: null,
            phone: null,
            address: null,
            personalDataRemoved: false,
          }),
        );
      } else if (h.changed) {
        const updated = tx.update('hirers', h.existing.id, fields);
        hirerRecords.set(k, updated);
        updatedHirers.push(updated);
      } else hirerRecords.set(k, h.existing);
    }
    for (const p of planned) {
      const hallId = hallIds.get(p.hallKey)!.id;
      const hirerId = hirerRecords.get(p.hirerKey)!.id;
      if (!p.existing) {
        tx.insert('bookings', {
          ...p.fields,
          hallId,
          hirerId,
          status: 'provisional',
          checksReviewId: null,
          decisionId: null,
          clearedEntryIds: [],
          personalDataRemoved: false,
        });
        continue;
      }
      const patch: Partial<Booking> = { ...p.fields, hallId, hirerId };
      const { reset } = applyNameChange(p.existing, p.fields.screenKeys, patch, store.now());
      if (reset) result.sentBack.push(p.existing.ref);
      tx.update('bookings', p.existing.id, patch);
    }
    // Bookings of an updated hirer that are not in this file still screen the hirer's new names.
    for (const h of updatedHirers) result.sentBack.push(...refreshHirersBookings(store, tx, h, inFile));
  }
}
