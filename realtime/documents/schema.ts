// The editor's schema on the server, built from the same extensions the browser editor runs, and a
// co-edited document read into it with the Yjs binding the editor uses (what the editor would show).
import { getSchema, getText, getTextSerializersFromSchema } from '@tiptap/core';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { yXmlFragmentToProseMirrorRootNode } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { CONTENT_FIELD, documentExtensions } from '../wire/editor.ts';

export const documentSchema = getSchema(documentExtensions());

const textSerializers = getTextSerializersFromSchema(documentSchema);

/**
 * The document's content as a ProseMirror node. Reads a copy: the binding drops (from the Y.Doc it
 * is given) elements the schema refuses, so callers pass a doc of their own, never a live one.
 */
export function documentNode(doc: Y.Doc): ProseMirrorNode {
  return yXmlFragmentToProseMirrorRootNode(doc.getXmlFragment(CONTENT_FIELD), documentSchema);
}

/** Plain text for search and exports: blocks apart by a blank line, a hard break is a line break. */
export function nodeText(node: ProseMirrorNode): string {
  return getText(node, { blockSeparator: '\n\n', textSerializers }).trim();
}
