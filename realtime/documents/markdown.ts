// Markdown of a document in the editor's schema, written and read with prosemirror-markdown: one
// rule per node and mark the editor allows, so nothing people can write is lost on export.
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import MarkdownIt from 'markdown-it';
import type StateInline from 'markdown-it/lib/rules_inline/state_inline.mjs';
import { defaultMarkdownSerializer, MarkdownParser, MarkdownSerializer, type MarkdownSerializerState } from 'prosemirror-markdown';
import { isSafeLink } from '../wire/editor.ts';
import { documentSchema } from './schema.ts';

/** Characters that would end the address or start markup are percent-encoded: `)[x](javascript:…)` stays inside the address. */
export function linkTarget(href: string): string {
  return href.trim().replace(/[()\s<>"'\\[\]`]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`);
}

/** A fence longer than any run of backticks inside the code. */
function fenceFor(code: string): string {
  const longest = Math.max(2, ...(code.match(/`+/g) ?? []).map((run) => run.length));
  return '`'.repeat(longest + 1);
}

/**
 * prosemirror-markdown's escaping, plus what it leaves open: a setext underline or "1)" list at a
 * line start, leading spaces (an indented code block), and "!" before a link (an image).
 */
function escapeText(state: MarkdownSerializerState, text: string, lineStart: boolean): string {
  let out = state.esc(text, lineStart);
  if (lineStart) out = out.replace(/^\s+/, '').replace(/^=/, '\\=').replace(/^(\d+)\)/, '$1\\)');
  return out.replace(/!$/, '\\!');
}

const safeLink = (href: unknown) => typeof href === 'string' && isSafeLink(href);

const serializer = new MarkdownSerializer(
  {
    paragraph(state, node) {
      state.renderInline(node);
      state.closeBlock(node);
    },
    heading(state, node) {
      state.write(`${'#'.repeat(Math.min(6, Math.max(1, Number(node.attrs.level) || 1)))} `);
      state.renderInline(node, false);
      state.closeBlock(node);
    },
    blockquote(state, node) {
      state.wrapBlock('> ', null, node, () => state.renderContent(node));
    },
    codeBlock(state, node) {
      const fence = fenceFor(node.textContent);
      const language = typeof node.attrs.language === 'string' && /^[\w+#.-]+$/.test(node.attrs.language) ? node.attrs.language : '';
      state.write(`${fence}${language}\n`);
      state.text(node.textContent, false);
      state.ensureNewLine();
      state.write(fence);
      state.closeBlock(node);
    },
    horizontalRule(state, node) {
      state.write('---');
      state.closeBlock(node);
    },
    bulletList(state, node) {
      state.renderList(node, '  ', () => '- ');
    },
    orderedList(state, node) {
      const start = Number(node.attrs.start) || 1;
      const width = String(start + node.childCount - 1).length;
      state.renderList(node, ' '.repeat(width + 2), (i) => `${String(start + i).padStart(width, ' ')}. `);
    },
    listItem(state, node) {
      state.renderContent(node);
    },
    hardBreak: defaultMarkdownSerializer.nodes.hard_break,
    text(state, node, parent, index) {
      // A line after a hard break starts a line too: "- x" there must not become a list.
      const lineStart = index === 0 || parent.child(index - 1).type.name === 'hardBreak';
      state.text(escapeText(state, node.text ?? '', lineStart), false);
    },
  },
  {
    bold: { open: '**', close: '**', mixable: true, expelEnclosingWhitespace: true },
    italic: { open: '*', close: '*', mixable: true, expelEnclosingWhitespace: true },
    strike: { open: '~~', close: '~~', mixable: true, expelEnclosingWhitespace: true },
    // Markdown has no underline; <u> is what common Markdown viewers show as one, and our reader knows it.
    underline: { open: '<u>', close: '</u>', mixable: true, expelEnclosingWhitespace: true },
    code: defaultMarkdownSerializer.marks.code,
    // An address we would not let people insert is left out; its text stays.
    link: {
      open: (_state, mark) => (safeLink(mark.attrs.href) ? '[' : ''),
      close: (_state, mark) => (safeLink(mark.attrs.href) ? `](${linkTarget(mark.attrs.href as string)})` : ''),
    },
  },
  // Text is data: characters that could start HTML or an entity are escaped too.
  { hardBreakNodeName: 'hardBreak', escapeExtraCharacters: /[<>&]/g },
);

/** The document as Markdown (CommonMark with ~~strike~~ and <u>underline</u>). */
export function nodeMarkdown(node: ProseMirrorNode): string {
  return serializer.serialize(node, { tightLists: true }).trim();
}

/** `<u>` and `</u>` and nothing else of HTML: every other `<` in our Markdown is escaped text. */
function underlineTags(state: StateInline, silent: boolean): boolean {
  const match = /^<(\/?)u>/.exec(state.src.slice(state.pos, state.pos + 4));
  if (!match) return false;
  if (!silent) state.push(match[1] ? 'underline_close' : 'underline_open', 'u', match[1] ? -1 : 1);
  state.pos += match[0].length;
  return true;
}

const markdownIt = MarkdownIt('commonmark', { html: false }).enable('strikethrough');
markdownIt.inline.ruler.before('emphasis', 'underline', underlineTags);

const parser = new MarkdownParser(documentSchema, markdownIt, {
  blockquote: { block: 'blockquote' },
  paragraph: { block: 'paragraph' },
  list_item: { block: 'listItem' },
  bullet_list: { block: 'bulletList' },
  ordered_list: { block: 'orderedList', getAttrs: (tok) => ({ start: Number(tok.attrGet('start')) || 1 }) },
  heading: { block: 'heading', getAttrs: (tok) => ({ level: Number(tok.tag.slice(1)) }) },
  code_block: { block: 'codeBlock', noCloseToken: true },
  fence: { block: 'codeBlock', getAttrs: (tok) => ({ language: tok.info || null }), noCloseToken: true },
  hr: { node: 'horizontalRule' },
  hardbreak: { node: 'hardBreak' },
  em: { mark: 'italic' },
  strong: { mark: 'bold' },
  s: { mark: 'strike' },
  underline: { mark: 'underline' },
  code_inline: { mark: 'code', noCloseToken: true },
  link: { mark: 'link', getAttrs: (tok) => ({ href: tok.attrGet('href') }) },
  image: { ignore: true, noCloseToken: true },
});

/** Reads Markdown (ours, or any CommonMark) back into the editor's schema. */
export function markdownNode(markdown: string): ProseMirrorNode {
  return parser.parse(markdown);
}
