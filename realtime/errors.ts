// Errors as values with a code and a human message; transports map the code to a status.
import type { ErrorCode } from './wire/errors.ts';

export interface FieldIssue {
  path: string;
  message: string;
  /** For a problem in an imported file: the row number, the column as headed in the file and the cell's text. */
  row?: number;
  column?: string;
  value?: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly issues?: FieldIssue[];
  constructor(code: ErrorCode, message: string, issues?: FieldIssue[]) {
    super(message);
    this.code = code;
    this.issues = issues;
  }
}

export const statusOf: Record<ErrorCode, 400 | 401 | 403 | 404 | 409 | 410 | 422 | 429 | 500 | 503> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  validation_failed: 422,
  rate_limited: 429,
  gone: 410,
  unavailable: 503,
  internal: 500,
};

export function errorBody(code: ErrorCode, message: string, issues?: FieldIssue[]) {
  return { error: issues ? { code, message, issues } : { code, message } };
}

/** Turns a schema library's issue list into `{ path, message }` pairs people can read. */
export function fieldIssues(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): FieldIssue[] {
  return issues.map((i) => ({ path: i.path.map(String).join('.') || '(body)', message: i.message }));
}
