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
    const fragment = copy.getXmlFragment(CONTENT_FIELD);
    // The binding checks every element but not the top level, and fails on bare text there (a
    // client outside the editor can write it): such text becomes a paragraph, as the editor shows it.
    fragment.toArray().forEach((child, i) => {
      if (!(child instanceof Y.XmlText)) return;
      const paragraph = new Y.XmlElement('paragraph');
      paragraph.insert(0, [child.clone()]);
      fragment.delete(i, 1);
      fragment.insert(i, [paragraph]);
    });
    return validRoot(yXmlFragmentToProseMirrorRootNode(fragment, documentSchema));
  } finally {
    copy.destroy();
  }
}

/** A document whose top level holds blocks only: stray inline nodes go into a paragraph, a stray list item into a list. */
function validRoot(root: ProseMirrorNode): ProseMirrorNode {
  if (root.type.validContent(root.content)) return root;
  const { paragraph, bulletList } = documentSchema.nodes;
  const blocks: ProseMirrorNode[] = [];
  let inline: ProseMirrorNode[] = [];
  const flush = () => {
    if (inline.length) blocks.push(paragraph.create(null, inline));
    inline = [];
  };
  root.forEach((child) => {
    if (child.isInline) return void inline.push(child);
    flush();
    blocks.push(child.type.name === 'listItem' ? bulletList.create(null, child) : child);
  });
  flush();
  return root.type.create(null, blocks.length ? blocks : paragraph.create());
}

/** Plain text for search and exports: blocks apart by a blank line, a hard break is a line break. */
export function nodeText(node: ProseMirrorNode): string {
  return getText(node, { blockSeparator: '\n\n', textSerializers }).trim();
}
