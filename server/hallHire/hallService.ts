import type { Hall } from '../../data/schemas/hallHireSchemas.js';
import type { Store } from '../../data/store/store.js';
import { notFound } from '../errors.js';
import { InputError } from '../errors.js';
import { blank, type HallInput, hallName, validateHallFields } from './bookingValidation.js';
import { hallKey } from './hallHireKeys.js';

/** Halls and rooms of the council's premises, the places a booking is for. */
export function createHallService(store: Store) {
  const premisesOf = (hall: Hall | undefined) => (hall ? store.get('premises', hall.premisesId) : undefined);

  function hallsOf(premisesId: string): Hall[] {
    return store
      .list('halls')
      .filter((h) => h.premisesId === premisesId)
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  function validateHall(premisesId: string, input: HallInput, currentId?: string) {
    return validateHallFields(input, (name) => {
      const key = hallKey(premisesId, name);
      const clash = hallsOf(premisesId).find((h) => hallKey(h.premisesId, h.name) === key);
      return clash && clash.id !== currentId ? clash.name : undefined;
    });
  }

  const capacityOf = (input: HallInput) => (blank(input.capacity) ? Number(input.capacity.trim()) : null);

  return {
    hallsOf,
    hall: (id: string) => store.get('halls', id),
    premisesOf,

    /** Every hall of premises still on the register, as select options "Premises — Hall". */
    hallChoices(): { value: string; text: string }[] {
      const out: { value: string; text: string }[] = [];
      for (const h of store.list('halls')) {
        const p = store.get('premises', h.premisesId);
        if (h.archived || !p || p.archived) continue;
        out.push({ value: h.id, text: `${p.name} — ${h.name}` });
      }
      return out.sort((a, b) => a.text.localeCompare(b.text));
    },

    async addHall(actor: string, premisesId: string, input: HallInput): Promise<Hall> {
      if (!store.get('premises', premisesId)) throw notFound();
      const errors = validateHall(premisesId, input);
      if (Object.keys(errors).length > 0) throw new InputError(errors);
      return store.transact(actor, (tx) =>
        tx.insert('halls', {
          premisesId,
          name: hallName(input.name),
          capacity: capacityOf(input),
          archived: false,
          bookableOnline: input.bookableOnline === true,
        }),
      );
    },

    async updateHall(actor: string, id: string, input: HallInput & { archived?: boolean }, version: number) {
      const hall = store.get('halls', id);
      if (!hall) throw notFound();
      const errors = validateHall(hall.premisesId, input, id);
      if (Object.keys(errors).length > 0) throw new InputError(errors);
      return store.transact(actor, (tx) =>
        tx.update(
          'halls',
          id,
          {
            name: hallName(input.name),
            capacity: capacityOf(input),
            archived: input.archived ?? hall.archived,
            bookableOnline: input.bookableOnline ?? hall.bookableOnline ?? false,
          },
          version,
        ),
      );
    },
  };
}

export type HallService = ReturnType<typeof createHallService>;
