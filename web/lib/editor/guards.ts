// Editor extensions that guard the shared document and the keyboard: no CPR number is ever typed or
// pasted into it, read-only users change nothing, and Tab always moves focus out (WCAG 2.1.2).
import { Extension } from '@tiptap/core';
import { isChangeOrigin } from '@tiptap/extension-collaboration';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { findCprNumbers } from '$domain/cpr.ts';

export interface DocumentGuardOptions {
  /** Whether local edits may reach the document now (writable, and its content has arrived). */
  mayEdit: () => boolean;
  /** Called when a local change was refused because it would add a CPR number. */
  onCprBlocked: () => void;
}

/**
 * Refuses local transactions that would add a CPR number, and every local change while editing is
 * not allowed. Changes from y-sync (other people, IndexedDB, undo) always pass: refusing them
 * would leave this editor out of step with the shared document.
 */
export const DocumentGuard = Extension.create<DocumentGuardOptions>({
  name: 'documentGuard',
  addOptions() {
    return { mayEdit: () => false, onCprBlocked: () => {} };
  },
  addProseMirrorPlugins() {
    const { mayEdit, onCprBlocked } = this.options;
    return [
      new Plugin({
        key: new PluginKey('documentGuard'),
        filterTransaction: (tr, state) => {
          if (!tr.docChanged || isChangeOrigin(tr)) return true;
          if (!mayEdit()) return false;
          if (addsCprNumber(state.doc, tr.doc)) {
            onCprBlocked();
            return false;
          }
          return true;
        },
      }),
    ];
  },
});

/**
 * Tab and Shift+Tab are left to the browser, so focus always moves on (no keyboard trap). This also
 * turns off Tab for nesting list items (StarterKit's ListItem): lists stay one level deep by keyboard.
 */
export const TabMovesFocus = Extension.create({
  name: 'tabMovesFocus',
  addProseMirrorPlugins() {
    return [
      new Plugin({
        key: new PluginKey('tabMovesFocus'),
        props: {
          handleDOMEvents: {
            // true = ProseMirror does not handle the event at all (and does not prevent the default).
            keydown: (_view, event) => event.key === 'Tab' && !event.ctrlKey && !event.altKey && !event.metaKey,
          },
        },
      }),
    ];
  },
});

/**
 * Whether `after` has a CPR number, in the blocks this change touched, that `before` did not have.
 * Compares only the changed region (found structurally, so one keystroke is cheap) and only CPR
 * numbers that are new: a number someone else's client already wrote can still be deleted around.
 */
export function addsCprNumber(before: ProseMirrorNode, after: ProseMirrorNode): boolean {
  const start = before.content.findDiffStart(after.content);
  if (start === null) return false;
  const end = before.content.findDiffEnd(after.content);
  let endBefore = end?.a ?? before.content.size;
  let endAfter = end?.b ?? after.content.size;
  // With repeated text the two scans can cross; widen both ends so the region covers the change.
  const overlap = start - Math.min(endBefore, endAfter);
  if (overlap > 0) {
    endBefore += overlap;
    endAfter += overlap;
  }
  const found = cprNumbersIn(after, start, endAfter);
  if (found.length === 0) return false;
  const existing = cprNumbersIn(before, start, endBefore);
  return found.some((number) => {
    const i = existing.indexOf(number);
    if (i === -1) return true;
    existing.splice(i, 1);
    return false;
  });
}

/** The digits of every CPR number in the text blocks between two positions. */
function cprNumbersIn(doc: ProseMirrorNode, from: number, to: number): string[] {
  const numbers: string[] = [];
  doc.nodesBetween(Math.min(from, to), Math.max(from, to), (node) => {
    if (!node.isTextblock) return true;
    // A hard break is a line break, not a separator a CPR number may contain.
    const text = node.textBetween(0, node.content.size, undefined, '\n');
    for (const match of findCprNumbers(text)) numbers.push(text.slice(match.index, match.index + match.length).replace(/\D/g, ''));
    return false;
  });
  return numbers;
}
