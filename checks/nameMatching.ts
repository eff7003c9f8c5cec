import { itemAt } from '../data/itemAt.js';
/**
 * Watch-list name matching (SPEC §7). Two names match when they normalise to the same key:
 *
 * - case, accents and punctuation are ignored; apostrophes are removed without a space ("O'Neil" →
 *   "oneil") and "&" reads as "and";
 * - "the" and the titles Mr, Mrs, Ms, Miss, Mx and Dr are dropped wherever they appear;
 * - company suffixes are dropped: the abbreviations Ltd, PLC, LLP, CIC, CIO and Inc anywhere (they never
 *   identify anyone), and the words Limited, Incorporated and Trust only at the end, because elsewhere
 *   they are part of the name ("Trust for London", "Limited Edition Books");
 * - word order is ignored (the words are sorted), so "Exemplar, Jon Q." matches "Jon Q. Exemplar".
 *
 * Every other word counts, single-letter initials included, so "Jon Exemplar" does not match
 * "Jon Q. Exemplar", and "Example Frontline" does not match "Example Front". Words such as Co, Company,
 * Group, Foundation and Association are deliberately kept: they often tell apart different bodies with
 * similar names, and dropping them would widen matches beyond what a coordinator can usefully review.
 * A name with nothing left after normalising (e.g. "The Ltd") matches nothing.
 */
import { NAME_MATCH_LIMITS } from './limits.js';

export type WatchlistEntryType = 'organisation' | 'person';

export interface WatchlistEntry {
  id?: string;
  name: string;
  aliases: readonly string[];
  type: WatchlistEntryType;
}

/** One loaded list, e.g. the OFSI consolidated list as of a date. */
export interface Watchlist<E extends WatchlistEntry = WatchlistEntry> {
  id: string;
  source: string;
  /** ISO date of the list the check ran against. */
  asOf: string;
  entries: readonly E[];
}

export interface WatchlistHit<E extends WatchlistEntry = WatchlistEntry> {
  listId: string;
  source: string;
  asOf: string;
  entry: E;
  /** The listed name or alias that matched, as written on the list. */
  matchedText: string;
  via: 'name' | 'alias';
}

/** Normalised name → every listed name or alias with that key. Build once, look up many times. */
export type WatchlistIndex<E extends WatchlistEntry = WatchlistEntry> = Map<string, WatchlistHit<E>[]>;

export interface NameMatch<E extends WatchlistEntry = WatchlistEntry> extends WatchlistHit<E> {
  /** The name that was looked up. */
  name: string;
  /** Plain-English explanation for the person reviewing the match. */
  reason: string;
}

// Precompiled once: normaliseName runs for every hirer, organisation and speaker on every flags run.
const APOSTROPHES = /['’‘`ʼʻ´]/g;
const NOT_PLAIN_ASCII = /[^ -~]/;
const COMBINING_MARKS = /\p{M}/gu;
const UNDECOMPOSED_LETTERS = /[ßæœøłđðþıħ]/g;
const LETTER_SPELLINGS: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  ħ: 'h',
};
const AMPERSAND = /&/g;
const NON_WORD = /[^\p{L}\p{N}]+/u;
const WHITESPACE = /\s+/;
const STARTS_WITH_THE = /^the\s/i;

const THE = new Set(['the']);
const TITLES = new Set(['mr', 'mrs', 'ms', 'miss', 'mx', 'dr']);
const SUFFIXES_ANYWHERE = new Set(['ltd', 'plc', 'llp', 'cic', 'cio', 'inc']);
const SUFFIXES_AT_END = new Set([...SUFFIXES_ANYWHERE, 'limited', 'incorporated', 'trust']);

type Stage = 'case' | 'accents' | 'punctuation' | 'the' | 'titles' | 'suffixes' | 'order';

const STAGES: readonly Stage[] = ['case', 'accents', 'punctuation', 'the', 'titles', 'suffixes', 'order'];

const STAGE_WORDS: Record<Stage, string> = {
  case: 'case',
  accents: 'accents',
  punctuation: 'punctuation',
  the: '"the"',
  titles: 'titles',
  suffixes: 'company suffixes',
  order: 'word order',
};

const DROPPED_ANYWHERE = new Set([...THE, ...TITLES, ...SUFFIXES_ANYWHERE]);
const LONGEST_DROPPED = Math.max(...[...DROPPED_ANYWHERE].map((word) => word.length));

function foldAccents(text: string): string {
  if (!NOT_PLAIN_ASCII.test(text)) return text;
  return text
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .replace(UNDECOMPOSED_LETTERS, (letter) => LETTER_SPELLINGS[letter] ?? letter);
}

function splitWords(text: string): string[] {
  return text
    .replace(AMPERSAND, ' and ')
    .split(NON_WORD)
    .filter((word) => word !== '');
}

/**
 * The words of a lower-cased name in one pass without regular expressions, or null when the name has
 * characters outside plain ASCII (those take the slower Unicode route). Most names are plain ASCII.
 */
function asciiWords(lowered: string): string[] | null {
  const words: string[] = [];
  let before = ''; // the part of a word before an apostrophe
  let start = -1;
  for (let i = 0; i < lowered.length; i += 1) {
    const code = lowered.charCodeAt(i);
    if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57)) {
      if (start < 0) start = i;
      continue;
    }
    if (code > 127) return null;
    if (code === 39 || code === 96) {
      if (start >= 0) before += lowered.slice(start, i);
      start = -1;
      continue;
    }
    if (start >= 0) words.push(before + lowered.slice(start, i));
    else if (before !== '') words.push(before);
    before = '';
    start = -1;
    if (code === 38) words.push('and');
  }
  if (start >= 0) words.push(before + lowered.slice(start));
  else if (before !== '') words.push(before);
  return words;
}

/** Longest run insertion sort is given: beyond it, its quadratic time would let one hostile name stall a request. */
const INSERTION_SORT_MAX = 16;

/**
 * Insertion sort for a handful of words (where it beats Array.prototype.sort several times over);
 * the built-in O(n log n) sort for more. Both order by UTF-16 code units.
 */
function sortWords(words: string[]): void {
  if (words.length > INSERTION_SORT_MAX) {
    words.sort();
    return;
  }
  for (let i = 1; i < words.length; i += 1) {
    const word = itemAt(words, i);
    let j = i - 1;
    for (let before = words[j]; before !== undefined && before > word; before = words[j]) {
      words[j + 1] = before;
      j -= 1;
    }
    words[j + 1] = word;
  }
}

function dropTrailingSuffixes(words: string[]): void {
  let end = words.length;
  while (end > 0 && SUFFIXES_AT_END.has(itemAt(words, end - 1))) end -= 1;
  words.length = end;
}

/** The matching key of a name; "" when nothing identifying is left. */
export function normaliseName(name: string): string {
  // Bounded work whatever the input: a name longer than any field may hold is matched on its start.
  const lowered = (
    name.length > NAME_MATCH_LIMITS.chars ? name.slice(0, NAME_MATCH_LIMITS.chars) : name
  ).toLowerCase();
  let words = asciiWords(lowered);
  if (!words) {
    // Folding can yield capitals (compatibility letters such as "ℌ"), hence the second toLowerCase;
    // accented Latin names fold to plain ASCII and can still take the fast split.
    const folded = foldAccents(lowered.replace(APOSTROPHES, '')).toLowerCase();
    words = asciiWords(folded) ?? splitWords(folded);
  }
  let kept = 0;
  for (let i = 0; i < words.length; i += 1) {
    const word = itemAt(words, i);
    // The length test spares hashing words too long to be dropped.
    if (word.length > LONGEST_DROPPED || !DROPPED_ANYWHERE.has(word)) words[kept++] = word;
  }
  words.length = Math.min(kept, NAME_MATCH_LIMITS.words);
  dropTrailingSuffixes(words);
  sortWords(words);
  return words.join(' ');
}

/** normaliseName with one stage left out, to tell which stages a match depended on. */
function normaliseExcept(name: string, skip: Stage): string {
  const lower = (text: string): string => (skip === 'case' ? text : text.toLowerCase());
  let text = lower(name.slice(0, NAME_MATCH_LIMITS.chars));
  if (skip !== 'punctuation') text = text.replace(APOSTROPHES, '');
  if (skip !== 'accents') text = lower(foldAccents(text));
  const words = (skip === 'punctuation' ? text.split(WHITESPACE) : splitWords(text)).filter(
    (word) =>
      word !== '' &&
      (skip === 'the' || !THE.has(word)) &&
      (skip === 'titles' || !TITLES.has(word)) &&
      (skip === 'suffixes' || !SUFFIXES_ANYWHERE.has(word)),
  );
  if (skip !== 'suffixes') dropTrailingSuffixes(words);
  if (skip !== 'order') sortWords(words);
  return words.join(' ');
}

/** Builds the lookup once; a listed name and its aliases that share a key are indexed once. */
export function buildWatchlistIndex<E extends WatchlistEntry>(
  lists: readonly Watchlist<E>[],
): WatchlistIndex<E> {
  const index: WatchlistIndex<E> = new Map();
  for (const list of lists) {
    for (const entry of list.entries) {
      const seen = new Set<string>();
      const texts: [string, 'name' | 'alias'][] = [
        [entry.name, 'name'],
        ...entry.aliases.map((alias): [string, 'alias'] => [alias, 'alias']),
      ];
      for (const [text, via] of texts) {
        const key = normaliseName(text);
        if (key === '' || seen.has(key)) continue;
        seen.add(key);
        const hit: WatchlistHit<E> = {
          listId: list.id,
          source: list.source,
          asOf: list.asOf,
          entry,
          matchedText: text,
          via,
        };
        const hits = index.get(key);
        if (hits) hits.push(hit);
        else index.set(key, [hit]);
      }
    }
  }
  return index;
}

function joinWords(items: string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** Names the normalisation stages without which the two names would not have matched. */
function whyTheyMatch(name: string, listed: string): string {
  if (name === listed) return 'exactly the same name';
  const needed = STAGES.filter((stage) => normaliseExcept(name, stage) !== normaliseExcept(listed, stage));
  if (needed.length === 0) return 'the same name apart from spacing';
  const verb = needed.length === 1 ? 'is' : 'are';
  return `same words once ${joinWords(needed.map((stage) => STAGE_WORDS[stage]))} ${verb} set aside`;
}

function onTheList(source: string): string {
  return STARTS_WITH_THE.test(source) ? source : `the ${source}`;
}

/** Every watch-list entry whose name or alias matches `name`, with the reason. One Map lookup per name. */
export function matchName<E extends WatchlistEntry>(index: WatchlistIndex<E>, name: string): NameMatch<E>[] {
  const key = normaliseName(name);
  const hits = key === '' ? undefined : index.get(key);
  if (!hits) return [];
  return hits.map((hit) => ({
    ...hit,
    name,
    reason: `"${name}" matches "${hit.matchedText}" (${hit.via === 'alias' ? 'alias' : 'listed name'}) on ${onTheList(hit.source)}: ${whyTheyMatch(name, hit.matchedText)}`,
  }));
}
