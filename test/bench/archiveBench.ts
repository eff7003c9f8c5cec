import { itemAt } from '../../data/itemAt.js';
/**
 * What the archive of decided bookings (issue #10.4) does for a borough with years of history:
 * `npx tsx test/bench/archiveBench.ts [--per-year 20000] [--years 5] [--writes 3000] [--seconds 20] [--rate 50] [--json]`.
 *
 * Builds a borough database (the demo accounts, BOROUGH premises, schools and libraries) with `years` of
 * bookings at `per-year` a year plus six months ahead, each decided booking with its due-diligence check
 * (14 answers), decision and screening. Then measures the live database file's size, opening it, a
 * single saved change's p50/p99/max over sequential edits for `seconds`, then the same with changes
 * arriving at `rate` a second whatever happens (each acknowledged once durable; the file is rewritten in
 * the background meanwhile, at least every 5 s) and one rewrite of the file, before and after running
 * the archive job. Prints the figures; `--json` adds them as one JSON line. Not run by CI.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { addDays, addMonths } from '../../checks/londonDates.js';
import type { Db } from '../../data/dbSchema.js';
import { archiveYears, archivePathFor } from '../../data/store/archiveFiles.js';
import { Store } from '../../data/store/store.js';
import { runArchive } from '../../jobs/archiveJob.js';
import { setUpDemo } from '../../server/services/demoSetup.js';
import { benchId } from './benchIds.js';
import { BOROUGH, generateDataset } from './datasetGenerator.js';

const AS_OF = '2026-06-30';
const STAMP = '2025-01-06T09:00:00.000Z';
const PAST = ['approved', 'approved', 'approved-with-conditions', 'refused', 'cancelled'] as const;
const AHEAD = ['provisional', 'checks-complete', 'approved', 'approved'] as const;
const pad2 = (n: number) => String(n).padStart(2, '0');
const ANSWERS = JSON.stringify(
  Object.fromEntries(
    Array.from({ length: 14 }, (_, i) => [
      `H${i + 1}`,
      {
        answer: i === 6 ? 'na' : 'yes',
        reason: i === 6 ? 'No speakers' : null,
        note: i === 2 ? 'Charity register checked' : null,
        toConfirm: false,
      },
    ]),
  ),
);

/** `years` of bookings and their checks, decisions and screenings, as JSON text per collection. */
function history(perYear: number, years: number, hallIds: readonly string[]) {
  const out = {
    hirers: [] as string[],
    bookings: [] as string[],
    reviews: [] as string[],
    bookingDecisions: [] as string[],
    bookingScreenings: [] as string[],
  };
  const first = addMonths(AS_OF, -12 * years);
  const span = years * 365 + 182;
  const count = Math.round((perYear * span) / 365);
  const hirers = Math.ceil(count / 10);
  const stamp = `"version":1,"createdAt":"${STAMP}","updatedAt":"${STAMP}"`;
  for (let h = 0; h < hirers; h++)
    out.hirers.push(
      `{"id":"${benchId('hirer', h)}",${stamp},"name":"Hirer Example${h}","organisation":"Example Group ${h % 997}","otherNames":[],"charityNumber":null,"companyNumber":null,"email":"hirer${h}@example.org","phone":null,"address":null,"lastEventOn":null,"personalDataRemoved":false}`,
    );
  const days = new Map<number, string>();
  const dayOf = (n: number) => {
    let d = days.get(n);
    if (!d) {
      d = addDays(first, n);
      days.set(n, d);
    }
    return d;
  };
  for (let i = 0; i < count; i++) {
    const day = dayOf((i * 7919) % span);
    const past = day < AS_OF;
    // One old booking in 250 was never decided: it stays live however old.
    const status = past ? (i % 250 === 0 ? 'referred' : itemAt(PAST, i % 5)) : itemAt(AHEAD, i % 4);
    const id = benchId('booking', i);
    const reviewId = status === 'provisional' ? null : benchId('booking-review', i);
    const decided = !['provisional', 'checks-complete', 'referred'].includes(status);
    const decisionId = decided ? benchId('action', i) : null;
    out.bookings.push(
      `{"id":"${id}",${stamp},"ref":"HB${String(i).padStart(7, '0')}","hallId":"${itemAt(hallIds, i % hallIds.length)}",` +
        `"start":"${day}T${pad2(9 + (i % 10))}:00","end":"${day}T${pad2(11 + (i % 10))}:00",` +
        `"eventTitle":"Community event ${i}","purpose":"Talks, music and refreshments","expectedAttendance":${20 + (i % 150)},` +
        `"openToPublic":${i % 3 === 0},"hirerId":"${benchId('hirer', (i * 31) % hirers)}",` +
        `"speakers":[{"name":"Speaker Example${i % 5000}","aliases":[],"affiliation":null}],"bookingOfficerEmail":"officer${i % 20}@council.test",` +
        `"status":"${status}","screenKeys":[{"key":"example group ${i % 997}","role":"organisation"}],` +
        `"checksReviewId":${reviewId ? `"${reviewId}"` : 'null'},"decisionId":${decisionId ? `"${decisionId}"` : 'null'},"clearedEntryIds":[],` +
        `"personalDataRemoved":false}`,
    );
    if (!reviewId) continue;
    const completedOn = addDays(day, -14);
    out.reviews.push(
      `{"id":"${reviewId}",${stamp},"templateId":"booking-due-diligence","templateVersion":1,` +
        `"subjectType":"booking","subjectId":"${id}","status":"submitted","answers":${ANSWERS},"notes":null,` +
        `"evidence":[],"startedBy":"facilities@demo.test","startedFrom":null,` +
        `"submittedBy":"facilities@demo.test","submittedAt":"${completedOn}T10:00:00.000Z",` +
        `"completedOn":"${completedOn}","outcome":"compliant","nextDue":null,"attestation":null}`,
    );
    if (!decisionId) continue;
    const screeningId = benchId('school', i);
    out.bookingScreenings.push(
      `{"id":"${screeningId}",${stamp},"bookingId":"${id}","eventDay":"${day}","at":"${completedOn}T10:00:00.000Z","by":"facilities@demo.test","why":"decision","reviewId":null,` +
        `"lists":[{"listId":"${benchId('watchlist', 0)}","source":"Bench watch list","asOf":"${completedOn}","listVersion":1,"entries":5000}],"matches":[]}`,
    );
    out.bookingDecisions.push(
      `{"id":"${decisionId}",${stamp},"bookingId":"${id}","decision":"${status}","rationale":"Checks complete; no concerns found.","conditions":[],` +
        `"balancing":${status === 'refused' || status === 'approved-with-conditions' ? '{"expression":"Weighed","equality":"Considered","alternatives":"Weighed"}' : 'null'},` +
        `"decidedBy":"coordinator@demo.test","decidedByRole":"coordinator","decidedAt":"${completedOn}T12:00:00.000Z","decidedOn":"${completedOn}",` +
        `"previousStatus":"checks-complete","checksReviewId":"${reviewId}","screeningId":"${screeningId}"}`,
    );
  }
  return { count, out };
}

interface Figures {
  writes: number;
  fileMb: number;
  openMs: number;
  writeP50Ms: number;
  writeP99Ms: number;
  writeMaxMs: number;
  openLoop: { rate: number; writes: number; p50Ms: number; p99Ms: number; maxMs: number };
  snapshotMs: number;
  bookingsLive: number;
}

/**
 * Sequential edits for at least `seconds` (and `writes`): long enough that the file is rewritten in the
 * background several times (at least every 5 s under constant writes), which is where its size shows.
 */
async function measure(dbPath: string, writes: number, seconds: number, rate: number): Promise<Figures> {
  const t0 = performance.now();
  const store = await Store.open(dbPath);
  const openMs = performance.now() - t0;
  const ids = store.list('premises').map((p) => p.id);
  const latencies: number[] = [];
  const until = performance.now() + seconds * 1000;
  for (let i = 0; i < writes || performance.now() < until; i++) {
    const t = performance.now();
    await store.transact('bench', (tx) =>
      tx.update('premises', itemAt(ids, i % ids.length), { riskRationale: `Bench edit ${i}` }),
    );
    latencies.push(performance.now() - t);
  }
  await store.flushed();
  // Open loop: a change arrives every 1000/rate ms whatever happens (people do not wait for each other),
  // each timed from when it arrived, so a stall while the file is rewritten delays every change meanwhile.
  const arrivals: Promise<number>[] = [];
  const start = performance.now();
  const interval = 1000 / rate;
  for (let i = 0; performance.now() - start < seconds * 1000; i++) {
    const due = start + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    arrivals.push(
      store
        .transact('bench', (tx) =>
          tx.update('premises', itemAt(ids, i % ids.length), { riskRationale: `Open edit ${i}` }),
        )
        .then(() => performance.now() - due),
    );
  }
  const open = (await Promise.all(arrivals)).sort((a, b) => a - b);
  await store.flushed();
  // One more change, then the file rewritten from memory as close does: what every background rewrite costs.
  await store.transact('bench', (tx) =>
    tx.update('premises', itemAt(ids, 0), { riskRationale: 'Last edit' }),
  );
  const t1 = performance.now();
  await store.close();
  const snapshotMs = performance.now() - t1;
  latencies.sort((a, b) => a - b);
  return {
    writes: latencies.length,
    fileMb: statSync(dbPath).size / 1e6,
    openMs,
    writeP50Ms: itemAt(latencies, Math.floor(latencies.length / 2)),
    writeP99Ms: itemAt(latencies, Math.ceil(0.99 * latencies.length) - 1),
    writeMaxMs: itemAt(latencies, latencies.length - 1),
    openLoop: {
      rate,
      writes: open.length,
      p50Ms: itemAt(open, Math.floor(open.length / 2)),
      p99Ms: itemAt(open, Math.ceil(0.99 * open.length) - 1),
      maxMs: itemAt(open, open.length - 1),
    },
    snapshotMs,
    bookingsLive: store.list('bookings').length,
  };
}

const r1 = (n: number) => Math.round(n * 10) / 10;

async function main() {
  const { values } = parseArgs({
    options: {
      'per-year': { type: 'string', default: '20000' },
      years: { type: 'string', default: '5' },
      writes: { type: 'string', default: '3000' },
      seconds: { type: 'string', default: '20' },
      rate: { type: 'string', default: '50' },
      json: { type: 'boolean', default: false },
    },
  });
  const perYear = Number(values['per-year']);
  const years = Number(values.years);
  const writes = Number(values.writes);
  const seconds = Number(values.seconds);
  const rate = Number(values.rate);
  const dir = mkdtempSync(join(tmpdir(), 'dueregard-archive-bench-'));
  try {
    const dbPath = join(dir, 'dueregard.json');
    const demo = await Store.open(dbPath);
    await setUpDemo(demo, { passwordHashCost: 10, today: AS_OF });
    await demo.close();
    const db = JSON.parse(readFileSync(dbPath, 'utf8')) as Db & Record<string, unknown[]>;
    const generated = generateDataset({ ...BOROUGH, bookings: 0 }, AS_OF) as unknown as Record<
      string,
      unknown[]
    >;
    for (const [name, records] of Object.entries(generated))
      if (Array.isArray(records)) for (const r of records) (db[name] as unknown[]).push(r);
    const { count, out } = history(
      perYear,
      years,
      (db.halls as { id: string }[]).map((h) => h.id),
    );
    // Spliced in as text: the file is written as the store writes it, without building the objects here.
    let text = JSON.stringify(db);
    for (const [name, list] of Object.entries(out)) {
      if (list.length === 0) continue;
      const key = `"${name}":[`;
      const at = text.indexOf(key) + key.length;
      const empty = text[at] === ']';
      text = `${text.slice(0, at)}${list.join(',')}${empty ? '' : ','}${text.slice(at)}`;
    }
    writeFileSync(dbPath, text);
    text = '';
    console.log(
      `Borough with ${years} years of bookings: ${count} bookings (${perYear} a year), ${out.reviews.length} checks, ${out.bookingDecisions.length} decisions, ${out.bookingScreenings.length} screenings`,
    );

    const before = await measure(dbPath, writes, seconds, rate);
    const store = await Store.open(dbPath);
    const t = performance.now();
    const moved = await runArchive(store, { asOf: AS_OF });
    const archiveMs = performance.now() - t;
    await store.close();
    const archiveMb = archiveYears(dbPath).reduce(
      (n, y) => n + statSync(archivePathFor(dbPath, y)).size / 1e6,
      0,
    );
    console.log(
      `Archive job: moved ${moved.bookings} bookings (${moved.records} records) to ${moved.files.length} files (${r1(archiveMb)} MB) in ${r1(archiveMs / 1000)} s; ${moved.heldBack.flagged} flagged and ${moved.heldBack.openWork} with open work kept live`,
    );
    const after = await measure(dbPath, writes, seconds, rate);
    for (const [label, f] of [
      ['before', before],
      ['after ', after],
    ] as const)
      console.log(
        `${label}: live file ${r1(f.fileMb)} MB (${f.bookingsLive} bookings live), open ${r1(f.openMs)} ms, write p50 ${r1(f.writeP50Ms)} ms, p99 ${r1(f.writeP99Ms)} ms, max ${r1(f.writeMaxMs)} ms (${f.writes} sequential writes); at ${f.openLoop.rate} writes/s: p50 ${r1(f.openLoop.p50Ms)} ms, p99 ${r1(f.openLoop.p99Ms)} ms, max ${r1(f.openLoop.maxMs)} ms; file rewrite ${r1(f.snapshotMs)} ms`,
      );
    if (values.json)
      console.log(
        JSON.stringify({
          perYear,
          years,
          bookings: count,
          archiveMs: r1(archiveMs),
          archiveMb: r1(archiveMb),
          before,
          after,
        }),
      );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
