// Documents in the editor's schema stored in a Y.Doc exactly as the editor's Yjs binding stores them.
import { prosemirrorJSONToYDoc } from '@tiptap/y-tiptap';
import type * as Y from 'yjs';
import { documentSchema } from '../../realtime/documents/schema.ts';
import { CONTENT_FIELD } from '../../realtime/wire/editor.ts';

export type JsonNode = { type: string; attrs?: Record<string, unknown>; text?: string; marks?: Array<{ type: string; attrs?: Record<string, unknown> }>; content?: JsonNode[] };

export const text = (value: string, ...marks: NonNullable<JsonNode['marks']>): JsonNode => ({ type: 'text', text: value, ...(marks.length ? { marks } : {}) });
export const paragraph = (...content: JsonNode[]): JsonNode => ({ type: 'paragraph', content });
export const hardBreak: JsonNode = { type: 'hardBreak' };

/** A Y.Doc holding `content` (top-level blocks) in the 'content' fragment, as the editor would write it. */
export function storedDoc(content: JsonNode[]): Y.Doc {
  return prosemirrorJSONToYDoc(documentSchema, { type: 'doc', content }, CONTENT_FIELD);
}

/** Every node and mark the editor allows, once. */
export const everything: JsonNode[] = [
  { type: 'heading', attrs: { level: 2 }, content: [text('Målgruppe')] },
  paragraph(text('first line'), hardBreak, text('second line')),
  paragraph(
    text('fed', { type: 'bold' }),
    text(' '),
    text('kursiv', { type: 'italic' }),
    text(' '),
    text('understreget', { type: 'underline' }),
    text(' '),
    text('overstreget', { type: 'strike' }),
    text(' '),
    text('kode()', { type: 'code' }),
    text(' '),
    text('jobnet', { type: 'link', attrs: { href: 'https://jobnet.dk/a' } }),
  ),
  { type: 'horizontalRule' },
  { type: 'bulletList', content: [{ type: 'listItem', content: [paragraph(text('punkt'))] }] },
  { type: 'orderedList', attrs: { start: 3 }, content: [{ type: 'listItem', content: [paragraph(text('tre'))] }, { type: 'listItem', content: [paragraph(text('fire'))] }] },
  { type: 'blockquote', content: [paragraph(text('citat'))] },
  { type: 'codeBlock', attrs: { language: null }, content: [text('let x = 1;\nx++')] },
];
