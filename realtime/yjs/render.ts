// Renders a co-edited document (the editor's schema in the 'content' fragment) as Markdown, plain
// text and blocks, for the archive, exports, search and the diff. Never HTML: text is data, not markup.
// Every rendering starts from the schema the editor uses (realtime/documents/schema.ts).
import * as Y from 'yjs';
import type { Block } from '../documents/blocks.ts';
import { blocksOf, blocksText } from '../documents/editorBlocks.ts';
import { nodeMarkdown } from '../documents/markdown.ts';
import { documentNode } from '../documents/schema.ts';

export const documentMarkdown = (doc: Y.Doc): string => nodeMarkdown(documentNode(doc));
export const documentPlainText = (doc: Y.Doc): string => blocksText(blocksOf(documentNode(doc)));
export const documentBlocks = (doc: Y.Doc): Block[] => blocksOf(documentNode(doc));

/** Markdown, text and blocks of a stored state in one reading (archiving renders all three). */
export function renderState(state: Uint8Array): { markdown: string; text: string; blocks: Block[] } {
  const doc = docFromState(state);
  try {
    const node = documentNode(doc);
    const blocks = blocksOf(node);
    return { markdown: nodeMarkdown(node), text: blocksText(blocks), blocks };
  } finally {
    doc.destroy();
  }
}

export function docFromState(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc;
}
