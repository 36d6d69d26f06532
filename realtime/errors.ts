// Errors as values with a code and a human message; transports map the code to a status.
import type { ErrorCode } from './wire/errors.ts';

export interface FieldIssue {
  path: string;
  message: string;
  /** For a problem in an imported file: the row number and the column as headed in the file. */
  row?: number;
  column?: string;
  /** What the rule names: the cell's text in an imported file, or e.g. the last approved month, the other contract. */
  value?: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly issues?: FieldIssue[];
  /** With precondition_failed: the version a retry must be based on. */
  readonly currentVersion?: number;
  constructor(code: ErrorCode, message: string, issues?: FieldIssue[], currentVersion?: number) {
    super(message);
    this.code = code;
    this.issues = issues;
    this.currentVersion = currentVersion;
  }
}

export const statusOf: Record<ErrorCode, 400 | 401 | 403 | 404 | 409 | 410 | 412 | 422 | 428 | 429 | 500 | 503> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  precondition_failed: 412,
  precondition_required: 428,
  confirmation_required: 409,
  validation_failed: 422,
  rate_limited: 429,
  gone: 410,
  unavailable: 503,
  internal: 500,
};

export function errorBody(code: ErrorCode, message: string, issues?: FieldIssue[], currentVersion?: number) {
  return { error: { code, message, ...(issues ? { issues } : {}), ...(currentVersion !== undefined ? { currentVersion } : {}) } };
}

/** Turns a schema library's issue list into `{ path, message }` pairs people can read. */
export function fieldIssues(issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>): FieldIssue[] {
  return issues.map((i) => ({ path: i.path.map(String).join('.') || '(body)', message: i.message }));
}
