import { itemAt } from '../../data/itemAt.js';
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const mainEntry = fileURLToPath(new URL('../../server/main.ts', import.meta.url));

/** A fixed secret so the server never writes a `.secret` file mid-test; 32+ characters as config requires. */
export const TEST_SESSION_SECRET = 'test-session-secret-0123456789abcdef0123';

export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  /** Loopback base URL, e.g. http://127.0.0.1:41234. */
  url: string;
  port: number;
  /** Everything printed so far. */
  output(): { stdout: string; stderr: string };
  /** Resolves with the exit code and signal once the process has ended. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface StartOptions {
  dbPath: string;
  env?: Record<string, string>;
  /** Give up waiting for the "running at" line after this long (default 30 s). */
  startTimeoutMs?: number;
  /** Called with the child as soon as it is spawned (e.g. to kill it during start-up). */
  onSpawn?: (child: ChildProcess) => void;
}

/** Spawns the real server (`server/main.ts` through tsx) on an ephemeral port. */
export function spawnServer(opts: StartOptions): {
  child: ChildProcess;
  ready: Promise<ServerProcess>;
  exited: ServerProcess['exited'];
} {
  const child = spawn(process.execPath, ['--import', 'tsx', mainEntry], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      PASSWORD_HASH_COST: '10',
      SESSION_SECRET: TEST_SESSION_SECRET,
      ...opts.env,
      DUEREGARD_DB: opts.dbPath,
      PORT: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  opts.onSpawn?.(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stdout!.on('data', (s: string) => {
    stdout += s;
  });
  child.stderr!.on('data', (s: string) => {
    stderr += s;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const ready = new Promise<ServerProcess>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`The server did not start within ${opts.startTimeoutMs ?? 30_000} ms: ${stderr}`));
    }, opts.startTimeoutMs ?? 30_000);
    const onData = () => {
      const m = /running at http:\/\/localhost:(\d+)/.exec(stdout);
      if (!m) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      const port = Number(m[1]);
      resolve({
        child,
        pid: child.pid!,
        url: `http://127.0.0.1:${port}`,
        port,
        output: () => ({ stdout, stderr }),
        exited,
      });
    };
    child.stdout!.on('data', onData);
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`The server exited (code ${code}, signal ${signal}) before it was ready: ${stderr}`));
    });
  });
  ready.catch(() => {});
  return { child, ready, exited };
}

export async function startServer(opts: StartOptions): Promise<ServerProcess> {
  return spawnServer(opts).ready;
}

export interface HttpResult {
  status: number;
  location: string | null;
  headers: Headers;
  text: string;
}

/**
 * One browser-like visitor over real HTTP: keeps the session cookie, reads the CSRF token from pages and
 * sends it with each form. Redirects are not followed, so a 303 (the acknowledgement of a saved form) is seen.
 */
export class HttpVisitor {
  private cookie = '';
  csrf = '';

  constructor(
    readonly baseUrl: string,
    private readonly timeoutMs = 30_000,
  ) {}

  private remember(res: Response): void {
    for (const c of res.headers.getSetCookie()) {
      const pair = itemAt(c.split(';'), 0);
      if (pair.startsWith('dueregard=') || pair.startsWith('__Host-dueregard=')) this.cookie = pair;
    }
  }

  async get(path: string): Promise<HttpResult> {
    const res = await fetch(this.baseUrl + path, {
      redirect: 'manual',
      headers: this.cookie ? { cookie: this.cookie } : {},
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    this.remember(res);
    const text = await res.text();
    return { status: res.status, location: res.headers.get('location'), headers: res.headers, text };
  }

  async post(path: string, form: Record<string, string> = {}): Promise<HttpResult> {
    const res = await fetch(this.baseUrl + path, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        ...(this.cookie ? { cookie: this.cookie } : {}),
      },
      body: new URLSearchParams({ _csrf: this.csrf, ...form }).toString(),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    this.remember(res);
    const text = await res.text();
    return { status: res.status, location: res.headers.get('location'), headers: res.headers, text };
  }

  /** Signs in through the login form; throws unless the server answers 303. */
  async signIn(email: string, password: string): Promise<void> {
    const page = await this.get('/login');
    this.csrf = csrfIn(page.text);
    const res = await this.post('/login', { email, password, next: '/' });
    if (res.status !== 303) throw new Error(`Sign-in as ${email} failed with ${res.status}`);
    this.csrf = csrfIn((await this.get('/')).text);
  }

  /** The Cookie header this visitor sends (for tools such as autocannon). */
  get cookieHeader(): string {
    return this.cookie;
  }
}

export function csrfIn(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('No CSRF token on the page');
  return m[1] ?? '';
}

/** The fields the premises form posts, from a stored record (edits must send every field back). */
export function premisesForm(p: Record<string, unknown>): Record<string, string> {
  const yesNo = (v: unknown) => (v === true ? 'yes' : v === false ? 'no' : '');
  const s = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  return {
    ref: s(p.ref),
    name: s(p.name),
    uprn: s(p.uprn),
    address: s(p.address),
    postcode: s(p.postcode),
    ward: s(p.ward),
    operator: s(p.operator),
    buildingType: s(p.buildingType),
    hireableSpace: yesNo(p.hireableSpace),
    publicIt: yesNo(p.publicIt),
    risk: s(p.risk),
    riskRationale: s(p.riskRationale),
    siteManagerEmail: s(p.siteManagerEmail),
  };
}
