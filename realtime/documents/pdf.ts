// Lays out a LetterDocument as a tagged, print-ready PDF in IBM Plex (embedded), with page numbers.
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import type { Block, LetterDocument, Party, TableColumn, TextRun } from './blocks.ts';

const require = createRequire(import.meta.url);
// Google's TTF build of Plex Sans. Code is set in Plex Sans too: the only embeddable Plex Mono on
// npm (IBM's) runs a telemetry script at install, and Google's Mono build has glyphs fontkit rejects.
const FONTS = {
  regular: require.resolve('@expo-google-fonts/ibm-plex-sans/400Regular/IBMPlexSans_400Regular.ttf'),
  bold: require.resolve('@expo-google-fonts/ibm-plex-sans/700Bold/IBMPlexSans_700Bold.ttf'),
  italic: require.resolve('@expo-google-fonts/ibm-plex-sans/400Regular_Italic/IBMPlexSans_400Regular_Italic.ttf'),
  boldItalic: require.resolve('@expo-google-fonts/ibm-plex-sans/700Bold_Italic/IBMPlexSans_700Bold_Italic.ttf'),
};
type FontName = keyof typeof FONTS;

const MARGIN = 56;
const FOOTER = 40;
const BODY = 10;
const HEADING_SIZES = [18, 14, 12, 11, 10.5, 10];
const GREY = '#555555';
const RULE = '#999999';

type Doc = PDFKit.PDFDocument;
type Struct = PDFKit.PDFStructureElement;

const LABELS = {
  da: { page: (n: number, of: number) => `side ${n} af ${of}`, from: 'Afsender', to: 'Modtager' },
  en: { page: (n: number, of: number) => `page ${n} of ${of}`, from: 'From', to: 'To' },
} as const;

/** Renders the document; resolves with the PDF's bytes. */
export function renderPdf(letter: LetterDocument): Promise<Uint8Array> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN + FOOTER / 2, left: MARGIN, right: MARGIN },
    bufferPages: true,
    autoFirstPage: true,
    pdfVersion: '1.7',
    tagged: true,
    // @types/pdfkit lags pdfkit 0.20, which knows the PDF/UA subset.
    subset: 'PDF/UA' as unknown as PDFKit.Mixins.PDFSubsets,
    displayTitle: true,
    lang: letter.locale === 'da' ? 'da-DK' : 'en-GB',
    info: { Title: letter.title, Subject: letter.subtitle ?? letter.title, Creator: 'Samspil' },
  });
  for (const [name, file] of Object.entries(FONTS)) doc.registerFont(name, file);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Uint8Array>((resolve, reject) => {
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
  });

  const root = doc.struct('Document');
  doc.addStructure(root);
  const w = new Writer(doc, root);
  w.letterHead(letter);
  letter.blocks.forEach((block, i) => w.block(block, root, 0, letter.blocks[i + 1]));
  root.end();
  w.pageNumbers(letter.locale);
  doc.end();
  return done;
}

/** Keeps the cursor, the fonts and the structure tree together while the blocks are laid out. */
class Writer {
  constructor(
    private readonly doc: Doc,
    private readonly root: Struct,
  ) {
    doc.font('regular').fontSize(BODY).fillColor('black');
  }

  private get width(): number {
    return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
  }

  private get bottom(): number {
    return this.doc.page.height - this.doc.page.margins.bottom;
  }

  /** Starts a new page when `height` would not fit below the cursor. */
  private ensure(height: number): boolean {
    if (this.doc.y + height <= this.bottom) return false;
    this.doc.addPage();
    return true;
  }

  /** Lines, boxes and repeated headers are decoration, not content, for a screen reader. */
  private artifact(draw: () => void) {
    this.doc.markContent('Artifact');
    draw();
    this.doc.endMarkedContent();
  }

  private leaf(parent: Struct, type: string, draw: () => void) {
    parent.add(this.doc.struct(type, {}, draw));
  }

  letterHead(letter: LetterDocument) {
    const { doc } = this;
    const left = doc.page.margins.left;
    const top = doc.y;
    const labels = LABELS[letter.locale];
    const half = this.width / 2 - 12;
    let senderBottom = top;
    if (letter.sender) {
      const sender = letter.sender;
      doc.y = top;
      this.party(sender, labels.from, left + this.width / 2 + 12, half);
      senderBottom = doc.y;
    }
    let recipientBottom = top;
    if (letter.recipient) {
      const recipient = letter.recipient;
      doc.y = top + (letter.sender ? 24 : 0);
      this.party(recipient, labels.to, left, half);
      recipientBottom = doc.y;
    }
    doc.x = left;
    doc.y = Math.max(senderBottom, recipientBottom) + 12;
    if (letter.date) {
      const date = letter.date;
      this.leaf(this.root, 'P', () => doc.font('regular').fontSize(BODY).text(date, left, doc.y, { width: this.width, align: 'right' }));
      doc.moveDown(0.8);
    }
    doc.x = left;
    this.leaf(this.root, 'H1', () => doc.font('bold').fontSize(HEADING_SIZES[0]).fillColor('black').text(letter.title, { width: this.width }));
    if (letter.subtitle) {
      const subtitle = letter.subtitle;
      this.leaf(this.root, 'P', () => doc.font('regular').fontSize(BODY + 1).fillColor(GREY).text(subtitle, { width: this.width }));
      doc.fillColor('black');
    }
    doc.moveDown(0.8);
  }

  private party(party: Party, label: string, x: number, width: number) {
    const { doc } = this;
    const div = this.doc.struct('Div');
    this.root.add(div);
    const y = doc.y;
    this.leaf(div, 'P', () => doc.font('regular').fontSize(8).fillColor(GREY).text(label, x, y, { width }));
    doc.fillColor('black');
    this.leaf(div, 'P', () => doc.font('bold').fontSize(BODY).text(party.name, x, doc.y, { width }));
    for (const line of party.lines) this.leaf(div, 'P', () => doc.font('regular').fontSize(BODY).text(line, x, doc.y, { width }));
    div.end();
  }

  block(block: Block, parent: Struct, indent: number, next?: Block) {
    const { doc } = this;
    const x = doc.page.margins.left + indent;
    const width = this.width - indent;
    doc.x = x;
    switch (block.type) {
      case 'heading': {
        const size = HEADING_SIZES[block.level - 1];
        this.ensure(size * 3);
        doc.moveDown(block.level <= 2 ? 0.6 : 0.3);
        this.leaf(parent, `H${block.level}`, () => this.runs(block.runs, x, width, { size, bold: true }));
        doc.moveDown(0.3);
        return;
      }
      case 'paragraph':
        // A paragraph introducing a table stays with the table's first rows.
        if (next?.type === 'table') this.ensure(BODY * 9);
        this.leaf(parent, 'P', () => this.runs(block.runs, x, width, {}));
        doc.moveDown(0.5);
        return;
      case 'list': {
        const list = doc.struct('L');
        parent.add(list);
        block.items.forEach((item, i) => {
          const li = doc.struct('LI');
          list.add(li);
          const marker = block.ordered ? `${(block.start ?? 1) + i}.` : '•';
          this.ensure(BODY * 1.5);
          const y = doc.y;
          this.leaf(li, 'Lbl', () => doc.font('regular').fontSize(BODY).text(marker, x, y, { width: 18, lineBreak: false }));
          doc.y = y;
          const body = doc.struct('LBody');
          li.add(body);
          for (const b of item) this.block(b, body, indent + 18);
          body.end();
          li.end();
        });
        list.end();
        doc.x = x;
        return;
      }
      case 'quote': {
        const quote = doc.struct('BlockQuote');
        parent.add(quote);
        const top = doc.y;
        for (const b of block.blocks) this.block(b, quote, indent + 14);
        quote.end();
        const bottom = doc.y;
        if (bottom > top) this.artifact(() => doc.moveTo(x + 4, top).lineTo(x + 4, bottom - 4).lineWidth(2).strokeColor(RULE).stroke());
        doc.x = x;
        return;
      }
      case 'code':
        this.leaf(parent, 'Code', () => doc.font('regular').fontSize(BODY - 1).text(block.text, x + 8, doc.y, { width: width - 8 }));
        doc.font('regular').fontSize(BODY).moveDown(0.5);
        doc.x = x;
        return;
      case 'rule':
        this.ensure(12);
        this.artifact(() => doc.moveTo(x, doc.y + 4).lineTo(x + width, doc.y + 4).lineWidth(0.5).strokeColor(RULE).stroke());
        doc.y += 12;
        return;
      case 'facts':
        this.table(parent, { columns: [{ label: '', width: 1 }, { label: '', width: 2 }], rows: block.pairs.map((p) => [p.label, p.value]), header: false, boldFirst: true }, x, width);
        return;
      case 'table':
        if (block.caption) {
          const caption = block.caption;
          this.ensure(BODY * 5);
          this.leaf(parent, 'P', () => doc.font('bold').fontSize(BODY + 0.5).text(caption, x, doc.y, { width }));
          doc.moveDown(0.2);
        }
        this.table(parent, { columns: block.columns, rows: block.rows, total: block.total, header: true, boldFirst: false }, x, width);
        return;
      case 'warning':
        this.warning(parent, block.text, x, width);
        return;
    }
  }

  /** Mixed runs in one paragraph: pdfkit continues text across fonts with `continued`. */
  private runs(runs: TextRun[], x: number, width: number, opts: { size?: number; bold?: boolean }) {
    const { doc } = this;
    const parts = runs.filter((r) => r.text !== '');
    if (parts.length === 0) parts.push({ text: ' ' });
    doc.x = x;
    parts.forEach((run, i) => {
      const font: FontName = run.code ? 'regular' : (opts.bold || run.bold) && run.italic ? 'boldItalic' : opts.bold || run.bold ? 'bold' : run.italic ? 'italic' : 'regular';
      doc.font(font).fontSize(opts.size ?? BODY).fillColor(run.link ? '#1a4d8f' : 'black');
      const last = i === parts.length - 1;
      const options = { width, continued: !last, underline: Boolean(run.underline || run.link), strike: Boolean(run.strike), link: run.link ?? null };
      if (i === 0) doc.text(run.text, x, doc.y, options);
      else doc.text(run.text, options);
    });
    doc.fillColor('black').font('regular').fontSize(BODY);
  }

  private table(
    parent: Struct,
    t: { columns: TableColumn[]; rows: string[][]; total?: string[][]; header: boolean; boldFirst: boolean },
    x: number,
    width: number,
  ) {
    const { doc } = this;
    const pad = 4;
    // Relative widths; a column without one counts as 1.
    const shares = t.columns.map((c) => c.width ?? 1);
    const sum = shares.reduce((a, b) => a + b, 0);
    const widths = shares.map((s) => (width * s) / sum);
    const cellX = widths.map((_, i) => x + widths.slice(0, i).reduce((s, v) => s + v, 0));
    const heightOf = (cells: string[], font: FontName) => {
      doc.font(font).fontSize(BODY);
      return Math.max(...cells.map((text, i) => doc.heightOfString(text || ' ', { width: widths[i] - 2 * pad }))) + 2 * pad;
    };

    const table = doc.struct('Table');
    parent.add(table);
    const drawRow = (row: string[], kind: 'header' | 'body' | 'total', tag: boolean) => {
      const font: FontName = kind === 'body' ? 'regular' : 'bold';
      const height = heightOf(row, font);
      if (this.ensure(height) && t.header && kind !== 'header') drawRow(t.columns.map((c) => c.label), 'header', false);
      const top = doc.y;
      const draw = (text: string, i: number) => {
        const cellFont: FontName = kind !== 'body' || (t.boldFirst && i === 0) ? 'bold' : 'regular';
        doc.font(cellFont).fontSize(BODY).fillColor('black').text(text, cellX[i] + pad, top + pad, { width: widths[i] - 2 * pad, align: t.columns[i]?.align ?? 'left' });
      };
      if (kind === 'header') {
        this.artifact(() => doc.rect(x, top, width, height).fill('#eeeeee'));
        doc.fillColor('black');
      }
      if (tag) {
        const tr = doc.struct('TR');
        table.add(tr);
        // Header cells name their scope (pdfkit knows `scope`; its types do not yet).
        row.forEach((text, i) => tr.add(doc.struct(kind === 'header' ? 'TH' : 'TD', (kind === 'header' ? { scope: 'Column' } : {}) as PDFKit.Mixins.StructureElementOptions, () => draw(text, i))));
        tr.end();
      } else {
        // A header repeated after a page break is a visual aid only.
        this.artifact(() => row.forEach(draw));
      }
      const line = kind === 'total' ? 1 : 0.4;
      this.artifact(() => doc.moveTo(x, top + height).lineTo(x + width, top + height).lineWidth(line).strokeColor(RULE).stroke());
      doc.x = x;
      doc.y = top + height;
    };
    if (t.header) {
      // Keep the header with at least its first row.
      this.ensure(heightOf(t.columns.map((c) => c.label), 'bold') + (t.rows[0] ? heightOf(t.rows[0], 'regular') : 0));
      drawRow(t.columns.map((c) => c.label), 'header', true);
    }
    for (const row of t.rows) drawRow(row, 'body', true);
    for (const row of t.total ?? []) drawRow(row, 'total', true);
    table.end();
    doc.font('regular').fontSize(BODY);
    doc.y += 10;
  }

  private warning(parent: Struct, text: string, x: number, width: number) {
    const { doc } = this;
    const pad = 8;
    doc.font('bold').fontSize(BODY);
    const height = doc.heightOfString(text, { width: width - 2 * pad - 6 }) + 2 * pad;
    this.ensure(height + 6);
    const top = doc.y;
    this.artifact(() => {
      doc.rect(x, top, width, height).lineWidth(1.5).fillAndStroke('#fff4e5', '#b35900');
      doc.rect(x, top, 5, height).fill('#b35900');
    });
    this.leaf(parent, 'Div', () => doc.font('bold').fontSize(BODY).fillColor('black').text(text, x + pad + 6, top + pad, { width: width - 2 * pad - 6 }));
    doc.x = x;
    doc.y = top + height + 10;
    doc.font('regular');
  }

  /** "side 1 af 3" at the foot of every page, written once the page count is known. */
  pageNumbers(locale: LetterDocument['locale']) {
    const { doc } = this;
    const range = doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      doc.switchToPage(i);
      const bottom = doc.page.margins.bottom;
      doc.page.margins.bottom = 0; // writing inside the margin must not start a new page
      const y = doc.page.height - MARGIN + 10;
      doc.markContent('Artifact', { type: 'Pagination' });
      doc.font('regular').fontSize(8.5).fillColor(GREY).text(LABELS[locale].page(i + 1 - range.start, range.count), doc.page.margins.left, y, { width: this.width, align: 'right', lineBreak: false });
      doc.endMarkedContent();
      doc.page.margins.bottom = bottom;
    }
    doc.fillColor('black');
  }
}
