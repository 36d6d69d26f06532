// The commitment forms' fields and problems: the supervision forms' problems (summary, field errors,
// aria ids) with the record form's own two fields, the verdict and the note, named in the page's language.
import type { CommitmentStatus } from '$wire/commitments.ts';
import type { I18nContext } from '$lib/i18n/context.ts';
import { FormProblems } from '$lib/supervision/problems.svelte.ts';
import type { Problem } from '$lib/supervision/visitForm.ts';

export const STATUSES = ['met', 'partly', 'not_met'] as const satisfies readonly CommitmentStatus[];

/** A supervision-form problem, or one about the record form's verdict or note. */
export type CommitmentProblem = Problem & { field?: 'status' | 'note' };

export const statusRadioId = (commitmentId: string, status: CommitmentStatus) => `commitment-${commitmentId}-${status}`;

/** The id of a form field on a commitment; a problem with the verdict points at its first radio. */
export const commitmentFieldId = (commitmentId: string, field: 'status' | 'note' | 'response') =>
  field === 'status' ? statusRadioId(commitmentId, STATUSES[0]) : `commitment-${commitmentId}-${field}`;

export class CommitmentProblems extends FormProblems {
  constructor(problems: () => CommitmentProblem[], i18n: I18nContext) {
    super(problems, i18n);
    const supervisionMessage = this.message;
    this.message = (p: CommitmentProblem) => {
      if (!p.field || p.key === 'cpr') return supervisionMessage(p);
      if (p.key === 'server') return i18n.t('supervision.problems.server', { field: i18n.t(`commitments.fields.${p.field}`), message: p.message ?? '' });
      return i18n.t(`commitments.problems.${p.field}`);
    };
  }
}
