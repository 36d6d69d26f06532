// A print-ready PDF of an archived meeting, laid out from its Markdown with pdfkit (no browser needed).
import PDFDocument from 'pdfkit';

/** Renders the archive's Markdown: headings, lists, tables as aligned text, paragraphs. */
export function markdownToPdf(markdown: string, title: string): Promise<Uint8Array> {
  const doc = new PDFDocument({ size: 'A4', margins: { top: 56, bottom: 56, left: 56, right: 56 }, info: { Title: title, Creator: 'Samspil' }, lang: 'da-DK' });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Uint8Array>((resolve, reject) => {
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
  });
  const plain = (s: string) => s.replace(/\\([\\`*_[\]#<>])/g, '$1').replace(/\*\*(.+?)\*\*/g, '$1').replace(/\[(.+?)\]\((.+?)\)/g, '$1 ($2)');
  for (const line of markdown.split('\n')) {
    const heading = /^(#{1,6}) (.*)$/.exec(line);
    if (heading) {
      const size = [20, 15, 12.5, 11.5, 11, 11][heading[1].length - 1];
      doc.moveDown(heading[1].length === 1 ? 0 : 0.6).font('Helvetica-Bold').fontSize(size).text(plain(heading[2]));
      doc.moveDown(0.3);
      continue;
    }
    if (/^\|[-|]+\|$/.test(line)) continue;
    if (line.startsWith('|')) {
      const cells = line.split('|').slice(1, -1).map((c) => plain(c.trim()));
      doc.font('Helvetica').fontSize(9.5).text(cells.join('   ·   '));
      continue;
    }
    if (line.trim() === '') {
      doc.moveDown(0.4);
      continue;
    }
    doc.font('Helvetica').fontSize(10.5).text(plain(line), { paragraphGap: 2 });
  }
  doc.end();
  return done;
}
