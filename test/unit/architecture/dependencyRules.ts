import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

/**
 * The rooms' one-way arrows (ARCHITECTURE.md), checked over the import statements of every source file.
 * dependency-cruiser would be the library for this, but it reads TypeScript only through the `typescript`
 * package's JavaScript API, which TypeScript 7 (the native compiler used here) no longer ships.
 */
export interface Rule {
  name: string;
  /** Why the arrow points one way, shown with a violation. */
  why: string;
  from: RegExp;
  /** Matched against the imported file (relative to the project) or the bare module name. */
  to: RegExp;
}

const NODE_IO =
  /^(node:)?(fs|fs\/promises|child_process|net|http|https|http2|dgram|dns|tls|cluster|worker_threads|os|process|readline)$/;

export const RULES: Rule[] = [
  {
    name: 'data imports nothing of ours',
    why: 'data/ is what is stored and how; rules belong in checks/, clocks in jobs/, people in server/',
    from: /^data\//,
    to: /^(checks|jobs|server)\//,
  },
  {
    name: 'checks import only data',
    why: 'checks/ is compliance logic, called by jobs/ and server/, never calling them',
    from: /^checks\//,
    to: /^(jobs|server)\//,
  },
  {
    name: 'checks use no node I/O',
    why: 'checks/ is pure: files, network and processes are read elsewhere and passed in',
    from: /^checks\//,
    to: NODE_IO,
  },
  {
    name: 'jobs never import server',
    why: 'jobs are plain functions the scheduler and the CLI both call; server/ calls them, not back',
    from: /^jobs\//,
    to: /^server\//,
  },
  {
    name: 'services never import routes',
    why: 'business logic never sees req/res: routes call services, never the reverse',
    from: /^server\/(services\/|hallHire\/(?![^/]*(Routes|Presenters|Forms)\.ts$))/,
    to: /^server\/(routes\/|app\.ts$|hallHire\/[^/]*(Routes|Presenters|Forms)\.ts$)/,
  },
];

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;
/(?:^|\n)\s*(?:import|export)\s[^'";]*?from\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

/** What a file imports: project files as paths relative to the project (".js" read as ".ts"), else the module name. */
export function importsOf(file: string, source: string): string[] {
  const out: string[] = [];
  for (const m of source.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? m[3];
    if (!spec) continue;
    out.push(spec.startsWith('.') ? normalize(join(dirname(file), spec)).replace(/\.js$/, '.ts') : spec);
  }
  return out;
}

export interface Violation {
  rule: string;
  from: string;
  to: string;
}

/** Every import that breaks a rule, over files given as project-relative path → source. */
export function violationsOf(
  files: ReadonlyMap<string, string>,
  rules: readonly Rule[] = RULES,
): Violation[] {
  const out: Violation[] = [];
  for (const [file, source] of files) {
    for (const to of importsOf(file, source)) {
      for (const rule of rules) {
        if (rule.from.test(file) && rule.to.test(to)) out.push({ rule: rule.name, from: file, to });
      }
    }
  }
  return out;
}

/** The TypeScript sources of the four rooms, project-relative path → text. */
export function projectSources(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) files.set(relative(root, path), readFileSync(path, 'utf8'));
    }
  };
  for (const room of ['data', 'checks', 'jobs', 'server']) walk(join(root, room));
  return files;
}
