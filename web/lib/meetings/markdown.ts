// A tiny reader for the Markdown the server writes for archived documents (realtime/yjs/render.ts):
// headings, paragraphs, bullet and numbered lists, quotes, **bold**, *italic*, [links](https://…).
// It returns data that components turn into elements; nothing is ever parsed as HTML.

export interface Span {
  text: string;
  bold?: boolean;
  italic?: boolean;
  /** Only http(s) links survive, as the server writes them. */
  href?: string;
}

export type Block =
  | { kind: 'heading'; level: 2 | 3 | 4 | 5 | 6; spans: Span[] }
  | { kind: 'paragraph'; spans: Span[] }
  | { kind: 'list'; ordered: boolean; items: Span[][] }
  | { kind: 'quote'; lines: Span[][] };

const HEADING = /^(#{1,6}) (.*)$/;
const BULLET = /^- (.*)$/;
const NUMBERED = /^\d+\. (.*)$/;
const QUOTE = /^> ?(.*)$/;
const CONTINUATION = /^ {3}(.*)$/;

/**
 * Document headings start at level 2 below the page's own heading, whatever level they had in the
 * document (`shift`): a "# Title" in a note becomes an h3 inside a section headed by an h2.
 */
export function parseMarkdown(markdown: string, shift = 2): Block[] {
  const blocks: Block[] = [];
  let paragraph: string[] = [];
  /** A blank line ends a list or quote: what follows starts a new block. */
  let open = false;
  const flush = () => {
    if (paragraph.length) blocks.push({ kind: 'paragraph', spans: parseInline(paragraph.join(' ')) });
    paragraph = [];
  };
  for (const raw of markdown.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trimEnd();
    const continues = open;
    const lastOpen = () => (continues ? blocks[blocks.length - 1] : undefined);
    open = true;
    let m: RegExpExecArray | null;
    if (line.trim() === '') {
      flush();
      open = false;
    } else if ((m = HEADING.exec(line))) {
      flush();
      const level = Math.min(6, m[1].length + shift - 1) as 2 | 3 | 4 | 5 | 6;
      blocks.push({ kind: 'heading', level: Math.max(2, level) as 2 | 3 | 4 | 5 | 6, spans: parseInline(m[2]) });
    } else if ((m = BULLET.exec(line)) || (m = NUMBERED.exec(line))) {
      flush();
      const ordered = !line.startsWith('- ');
      const last = lastOpen();
      if (last?.kind === 'list' && last.ordered === ordered) last.items.push(parseInline(m[1]));
      else blocks.push({ kind: 'list', ordered, items: [parseInline(m[1])] });
    } else if ((m = CONTINUATION.exec(line)) && paragraph.length === 0 && lastOpen()?.kind === 'list') {
      const list = lastOpen() as Extract<Block, { kind: 'list' }>;
      const item = list.items[list.items.length - 1];
      item.push({ text: ' ' }, ...parseInline(m[1]));
    } else if ((m = QUOTE.exec(line))) {
      flush();
      const last = lastOpen();
      if (last?.kind === 'quote') last.lines.push(parseInline(m[1]));
      else blocks.push({ kind: 'quote', lines: [parseInline(m[1])] });
    } else {
      paragraph.push(line);
    }
  }
  flush();
  return blocks;
}

/** Inline marks; a backslash makes the next character literal, as the server escapes text. */
export function parseInline(source: string): Span[] {
  const spans: Span[] = [];
  let bold = false;
  let italic = false;
  let text = '';
  const push = (extra: Partial<Span> = {}) => {
    if (!text) return;
    spans.push({ text, ...(bold ? { bold } : {}), ...(italic ? { italic } : {}), ...extra });
    text = '';
  };
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\' && i + 1 < source.length) {
      text += source[++i];
    } else if (c === '*' && source[i + 1] === '*') {
      push();
      bold = !bold;
      i++;
    } else if (c === '*') {
      push();
      italic = !italic;
    } else if (c === '[') {
      const link = readLink(source, i);
      if (!link) {
        text += c;
        continue;
      }
      push();
      for (const inner of parseInline(link.label)) {
        spans.push({ ...inner, ...(bold ? { bold } : {}), ...(italic ? { italic } : {}), href: link.href });
      }
      i = link.end;
    } else {
      text += c;
    }
  }
  push();
  return spans;
}

/** `[label](https://…)` starting at `start`, honouring escaped brackets in the label. */
function readLink(source: string, start: number): { label: string; href: string; end: number } | null {
  let depth = 0;
  for (let i = start; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '[') depth++;
    if (c === ']' && --depth === 0) {
      const rest = /^\((https?:\/\/[^\s)]+)\)/.exec(source.slice(i + 1));
      if (!rest) return null;
      return { label: source.slice(start + 1, i), href: rest[1], end: i + rest[0].length };
    }
  }
  return null;
}
