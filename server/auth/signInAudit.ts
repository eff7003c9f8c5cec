import type { Store } from '../../data/store/store.js';
import type { SignInMethod } from './signIn.js';

export interface SignInEvent {
  outcome: 'signed in' | 'refused';
  method: SignInMethod | 'break-glass password';
  /** Why a sign-in was refused, for the coordinator reading the log (never shown to the visitor). */
  reason?: string;
  /** The email the identity provider vouched for, when no account matched it. */
  email?: string;
}

/** Records a sign-in or a refused one in the audit log (SPEC §8): who, how, and why not. */
export async function auditSignIn(
  store: Store,
  actor: string,
  userId: string | null,
  event: SignInEvent,
): Promise<void> {
  await store.transact(actor, (tx) => tx.note('sign-in', 'users', userId ?? '-', event));
}
