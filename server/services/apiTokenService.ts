import { createHash, randomBytes } from 'node:crypto';
import type { ApiToken, User } from '../../data/schemas/accountSchemas.js';
import type { Store } from '../../data/store/store.js';
import { InputError } from '../errors.js';

/** lastUsedAt is written at most this often per token, so a busy script does not cause a write per request. */
export const LAST_USED_RESOLUTION_MS = 60_000;

const PREFIX = 'dr_';

/** sha256 is enough here: the token is 256 random bits, so there is nothing to guess and no need for a slow hash. */
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * API tokens for scripts reading `/api/*`: a coordinator creates one, sees it once, and can revoke it.
 * Only the hash is stored. A token acts as a read-only, coordinator-level reader.
 */
export function createApiTokenService(store: Store) {
  const lastWritten = new Map<string, number>();

  return {
    list: () =>
      [...store.list('apiTokens')].sort(
        (a, b) =>
          Number(a.revokedAt !== null) - Number(b.revokedAt !== null) ||
          b.createdAt.localeCompare(a.createdAt),
      ),
    get: (id: string) => store.get('apiTokens', id),

    async create(actor: string, rawName: string): Promise<{ record: ApiToken; token: string }> {
      const name = rawName.trim();
      if (!name) throw new InputError({ name: { text: 'Enter a name for the token', href: '#name' } });
      if (name.length > 100)
        throw new InputError({ name: { text: 'Name must be 100 characters or fewer', href: '#name' } });
      const token = PREFIX + randomBytes(32).toString('base64url');
      const record = await store.transact(actor, (tx) =>
        tx.insert('apiTokens', {
          name,
          tokenHash: hashApiToken(token),
          createdBy: actor,
          revokedAt: null,
          lastUsedAt: null,
        }),
      );
      return { record, token };
    },

    async revoke(actor: string, id: string): Promise<ApiToken> {
      return store.transact(actor, (tx) => {
        const t = store.get('apiTokens', id);
        if (!t) throw new InputError({ id: { text: 'No such token', href: '#' } });
        if (t.revokedAt) return t;
        return tx.update('apiTokens', id, { revokedAt: store.now().toISOString() });
      });
    },

    /** The live token with this value, or undefined. Records when it was used, at most once a minute. */
    async authenticate(token: string): Promise<ApiToken | undefined> {
      if (!token.startsWith(PREFIX)) return undefined;
      const hash = hashApiToken(token);
      const found = store.list('apiTokens').find((t) => t.tokenHash === hash);
      if (!found || found.revokedAt) return undefined;
      // A token acts for the coordinator who made it: it stops working when their account is deactivated.
      const creator = store
        .list('users')
        .find((u) => u.email.toLowerCase() === found.createdBy.toLowerCase());
      if (creator && !creator.active) return undefined;
      const now = store.now().getTime();
      const last = Math.max(
        lastWritten.get(found.id) ?? 0,
        found.lastUsedAt ? Date.parse(found.lastUsedAt) : 0,
      );
      if (now - last >= LAST_USED_RESOLUTION_MS) {
        // Set before the write, so requests arriving meanwhile do not write too.
        lastWritten.set(found.id, now);
        await store.transact(`api token "${found.name}"`, (tx) =>
          tx.update('apiTokens', found.id, { lastUsedAt: new Date(now).toISOString() }),
        );
      }
      return found;
    },
  };
}

/** The user a token request acts as: coordinator-level reading, never a real account (no email, no sessions). */
export function tokenReader(token: ApiToken): User {
  return {
    id: `api-token:${token.id}`,
    version: 1,
    createdAt: token.createdAt,
    updatedAt: token.updatedAt,
    email: `api-token:${token.id}`,
    name: `API token "${token.name}"`,
    role: 'coordinator',
    passwordHash: '!',
    active: true,
    libraryIds: [],
    mustChangePassword: false,
    sessionEpoch: 0,
    calendarTokenHash: null,
    failedSignIns: [],
    lockedUntil: null,
  };
}

export type ApiTokenService = ReturnType<typeof createApiTokenService>;
