// Documents on a page as the shared block model, read with the editor's own schema: an archived
// document from its Markdown, a live one from its Yjs content. RichBlocks.svelte shows them.
import type * as Y from 'yjs';
import type { Block } from '$documents/blocks.ts';
import { blocksOf } from '$documents/editorBlocks.ts';
import { markdownNode } from '$documents/markdown.ts';
import { documentNode } from '$documents/schema.ts';

/** A document's headings start at `top` below the page's own headings, whatever level they had ("# Title" becomes an h3 under an h2). */
export function shiftHeadings(blocks: Block[], top: number): Block[] {
  return blocks.map((b): Block => {
    if (b.type === 'heading') return { ...b, level: Math.min(6, b.level + top - 1) as 1 | 2 | 3 | 4 | 5 | 6 };
    if (b.type === 'quote') return { ...b, blocks: shiftHeadings(b.blocks, top) };
    if (b.type === 'list') return { ...b, items: b.items.map((item) => shiftHeadings(item, top)) };
    return b;
  });
}

/** An archived document's Markdown (as the server wrote it) as blocks. */
export function markdownBlocks(markdown: string, top: number): Block[] {
  return shiftHeadings(blocksOf(markdownNode(markdown)), top);
}

/** A live document's content as blocks (read from a copy, so reading never changes the shared document). */
export function liveBlocks(doc: Y.Doc, top: number): Block[] {
  return shiftHeadings(blocksOf(documentNode(doc)), top);
}
