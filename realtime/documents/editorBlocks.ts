// A document from the editor as the layout-neutral block model (blocks.ts): every node and mark the
// editor's schema allows has its place, so the PDF and the plain text keep what people wrote.
import type { Mark, Node as ProseMirrorNode } from '@tiptap/pm/model';
import { isSafeLink } from '../wire/editor.ts';
import type { Block, TextRun } from './blocks.ts';

type RunMarks = Omit<TextRun, 'text'>;

function marksOf(marks: readonly Mark[]): RunMarks {
  const out: RunMarks = {};
  for (const mark of marks) {
    const name = mark.type.name;
    if (name === 'bold' || name === 'italic' || name === 'underline' || name === 'strike' || name === 'code') out[name] = true;
    else if (name === 'link' && typeof mark.attrs.href === 'string' && isSafeLink(mark.attrs.href)) out.link = mark.attrs.href.trim();
    else if (name !== 'link') throw new Error(`documentBlocks: the mark "${name}" has no place in the block model`);
  }
  return out;
}

const sameMarks = (a: RunMarks, b: RunMarks) =>
  a.bold === b.bold && a.italic === b.italic && a.underline === b.underline && a.strike === b.strike && a.code === b.code && a.link === b.link;

/** A text block's inline content as runs; adjacent pieces with the same marks join, a hard break is '\n'. */
export function runsOf(node: ProseMirrorNode): TextRun[] {
  const runs: TextRun[] = [];
  node.forEach((child) => {
    const text = child.isText ? (child.text ?? '') : child.type.name === 'hardBreak' ? '\n' : '';
    if (!child.isText && child.type.name !== 'hardBreak') throw new Error(`documentBlocks: the inline node "${child.type.name}" has no place in the block model`);
    const marks = marksOf(child.marks);
    const last = runs[runs.length - 1];
    if (last && sameMarks(last, marks)) last.text += text;
    else runs.push({ text, ...marks });
  });
  return runs;
}

function blockOf(node: ProseMirrorNode): Block {
  switch (node.type.name) {
    case 'paragraph':
      return { type: 'paragraph', runs: runsOf(node) };
    case 'heading':
      return { type: 'heading', level: Math.min(6, Math.max(1, Number(node.attrs.level) || 1)) as 1 | 2 | 3 | 4 | 5 | 6, runs: runsOf(node) };
    case 'bulletList':
    case 'orderedList': {
      const items: Block[][] = [];
      node.forEach((item) => items.push(blocksOf(item)));
      if (node.type.name === 'bulletList') return { type: 'list', ordered: false, items };
      return { type: 'list', ordered: true, start: Number(node.attrs.start) || 1, items };
    }
    case 'blockquote':
      return { type: 'quote', blocks: blocksOf(node) };
    case 'codeBlock':
      return { type: 'code', text: node.textContent };
    case 'horizontalRule':
      return { type: 'rule' };
    default:
      throw new Error(`documentBlocks: the node "${node.type.name}" has no place in the block model`);
  }
}

/** The children of a document, list item or quote as blocks. */
export function blocksOf(node: ProseMirrorNode): Block[] {
  const blocks: Block[] = [];
  node.forEach((child) => blocks.push(blockOf(child)));
  return blocks;
}

const runsText = (runs: TextRun[]) => runs.map((r) => r.text).join('');

function blockText(block: Block): string {
  switch (block.type) {
    case 'heading':
    case 'paragraph':
      return runsText(block.runs);
    case 'list':
      return block.items
        .map((item, i) => {
          const marker = block.ordered ? `${(block.start ?? 1) + i}. ` : '• ';
          const [first = '', ...rest] = blocksText(item).split('\n');
          return [marker + first, ...rest.map((l) => (l ? ' '.repeat(marker.length) + l : l))].join('\n');
        })
        .join('\n');
    case 'quote':
      return blocksText(block.blocks);
    case 'code':
      return block.text;
    case 'rule':
      return '---';
    case 'facts':
      return block.pairs.map((p) => `${p.label}: ${p.value}`).join('\n');
    case 'table':
      return [block.caption, block.columns.map((c) => c.label).join('\t'), ...[...block.rows, ...(block.total ?? [])].map((r) => r.join('\t'))].filter((l) => l !== undefined).join('\n');
    case 'warning':
      return block.text;
  }
}

/** Plain text of blocks (search index, text exports): blank lines between blocks, a hard break a line break. */
export function blocksText(blocks: Block[]): string {
  return blocks
    .map(blockText)
    .filter((t) => t !== '')
    .join('\n\n');
}
