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
 * prosemirror-markdown's escaping, plus what it leaves open at a line start (a setext underline,
 * "1)" or a lone "+" or "1." as a list, leading spaces as an indented code block, which Markdown
 * would drop anyway).
 */
function escapeText(state: MarkdownSerializerState, text: string, lineStart: boolean): string {
  let out = state.esc(lineStart ? text.replace(/^\s+/, '') : text, lineStart);
  if (lineStart) out = out.replace(/^=/, '\\=').replace(/^\+(\s|$)/, '\\+$1').replace(/^(\d+)([.)])(\s|$)/, '$1\\$2$3');
  return out;
}

function onlyBlankAfter(parent: ProseMirrorNode, index: number): boolean {
  for (let i = index + 1; i < parent.childCount; i++) if (/\S/.test(parent.child(i).text ?? '')) return false;
  return true;
}

const safeLink = (href: unknown) => typeof href === 'string' && isSafeLink(href);
const linkOf = (node: ProseMirrorNode | null) => node?.marks.find((m) => m.type.name === 'link' && safeLink(m.attrs.href));

const serializer = new MarkdownSerializer(
  {
    paragraph(state, node, parent) {
      // Markdown has no empty paragraphs; left out, an empty first line of a list item cannot turn what follows into code.
      if (!/\S/.test(node.textContent) && !(parent.type.name === 'listItem' && parent.childCount === 1)) return;
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
      // Always a line end of our own: a reader drops the last one, so code ending in blank lines keeps them.
      state.write('\n');
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
      // Numbers flush left and padded after the dot, so every item's content starts in the same
      // column as its continuation lines (" 8." after a marker on the same line would nest wrongly).
      state.renderList(node, ' '.repeat(width + 2), (i) => `${start + i}.`.padEnd(width + 2, ' '));
    },
    listItem(state, node) {
      state.renderContent(node);
    },
    hardBreak(state, _node, parent, index) {
      // A Markdown heading is one line: there a line break becomes a space (the blocks keep it).
      if (parent.type.name === 'heading') return state.text(' ', false);
      // Markdown has no line break at the end of a paragraph: a lone "\\" there would be text.
      for (let i = index + 1; i < parent.childCount; i++) {
        if (/\S/.test(parent.child(i).text ?? '')) return state.write('\\\n');
      }
    },
    text(state, node, parent, index) {
      // A line after a hard break starts a line too: "- x" there must not become a list.
      const lineStart = index === 0 || (parent.child(index - 1).type.name === 'hardBreak' && parent.type.name !== 'heading');
      let text = escapeText(state, node.text ?? '', lineStart);
      // "!" right before a link's "[" would make it an image.
      const nextLink = linkOf(parent.maybeChild(index + 1));
      if (nextLink && !linkOf(node)?.eq(nextLink)) text = text.replace(/!$/, '\\!');
      // "# Title #": a last run of '#' in a heading would be read as its closing sequence.
      if (parent.type.name === 'heading' && onlyBlankAfter(parent, index)) text = text.replace(/(^|\s)(#+)(\s*)$/, '$1\\$2$3');
      state.text(text, false);
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
  // (Not a '>' its line-start escaping has just escaped, or the backslash would become the text.)
  { hardBreakNodeName: 'hardBreak', escapeExtraCharacters: /(?<!^\\)[<>&]/g },
);

/** The document as Markdown (CommonMark with ~~strike~~ and <u>underline</u>). */
export function nodeMarkdown(node: ProseMirrorNode): string {
  // Loose lists: in a tight one an empty item under a line of text ("a\n  -") would read as a heading underline.
  return serializer.serialize(node, { tightLists: false }).trim();
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
