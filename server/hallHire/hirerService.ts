import type { Hirer } from '../../data/schemas/hallHireSchemas.js';
import { ConflictError, type Store, type Transaction } from '../../data/store/store.js';
import { notFound } from '../errors.js';
import { type FieldErrors, InputError } from '../errors.js';
import { type HirerInput, hirerFields, validateHirer } from './bookingValidation.js';
import { hirerKey } from './hallHireKeys.js';
import { refreshHirersBookings } from './nameChanges.js';

const differs = (existing: Hirer, next: object) =>
  Object.entries(next).some(
    ([k, v]) => JSON.stringify((existing as Record<string, unknown>)[k]) !== JSON.stringify(v),
  );

/** The people and organisations who hire halls: one record each, shared by their bookings. */
export function createHirerService(store: Store) {
  const hirerByKey = (name: string, organisation: string | null) => {
    const key = hirerKey(name, organisation);
    return store.list('hirers').find((h) => hirerKey(h.name, h.organisation) === key);
  };

  /**
   * The hirer the form describes: the one with the same name and organisation, or a new one. A new
   * booking only adds to an existing hirer (other names joined, blanks keep what is there); changing a
   * booking shows the hirer's details, so what is saved replaces them.
   */
  function upsertHirer(
    tx: Transaction,
    input: HirerInput,
    mode: 'merge' | 'replace',
    eventDay: string,
    /** The hirer as the form was opened with it: replacing its details after it changed is a conflict. */
    opened?: { id: string; version: number | undefined },
  ): Hirer {
    const fields = hirerFields(input);
    const existing = hirerByKey(fields.name, fields.organisation);
    if (!existing)
      return tx.insert('hirers', { ...fields, lastEventOn: eventDay, personalDataRemoved: false });
    const details = hirerAfter(existing, input, mode);
    // Changed since the form was opened, and saving would replace some of it: the person sees both first.
    // (A change elsewhere, such as the date of the hirer's last event, replaces nothing and passes.)
    const openedVersion = opened?.version;
    if (
      mode === 'replace' &&
      existing.id === opened?.id &&
      Number.isInteger(openedVersion) &&
      existing.version !== openedVersion &&
      differs(existing, details)
    )
      throw new ConflictError('hirers', existing, openedVersion as number, 'hirerVersion');
    const lastEventOn =
      existing.lastEventOn && existing.lastEventOn > eventDay ? existing.lastEventOn : eventDay;
    const next = { ...details, lastEventOn };
    return differs(existing, next) ? tx.update('hirers', existing.id, next) : existing;
  }

  /** The hirer's details once the booking form is saved (without the date of their last event). */
  function hirerAfter(existing: Hirer, input: HirerInput, mode: 'merge' | 'replace') {
    const fields = hirerFields(input);
    if (mode === 'replace') return fields;
    return {
      ...fields,
      otherNames: [...new Set([...existing.otherNames, ...fields.otherNames])],
      charityNumber: fields.charityNumber ?? existing.charityNumber,
      companyNumber: fields.companyNumber ?? existing.companyNumber,
      email: fields.email ?? existing.email,
      phone: fields.phone ?? existing.phone,
      address: fields.address ?? existing.address,
    };
  }

  /**
   * A booking form names a hirer on record: saving it would change that hirer, and so the names on every
   * booking of theirs. Refused (as a field error) when `mayEdit` says one of those bookings is not theirs
   * to change (referred to, or decided by, the coordinator).
   */
  function hirerChangeProblem(
    input: HirerInput,
    mode: 'merge' | 'replace',
    mayEdit: (hirerId: string) => boolean,
  ): FieldErrors {
    const existing = input.hirerName.trim()
      ? hirerByKey(input.hirerName, hirerFields(input).organisation)
      : undefined;
    if (!existing || !differs(existing, hirerAfter(existing, input, mode)) || mayEdit(existing.id)) return {};
    return {
      hirerName: {
        text: 'This hirer has a booking that was referred to or decided by the Prevent coordinator, so only the coordinator can change their details. Enter the hirer’s details as they are on record, or ask the coordinator',
        href: '#hirerName',
      },
    };
  }

  return {
    hirer: (id: string) => store.get('hirers', id),
    upsertHirer,
    hirerChangeProblem,
    bookingsOfHirer: (hirerId: string) =>
      store
        .list('bookings')
        .filter((b) => b.hirerId === hirerId)
        .sort((a, b) => b.start.localeCompare(a.start)),

    async updateHirer(
      actor: string,
      id: string,
      input: HirerInput,
      version: number,
    ): Promise<{ hirer: Hirer; reset: string[] }> {
      const hirer = store.get('hirers', id);
      if (!hirer || hirer.personalDataRemoved) throw notFound();
      const errors = validateHirer(input);
      const clash = input.hirerName.trim()
        ? hirerByKey(input.hirerName, hirerFields(input).organisation)
        : undefined;
      if (clash && clash.id !== id) {
        errors.hirerName = {
          text: `Another hirer record already has this name and organisation (${clash.name}${clash.organisation ? `, ${clash.organisation}` : ''})`,
          href: '#hirerName',
        };
      }
      if (Object.keys(errors).length > 0) throw new InputError(errors);
      const fields = hirerFields(input);
      return store.transact(actor, (tx) => {
        const updated = tx.update('hirers', id, fields, version);
        return { hirer: updated, reset: refreshHirersBookings(store, tx, updated) };
      });
    },
  };
}

export type HirerService = ReturnType<typeof createHirerService>;
