// Errors on the wire: every failed API call and socket.io ack answers { error: { code, message, issues? } }.
import { z } from '@hono/zod-openapi';

export const ErrorCode = z.enum([
  'bad_request',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  /** The request was based on a version that has since changed (If-Match did not match). */
  'precondition_failed',
  /** A change that must say which version it was based on (If-Match) did not. */
  'precondition_required',
  /** The action is possible but unusual: send it again with the named confirmation (e.g. starting a meeting early). */
  'confirmation_required',
  'validation_failed',
  'rate_limited',
  /** A single-use link that was used, revoked or has expired. */
  'gone',
  'unavailable',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorBody = z
  .object({
    error: z.object({
      code: ErrorCode,
      message: z.string(),
      issues: z
        .array(
          z.object({
            path: z.string(),
            message: z.string(),
            row: z.number().int().optional().openapi({ description: 'An imported file: the row number as a spreadsheet shows it' }),
            column: z.string().optional().openapi({ description: 'An imported file: the column as headed in the file' }),
            value: z.string().optional().openapi({ description: "What the rule names: an imported file's cell text, or e.g. the last approved month" }),
          }),
        )
        .optional()
        .openapi({ description: 'One entry per invalid field, with its path (e.g. "email").' }),
      currentVersion: z.number().int().optional().openapi({ description: 'With precondition_failed: the version the change must be based on now.' }),
    }),
  })
  .openapi('Error');
export type ErrorBody = z.infer<typeof ErrorBody>;
