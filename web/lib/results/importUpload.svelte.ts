// One file import (monthly reports or course records): sends the file as the request body, shows
// the server's progress from socket.io `import:progress` (fetch cannot report upload progress),
// then the result or every problem in the file. Browser-only.
import type { InferResponseType } from 'hono/client';
import type { ImportProgress } from '$wire/socket.ts';
import { browserApi, type BrowserApi } from '$lib/live/api.ts';
import type { SharedSocket } from '$lib/live/socket.ts';

export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export type ImportPhase = 'idle' | 'sending' | 'checking' | 'saving' | 'done' | 'refused' | 'failed';
export type ImportFailure = 'tooLarge' | 'unreadable' | 'forbidden' | 'conflict' | 'failed';

export interface ImportIssue {
  /** The row number in the file, when the problem is in a row. */
  row: number | null;
  /** The column, when the problem names one. */
  column: string | null;
  /** "file" for the file as a whole. */
  whole: boolean;
  /** The cell's text, when the server names it. */
  value: string | null;
  message: string;
}

/** What is imported, for one provider of one network. */
export interface ImportTarget {
  kind: 'reports' | 'courses';
  networkId: string;
  providerId: string;
}

type ProviderRoutes = BrowserApi['networks'][':networkId']['providers'][':providerId'];
type ImportRoute = ProviderRoutes['reports']['import']['$post'] | ProviderRoutes['courses']['import']['$post'];

/** The API's answer to a file stored whole: monthly reports give the months stored, course records the new and updated. */
export type ImportResult = InferResponseType<ImportRoute, 201>;

/** How many rows a stored file held. */
export const rowsOf = (result: ImportResult) => ('imported' in result ? result.imported : result.created + result.updated);

/** The server names places as "row 4, jobStarts", "column month" or "file", and sends row, column and value beside a cell's problem. */
export function parseIssuePath(path: string, message: string, cell: { row?: number; column?: string; value?: string } = {}): ImportIssue {
  const value = cell.value ?? null;
  if (cell.row !== undefined && cell.column !== undefined) return { row: cell.row, column: cell.column, whole: false, value, message };
  const row = /^row (\d+), (.+)$/.exec(path);
  if (row) return { row: Number(row[1]), column: row[2], whole: false, value, message };
  const column = /^column (.+)$/.exec(path);
  if (column) return { row: null, column: column[1], whole: false, value, message };
  return { row: null, column: null, whole: true, value, message };
}

/** The content type the server reads the file by: trust the extension over what the OS claims. */
export function contentTypeOf(file: File): string {
  const name = file.name.toLowerCase();
  if (name.endsWith('.xlsx')) return XLSX_TYPE;
  if (name.endsWith('.csv') || name.endsWith('.txt')) return 'text/csv';
  return file.type || 'text/csv';
}

const newImportId = () =>
  typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;

export class ImportUpload {
  phase: ImportPhase = $state('idle');
  done = $state(0);
  total = $state(0);
  fileName = $state('');
  result: ImportResult | null = $state(null);
  issues: ImportIssue[] = $state([]);
  failure: ImportFailure | null = $state(null);
  /** The server's summary of a refusal or failure, shown next to ours. */
  detail: string | null = $state(null);

  constructor(
    private readonly target: ImportTarget,
    private readonly socket: SharedSocket,
  ) {}

  get busy(): boolean {
    return this.phase === 'sending' || this.phase === 'checking' || this.phase === 'saving';
  }

  /** Uploads `file`; resolves once the server has answered. True when everything was stored. */
  async upload(file: File): Promise<boolean> {
    this.reset();
    this.fileName = file.name;
    if (file.size > MAX_IMPORT_BYTES) return this.fail('tooLarge', null);
    this.phase = 'sending';
    const importId = newImportId();
    // Listen before sending: a small file is checked and saved within milliseconds.
    const socket = await this.socket.connected();
    const onProgress = (p: ImportProgress) => {
      if (p.importId !== importId || !this.busy) return;
      this.phase = p.phase;
      this.done = p.done;
      this.total = p.total;
    };
    socket?.on('import:progress', onProgress);
    try {
      const response = await this.send(file, importId);
      if (response.status === 201) {
        const body = await response.json().catch(() => null);
        if (!body) return this.fail('failed', null);
        this.result = body;
        const rows = rowsOf(body);
        this.done = rows;
        this.total = rows;
        this.phase = 'done';
        return true;
      }
      const error = (await response.json().catch(() => null))?.error;
      const message = error?.message ?? null;
      // Not every refusal is declared by the route (the body limit's 413, the file type's 415).
      const status: number = response.status;
      if (status === 422) {
        this.issues = (error?.issues ?? []).map((i) => parseIssuePath(i.path, i.message, i));
        this.detail = message;
        this.phase = 'refused';
        return false;
      }
      if (status === 400 || status === 413 || status === 415) return this.fail('unreadable', message);
      if (status === 401 || status === 403) return this.fail('forbidden', message);
      if (status === 409) return this.fail('conflict', message);
      return this.fail('failed', message);
    } catch {
      return this.fail('failed', null);
    } finally {
      socket?.off('import:progress', onProgress);
    }
  }

  /** Posts the file itself as the body (the route reads it raw, not as JSON or a form). */
  private send(file: File, importId: string) {
    const provider = browserApi().networks[':networkId'].providers[':providerId'];
    const param = { networkId: encodeURIComponent(this.target.networkId), providerId: encodeURIComponent(this.target.providerId) };
    const options = { headers: { 'content-type': contentTypeOf(file), 'x-import-id': importId }, init: { body: file } };
    return this.target.kind === 'reports' ? provider.reports.import.$post({ param }, options) : provider.courses.import.$post({ param }, options);
  }

  private reset(): void {
    this.phase = 'idle';
    this.done = 0;
    this.total = 0;
    this.result = null;
    this.issues = [];
    this.failure = null;
    this.detail = null;
  }

  private fail(failure: ImportFailure, detail: string | null): false {
    this.failure = failure;
    this.detail = detail;
    this.phase = 'failed';
    return false;
  }
}
