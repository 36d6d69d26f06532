// Renders a co-edited document (the editor's schema in the 'content' fragment) as Markdown, plain
// text and blocks, for the archive, exports, search and the diff. Never HTML: text is data, not markup.
// Every rendering starts from the schema the editor uses (realtime/documents/schema.ts).
import * as Y from 'yjs';
import type { Block } from '../documents/blocks.ts';
import { blocksOf, blocksText } from '../documents/editorBlocks.ts';
import { nodeMarkdown } from '../documents/markdown.ts';
import { documentNode } from '../documents/schema.ts';

/** Renders from a copy of the document: reading through the schema may drop elements it refuses. */
function read<T>(doc: Y.Doc, render: (node: ReturnType<typeof documentNode>) => T): T {
  const copy = docFromState(Y.encodeStateAsUpdate(doc));
  try {
    return render(documentNode(copy));
  } finally {
    copy.destroy();
  }
}

export const documentMarkdown = (doc: Y.Doc): string => read(doc, nodeMarkdown);
export const documentPlainText = (doc: Y.Doc): string => read(doc, (node) => blocksText(blocksOf(node)));
export const documentBlocks = (doc: Y.Doc): Block[] => read(doc, blocksOf);

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
