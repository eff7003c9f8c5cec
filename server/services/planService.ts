import { isEmailAddress } from '../../checks/email.js';
import { addMonths, londonDate } from '../../checks/londonDates.js';
import {
  type ActionPlan,
  PLAN_ID,
  type PlanActivity,
  type RagStatus,
  ragStatuses,
  standardPlanHeadings,
} from '../../data/schemas/trainingSchemas.js';
import type { Store } from '../../data/store/store.js';
import type { SubjectRegistry } from './subjectRegistry.js';
import { type FieldErrors, InputError } from '../errors.js';

export interface PlanInput {
  title: string;
  ownerEmail: string;
}

export interface ActivityInput {
  headingId: string;
  description: string;
  owner: string;
  ownerEmail: string;
  dueOn: string | null;
  dueError: string | null;
  rag: string;
  repeatMonths: string;
}

/**
 * The partnership's Prevent action plan: one plan (id `plan`) with headings and activities. The plan as a
 * whole is reviewed quarterly through the generic review flow, as subject type `plan`.
 */
export function createPlanService(store: Store, subjects: SubjectRegistry) {
  subjects.register({
    type: 'plan',
    templateId: 'action-plan-review',
    reviewName: 'Action plan review',
    describe(s, id) {
      const plan = s.get('actionPlans', id);
      return plan
        ? {
            type: 'plan',
            id: plan.id,
            ref: plan.title,
            name: plan.title,
            href: '/plan',
            ownerEmails: plan.ownerEmail ? [plan.ownerEmail] : [],
          }
        : undefined;
    },
    canView: (user) => user.role === 'coordinator',
    canEdit: (user) => user.role === 'coordinator',
  });

  const today = () => londonDate(store.now());
  const blank = (s: string) => s.trim() || null;

  function validatePlan(input: PlanInput): FieldErrors {
    const errors: FieldErrors = {};
    if (!input.title.trim()) errors.title = { text: 'Enter the title of the plan', href: '#title' };
    else if (input.title.trim().length > 200)
      errors.title = { text: 'Title must be 200 characters or fewer', href: '#title' };
    if (input.ownerEmail.trim() && !isEmailAddress(input.ownerEmail.trim()))
      errors.ownerEmail = {
        text: 'Enter the owner’s email address in the correct format, like name@example.gov.uk',
        href: '#ownerEmail',
      };
    return errors;
  }

  function validateActivity(input: ActivityInput): FieldErrors {
    const errors: FieldErrors = {};
    if (!store.get('planHeadings', input.headingId))
      errors.headingId = { text: 'Select the heading of the plan', href: '#headingId' };
    if (!input.description.trim())
      errors.description = { text: 'Describe the activity', href: '#description' };
    else if (input.description.trim().length > 500)
      errors.description = { text: 'Description must be 500 characters or fewer', href: '#description' };
    if (!input.owner.trim())
      errors.owner = { text: 'Enter the team, agency or post that owns the activity', href: '#owner' };
    if (input.ownerEmail.trim() && !isEmailAddress(input.ownerEmail.trim()))
      errors.ownerEmail = {
        text: 'Enter the owner’s email address in the correct format, like name@example.gov.uk',
        href: '#ownerEmail',
      };
    if (input.dueError) errors.due = { text: input.dueError, href: '#due-day' };
    if (!ragStatuses.includes(input.rag as RagStatus))
      errors.rag = { text: 'Select the RAG status', href: '#rag' };
    const repeat = input.repeatMonths.trim();
    if (repeat && (!/^\d+$/.test(repeat) || Number(repeat) < 1 || Number(repeat) > 60))
      errors.repeatMonths = {
        text: 'Repeat every must be a whole number of months from 1 to 60, or left blank',
        href: '#repeatMonths',
      };
    return errors;
  }

  const activityFields = (input: ActivityInput) => ({
    headingId: input.headingId,
    description: input.description.trim(),
    owner: input.owner.trim(),
    ownerEmail: blank(input.ownerEmail)?.toLowerCase() ?? null,
    dueOn: input.dueOn!,
    rag: input.rag as RagStatus,
    repeatMonths: input.repeatMonths.trim() ? Number(input.repeatMonths.trim()) : null,
  });

  return {
    get: (): ActionPlan | undefined => store.get('actionPlans', PLAN_ID),
    headings: () => [...store.list('planHeadings')].sort((a, b) => a.position - b.position),
    activities: () =>
      [...store.list('planActivities')].sort(
        (a, b) => a.dueOn.localeCompare(b.dueOn) || a.description.localeCompare(b.description),
      ),
    activity: (id: string) => store.get('planActivities', id),

    /** Creates the plan with the six headings of the 2016-17 plan. */
    async setUp(actor: string, input: PlanInput): Promise<ActionPlan> {
      const errors = validatePlan(input);
      if (store.get('actionPlans', PLAN_ID))
        errors.title = { text: 'The action plan is already set up', href: '#title' };
      if (Object.keys(errors).length > 0) throw new InputError(errors);
      return store.transact(actor, (tx) => {
        const plan = tx.insert('actionPlans', {
          id: PLAN_ID,
          title: input.title.trim(),
          ownerEmail: blank(input.ownerEmail)?.toLowerCase() ?? null,
        });
        const at = store.list('planHeadings').length;
        standardPlanHeadings.forEach((title, i) => {
          tx.insert('planHeadings', { title, position: at + i });
        });
        return plan;
      });
    },

    async updatePlan(actor: string, input: PlanInput, version: number): Promise<ActionPlan> {
      const errors = validatePlan(input);
      if (Object.keys(errors).length > 0) throw new InputError(errors);
      return store.transact(actor, (tx) =>
        tx.update(
          'actionPlans',
          PLAN_ID,
          { title: input.title.trim(), ownerEmail: blank(input.ownerEmail)?.toLowerCase() ?? null },
          version,
        ),
      );
    },

    async createActivity(actor: string, input: ActivityInput): Promise<PlanActivity> {
      const errors = validateActivity(input);
      if (Object.keys(errors).length > 0) throw new InputError(errors);
      const fields = activityFields(input);
      return store.transact(actor, (tx) =>
        tx.insert('planActivities', {
          ...fields,
          completedOn: fields.rag === 'complete' ? today() : null,
          progressNotes: [],
        }),
      );
    },

    /**
     * Saves an activity. Marking it complete records today as its completion date; a recurring activity
     * (e.g. the yearly information sharing agreement) then comes back, due its interval after this one.
     * Returns the next occurrence when one was created.
     */
    async updateActivity(
      actor: string,
      id: string,
      input: ActivityInput,
      version: number,
    ): Promise<{ activity: PlanActivity; next: PlanActivity | null }> {
      const errors = validateActivity(input);
      if (Object.keys(errors).length > 0) throw new InputError(errors);
      const fields = activityFields(input);
      return store.transact(actor, (tx) => {
        const current = store.get('planActivities', id);
        const wasComplete = current?.rag === 'complete';
        const completing = fields.rag === 'complete' && !wasComplete;
        const activity = tx.update(
          'planActivities',
          id,
          {
            ...fields,
            completedOn:
              fields.rag !== 'complete' ? null : completing ? today() : (current?.completedOn ?? today()),
          },
          version,
        );
        const next =
          completing && fields.repeatMonths
            ? tx.insert('planActivities', {
                headingId: fields.headingId,
                description: fields.description,
                owner: fields.owner,
                ownerEmail: fields.ownerEmail,
                dueOn: addMonths(fields.dueOn, fields.repeatMonths),
                rag: 'green',
                completedOn: null,
                repeatMonths: fields.repeatMonths,
                progressNotes: [],
              })
            : null;
        return { activity, next };
      });
    },

    /** Adds a dated progress note. */
    async addNote(
      actor: string,
      id: string,
      input: { on: string | null; onError: string | null; note: string },
    ): Promise<PlanActivity> {
      const errors: FieldErrors = {};
      if (input.onError) errors.on = { text: input.onError, href: '#on-day' };
      else if (input.on && input.on > today())
        errors.on = { text: 'The date of the note must be today or in the past', href: '#on-day' };
      if (!input.note.trim()) errors.note = { text: 'Enter the progress note', href: '#note' };
      else if (input.note.trim().length > 2000)
        errors.note = { text: 'The note must be 2,000 characters or fewer', href: '#note' };
      if (Object.keys(errors).length > 0) throw new InputError(errors);
      return store.transact(actor, (tx) => {
        const current = store.get('planActivities', id)!;
        const progressNotes = [
          ...current.progressNotes,
          { on: input.on!, note: input.note.trim(), by: actor },
        ].sort((a, b) => a.on.localeCompare(b.on));
        return tx.update('planActivities', id, { progressNotes });
      });
    },
  };
}

export type PlanService = ReturnType<typeof createPlanService>;
