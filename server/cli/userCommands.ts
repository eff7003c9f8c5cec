import { InputError } from '../errors.js';
import { roles } from '../../data/schemas/accountSchemas.js';
import { formatDateTime } from '../../checks/londonDates.js';
import { createInvitationService } from '../services/invitationService.js';
import { createUserService } from '../services/userService.js';
import { type CliCommand, RefusedError, UsageError, withWritableStore } from './cliContext.js';

export const userCommands: Record<string, CliCommand> = {
  'users add': {
    usage: 'users add --email E --name N --role R [--library NAME]...',
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      library: { type: 'string', multiple: true },
    },
    /**
     * Creates the account and invites it (SPEC §12): with a mail server configured the invitation is
     * emailed; without one the single-use link is printed, to pass on.
     */
    async run(ctx) {
      const { email, name, role } = ctx.values as { email?: string; name?: string; role?: string };
      if (!email || !name || !role) throw new UsageError('--email, --name and --role are required');
      if (!roles.includes(role as never)) throw new UsageError(`--role must be one of ${roles.join(', ')}`);
      const libraryNames = (ctx.values.library as string[] | undefined) ?? [];
      return withWritableStore(ctx, async (store) => {
        const libraryIds: string[] = [];
        for (const n of libraryNames) {
          const found = store.list('libraries').filter((l) => l.name.toLowerCase() === n.toLowerCase());
          if (found.length !== 1)
            throw new RefusedError(
              `No library called "${n}"${found.length > 1 ? ' (more than one matches)' : ''}`,
            );
          libraryIds.push(found[0]!.id);
        }
        const users = createUserService(store, { passwordHashCost: ctx.config.passwordHashCost });
        const invitations = createInvitationService(store, ctx.config, users);
        try {
          const sent = await invitations.invite(
            'cli',
            'The Prevent coordinator',
            { email, name, role, libraryIds },
            { send: invitations.mailConfigured },
          );
          const until = formatDateTime(sent.user.invitationExpiresAt);
          if (sent.via === 'smtp') {
            ctx.io.out(
              `Created ${sent.user.email} (${sent.user.role}) and emailed the invitation (valid until ${until}).`,
            );
            return 0;
          }
          ctx.io.out(`Created ${sent.user.email} (${sent.user.role}).`);
          if (sent.error) ctx.io.err(`The invitation email could not be sent: ${sent.error}`);
          ctx.io.out(`Pass on this single-use link to set a password (valid until ${until}): ${sent.link}`);
          return 0;
        } catch (err) {
          if (err instanceof InputError)
            throw new RefusedError(
              Object.values(err.errors)
                .map((e) => e.text)
                .join('; '),
            );
          throw err;
        }
      });
    },
  },
};
