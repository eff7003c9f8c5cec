import { formatDate, londonDate } from '../../checks/londonDates.js';
import type { SchoolReturn } from '../../data/schemas/returnSchemas.js';
import { leadRoleLabels, trainingTypeLabels } from '../../data/schemas/schoolSchemas.js';
import { returnReceiptEmail } from '../../jobs/returnEmails.js';
import { type OnceResult, sendOnce } from '../../jobs/sendOnce.js';
import type { ReturnContext } from './returnService.js';

type MailPath = Parameters<typeof sendOnce>[0];

/** Emails the receipt once to the person who used the link and each lead still in post. */
export async function sendReturnReceipts(
  mailPath: MailPath,
  baseUrl: string,
  asOf: string,
  ctx: ReturnContext,
  ret: SchoolReturn,
): Promise<OnceResult[]> {
  const to = new Set<string>([ctx.link.email.toLowerCase()]);
  for (const l of ret.leads ?? []) if (l.stillLead && l.email) to.add(l.email.toLowerCase());
  const summary = receiptSummary(ret);
  const results: OnceResult[] = [];
  for (const address of to) {
    results.push(
      await sendOnce(mailPath, {
        kind: 'return-receipt',
        itemKey: `return:${ret.id}`,
        stage: 'receipt',
        title: `Annual Prevent return received: ${ctx.school.name}`,
        asOf,
        email: returnReceiptEmail({
          to: address,
          schoolName: ctx.school.name,
          reference: returnReference(ret),
          submittedBy: `${ret.attestation!.name} (${ret.attestation!.role})`,
          submittedOn: londonDate(ret.submittedAt!),
          summary,
          baseUrl,
        }),
      }),
    );
  }
  return results;
}

/** A short reference a school can quote: the first 8 characters of the return's id, in capitals. */
export const returnReference = (ret: { id: string }) =>
  `PR-${ret.id.replace(/-/g, '').slice(0, 8).toUpperCase()}`;

/** The receipt's lines: who the leads are, the training added, the audit's outcome in words. */
export function receiptSummary(ret: SchoolReturn): string[] {
  const lines: string[] = ['Prevent leads:'];
  for (const l of ret.leads ?? [])
    lines.push(
      l.stillLead
        ? `- ${l.name}, ${leadRoleLabels[l.role]}${l.email ? `, ${l.email}` : ''}`
        : `- ${l.name}: no longer a Prevent lead`,
    );
  if (ret.training.length > 0) {
    lines.push('', 'Training added:');
    const names = new Map((ret.leads ?? []).map((l) => [l.key, l.name]));
    for (const t of ret.training)
      lines.push(
        `- ${names.get(t.leadKey) ?? 'A lead'}: ${trainingTypeLabels[t.type]}, ${formatDate(t.completedOn)}`,
      );
  }
  const answered = Object.values(ret.answers).filter((a) => a?.answer).length;
  lines.push('', `School Prevent audit: ${answered} questions answered.`);
  return lines;
}
