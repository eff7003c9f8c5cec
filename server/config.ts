import { itemAt } from '../data/itemAt.js';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { dirname, resolve } from 'node:path';
import cron from 'node-cron';
import { isEvaluableCron } from '../jobs/cronSchedule.js';
import { z } from 'zod';
import { parseBankHolidaysJson, useBankHolidays } from '../checks/workingDays.js';

export class ConfigError extends Error {}

/** `true` or `false` (unset = false); anything else is a mistake worth stopping for. */
const booleanSetting = z
  .enum(['true', 'false'], { message: 'must be true or false' })
  .default('false')
  .transform((v) => v === 'true');

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DUEREGARD_DB: z.string().min(1).default('var/dueregard.json'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'must start with postgres:// or postgresql://')
    .optional(),
  BASE_URL: z.string().url().optional(),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/.+/, 'must start with smtp:// or smtps://')
    .optional(),
  MAIL_FROM: z.string().min(3).default('Due Regard <due-regard@localhost>'),
  REMINDER_CRON: z.string().default('0 7 * * 1-5'),
  WEEKLY_SUMMARY_CRON: z.string().default('0 7 * * 1'),
  REMINDER_RETRY_SECONDS: z.coerce.number().int().min(0).max(40).default(35),
  TZ_NAME: z.string().default('Europe/London'),
  SESSION_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  RETENTION_YEARS: z.coerce.number().int().min(1).max(100).default(6),
  SPOC_PHASES: z.string().default('Secondary,Middle deemed secondary,All-through,16 plus'),
  IDLE_TIMEOUT_MINUTES: z.coerce.number().int().min(1).max(1440).default(60),
  BANK_HOLIDAYS_FILE: z.string().optional(),
  PASSWORD_HASH_COST: z.coerce.number().int().min(10).max(20).default(15),
  TRUST_PROXY: z
    .string()
    .default('loopback')
    .transform((raw, ctx) => {
      const parsed = parseTrustProxy(raw);
      if (typeof parsed === 'string') {
        ctx.addIssue({ code: 'custom', message: parsed });
        return z.NEVER;
      }
      return parsed;
    }),
  EVIDENCE_MAX_MB: z.coerce.number().positive().max(100).default(5),
  IMPORT_MAX_MB: z.coerce.number().positive().max(2000).default(200),
  RETURN_LINK_DAYS: z.coerce.number().int().min(7).max(365).default(60),
  OIDC_ISSUER: z
    .string()
    .url('must be a URL, like https://login.microsoftonline.com/TENANT-ID/v2.0')
    .optional(),
  OIDC_CLIENT_ID: z.string().max(500).optional(),
  OIDC_CLIENT_SECRET: z.string().max(2000).optional(),
  OIDC_ONLY: booleanSetting,
  BREAK_GLASS_EMAIL: z.string().max(254).email('must be an email address').optional(),
  REQUIRE_2FA: booleanSetting,
});

export interface Config {
  port: number;
  dbPath: string;
  /** PostgreSQL (SPEC §14) when set; otherwise the embedded file store at `dbPath`. */
  databaseUrl: string | null;
  baseUrl: string;
  secureCookies: boolean;
  smtpUrl: string | null;
  mailFrom: string;
  reminderCron: string;
  weeklySummaryCron: string;
  /** How long a reminder run keeps retrying failed sends (with SMTP timeouts, under a minute in all). */
  reminderRetrySeconds: number;
  tzName: string;
  sessionSecret: string;
  production: boolean;
  /** Log unexpected errors to stderr (off under NODE_ENV=test, where failures are expected on purpose). */
  logErrors: boolean;
  retentionYears: number;
  spocPhases: string[];
  idleTimeoutMinutes: number;
  /** log2 of scrypt's cost N. */
  passwordHashCost: number;
  outboxDir: string;
  /**
   * Express's `trust proxy`: which hops' X-Forwarded-For to believe for the client address (sign-in
   * lockout per address). false: none; a number: that many hops; a list: those addresses and subnets.
   */
  trustProxy: TrustProxy;
  /** Largest evidence file a review accepts, in bytes (EVIDENCE_MAX_MB). */
  evidenceMaxBytes: number;
  /** Largest file an import in the browser accepts, in bytes (IMPORT_MAX_MB). */
  importMaxBytes: number;
  /** Days a school's annual-return link stays valid (RETURN_LINK_DAYS). */
  returnLinkDays: number;
  /** Single sign-on with the council's OpenID Connect provider (SPEC §15); null when not configured. */
  oidc: OidcSettings | null;
  /** Password sign-in only for this coordinator (OIDC_ONLY with BREAK_GLASS_EMAIL); null: for everyone. */
  passwordOnlyFor: string | null;
  /** Every password account must enrol a second factor at its next sign-in (REQUIRE_2FA). */
  require2fa: boolean;
}

export interface OidcSettings {
  issuer: string;
  clientId: string;
  clientSecret: string;
}

export type TrustProxy = false | number | string[];

/**
 * The only reader of the environment. Bad values stop start-up with one clear line (ConfigError).
 * `overrides` lets tests and the CLI set values (e.g. --db) without touching process.env.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<Config> = {}): Config {
  const picked = Object.fromEntries(
    Object.keys(envSchema.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]),
  );
  const parsed = envSchema.safeParse(picked);
  if (!parsed.success) {
    const issue = itemAt(parsed.error.issues, 0);
    throw new ConfigError(`Configuration error: ${String(issue.path[0])} ${issue.message}`);
  }
  const e = parsed.data;
  // node-cron runs the timers and croner (jobs/cronSchedule.ts) says when a run was due: both must read it.
  if (!cron.validate(e.REMINDER_CRON) || !isEvaluableCron(e.REMINDER_CRON)) {
    throw new ConfigError(
      `Configuration error: REMINDER_CRON "${e.REMINDER_CRON}" is not a valid cron expression`,
    );
  }
  if (!cron.validate(e.WEEKLY_SUMMARY_CRON) || !isEvaluableCron(e.WEEKLY_SUMMARY_CRON)) {
    throw new ConfigError(
      `Configuration error: WEEKLY_SUMMARY_CRON "${e.WEEKLY_SUMMARY_CRON}" is not a valid cron expression`,
    );
  }
  if (e.BANK_HOLIDAYS_FILE) {
    // The council's own copy of GOV.UK's bank-holidays.json replaces the shipped dates for the years it covers.
    let text: string;
    try {
      text = readFileSync(e.BANK_HOLIDAYS_FILE, 'utf8');
    } catch (err) {
      throw new ConfigError(
        `Configuration error: BANK_HOLIDAYS_FILE cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
      );
    }
    try {
      useBankHolidays(parseBankHolidaysJson(text));
    } catch (err) {
      throw new ConfigError(`Configuration error: BANK_HOLIDAYS_FILE: ${(err as Error).message}`);
    }
  }
  if (!isTimeZone(e.TZ_NAME))
    throw new ConfigError(`Configuration error: TZ_NAME "${e.TZ_NAME}" is not a known time zone`);
  const oidc = oidcSettings(e);
  const dbPath = resolve(overrides.dbPath ?? e.DUEREGARD_DB);
  const port = overrides.port ?? e.PORT;
  const baseUrl = (overrides.baseUrl ?? e.BASE_URL ?? `http://localhost:${port}`).replace(/\/$/, '');
  const config: Config = {
    port,
    dbPath,
    databaseUrl: e.DATABASE_URL ?? null,
    baseUrl,
    secureCookies: baseUrl.startsWith('https://'),
    smtpUrl: e.SMTP_URL ?? null,
    mailFrom: e.MAIL_FROM,
    reminderCron: e.REMINDER_CRON,
    weeklySummaryCron: e.WEEKLY_SUMMARY_CRON,
    reminderRetrySeconds: e.REMINDER_RETRY_SECONDS,
    tzName: e.TZ_NAME,
    sessionSecret: e.SESSION_SECRET ?? '',
    production: e.NODE_ENV === 'production',
    logErrors: e.NODE_ENV !== 'test',
    retentionYears: e.RETENTION_YEARS,
    spocPhases: e.SPOC_PHASES.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    idleTimeoutMinutes: e.IDLE_TIMEOUT_MINUTES,
    passwordHashCost: e.PASSWORD_HASH_COST,
    outboxDir: resolve(dirname(dbPath), 'outbox'),
    trustProxy: e.TRUST_PROXY,
    evidenceMaxBytes: Math.round(e.EVIDENCE_MAX_MB * 1024 * 1024),
    importMaxBytes: Math.round(e.IMPORT_MAX_MB * 1024 * 1024),
    returnLinkDays: e.RETURN_LINK_DAYS,
    oidc,
    passwordOnlyFor: e.OIDC_ONLY ? e.BREAK_GLASS_EMAIL!.toLowerCase() : null,
    require2fa: e.REQUIRE_2FA,
    ...overrides,
  };
  if (overrides.dbPath) config.dbPath = resolve(overrides.dbPath);
  return config;
}

type Env = z.infer<typeof envSchema>;

/**
 * The three OIDC settings come together or not at all. OIDC_ONLY needs them and a break-glass coordinator,
 * so that the council can still get in when its identity provider is down. A plain-http issuer is only
 * accepted on this machine (a test or a local provider): tokens must not cross a network unencrypted.
 */
function oidcSettings(e: Env): OidcSettings | null {
  const given = [e.OIDC_ISSUER, e.OIDC_CLIENT_ID, e.OIDC_CLIENT_SECRET].filter(Boolean).length;
  if (given > 0 && given < 3) {
    throw new ConfigError(
      'Configuration error: OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together',
    );
  }
  if (e.OIDC_ONLY && given === 0) {
    throw new ConfigError(
      'Configuration error: OIDC_ONLY needs OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET',
    );
  }
  if (e.OIDC_ONLY && !e.BREAK_GLASS_EMAIL) {
    throw new ConfigError(
      'Configuration error: OIDC_ONLY needs BREAK_GLASS_EMAIL, the coordinator who may still sign in with a password',
    );
  }
  if (!e.OIDC_ISSUER || !e.OIDC_CLIENT_ID || !e.OIDC_CLIENT_SECRET) return null;
  const url = new URL(e.OIDC_ISSUER);
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
    throw new ConfigError('Configuration error: OIDC_ISSUER must start with https://');
  }
  return { issuer: e.OIDC_ISSUER, clientId: e.OIDC_CLIENT_ID, clientSecret: e.OIDC_CLIENT_SECRET };
}

/** SESSION_SECRET unset → one is generated once and kept beside the database (never in git). */
export function resolveSessionSecret(config: Config): string {
  if (config.sessionSecret) return config.sessionSecret;
  const file = `${config.dbPath.replace(/\.json$/i, '')}.secret`;
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * TRUST_PROXY as Express's `trust proxy` takes it: `false`, a hop count, or a comma list of addresses,
 * subnets (`10.0.0.0/8`, `fd00::/8`, `10.0.0.0/255.0.0.0`) and `loopback` / `linklocal` / `uniquelocal`.
 * `true` (believe any client's X-Forwarded-For) is refused: anyone could then pick the address the
 * sign-in lockout counts. Returns the value, or what is wrong with it.
 */
export function parseTrustProxy(raw: string): TrustProxy | string {
  const value = raw.trim();
  if (value === 'false') return false;
  if (value === 'true') {
    return 'true would believe any client’s X-Forwarded-For; give the proxy’s addresses or a hop count';
  }
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return hops <= 100 ? hops : `"${value}" is too many hops (at most 100)`;
  }
  const entries = value.split(',').map((e) => e.trim());
  for (const entry of entries) {
    if (!entry) return `"${raw}" has an empty entry; give a comma list of addresses or subnets`;
    if (NAMED_RANGES.has(entry)) continue;
    const problem = addressProblem(entry);
    if (problem) return problem;
  }
  return entries;
}

function addressProblem(entry: string): string | null {
  const [address, range, extra] = entry.split('/');
  const family = isIP(address ?? '');
  const bad = `"${entry}" is not an address, a subnet, loopback, linklocal, uniquelocal, false or a hop count`;
  if (!family || extra !== undefined) return bad;
  if (range === undefined) return null;
  if (/^\d+$/.test(range)) return Number(range) <= (family === 4 ? 32 : 128) ? null : bad;
  // An IPv4 netmask: ones then zeros.
  if (family !== 4 || isIP(range) !== 4) return bad;
  const bits = range
    .split('.')
    .map((n) => Number(n).toString(2).padStart(8, '0'))
    .join('');
  return /^1*0*$/.test(bits) ? null : bad;
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
