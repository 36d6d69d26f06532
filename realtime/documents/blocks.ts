// The layout-neutral shape of a document Samspil hands out (statement, minutes, note): what the
// PDF writer lays out and what the editor's content is turned into. One shape, many renderings.

/** A run of text with the marks the editor allows; a hard break is a '\n' inside `text`. */
export interface TextRun {
  text: string;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  strike?: boolean;
  code?: boolean;
  /** Only http(s) and mailto addresses survive into documents. */
  link?: string;
}

export interface TableColumn {
  label: string;
  align?: 'left' | 'right';
  /** Relative width; columns without one share what is left. */
  width?: number;
}

export type Block =
  | { type: 'heading'; level: 1 | 2 | 3 | 4 | 5 | 6; runs: TextRun[] }
  | { type: 'paragraph'; runs: TextRun[] }
  | { type: 'list'; ordered: boolean; start?: number; items: Block[][] }
  | { type: 'quote'; blocks: Block[] }
  | { type: 'code'; text: string }
  | { type: 'rule' }
  /** Label–value pairs laid out as two columns (meeting facts, contract reference). */
  | { type: 'facts'; pairs: Array<{ label: string; value: string }> }
  /** Rows of plain cells; `total` rows are set apart below the body (sums). */
  | { type: 'table'; caption?: string; columns: TableColumn[]; rows: string[][]; total?: string[][] }
  /** A boxed notice the reader must not miss (e.g. overlapping contracts). */
  | { type: 'warning'; text: string };

export interface Party {
  name: string;
  /** Address lines, CVR and the like, in display form. */
  lines: string[];
}

/** A document as sent: letter head (sender, recipient, date), title, then the body. */
export interface LetterDocument {
  locale: 'da' | 'en';
  title: string;
  /** Shown under the title, e.g. "Januar 2027 · Kladde". */
  subtitle?: string;
  sender?: Party;
  recipient?: Party;
  /** The letter's date in display form. */
  date?: string;
  blocks: Block[];
}
