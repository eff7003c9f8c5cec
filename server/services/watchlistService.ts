import {
  parseWatchlistCsv,
  type WatchlistReadResult,
  type WatchlistRow,
} from '../../data/csv/watchlistReader.js';
import type { WatchlistEntryRecord, WatchlistRecord } from '../../data/schemas/hallHireSchemas.js';
import type { Store } from '../../data/store/store.js';
import {
  commitPlan,
  type ImportCounts,
  ImportRefusedError,
  type PlannedImport,
  PlanRecorder,
} from './importPlan.js';

export interface WatchlistImportResult extends ImportCounts {
  /** Entries no longer on a re-imported list, taken off it. */
  removed: number;
  /** Per list (source): what the import did. */
  lists: { source: string; asOf: string; created: boolean; entries: number; replacedAsOf: string | null }[];
}

const comparable = (s: string) => s.trim().replace(/\s+/g, ' ').toLowerCase();

/** An entry is the same entry again when it has the same OFSI Group ID, or else the same type and name. */
function entryKey(e: { reference: string | null; type: string; name: string }): string {
  return e.reference ? `ref:${e.reference}` : `${e.type}:${comparable(e.name)}`;
}

function entryFields(row: WatchlistRow) {
  return {
    name: row.name,
    aliases: row.aliases,
    type: row.type,
    listedOn: row.listedOn,
    reference: row.reference,
    regime: row.regime,
  };
}

/** Reads a watch-list file (`source` names a simple list's source); a bad row or no names refuses it. */
export function readWatchlistFile(file: Buffer, opts: { source?: string }): WatchlistReadResult {
  const parsed = parseWatchlistCsv(file, { source: opts.source });
  if (parsed.errors.length > 0) throw new ImportRefusedError(parsed.errors);
  if (parsed.rows.length === 0) {
    throw new ImportRefusedError([{ row: 1, column: 'name', message: 'the file has no names in it' }]);
  }
  return parsed;
}

/**
 * `import watchlist`: the simple layout or the OFSI ConList, all or nothing. Each source is one list,
 * matched on its source when loaded again and updated in place: new entries added, changed ones updated,
 * entries no longer on it removed, so a re-import of the same file changes nothing. The list's "as of"
 * date is `--as-of` when given, else the OFSI "Last Updated" date, else the day it was loaded.
 */
export async function importWatchlist(
  store: Store,
  actor: string,
  file: Buffer,
  opts: { source?: string; dryRun: boolean; asOf?: string; today: string },
): Promise<WatchlistImportResult> {
  return commitPlan(store, actor, planWatchlist(store, readWatchlistFile(file, opts), opts), opts.dryRun);
}

/** What a watch-list import will do (see importWatchlist). */
export function planWatchlist(
  store: Store,
  parsed: WatchlistReadResult,
  opts: { asOf?: string; today: string },
): PlannedImport<WatchlistImportResult> {
  const recorder = new PlanRecorder();
  const fileAsOf = opts.asOf ?? parsed.asOf;

  const groups = new Map<string, { source: string; rows: WatchlistRow[] }>();
  for (const row of parsed.rows) {
    const key = comparable(row.source);
    let g = groups.get(key);
    if (!g) {
      g = { source: row.source.trim(), rows: [] };
      groups.set(key, g);
    }
    g.rows.push(row);
  }

  const listsBySource = new Map(store.list('watchlists').map((l) => [comparable(l.source), l]));
  const entriesByList = new Map<string, WatchlistEntryRecord[]>();
  for (const e of store.list('watchlistEntries')) {
    const list = entriesByList.get(e.listId);
    if (list) list.push(e);
    else entriesByList.set(e.listId, [e]);
  }

  const result: WatchlistImportResult = {
    created: 0,
    updated: 0,
    unchanged: 0,
    skipped: 0,
    removed: 0,
    lists: [],
  };
  interface ListPlan {
    existing: WatchlistRecord | undefined;
    source: string;
    asOf: string;
    creates: ReturnType<typeof entryFields>[];
    updates: { id: string; patch: ReturnType<typeof entryFields> }[];
    removes: string[];
    entryCount: number;
    listChanged: boolean;
  }
  const plans: ListPlan[] = [];
  for (const [key, g] of groups) {
    const existing = listsBySource.get(key);
    const current = new Map(
      (existing ? (entriesByList.get(existing.id) ?? []) : []).map((e) => [entryKey(e), e]),
    );
    const plan: ListPlan = {
      existing,
      source: existing?.source ?? g.source,
      asOf: fileAsOf ?? existing?.asOf ?? opts.today,
      creates: [],
      updates: [],
      removes: [],
      entryCount: g.rows.length,
      listChanged: false,
    };
    const seen = new Set<string>();
    for (const row of g.rows) {
      const fields = entryFields(row);
      const k = entryKey(fields);
      seen.add(k);
      const e = current.get(k);
      const label = `${row.name} (${plan.source})`;
      if (!e) {
        plan.creates.push(fields);
        recorder.row('created', label, key, fields);
      } else if (
        Object.entries(fields).some(
          ([f, v]) => JSON.stringify((e as Record<string, unknown>)[f] ?? null) !== JSON.stringify(v ?? null),
        )
      ) {
        plan.updates.push({ id: e.id, patch: fields });
        recorder.row('updated', label, e.id, e.version, fields);
      } else {
        result.unchanged++;
        recorder.row('unchanged', label, e.id);
      }
    }
    for (const [k, e] of current)
      if (!seen.has(k)) {
        plan.removes.push(e.id);
        recorder.add('remove', e.id, e.version);
      }
    // A first load, changed entries, or a newer date given for the list make a new version of it.
    plan.listChanged =
      !existing ||
      plan.creates.length + plan.updates.length + plan.removes.length > 0 ||
      plan.asOf !== existing.asOf ||
      existing.format !== parsed.format;
    recorder.add('list', existing?.id, existing?.version, plan.asOf, plan.listChanged);
    result.created += plan.creates.length;
    result.updated += plan.updates.length;
    result.removed += plan.removes.length;
    result.lists.push({
      source: plan.source,
      asOf: plan.asOf,
      created: !existing,
      entries: plan.entryCount,
      replacedAsOf: existing && existing.asOf !== plan.asOf ? existing.asOf : null,
    });
    plans.push(plan);
  }

  return {
    result,
    samples: recorder.samples,
    digest: recorder.digest(),
    changes: plans.some((p) => p.listChanged),
    write(tx) {
      for (const plan of plans) {
        if (!plan.listChanged) continue;
        const fields = {
          source: plan.source,
          asOf: plan.asOf,
          format: parsed.format,
          entryCount: plan.entryCount,
          importedAt: tx.at,
          importedBy: tx.actor,
        };
        const list = plan.existing
          ? tx.update('watchlists', plan.existing.id, fields)
          : tx.insert('watchlists', fields);
        for (const c of plan.creates) tx.insert('watchlistEntries', { ...c, listId: list.id });
        for (const u of plan.updates) tx.update('watchlistEntries', u.id, u.patch);
        for (const id of plan.removes) tx.remove('watchlistEntries', id);
      }
    },
  };
}

/** The coordinator's view of the loaded lists. */
export function createWatchlistService(store: Store) {
  return {
    lists: () => [...store.list('watchlists')].sort((a, b) => a.source.localeCompare(b.source)),
    get: (id: string) => store.get('watchlists', id),
    entries(listId: string, q: string): WatchlistEntryRecord[] {
      const needle = q.trim().toLowerCase();
      return store
        .list('watchlistEntries')
        .filter(
          (e) =>
            e.listId === listId &&
            (!needle ||
              `${e.name} ${e.aliases.join(' ')} ${e.reference ?? ''}`.toLowerCase().includes(needle)),
        )
        .sort((a, b) => a.name.localeCompare(b.name));
    },
  };
}

export type WatchlistService = ReturnType<typeof createWatchlistService>;
