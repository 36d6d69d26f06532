// An editable, reorderable list the host works on before saving it in one go (the agenda, the
// presenter order). Each row keeps a stable key, so moving a row keeps its inputs and focus.

export interface AgendaRow {
  key: string;
  title: string;
  providerId: string;
  /** As typed; '' for no budget. */
  minutes: string;
}

let counter = 0;
const nextKey = () => `row-${++counter}`;

export class OrderedDraft<T extends { key: string }> {
  rows: T[] = $state([]);

  constructor(rows: Array<Omit<T, 'key'>>) {
    this.reset(rows);
  }

  reset(rows: Array<Omit<T, 'key'>>): void {
    this.rows = rows.map((r) => ({ ...r, key: nextKey() }) as T);
  }

  /** Moves a row by one place; returns its new index, or null at either end. */
  move(index: number, delta: -1 | 1): number | null {
    const target = index + delta;
    if (index < 0 || target < 0 || target >= this.rows.length) return null;
    const rows = [...this.rows];
    [rows[index], rows[target]] = [rows[target], rows[index]];
    this.rows = rows;
    return target;
  }

  add(row: Omit<T, 'key'>): T {
    const added = { ...row, key: nextKey() } as T;
    this.rows = [...this.rows, added];
    return added;
  }

  remove(index: number): void {
    this.rows = this.rows.filter((_, i) => i !== index);
  }
}
