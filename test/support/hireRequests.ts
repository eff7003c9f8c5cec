import { addDays, londonDate } from '../../checks/londonDates.js';
import { earliestOnlineStart } from '../../checks/hireRules.js';
import type { Store } from '../../data/store/store.js';
import type request from 'supertest';

/** The id of a demo hall offered online ("Riverside Community Centre — Main Hall"). */
export function onlineHallId(store: Store): string {
  const premises = store.list('premises').find((p) => p.name === 'Riverside Community Centre')!;
  return store.list('halls').find((h) => h.premisesId === premises.id && h.name === 'Main Hall')!.id;
}

/** A day past the lead time (so a request for it is accepted), `extra` days further on. */
export function dayAfterLeadTime(store: Store, extra = 0): string {
  return addDays(earliestOnlineStart(londonDate(store.now())), 7 + extra);
}

/** The public form's CSRF token from a page (the agent keeps the cookie it belongs to). */
export function publicCsrf(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('No CSRF token on the public page');
  return m[1] ?? '';
}

/** The request form's fields for a request on `day`, with `overrides`. */
export function hireForm(
  store: Store,
  day: string,
  overrides: Record<string, string> = {},
): Record<string, string> {
  const [year = '', month, dayOfMonth] = day.split('-');
  return {
    hallId: onlineHallId(store),
    'start-day': String(Number(dayOfMonth)),
    'start-month': String(Number(month)),
    'start-year': year,
    startTime: '18:30',
    endTime: '21:00',
    eventTitle: 'Riverside reading evening',
    purpose: 'Readings and a discussion of local history books.',
    expectedAttendance: '40',
    openToPublic: 'yes',
    hirerName: 'Morgan Reader',
    hirerEmail: 'morgan.reader@example.org',
    hirerPhone: '01632 960 001',
    organisation: 'Riverside Reading Group',
    otherNames: '',
    charityNumber: '',
    companyNumber: '',
    'speaker-0-name': 'Casey Author',
    'speaker-0-affiliation': 'Northbrook Writers',
    agreeTerms: 'yes',
    website: '',
    ...overrides,
  };
}

/** The same request as the JSON API takes it. */
export function hireJson(store: Store, day: string, overrides: Record<string, unknown> = {}) {
  return {
    hallId: onlineHallId(store),
    start: `${day}T18:30`,
    end: `${day}T21:00`,
    eventTitle: 'Riverside reading evening',
    purpose: 'Readings and a discussion of local history books.',
    expectedAttendance: 40,
    openToPublic: 'yes',
    hirerName: 'Morgan Reader',
    hirerEmail: 'morgan.reader@example.org',
    hirerPhone: '',
    organisation: 'Riverside Reading Group',
    otherNames: [],
    charityNumber: '',
    companyNumber: '',
    speakers: [{ name: 'Casey Author', affiliation: 'Northbrook Writers' }],
    agreeTerms: true,
    ...overrides,
  };
}

/** Sends a request through the form as a person would: the form, check your answers, then send. */
export async function sendThroughForm(
  agent: ReturnType<typeof request.agent>,
  fields: Record<string, string>,
): Promise<{ check: request.Response; sent: request.Response }> {
  const page = await agent.get('/hire');
  const check = await agent
    .post('/hire')
    .type('form')
    .send({ _csrf: publicCsrf(page.text), ...fields, action: 'continue' });
  if (check.status !== 200) return { check, sent: check };
  const sent = await agent
    .post('/hire')
    .type('form')
    .send({ ...hiddenFields(check.text), action: 'send' });
  return { check, sent };
}

/** The check-answers page's hidden fields (the answers, the CSRF token and the submission key), unescaped. */
export function hiddenFields(html: string): Record<string, string> {
  const hidden: Record<string, string> = {};
  for (const [, name = '', value = ''] of html.matchAll(
    /<input type="hidden" name="([^"]+)" value="([^"]*)">/g,
  ))
    hidden[name] = value
      .replace(/&#39;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  return hidden;
}
