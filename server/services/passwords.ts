import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const KEY_LENGTH = 32;

function scryptAsync(password: string, salt: Buffer, n: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxmem must exceed 128 * N * r bytes.
    scrypt(password, salt, KEY_LENGTH, { N: n, r: 8, p: 1, maxmem: 256 * n * 8 + 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/** Slow salted hash: scrypt, parameters kept in the string so the cost can rise without breaking old hashes. */
export async function hashPassword(password: string, costLog2: number): Promise<string> {
  const n = 2 ** costLog2;
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, n);
  return `scrypt$${n}$8$1$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, , , salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await scryptAsync(password, Buffer.from(salt, 'base64'), Number(n));
  return key.length === expected.length && timingSafeEqual(key, expected);
}

const COMMON = new Set(
  [
    'password1234',
    'password12345',
    'password123456',
    '123456789012',
    '1234567890123',
    'qwertyuiop12',
    'qwertyuiopasdf',
    'letmein12345',
    'welcome12345',
    'iloveyou1234',
    'administrator',
    'changeme1234',
    'passw0rd1234',
    'password!234',
    'abcdefghijkl',
    'aaaaaaaaaaaa',
    '111111111111',
    'football1234',
    'monkey123456',
    'dueregard123',
    'duereguard1234',
    'council12345',
    'prevent12345',
  ].map((s) => s.toLowerCase()),
);

/** Password policy: at least 12 characters and not a common password. Returns the problem, or null. */
export function passwordProblem(password: string): string | null {
  if (password.length < 12) return 'Password must be at least 12 characters';
  if (password.length > 256) return 'Password must be 256 characters or fewer';
  if (COMMON.has(password.toLowerCase()) || /^(.)\1+$/.test(password)) {
    return 'Password is too common; choose a longer phrase';
  }
  return null;
}

/** A readable one-time password for new accounts and resets. */
export function oneTimePassword(): string {
  const words = randomBytes(12).toString('base64url');
  return `DR-${words.slice(0, 6)}-${words.slice(6, 12)}`;
}
