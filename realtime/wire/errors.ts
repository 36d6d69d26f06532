// Errors on the wire: every failed API call and socket.io ack answers { error: { code, message, issues? } }.
import { z } from '@hono/zod-openapi';

export const ErrorCode = z.enum([
  'bad_request',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
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
            value: z.string().optional().openapi({ description: "An imported file: the cell's text" }),
          }),
        )
        .optional()
        .openapi({ description: 'One entry per invalid field, with its path (e.g. "email").' }),
    }),
  })
  .openapi('Error');
export type ErrorBody = z.infer<typeof ErrorBody>;
