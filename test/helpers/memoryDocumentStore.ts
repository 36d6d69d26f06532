// A document store in memory, for tests and the benchmark's diagnostic server (no database cost).
import * as Y from 'yjs';
import type { DocumentStore } from '../../realtime/yjs/persistence.ts';

export class MemoryDocumentStore implements DocumentStore {
  private readonly states = new Map<string, Uint8Array[]>();
  async loadDoc(name: string) {
    const updates = this.states.get(name);
    if (!updates) return null;
    const doc = new Y.Doc({ gc: true });
    Y.transact(doc, () => updates.forEach((u) => Y.applyUpdate(doc, u, 'store')));
    return { doc, bytes: updates.reduce((n, u) => n + u.byteLength, 0), logLength: updates.length, seq: updates.length };
  }
  async create(name: string, initialContent: () => Promise<Uint8Array | null>) {
    if (this.states.has(name)) return;
    const initial = await initialContent();
    this.states.set(name, initial ? [initial] : []);
  }
  async append(name: string, updates: Uint8Array[]) {
    this.states.get(name)!.push(...updates);
  }
  async compact(name: string, loaded?: { state: Uint8Array; seq: number }) {
    const updates = this.states.get(name);
    if (updates && loaded) this.states.set(name, [loaded.state, ...updates.slice(loaded.seq)]);
    else if (updates && updates.length > 1) this.states.set(name, [Y.mergeUpdates(updates)]);
  }
}
