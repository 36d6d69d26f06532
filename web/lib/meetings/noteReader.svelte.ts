// A read-only live view of a shared document (the presenter's method note beside the minutes):
// syncs it with y-websocket and turns its Tiptap nodes into blocks a component renders as
// elements. Lighter than the editor, and it can sit on a page that already has one.
// Browser-only: create it in onMount or an effect.
import type * as YT from 'yjs';
import type { WebsocketProvider as Provider } from 'y-websocket';
import { YjsCloseCode } from '$wire/yjs.ts';
import { colourIndex } from '$lib/editor/colors.ts';
import { sessionEnded } from '$lib/live/session.ts';
import type { Block, Span } from './markdown.ts';

/** The close codes that mean the session is gone (realtime/wire/yjs.ts has no dependencies, so nothing else is bundled). */
const SIGNED_OUT = { unauthenticated: YjsCloseCode.unauthenticated, sessionRevoked: YjsCloseCode.sessionRevoked };

export type ReaderPhase = 'connecting' | 'synced' | 'reconnecting' | 'closed' | 'signedOut';

export class NoteReader {
  blocks: Block[] = $state([]);
  phase: ReaderPhase = $state('connecting');

  private provider: Provider | null = null;
  private doc: YT.Doc | null = null;
  private frame = 0;
  private destroyed = false;
  private checkingSignIn = false;

  constructor(
    private readonly name: string,
    private readonly user: { id: string; name: string },
  ) {}

  async start(): Promise<void> {
    const [Y, { WebsocketProvider }] = await Promise.all([import('yjs'), import('y-websocket')]);
    if (this.destroyed) return;
    const doc = new Y.Doc();
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const provider = new WebsocketProvider(`${scheme}://${location.host}/yjs`, this.name, doc, { disableBc: true });
    provider.awareness.setLocalStateField('user', { id: this.user.id, name: this.user.name, colour: colourIndex(this.user.id), reading: true });
    provider.on('status', ({ status }) => {
      // Comes after 'connection-close', which may have found the connection over for good.
      if (status === 'disconnected' && !this.destroyed && this.phase !== 'closed' && this.phase !== 'signedOut') this.phase = 'reconnecting';
    });
    provider.on('sync', (synced: boolean) => {
      if (synced && !this.destroyed) this.phase = 'synced';
    });
    provider.on('connection-close', (event) => {
      if (event?.code === SIGNED_OUT.unauthenticated || event?.code === SIGNED_OUT.sessionRevoked) this.phase = 'signedOut';
      // 4400–4499: refused for good (e.g. no longer allowed to read).
      else if (event && event.code >= 4400 && event.code < 4500) this.phase = 'closed';
      // An upgrade refused because the session ended reaches the browser as 1006, like a network failure.
      else if (event?.code === 1006 && !provider.wsconnected) void this.checkSignedIn();
    });
    const content = doc.getXmlFragment('content');
    content.observeDeep(() => this.schedule(Y, content));
    this.doc = doc;
    this.provider = provider;
    this.schedule(Y, content);
  }

  /** Stops reconnecting and says so when the API no longer knows this browser's session. */
  private async checkSignedIn(): Promise<void> {
    if (this.checkingSignIn) return;
    this.checkingSignIn = true;
    try {
      if ((await sessionEnded()) && !this.destroyed && this.phase !== 'closed') {
        this.phase = 'signedOut';
        this.provider?.disconnect();
      }
    } finally {
      this.checkingSignIn = false;
    }
  }

  /** Re-renders at most once per frame, however many updates arrive. */
  private schedule(Y: typeof YT, content: YT.XmlFragment): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      if (!this.destroyed) this.blocks = blocksOf(Y, content);
    });
  }

  destroy(): void {
    this.destroyed = true;
    if (this.frame) cancelAnimationFrame(this.frame);
    this.provider?.destroy();
    this.doc?.destroy();
  }
}

type Delta = Array<{ insert?: unknown; attributes?: Record<string, unknown> }>;

function blocksOf(Y: typeof YT, content: YT.XmlFragment): Block[] {
  const kids = (node: YT.XmlElement | YT.XmlFragment) => node.toArray().filter((c): c is YT.XmlElement | YT.XmlText => c instanceof Y.XmlElement || c instanceof Y.XmlText);
  const spans = (node: YT.XmlElement | YT.XmlText): Span[] => {
    if (node instanceof Y.XmlText) {
      return (node.toDelta() as Delta).flatMap((d) => {
        if (typeof d.insert !== 'string') return [];
        const a = d.attributes ?? {};
        const href = (a.link as { href?: string } | undefined)?.href;
        return [{ text: d.insert, ...(a.bold ? { bold: true } : {}), ...(a.italic ? { italic: true } : {}), ...(href && /^https?:\/\//.test(href) ? { href } : {}) }];
      });
    }
    return kids(node).flatMap(spans);
  };
  return kids(content).flatMap((node): Block[] => {
    if (node instanceof Y.XmlText) return [{ kind: 'paragraph', spans: spans(node) }];
    switch (node.nodeName) {
      case 'heading': {
        const level = Math.min(6, Math.max(3, (Number(node.getAttribute('level')) || 2) + 1)) as 3 | 4 | 5 | 6;
        return [{ kind: 'heading', level, spans: spans(node) }];
      }
      case 'bulletList':
      case 'orderedList':
        return [{ kind: 'list', ordered: node.nodeName === 'orderedList', items: kids(node).map(spans) }];
      case 'blockquote':
        return [{ kind: 'quote', lines: kids(node).map(spans) }];
      default:
        return [{ kind: 'paragraph', spans: spans(node) }];
    }
  });
}
