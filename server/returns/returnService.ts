import { randomUUID } from 'node:crypto';
import { isEmailAddress } from '../../checks/email.js';
import { addDays, formatDate, londonDate } from '../../checks/londonDates.js';
import { type Answers, nextDueDate, reviewOutcome } from '../../checks/reviewRules.js';
import { returnLinkOpens, returnProblems, returnProgress } from '../../checks/returnRules.js';
import { isCurrentLead } from '../../checks/schoolRules.js';
import { getTemplate } from '../../checks/templates/index.js';
import type { ReturnLead, ReturnTraining, SchoolReturn } from '../../data/schemas/returnSchemas.js';
import type { ReviewAnswer } from '../../data/schemas/reviewSchemas.js';
import { leadRoles, type TrainingType } from '../../data/schemas/schoolSchemas.js';
import type { Store, Transaction } from '../../data/store/store.js';
import type { OnceResult, sendOnce } from '../../jobs/sendOnce.js';
import type { Config } from '../config.js';
import { PHONE_PATTERN, type SchoolService } from '../services/schoolService.js';
import { type FieldErrors, InputError } from '../errors.js';
import { sendReturnReceipts } from './returnReceipts.js';
import { hashIfTokenShaped } from './returnTokens.js';

type MailPath = Parameters<typeof sendOnce>[0];

/** What a personal link opens: the return, the link used and the school. */
export interface ReturnContext {
  ret: SchoolReturn;
  link: { id: string; email: string };
  school: { id: string; name: string; urn: string };
  /** How every change through the link appears in the audit log. */
  actor: string;
}

export interface LeadFormRow {
  key: string;
  name: string;
  role: string;
  email: string;
  phone: string;
  still: string;
}

export const SCHOOL_AUDIT = 'school-audit';
const NAME_MAX = 200;
const TEXT_MAX = 5_000;
/** Courses one return may list: far more than a school's leads do in a year, and a bound on the record. */
const TRAINING_MAX = 50;

/** A submit's outcome: `repeated` when the return had gone already (then no receipts are sent again). */
export interface Submitted {
  repeated: boolean;
  receipts: OnceResult[];
}

/** The school's side of its annual return, reached through a personal link with no account (SPEC §13). */
export function createReturnService(
  store: Store,
  config: Config,
  schools: SchoolService,
  mailPath: () => MailPath,
) {
  const today = () => londonDate(store.now());
  const template = () => getTemplate(SCHOOL_AUDIT);

  // Links by token hash, rebuilt when the data changes: a request finds its link without a scan.
  let index: { revision: number; byHash: Map<string, string> } | null = null;
  function linkIdFor(tokenHash: string): string | undefined {
    if (!index || index.revision !== store.revision) {
      index = { revision: store.revision, byHash: new Map() };
      for (const l of store.list('returnLinks')) index.byHash.set(l.tokenHash, l.id);
    }
    return index.byHash.get(tokenHash);
  }

  /** The return behind a token, or null for one unknown, altered, ended or expired (all look the same). */
  function resolve(token: string): ReturnContext | null {
    const hash = hashIfTokenShaped(token);
    const linkId = hash ? linkIdFor(hash) : undefined;
    const link = linkId ? store.get('returnLinks', linkId) : undefined;
    const ret = link ? store.get('schoolReturns', link.returnId) : undefined;
    const school = ret ? store.get('schools', ret.schoolId) : undefined;
    if (!link || !ret || !school || !returnLinkOpens(ret, link, today())) return null;
    return {
      ret,
      link: { id: link.id, email: link.email },
      school: { id: school.id, name: school.name, urn: school.urn },
      actor: `${link.email} via return link`,
    };
  }

  /** The leads the school starts from: its draft, else its current leads on record. */
  function draftLeads(ctx: ReturnContext): ReturnLead[] {
    if (ctx.ret.leads) return ctx.ret.leads;
    return store
      .list('preventLeads')
      .filter((l) => l.schoolId === ctx.school.id && isCurrentLead(l, today()))
      .map((l) => ({
        key: l.id,
        leadId: l.id,
        name: l.name,
        role: l.role,
        email: l.email,
        phone: l.phone,
        stillLead: true,
      }));
  }

  const refuseIfSubmitted = (ctx: ReturnContext) => {
    if (ctx.ret.status === 'submitted')
      throw new InputError({ return: { text: 'This return has already been submitted', href: '#' } });
  };

  /** Saves a change to the draft; a return still "sent" or "opened" becomes a draft. */
  const saveDraft = (ctx: ReturnContext, patch: Partial<SchoolReturn>) =>
    store.transact(ctx.actor, (tx) => {
      const current = store.get('schoolReturns', ctx.ret.id)!;
      if (current.status === 'submitted')
        throw new InputError({ return: { text: 'This return has already been submitted', href: '#' } });
      return tx.update('schoolReturns', ctx.ret.id, { ...patch, status: 'draft' });
    });

  function readLeadRows(rows: LeadFormRow[], added: LeadFormRow | null) {
    const errors: FieldErrors = {};
    const check = (row: LeadFormRow, prefix: string, still: boolean) => {
      const field = (f: string) => `${prefix}-${f}`;
      if (!row.name) errors[field('name')] = { text: 'Enter the full name', href: `#${field('name')}` };
      else if (row.name.length > NAME_MAX)
        errors[field('name')] = { text: 'Name must be 200 characters or fewer', href: `#${field('name')}` };
      if (!leadRoles.includes(row.role as never))
        errors[field('role')] = { text: 'Select their role', href: `#${field('role')}` };
      if (still && !row.email)
        errors[field('email')] = { text: 'Enter their email address', href: `#${field('email')}` };
      else if (row.email && !isEmailAddress(row.email))
        errors[field('email')] = {
          text: 'Enter an email address in the correct format, like name@school.sch.uk',
          href: `#${field('email')}`,
        };
      if (row.phone && !PHONE_PATTERN.test(row.phone))
        errors[field('phone')] = {
          text: 'Enter a telephone number, like 020 7946 0000',
          href: `#${field('phone')}`,
        };
    };
    rows.forEach((row, i) => {
      if (row.still !== 'yes' && row.still !== 'no')
        errors[`lead-${i}-still`] = {
          text: `Say whether ${row.name || 'this person'} is still a Prevent lead`,
          href: `#lead-${i}-still`,
        };
      check(row, `lead-${i}`, row.still !== 'no');
    });
    if (added) check(added, 'new', true);
    return { errors };
  }

  return {
    resolve,
    draftLeads,
    progress: (ret: SchoolReturn) => returnProgress(template(), { ...ret, answers: ret.answers as Answers }),
    problems: (ret: SchoolReturn) => returnProblems(template(), { ...ret, answers: ret.answers as Answers }),
    template,

    /** The first visit through a link marks the return opened (recorded, like every use, in the audit log). */
    async opened(ctx: ReturnContext): Promise<void> {
      if (ctx.ret.status !== 'sent' && ctx.ret.status !== 'bounced') return;
      await store.transact(ctx.actor, (tx) =>
        tx.update('schoolReturns', ctx.ret.id, { status: 'opened', openedAt: store.now().toISOString() }),
      );
    },

    /** The leads task: each current lead confirmed, corrected or marked as no longer lead, and one added. */
    async saveLeads(ctx: ReturnContext, rows: LeadFormRow[], added: LeadFormRow | null) {
      refuseIfSubmitted(ctx);
      const known = draftLeads(ctx);
      if (rows.length !== known.length)
        throw new InputError({ return: { text: 'The list of leads changed; check it again', href: '#' } });
      const { errors } = readLeadRows(rows, added);
      if (Object.keys(errors).length > 0) throw new InputError(errors);
      const leads: ReturnLead[] = rows.map((row, i) => ({
        key: known[i]!.key,
        leadId: known[i]!.leadId,
        name: row.name,
        role: row.role as ReturnLead['role'],
        email: row.email ? row.email.toLowerCase() : null,
        phone: row.phone || null,
        stillLead: row.still !== 'no',
      }));
      if (added)
        leads.push({
          key: `new-${randomUUID()}`,
          leadId: null,
          name: added.name,
          role: added.role as ReturnLead['role'],
          email: added.email.toLowerCase(),
          phone: added.phone || null,
          stillLead: true,
        });
      if (!leads.some((l) => l.stillLead))
        throw new InputError({
          'new-name': { text: 'Add the person who is your Prevent lead now', href: '#new-name' },
        });
      // Training recorded for a lead no longer in the list goes with them.
      const keys = new Set(leads.map((l) => l.key));
      await saveDraft(ctx, { leads, training: ctx.ret.training.filter((t) => keys.has(t.leadKey)) });
    },

    /** Adds one training record to the draft ("add another"). */
    async addTraining(
      ctx: ReturnContext,
      input: {
        leadKey: string;
        type: string;
        completedOn: { iso: string | null; error: string | null };
        evidenceRef: string;
      },
    ) {
      refuseIfSubmitted(ctx);
      const leads = draftLeads(ctx).filter((l) => l.stillLead);
      const errors: FieldErrors = schools.trainingErrors(input);
      if (ctx.ret.training.length >= TRAINING_MAX)
        errors.type = { text: `A return can list up to ${TRAINING_MAX} training courses`, href: '#type' };
      if (!leads.some((l) => l.key === input.leadKey))
        errors.leadKey = { text: 'Select who did the training', href: '#leadKey' };
      if (Object.keys(errors).length > 0) throw new InputError(errors);
      const added: ReturnTraining = {
        key: randomUUID(),
        leadKey: input.leadKey,
        type: input.type as TrainingType,
        completedOn: input.completedOn.iso!,
        evidenceRef: input.evidenceRef || null,
      };
      await saveDraft(ctx, {
        leads: ctx.ret.leads ?? draftLeads(ctx),
        training: [...ctx.ret.training, added],
        trainingDone: false,
      });
    },

    async removeTraining(ctx: ReturnContext, key: string) {
      refuseIfSubmitted(ctx);
      await saveDraft(ctx, { training: ctx.ret.training.filter((t) => t.key !== key) });
    },

    async finishTraining(ctx: ReturnContext) {
      refuseIfSubmitted(ctx);
      await saveDraft(ctx, { trainingDone: true });
    },

    /** The audit task: answers saved as often as needed; whether they are complete shows on the task list. */
    async saveAudit(ctx: ReturnContext, answers: Answers, notes: string | null) {
      refuseIfSubmitted(ctx);
      const errors: FieldErrors = {};
      for (const [id, a] of Object.entries(answers)) {
        if ((a?.note?.length ?? 0) > TEXT_MAX || (a?.reason?.length ?? 0) > TEXT_MAX)
          errors[`comment-${id}`] = {
            text: `The note for ${id} must be 5,000 characters or fewer`,
            href: `#comment-${id}`,
          };
      }
      if ((notes?.length ?? 0) > TEXT_MAX)
        errors.notes = { text: 'Notes must be 5,000 characters or fewer', href: '#notes' };
      if (Object.keys(errors).length > 0) throw new InputError(errors);
      await saveDraft(ctx, { answers: answers as Record<string, ReviewAnswer>, notes, auditSaved: true });
    },

    /**
     * Submits with the typed name and role: in one change the school audit is recorded "via the school's
     * return link", the leads are updated (contact confirmed today), ended or added, the training is
     * recorded and the return is closed; then each lead gets a copy by email.
     */
    async submit(ctx: ReturnContext, attestation: { name: string; role: string }): Promise<Submitted> {
      // Sent again once it went (a second click, another tab): the return as it went, nothing written.
      if (ctx.ret.status === 'submitted') return { repeated: true, receipts: [] };
      const errors: FieldErrors = {};
      for (const p of returnProblems(template(), { ...ctx.ret, answers: ctx.ret.answers as Answers }))
        errors[p.task] = { text: p.text, href: `#task-${p.task}` };
      if (!attestation.name) errors['attest-name'] = { text: 'Enter your full name', href: '#attest-name' };
      else if (attestation.name.length > NAME_MAX)
        errors['attest-name'] = { text: 'Your name must be 200 characters or fewer', href: '#attest-name' };
      if (!attestation.role) errors['attest-role'] = { text: 'Enter your role', href: '#attest-role' };
      else if (attestation.role.length > NAME_MAX)
        errors['attest-role'] = { text: 'Your role must be 200 characters or fewer', href: '#attest-role' };
      if (Object.keys(errors).length > 0) throw new InputError(errors);

      const t = template();
      const now = store.now();
      const on = londonDate(now);
      const submitted = await store.transact(ctx.actor, (tx) => {
        // Decided here, on memory caught up with every instance: sent at once twice (or through two
        // instances), the second finds the first's submission and writes nothing.
        const current = store.get('schoolReturns', ctx.ret.id);
        if (current?.status === 'submitted') return null;
        if (!current || current.status === 'ended')
          throw new InputError({ return: { text: 'This return has already been submitted', href: '#' } });
        const leadIds = applyLeads(tx, ctx.school.id, current.leads ?? [], on);
        for (const tr of current.training) {
          const leadId = leadIds.get(tr.leadKey);
          if (!leadId) continue;
          tx.insert('leadTraining', {
            leadId,
            type: tr.type,
            completedOn: tr.completedOn,
            evidenceRef: tr.evidenceRef,
          });
        }
        const answers = current.answers as Answers;
        const statement = (t.attestation?.statement ?? '')
          .replace('{subject}', ctx.school.name)
          .replace('{date}', formatDate(on));
        const review = tx.insert('reviews', {
          templateId: t.id,
          templateVersion: t.version,
          subjectType: 'school',
          subjectId: ctx.school.id,
          status: 'submitted',
          answers: current.answers,
          notes: current.notes,
          evidence: [],
          startedBy: ctx.actor,
          startedFrom: null,
          submittedBy: ctx.actor,
          submittedAt: now.toISOString(),
          completedOn: on,
          outcome: reviewOutcome(t, answers),
          nextDue: nextDueDate(t, on),
          attestation: {
            name: attestation.name,
            role: attestation.role,
            statement,
            at: now.toISOString(),
            templateVersion: t.version,
            confirmedOn: on,
          },
          facts: [
            {
              key: 'How it was returned',
              value: `By the school through its return link (sent to ${ctx.link.email} on ${formatDate(londonDate(current.sentAt))})`,
            },
          ],
        });
        return tx.update('schoolReturns', ctx.ret.id, {
          status: 'submitted',
          submittedAt: now.toISOString(),
          attestation,
          reviewId: review.id,
        });
      });
      if (!submitted) return { repeated: true, receipts: [] };
      return {
        repeated: false,
        receipts: await sendReturnReceipts(mailPath(), config.baseUrl, today(), ctx, submitted),
      };
    },
  };

  /** Leads as the school returned them: updated and confirmed, ended, or added. Returns key → lead id. */
  function applyLeads(tx: Transaction, schoolId: string, leads: ReturnLead[], on: string) {
    const ids = new Map<string, string>();
    for (const l of leads) {
      const existing = l.leadId ? store.get('preventLeads', l.leadId) : undefined;
      const fields = { name: l.name, role: l.role, email: l.email, phone: l.phone };
      if (existing && existing.schoolId === schoolId) {
        if (l.stillLead) tx.update('preventLeads', existing.id, { ...fields, contactConfirmedOn: on });
        // A lead who started today cannot end today: the day after is the first day they are not lead.
        else
          tx.update('preventLeads', existing.id, {
            endOn: existing.startOn && existing.startOn >= on ? addDays(existing.startOn, 1) : on,
          });
        ids.set(l.key, existing.id);
      } else if (l.stillLead) {
        const created = tx.insert('preventLeads', {
          schoolId,
          ...fields,
          startOn: on,
          endOn: null,
          contactConfirmedOn: on,
        });
        ids.set(l.key, created.id);
      }
    }
    return ids;
  }
}
