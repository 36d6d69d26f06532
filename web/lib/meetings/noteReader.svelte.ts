// A read-only live view of a shared document (the presenter's method note beside the minutes):
// syncs it with y-websocket and reads it with the editor's schema into the shared block model a
// component renders as elements. Lighter than the editor, and it can sit on a page that already has one.
// Browser-only: create it in onMount or an effect.
import type * as YT from 'yjs';
import type { WebsocketProvider as Provider } from 'y-websocket';
import { YjsCloseCode } from '$wire/yjs.ts';
import { colourIndex } from '$lib/editor/colors.ts';
import { sessionEnded } from '$lib/live/session.ts';
import type { Block } from '$documents/blocks.ts';

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
    const [Y, { WebsocketProvider }, { liveBlocks }] = await Promise.all([import('yjs'), import('y-websocket'), import('./documentBlocks.ts')]);
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
    const render = () => liveBlocks(doc, 3);
    content.observeDeep(() => this.schedule(render));
    this.doc = doc;
    this.provider = provider;
    this.schedule(render);
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
  private schedule(render: () => Block[]): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      if (!this.destroyed) this.blocks = render();
    });
  }

  destroy(): void {
    this.destroyed = true;
    if (this.frame) cancelAnimationFrame(this.frame);
    this.provider?.destroy();
    this.doc?.destroy();
  }
}
