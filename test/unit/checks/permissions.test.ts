import { expect } from 'chai';
import {
  type BookingAction,
  bookingActions,
  bookingPermission,
  bookingState,
  hirerPermission,
} from '../../../checks/permissions.js';
import type { Role } from '../../../data/schemas/accountSchemas.js';

const open = { status: 'provisional', decidedByRoles: [] } as const;
const referred = { status: 'referred', decidedByRoles: ['facilities'] } as const;
const decided = { status: 'refused', decidedByRoles: ['facilities', 'coordinator'] } as const;
const WRITES: BookingAction[] = ['decide', 'edit', 'edit-hirer', 'review'];

describe('checks/permissions: who may act on a booking in which state', () => {
  it('when a coordinator recorded any decision, then the booking is theirs whatever its status now', () => {
    expect(bookingState(decided)).to.equal('coordinator-decided');
    expect(bookingState({ status: 'provisional', decidedByRoles: ['coordinator'] })).to.equal(
      'coordinator-decided',
    );
    expect(bookingState(referred)).to.equal('referred');
    expect(bookingState({ status: 'approved', decidedByRoles: ['facilities'] })).to.equal('open');
  });

  it('when facilities act on a referred or coordinator-decided booking, then every write is refused with a reason; views and screening are not', () => {
    for (const facts of [referred, decided]) {
      for (const action of WRITES) {
        const p = bookingPermission({ role: 'facilities' }, action, facts);
        expect(p.allowed, action).to.equal(false);
        if (!p.allowed) {
          expect(p.status).to.equal(403);
          expect(p.reason).to.match(/Only the coordinator/);
        }
      }
      expect(bookingPermission({ role: 'facilities' }, 'view', facts).allowed).to.equal(true);
      expect(bookingPermission({ role: 'facilities' }, 'screen', facts).allowed).to.equal(true);
    }
  });

  it('when the coordinator acts, then every action is allowed in every state; facilities may act on an open booking', () => {
    for (const facts of [open, referred, decided])
      for (const action of bookingActions)
        expect(bookingPermission({ role: 'coordinator' }, action, facts).allowed).to.equal(true);
    for (const action of bookingActions)
      expect(bookingPermission({ role: 'facilities' }, action, open).allowed).to.equal(true);
  });

  it('when any other role asks, then nothing is allowed', () => {
    for (const role of ['viewer', 'education', 'library-manager'] as Role[])
      for (const action of bookingActions)
        expect(bookingPermission({ role }, action, open).allowed).to.equal(false);
  });

  it('when a hirer has one protected booking among open ones, then only the coordinator may change the hirer', () => {
    expect(hirerPermission({ role: 'facilities' }, [open, open]).allowed).to.equal(true);
    expect(hirerPermission({ role: 'facilities' }, [open, referred]).allowed).to.equal(false);
    expect(hirerPermission({ role: 'coordinator' }, [open, decided]).allowed).to.equal(true);
    expect(hirerPermission({ role: 'facilities' }, []).allowed).to.equal(true);
  });
});
