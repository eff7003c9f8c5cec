import type { HireRequest } from '../data/schemas/hireRequestSchemas.js';

/**
 * The contact address of an online hall-hire request goes with the booking's other personal data:
 * counted from the event, then blanked. The request (its token's hash) stays, so an old status link
 * answers "not found" rather than anything about the hirer.
 */
export const hireRequestRetention = {
  collection: 'hireRequests' as const,
  dateOf: (r: HireRequest): string | null => r.eventDay,
  redact: (_r: HireRequest): Partial<HireRequest> => ({ contactEmail: null, personalDataRemoved: true }),
  describe:
    'the contact email addresses of online hall-hire requests, after the retention period from the event',
};
