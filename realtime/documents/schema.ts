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
 * The document's content as a ProseMirror node. Reads a copy: the binding drops elements the schema
 * refuses from the Y.Doc it reads, and a live or stored document must never change by being read.
 */
export function documentNode(doc: Y.Doc): ProseMirrorNode {
  const copy = new Y.Doc();
  Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
  try {
    return yXmlFragmentToProseMirrorRootNode(copy.getXmlFragment(CONTENT_FIELD), documentSchema);
  } finally {
    copy.destroy();
  }
}

/** Plain text for search and exports: blocks apart by a blank line, a hard break is a line break. */
export function nodeText(node: ProseMirrorNode): string {
  return getText(node, { blockSeparator: '\n\n', textSerializers }).trim();
}
