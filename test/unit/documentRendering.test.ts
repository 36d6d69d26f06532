// Co-edited documents rendered from the editor's own schema: every node and mark survives Markdown,
// text and the block model, links stay safe, and text never turns into markup.
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { documentSchema } from '../../realtime/documents/schema.ts';
import { CONTENT_FIELD } from '../../realtime/wire/editor.ts';
import { markdownNode } from '../../realtime/documents/markdown.ts';
import { documentBlocks, documentMarkdown, documentPlainText } from '../../realtime/yjs/render.ts';
import { everything, hardBreak, paragraph, storedDoc, text } from '../helpers/editorDocs.ts';

describe('rendering documents from the editor schema', () => {
  it('"first line⏎second line" exports as two lines in Markdown and text (issue 17)', () => {
    const doc = storedDoc([paragraph(text('first line'), hardBreak, text('second line'))]);
    expect(documentMarkdown(doc)).toBe('first line\\\nsecond line');
    expect(documentPlainText(doc)).toBe('first line\nsecond line');
    expect(documentBlocks(doc)).toEqual([{ type: 'paragraph', runs: [{ text: 'first line\nsecond line' }] }]);
  });

  it('every node and mark of the schema survives Markdown and comes back from it', () => {
    const doc = storedDoc(everything);
    const used = new Set<string>();
    const markdown = documentMarkdown(doc);
    const back = markdownNode(markdown);
    back.descendants((node) => {
      used.add(node.type.name);
      node.marks.forEach((m) => used.add(m.type.name));
    });
    // A node or mark added to the editor fails here until the renderers handle it.
    expect([...used].sort()).toEqual([...Object.keys(documentSchema.nodes).filter((n) => n !== 'doc'), ...Object.keys(documentSchema.marks)].sort());
    expect(markdown).toContain('~~overstreget~~');
    expect(markdown).toContain('<u>understreget</u>');
    expect(markdown).toContain('`kode()`');
    expect(markdown).toContain('\n---\n');
    expect(markdown).toContain('3. tre\n\n4. fire');
    expect(markdown).toContain('```\nlet x = 1;\nx++\n```');
    expect(markdown).toContain('[jobnet](https://jobnet.dk/a)');
  });

  it('the block model keeps every run with its marks', () => {
    const blocks = documentBlocks(storedDoc(everything));
    expect(blocks.map((b) => b.type)).toEqual(['heading', 'paragraph', 'paragraph', 'rule', 'list', 'list', 'quote', 'code']);
    expect(blocks[2]).toEqual({
      type: 'paragraph',
      runs: [
        { text: 'fed', bold: true },
        { text: ' ' },
        { text: 'kursiv', italic: true },
        { text: ' ' },
        { text: 'understreget', underline: true },
        { text: ' ' },
        { text: 'overstreget', strike: true },
        { text: ' ' },
        { text: 'kode()', code: true },
        { text: ' ' },
        { text: 'jobnet', link: 'https://jobnet.dk/a' },
      ],
    });
    expect(blocks[5]).toMatchObject({ type: 'list', ordered: true, start: 3 });
    expect(blocks[7]).toEqual({ type: 'code', text: 'let x = 1;\nx++' });
  });

  it('plain text has every text in order, a rule and list markers included', () => {
    expect(documentPlainText(storedDoc(everything))).toBe(
      ['Målgruppe', 'first line\nsecond line', 'fed kursiv understreget overstreget kode() jobnet', '---', '• punkt', '3. tre\n4. fire', 'citat', 'let x = 1;\nx++'].join('\n\n'),
    );
  });

  it('only http(s) and mailto links survive, and an address cannot escape its parentheses', () => {
    const doc = storedDoc([
      paragraph(
        text('ond', { type: 'link', attrs: { href: 'javascript:alert(1)' } }),
        text(' '),
        text('flugt', { type: 'link', attrs: { href: 'https://a.dk/x)[y](javascript:alert(1)' } }),
        text(' '),
        text('post', { type: 'link', attrs: { href: 'mailto:anna@example.dk' } }),
      ),
    ]);
    const markdown = documentMarkdown(doc);
    expect(markdown).toBe('ond [flugt](https://a.dk/x%29%5By%5D%28javascript:alert%281%29) [post](mailto:anna@example.dk)');
    const links: string[] = [];
    markdownNode(markdown).descendants((n) => void n.marks.forEach((m) => m.type.name === 'link' && links.push(m.attrs.href as string)));
    expect(links).toEqual(['https://a.dk/x%29%5By%5D%28javascript:alert%281%29', 'mailto:anna@example.dk']);
    expect(documentBlocks(doc)).toEqual([{ type: 'paragraph', runs: [{ text: 'ond ' }, { text: 'flugt', link: 'https://a.dk/x)[y](javascript:alert(1)' }, { text: ' ' }, { text: 'post', link: 'mailto:anna@example.dk' }] }]);
  });

  it('an exclamation mark is escaped only where a link follows (it would make an image)', () => {
    const link = { type: 'link', attrs: { href: 'https://jobnet.dk' } };
    const markdown = documentMarkdown(storedDoc([paragraph(text('Hej!')), paragraph(text('Se!'), text('her', link))]));
    expect(markdown).toBe('Hej!\n\nSe\\![her](https://jobnet.dk)');
    expect(markdownNode(markdown).lastChild!.toJSON().content).toEqual([
      { type: 'text', text: 'Se!' },
      { type: 'text', text: 'her', marks: [{ type: 'link', attrs: expect.objectContaining({ href: 'https://jobnet.dk' }) }] },
    ]);
  });

  it('text that looks like Markdown or HTML stays text', () => {
    const tricky = ['<script>alert(1)</script> &amp;', '# ikke en overskrift', '- ikke en liste', '1) heller ikke', '**ikke fed** `ikke kode` ~~x~~ [a](b) ![c](d)', '===', '    ikke kode'];
    const doc = storedDoc([paragraph(...tricky.flatMap((line, i) => (i ? [hardBreak, text(line)] : [text(line)])))]);
    const markdown = documentMarkdown(doc);
    expect(markdown).not.toContain('<script>');
    const back = markdownNode(markdown);
    expect(back.childCount).toBe(1);
    expect(back.firstChild!.textBetween(0, back.firstChild!.content.size, undefined, '\n')).toBe(tricky.map((l) => l.trimStart()).join('\n'));
    back.descendants((n) => void expect(n.marks).toEqual([]));
  });

  it('content a client wrote outside the editor renders as the editor shows it, and the document is not changed by reading', () => {
    const doc = new Y.Doc();
    const fragment = doc.getXmlFragment(CONTENT_FIELD);
    const bare = new Y.XmlText('BO WAS HERE');
    bare.format(0, 2, { bold: true });
    const unknown = new Y.XmlElement('script');
    unknown.insert(0, [new Y.XmlText('alert(1)')]);
    const inside = new Y.XmlElement('paragraph');
    inside.insert(0, [new Y.XmlText('inside')]);
    fragment.insert(0, [bare, unknown, inside]);
    const before = Y.encodeStateAsUpdate(doc);

    expect(documentMarkdown(doc)).toBe('**BO** WAS HERE\n\ninside');
    expect(documentPlainText(doc)).toBe('BO WAS HERE\n\ninside');
    expect(documentBlocks(doc)).toEqual([
      { type: 'paragraph', runs: [{ text: 'BO', bold: true }, { text: ' WAS HERE' }] },
      { type: 'paragraph', runs: [{ text: 'inside' }] },
    ]);
    expect(Y.encodeStateAsUpdate(doc)).toEqual(before);
    expect(documentMarkdown(new Y.Doc())).toBe('');
  });
});
