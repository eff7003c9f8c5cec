import { createHash, randomBytes } from 'node:crypto';
import { formatDate } from '../../checks/londonDates.js';
import type { User } from '../../data/schemas/accountSchemas.js';
import type { Store } from '../../data/store/store.js';
import { type ReminderItem, recipientsOf } from '../../jobs/reminderPlan.js';
import type { Config } from '../config.js';
import { buildCalendar } from './icsCalendar.js';
import type { ReminderService } from './reminderService.js';

/** 32 random bytes, base64url: 43 characters. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export const hashCalendarToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Each user's secret iCalendar feed of their due dates: the same items their reminders are about (what
 * they own, and for coordinators what nobody owns and what was escalated). Only a hash of the token is
 * stored; a new token replaces the old one, whose URL then answers 404.
 */
export function createCalendarService(store: Store, config: Config, reminders: ReminderService) {
  const urlFor = (token: string) => `${config.baseUrl}/calendar/${token}.ics`;

  function itemsFor(user: User, asOf: string): ReminderItem[] {
    const email = user.email.toLowerCase();
    const coordinators = reminders.coordinators();
    return reminders
      .items(asOf)
      .filter((i) => i.dueOn !== null && recipientsOf(i, asOf, coordinators).includes(email))
      .sort((a, b) => (a.dueOn ?? '').localeCompare(b.dueOn ?? '') || a.title.localeCompare(b.title));
  }

  return {
    urlFor,
    itemsFor,

    /** A new secret URL for the user (shown once); the previous one stops working. */
    async regenerate(actor: User): Promise<string> {
      const token = randomBytes(32).toString('base64url');
      await store.transact(actor.email, (tx) =>
        tx.update('users', actor.id, { calendarTokenHash: hashCalendarToken(token) }),
      );
      return urlFor(token);
    },

    async revoke(actor: User): Promise<void> {
      await store.transact(actor.email, (tx) => tx.update('users', actor.id, { calendarTokenHash: null }));
    },

    /** The active user whose current token this is, or undefined (unknown, replaced or revoked). */
    userForToken(token: string): User | undefined {
      if (!TOKEN.test(token)) return undefined;
      const hash = hashCalendarToken(token);
      return store.list('users').find((u) => u.active && u.calendarTokenHash === hash);
    },

    feed(user: User, asOf: string, now: Date): string {
      const host = new URL(config.baseUrl).hostname || 'due-regard';
      return buildCalendar({
        name: `Due Regard — ${user.name}`,
        now,
        events: itemsFor(user, asOf).map((i) => ({
          uid: `${createHash('sha256').update(i.key).digest('hex').slice(0, 32)}@${host}`,
          date: i.dueOn!,
          summary: `${i.dueOn! < asOf ? 'Overdue' : 'Due'}: ${i.title}`,
          description: [
            ...i.details,
            `Due ${formatDate(i.dueOn)}`,
            i.owners.length ? `Owner: ${i.owners.join(', ')}` : 'Owner: nobody named (coordinators)',
            i.href ? `${config.baseUrl}${i.href}` : '',
          ]
            .filter(Boolean)
            .join('\n'),
          url: i.href ? `${config.baseUrl}${i.href}` : null,
          categories: i.area,
        })),
      });
    },
  };
}

export type CalendarService = ReturnType<typeof createCalendarService>;
