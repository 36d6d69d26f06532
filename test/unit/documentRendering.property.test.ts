// Random documents from the editor's schema, stored through Yjs as the editor stores them: the text
// and marks survive the plain text, the Markdown (read back with a Markdown parser) and the blocks.
import fc from 'fast-check';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { describe, expect, it } from 'vitest';
import type { Block, TextRun } from '../../realtime/documents/blocks.ts';
import { linkTarget, markdownNode } from '../../realtime/documents/markdown.ts';
import { documentNode } from '../../realtime/documents/schema.ts';
import { documentBlocks, documentMarkdown, documentPlainText } from '../../realtime/yjs/render.ts';
import { storedDoc, type JsonNode } from '../helpers/editorDocs.ts';

const LINKS = ['https://jobnet.dk/a', 'https://a.dk/x)(y', 'mailto:anna@example.dk', 'http://b.dk/?q=1&r=[2]'];
/** Letters, Danish ones, digits, spaces and every character Markdown gives a meaning. */
const anyChar = fc.constantFrom(...'abcæøåÆ019 *_`~[]()<>&#-=+!\\|.:'.split(''));
const wordChar = fc.constantFrom(...'abcæøÅ019'.split(''));
const anyText = fc.string({ unit: anyChar, minLength: 1, maxLength: 12 });
/**
 * Marked text starts and ends with a letter or digit: CommonMark cannot put emphasis between a
 * punctuation mark and a letter ("a**(b)**c" is not bold), whatever writes it. Links and code can.
 */
const wordText = fc.tuple(wordChar, fc.string({ unit: anyChar, maxLength: 8 }), wordChar).map(([a, mid, b]) => (mid.length ? a + mid + b : a));

type Mark = NonNullable<JsonNode['marks']>[number];
const styles = fc.subarray<Mark>([{ type: 'bold' }, { type: 'italic' }, { type: 'underline' }, { type: 'strike' }], { minLength: 1 });
const link = fc.constantFrom(...LINKS).map((href): Mark => ({ type: 'link', attrs: { href } }));

const inlinePiece: fc.Arbitrary<JsonNode> = fc.oneof(
  { weight: 4, arbitrary: anyText.map((text): JsonNode => ({ type: 'text', text })) },
  { weight: 3, arbitrary: fc.tuple(wordText, styles, fc.option(link)).map(([text, marks, l]): JsonNode => ({ type: 'text', text, marks: l ? [l, ...marks] : marks })) },
  { weight: 1, arbitrary: fc.tuple(anyText, link).map(([text, l]): JsonNode => ({ type: 'text', text, marks: [l] })) },
  { weight: 1, arbitrary: anyText.filter((t) => t.trim() === t && !t.includes('`')).map((text): JsonNode => ({ type: 'text', text, marks: [{ type: 'code' }] })) },
  { weight: 1, arbitrary: fc.constant<JsonNode>({ type: 'hardBreak' }) },
);
/** Pieces separated by plain spaces, so two marked words never touch (Markdown would need a space or punctuation there anyway). */
const inline = fc.array(inlinePiece, { minLength: 1, maxLength: 6 }).map((pieces) => pieces.flatMap((p, i): JsonNode[] => (i ? [{ type: 'text', text: ' ' }, p] : [p])));

const { block } = fc.letrec<{ block: JsonNode; listItem: JsonNode }>((tie) => ({
  block: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    inline.map((content): JsonNode => ({ type: 'paragraph', content })),
    fc.tuple(fc.integer({ min: 1, max: 3 }), inline).map(([level, content]): JsonNode => ({ type: 'heading', attrs: { level }, content })),
    fc.string({ unit: fc.oneof(anyChar, fc.constant('\n')), maxLength: 20 }).map((code): JsonNode => ({ type: 'codeBlock', ...(code ? { content: [{ type: 'text', text: code }] } : {}) })),
    fc.constant<JsonNode>({ type: 'horizontalRule' }),
    fc.array(tie('listItem'), { minLength: 1, maxLength: 3 }).map((content): JsonNode => ({ type: 'bulletList', content })),
    fc.tuple(fc.integer({ min: 1, max: 12 }), fc.array(tie('listItem'), { minLength: 1, maxLength: 3 })).map(([start, content]): JsonNode => ({ type: 'orderedList', attrs: { start }, content })),
    fc.array(tie('block'), { minLength: 1, maxLength: 3 }).map((content): JsonNode => ({ type: 'blockquote', content })),
  ),
  listItem: fc.tuple(inline, fc.array(tie('block'), { maxLength: 2 })).map(([first, rest]): JsonNode => ({ type: 'listItem', content: [{ type: 'paragraph', content: first }, ...rest] })),
}));
const documents = fc.array(block, { minLength: 1, maxLength: 5 });

/** Each text block as its characters with the marks on each (links as exported), hard breaks as '\n'. */
type MarkedChar = { char: string; marks: string };
function markedText(node: ProseMirrorNode): Array<{ kind: string; chars: MarkedChar[] }> {
  const out: Array<{ kind: string; chars: MarkedChar[] }> = [];
  node.descendants((n) => {
    if (!n.isTextblock) return true;
    const chars: MarkedChar[] = [];
    n.forEach((child) => {
      const marks = child.marks
        .map((m) => (m.type.name === 'link' ? `link:${linkTarget(m.attrs.href as string)}` : m.type.name))
        .sort()
        .join(',');
      for (const char of child.isText ? child.text! : '\n') chars.push({ char, marks });
    });
    out.push({ kind: n.type.name === 'heading' ? `heading${n.attrs.level}` : n.type.name, chars });
    return false;
  });
  return out;
}

/**
 * What Markdown keeps of a text block: its characters, and each non-space character's marks.
 * Markdown itself drops spaces at the start and end of a line, empty paragraphs and line breaks at
 * the start or end of a paragraph.
 */
function normalise(blocks: Array<{ kind: string; chars: MarkedChar[] }>) {
  return blocks
    .map(({ kind, chars }) => {
      const lines: MarkedChar[][] = [[]];
      for (const c of chars) {
        // A Markdown heading is one line: a line break in it comes back as a space.
        if (c.char === '\n' && kind.startsWith('heading')) lines[lines.length - 1].push({ char: ' ', marks: '' });
        else if (c.char === '\n' && kind !== 'codeBlock') lines.push([]);
        else lines[lines.length - 1].push(c);
      }
      const trimmed = kind === 'codeBlock' ? lines : lines.map((l) => trimSpaces(l));
      while (kind !== 'codeBlock' && trimmed.length > 1 && trimmed[trimmed.length - 1].length === 0) trimmed.pop();
      while (kind !== 'codeBlock' && trimmed.length > 1 && trimmed[0].length === 0) trimmed.shift();
      return { kind, text: trimmed.map((l) => l.map((c) => (c.char === ' ' ? ' ' : `${c.char}[${c.marks}]`)).join('')).join('\n') };
    })
    .filter((b) => b.kind === 'codeBlock' || b.text !== '');
}
function trimSpaces(line: MarkedChar[]): MarkedChar[] {
  let start = 0;
  let end = line.length;
  while (start < end && line[start].char === ' ') start++;
  while (end > start && line[end - 1].char === ' ') end--;
  return line.slice(start, end);
}

function textLeaves(node: ProseMirrorNode): string[] {
  const leaves: string[] = [];
  node.descendants((n) => {
    if (n.isText) leaves.push(...n.text!.split('\n'));
    return true;
  });
  return leaves;
}

function runsIn(blocks: Block[]): TextRun[] {
  return blocks.flatMap((b): TextRun[] => {
    if (b.type === 'heading' || b.type === 'paragraph') return b.runs;
    if (b.type === 'list') return b.items.flatMap(runsIn);
    if (b.type === 'quote') return runsIn(b.blocks);
    if (b.type === 'code') return [{ text: b.text }];
    return [];
  });
}

const runs = { numRuns: 200 };

describe('random documents survive every export', () => {
  it('plain text has every text leaf in order', () => {
    fc.assert(
      fc.property(documents, (content) => {
        const doc = storedDoc(content);
        const text = documentPlainText(doc);
        let at = 0;
        for (const leaf of textLeaves(documentNode(doc))) {
          const found = text.indexOf(leaf, at);
          expect(found, `"${leaf}" after position ${at} in ${JSON.stringify(text)}`).toBeGreaterThanOrEqual(0);
          at = found + leaf.length;
        }
      }),
      runs,
    );
  });

  it('Markdown read back with a Markdown parser has the same text blocks, text and marks', () => {
    fc.assert(
      fc.property(documents, (content) => {
        const doc = storedDoc(content);
        const markdown = documentMarkdown(doc);
        expect(normalise(markedText(markdownNode(markdown))), markdown).toEqual(normalise(markedText(documentNode(doc))));
      }),
      runs,
    );
  });

  it('the block model keeps every run with its marks', () => {
    fc.assert(
      fc.property(documents, (content) => {
        const doc = storedDoc(content);
        const expected: MarkedChar[] = [];
        for (const { chars } of markedText(documentNode(doc))) expected.push(...chars);
        const got: MarkedChar[] = [];
        for (const run of runsIn(documentBlocks(doc))) {
          const marks = (['bold', 'code', 'italic', 'strike', 'underline'] as const).filter((m) => run[m]).map(String);
          if (run.link) marks.push(`link:${linkTarget(run.link)}`);
          for (const char of run.text) got.push({ char, marks: char === '\n' && !run.code && marks.length === 0 ? '' : marks.sort().join(',') });
        }
        expect(got.map((c) => c.char).join('')).toBe(expected.map((c) => c.char).join(''));
        expect(got.filter((c) => c.char !== '\n')).toEqual(expected.filter((c) => c.char !== '\n'));
      }),
      runs,
    );
  });
});
