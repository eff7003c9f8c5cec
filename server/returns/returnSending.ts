import { daysBetween, formatDate, londonDate } from '../../checks/londonDates.js';
import { returnIsOpen, returnLastDay, returnReminderDue } from '../../checks/returnRules.js';
import { isCurrentLead } from '../../checks/schoolRules.js';
import type { ReturnLink, ReturnStatus, SchoolReturn } from '../../data/schemas/returnSchemas.js';
import type { PreventLead, School } from '../../data/schemas/schoolSchemas.js';
import type { Store } from '../../data/store/store.js';
import { returnInvitationEmail, returnReminderEmail } from '../../jobs/returnEmails.js';
import { type OnceResult, sendOnce } from '../../jobs/sendOnce.js';
import type { Config } from '../config.js';
import { newReturnToken } from './returnTokens.js';

type MailPath = Parameters<typeof sendOnce>[0];

/** Emails in flight at once when sending returns. */
const SEND_CONCURRENCY = 4;

export interface SendOutcome {
  sent: { school: School; to: string[] }[];
  /** In scope but with no current lead that has an email address. */
  notSent: { school: School; reason: string }[];
  /** A link still in date (send again to replace it). */
  skipped: { school: School; reason: string }[];
  /** The mail server refused every address (shown as "bounced"), or is not answering (retried daily). */
  failed: { school: School; to: string; error: string; permanent: boolean }[];
}

/** A school's return status in the tracking list; `not-sent` when it has no return yet. */
export type TrackingStatus = ReturnStatus | 'not-sent' | 'expired';

export interface TrackingRow {
  school: School;
  status: TrackingStatus;
  ret: SchoolReturn | null;
  emails: string[];
}

/** Sending schools' returns, tracking them, and the daily reminders and retries (SPEC §13). */
export function createReturnSending(store: Store, config: Config, mailPath: () => MailPath) {
  const today = () => londonDate(store.now());

  /** Current leads of every school, DSL first: one pass over the leads, however many schools. */
  function currentLeads(asOf: string): Map<string, PreventLead[]> {
    const order = { dsl: 0, 'deputy-dsl': 1, other: 2 } as const;
    const bySchool = new Map<string, PreventLead[]>();
    for (const l of store.list('preventLeads')) {
      if (!isCurrentLead(l, asOf)) continue;
      const list = bySchool.get(l.schoolId);
      if (list) list.push(l);
      else bySchool.set(l.schoolId, [l]);
    }
    for (const list of bySchool.values())
      list.sort((a, b) => order[a.role] - order[b.role] || a.name.localeCompare(b.name));
    return bySchool;
  }

  /** Current leads with an email address: who a school's return goes to. */
  const withEmail = (leads: PreventLead[] | undefined) => (leads ?? []).filter((l) => l.email);

  /** Each school's latest return (by when it was sent). */
  function latestReturns(): Map<string, SchoolReturn> {
    const latest = new Map<string, SchoolReturn>();
    for (const r of store.list('schoolReturns')) {
      const seen = latest.get(r.schoolId);
      if (!seen || seen.sentAt < r.sentAt) latest.set(r.schoolId, r);
    }
    return latest;
  }

  const linkUrl = (token: string) => `${config.baseUrl}/r/${token}`;

  async function deliver(
    ret: SchoolReturn,
    link: ReturnLink,
    token: string,
    school: School,
    stage: ReturnLink['purpose'],
  ): Promise<OnceResult> {
    const lead = link.leadId ? store.get('preventLeads', link.leadId) : undefined;
    const facts = {
      to: link.email,
      leadName: lead?.name ?? null,
      schoolName: school.name,
      url: linkUrl(token),
      lastDay: ret.lastDay,
      baseUrl: config.baseUrl,
      linkId: link.id,
    };
    const left = daysBetween(today(), ret.lastDay);
    return sendOnce(mailPath(), {
      kind: stage === 'invitation' ? 'school-return' : 'return-reminder',
      itemKey: `return:${ret.id}`,
      stage,
      title: `Annual Prevent return for ${school.name}`,
      asOf: today(),
      email: stage === 'invitation' ? returnInvitationEmail(facts) : returnReminderEmail(facts, left),
    });
  }

  /**
   * New links for these (return, email) pairs in one change, then one email each; links whose email
   * was not accepted are ended again, so only a link someone received can open the return.
   */
  async function issueAndSend(
    actor: string,
    wanted: { ret: SchoolReturn; lead: PreventLead; school: School; stage: ReturnLink['purpose'] }[],
  ) {
    const tokens: { token: string; link: ReturnLink; ret: SchoolReturn; school: School }[] = [];
    if (wanted.length === 0) return [];
    await store.transact(actor, (tx) => {
      for (const w of wanted) {
        const { token, tokenHash } = newReturnToken();
        const link = tx.insert('returnLinks', {
          returnId: w.ret.id,
          tokenHash,
          email: w.lead.email!.toLowerCase(),
          leadId: w.lead.id,
          purpose: w.stage,
          endedAt: null,
        });
        tokens.push({ token, link, ret: w.ret, school: w.school });
      }
    });
    // A few at a time: each email is its own SMTP session and sent-log sync, so hundreds of schools
    // would otherwise wait on each other's round trips (the log's appends are single O_APPEND writes).
    const results: { link: ReturnLink; ret: SchoolReturn; school: School; result: OnceResult }[] = [];
    let next = 0;
    const worker = async () => {
      while (next < tokens.length) {
        const t = tokens[next++]!;
        results.push({ ...t, result: await deliver(t.ret, t.link, t.token, t.school, t.link.purpose) });
      }
    };
    await Promise.all(Array.from({ length: Math.min(SEND_CONCURRENCY, tokens.length) }, worker));
    const unsent = results.filter((r) => r.result.status !== 'sent');
    if (unsent.length > 0) {
      const at = store.now().toISOString();
      await store.transact('system', (tx) => {
        for (const r of unsent) tx.update('returnLinks', r.link.id, { endedAt: at });
      });
    }
    return results;
  }

  return {
    /** Every school in SPOC scope (and any other with a return) with its return's status. */
    tracking(): TrackingRow[] {
      const asOf = today();
      const latest = latestReturns();
      const leads = currentLeads(asOf);
      return store
        .list('schools')
        .filter((s) => s.inScope || latest.has(s.id))
        .sort((a, b) => a.name.localeCompare(b.name) || a.urn.localeCompare(b.urn))
        .map((school) => {
          const ret = latest.get(school.id) ?? null;
          const expired =
            ret !== null && ret.status !== 'submitted' && ret.status !== 'ended' && asOf > ret.lastDay;
          return {
            school,
            ret,
            status: ret === null ? 'not-sent' : expired ? 'expired' : ret.status,
            emails: withEmail(leads.get(school.id)).map((l) => l.email!),
          };
        });
    },

    /** One school's latest return and its status, for the school's page. */
    statusOf(schoolId: string): { status: TrackingStatus; ret: SchoolReturn | null } {
      const ret = latestReturns().get(schoolId) ?? null;
      if (!ret) return { status: 'not-sent', ret };
      const expired = ret.status !== 'submitted' && ret.status !== 'ended' && today() > ret.lastDay;
      return { status: expired ? 'expired' : ret.status, ret };
    },

    /**
     * Sends the annual return to these schools (URNs), or to every school in SPOC scope: one return per
     * school, one personal link and email per current lead with an address. A school whose link is still
     * in date is left out unless `again`, which ends its old return and links first.
     */
    async send(
      actor: string,
      opts: { urns?: string[]; again?: boolean; dryRun?: boolean } = {},
    ): Promise<SendOutcome> {
      const asOf = today();
      const byUrn = new Map(store.list('schools').map((s) => [s.urn, s]));
      const chosen = opts.urns?.length
        ? [...new Set(opts.urns)].map((u) => byUrn.get(u)).filter((s): s is School => s !== undefined)
        : store.list('schools').filter((s) => s.inScope);
      const latest = latestReturns();
      const current = currentLeads(asOf);
      const outcome: SendOutcome = { sent: [], notSent: [], skipped: [], failed: [] };
      const toSend: { school: School; leads: PreventLead[]; replaces: SchoolReturn | null }[] = [];
      for (const school of chosen) {
        const leads = withEmail(current.get(school.id));
        if (leads.length === 0) {
          const anyLead = (current.get(school.id)?.length ?? 0) > 0;
          outcome.notSent.push({
            school,
            reason: anyLead ? 'No email address for its Prevent lead' : 'No current Prevent lead',
          });
          continue;
        }
        const open = latest.get(school.id);
        if (open && returnIsOpen(open, asOf) && !opts.again) {
          outcome.skipped.push({
            school,
            reason: 'A link sent earlier still works; use send again to replace it',
          });
          continue;
        }
        // A return submitted within its link's time is this round's: "every school" does not ask again.
        if (open?.status === 'submitted' && asOf <= open.lastDay && !opts.again) {
          outcome.skipped.push({
            school,
            reason: `Its return was submitted on ${formatDate(londonDate(open.submittedAt!))}`,
          });
          continue;
        }
        toSend.push({
          school,
          leads,
          replaces: open && open.status !== 'submitted' && open.status !== 'ended' ? open : null,
        });
      }
      if (opts.dryRun) {
        outcome.sent = toSend.map((s) => ({ school: s.school, to: s.leads.map((l) => l.email!) }));
        return outcome;
      }
      const now = store.now().toISOString();
      const created = await store.transact(actor, (tx) =>
        toSend.map((s) => {
          if (s.replaces) {
            tx.update('schoolReturns', s.replaces.id, { status: 'ended', endedAt: now });
            for (const l of store.list('returnLinks'))
              if (l.returnId === s.replaces.id && !l.endedAt)
                tx.update('returnLinks', l.id, { endedAt: now });
          }
          const ret = tx.insert('schoolReturns', {
            schoolId: s.school.id,
            status: 'sent',
            sentBy: actor,
            sentAt: now,
            lastDay: returnLastDay(asOf, config.returnLinkDays),
            openedAt: null,
            bounce: null,
            leads: null,
            training: [],
            trainingDone: false,
            answers: {},
            auditSaved: false,
            notes: null,
            submittedAt: null,
            attestation: null,
            reviewId: null,
            endedAt: null,
          });
          return { ret, school: s.school, leads: s.leads };
        }),
      );
      const results = await issueAndSend(
        actor,
        created.flatMap((c) =>
          c.leads.map((lead) => ({ ret: c.ret, lead, school: c.school, stage: 'invitation' as const })),
        ),
      );
      const bounced = new Map<string, string>();
      for (const c of created) {
        const mine = results.filter((r) => r.ret.id === c.ret.id);
        const ok = mine.filter((r) => r.result.status === 'sent').map((r) => r.link.email);
        if (ok.length > 0) outcome.sent.push({ school: c.school, to: ok });
        for (const r of mine)
          if (r.result.status === 'failed')
            outcome.failed.push({
              school: c.school,
              to: r.link.email,
              error: r.result.error,
              permanent: r.result.permanent,
            });
        if (ok.length === 0 && mine.every((r) => r.result.status === 'failed' && r.result.permanent))
          bounced.set(
            c.ret.id,
            mine.map((r) => (r.result.status === 'failed' ? r.result.error : '')).join('; '),
          );
      }
      if (bounced.size > 0)
        await store.transact('system', (tx) => {
          for (const [id, bounce] of bounced)
            tx.update('schoolReturns', id, { status: 'bounced', bounce: bounce.slice(0, 500) });
        });
      return outcome;
    },

    /**
     * The daily part, run with the reminder job: a reminder 14 and 3 days before the last day to leads of
     * schools that have not submitted (each once, across restarts: the sent log), and the first email
     * again where the mail server did not take it (a new link; the one never received was ended).
     */
    async daily(asOf = today()): Promise<{ sent: number; failed: number }> {
      const log = mailPath().log;
      const wanted: Parameters<typeof issueAndSend>[1] = [];
      const current = currentLeads(asOf);
      const linksByReturn = new Map<string, ReturnLink[]>();
      for (const l of store.list('returnLinks')) {
        const list = linksByReturn.get(l.returnId);
        if (list) list.push(l);
        else linksByReturn.set(l.returnId, [l]);
      }
      for (const ret of store.list('schoolReturns')) {
        if (!returnIsOpen(ret, asOf) || ret.status === 'bounced') continue;
        const school = store.get('schools', ret.schoolId);
        if (!school) continue;
        const links = linksByReturn.get(ret.id) ?? [];
        const stage = returnReminderDue(ret.lastDay, asOf);
        for (const lead of withEmail(current.get(ret.schoolId))) {
          const email = lead.email!.toLowerCase();
          const invited = log.has(`return:${ret.id}`, 'invitation', email);
          const everLinked = links.some((l) => l.email === email);
          if (!invited && everLinked) wanted.push({ ret, lead, school, stage: 'invitation' });
          else if (stage && invited && !log.has(`return:${ret.id}`, stage, email))
            wanted.push({ ret, lead, school, stage });
        }
      }
      const results = await issueAndSend('reminders', wanted);
      return {
        sent: results.filter((r) => r.result.status === 'sent').length,
        // A permanent refusal waits for the next daily run (the address may be corrected); others retry sooner.
        failed: results.filter((r) => r.result.status === 'failed' && !r.result.permanent).length,
      };
    },
  };
}

export type ReturnSending = ReturnType<typeof createReturnSending>;
