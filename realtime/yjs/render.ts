// Renders a co-edited document (Tiptap/ProseMirror nodes in the 'content' fragment) as Markdown
// and as plain text, for the archive, exports and search. Never HTML: text is data, not markup.
import * as Y from 'yjs';
import { CONTENT_FIELD } from './templates.ts';

type Delta = Array<{ insert?: unknown; attributes?: Record<string, unknown> }>;

function inline(text: Y.XmlText, markdown: boolean): string {
  return (text.toDelta() as Delta)
    .map((d) => {
      if (typeof d.insert !== 'string') return '';
      if (!markdown) return d.insert;
      let s = d.insert.replace(/([\\`*_[\]#<>])/g, '\\$1');
      const a = d.attributes ?? {};
      if (a.bold) s = `**${s}**`;
      if (a.italic) s = `*${s}*`;
      const link = a.link as { href?: string } | undefined;
      // Characters that would end the link or start another are percent-encoded: `)[x](javascript:…)` stays inside the address.
      if (link?.href && /^https?:\/\//.test(link.href)) s = `[${s}](${link.href.replace(/[()\s<>"'\\[\]]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`)})`;
      return s;
    })
    .join('');
}

function children(node: Y.XmlElement | Y.XmlFragment): Array<Y.XmlElement | Y.XmlText> {
  return node.toArray().filter((c): c is Y.XmlElement | Y.XmlText => c instanceof Y.XmlElement || c instanceof Y.XmlText);
}

function textOf(node: Y.XmlElement | Y.XmlText, markdown: boolean): string {
  if (node instanceof Y.XmlText) return inline(node, markdown);
  return children(node).map((c) => textOf(c, markdown)).join('');
}

function block(node: Y.XmlElement | Y.XmlText, markdown: boolean, indent = ''): string[] {
  if (node instanceof Y.XmlText) return [indent + inline(node, markdown)];
  switch (node.nodeName) {
    case 'heading': {
      const level = Math.min(6, Math.max(1, Number(node.getAttribute('level')) || 2));
      return [markdown ? `${'#'.repeat(level)} ${textOf(node, true)}` : textOf(node, false), ''];
    }
    case 'bulletList':
    case 'orderedList':
      return [
        ...children(node).flatMap((item, i) => {
          const marker = node.nodeName === 'bulletList' ? '- ' : `${i + 1}. `;
          const [first = '', ...rest] = item instanceof Y.XmlElement ? children(item).flatMap((c) => block(c, markdown, '')).filter((l) => l !== '') : [];
          return [indent + (markdown ? marker : '• ') + first, ...rest.map((l) => indent + '   ' + l)];
        }),
        '',
      ];
    case 'blockquote':
      return [...children(node).flatMap((c) => block(c, markdown)).filter((l) => l !== '').map((l) => (markdown ? `> ${l}` : l)), ''];
    default:
      return [indent + textOf(node, markdown), ''];
  }
}

function render(doc: Y.Doc, markdown: boolean): string {
  const lines = children(doc.getXmlFragment(CONTENT_FIELD)).flatMap((n) => block(n, markdown));
  return lines.join('\n').replace(/\n{3,}/g, '\n\n').trim();
}

export const documentMarkdown = (doc: Y.Doc) => render(doc, true);
export const documentPlainText = (doc: Y.Doc) => render(doc, false);

export function docFromState(state: Uint8Array): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, state);
  return doc;
}
