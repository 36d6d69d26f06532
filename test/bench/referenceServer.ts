// The yardstick: @y/websocket-server's stock connection handler on a plain http + ws server, in
// memory (no persistence, no auth), in the same process as ours.
import { createServer } from 'node:http';
import { WebSocketServer } from 'ws';
import { setupWSConnection, docs } from '@y/websocket-server/utils';

export interface ReferenceServer {
  url: string;
  /** Documents it holds in memory (it never unloads them without persistence). */
  documents(): number;
  close(): Promise<void>;
}

export async function startReferenceServer(): Promise<ReferenceServer> {
  const wss = new WebSocketServer({ noServer: true });
  const http = createServer((_req, res) => res.writeHead(404).end());
  http.on('upgrade', (req, socket, head) => {
    const docName = decodeURIComponent((req.url ?? '/').slice(1).split('?')[0]);
    wss.handleUpgrade(req, socket, head, (ws) => setupWSConnection(ws, req, { docName }));
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const address = http.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `ws://127.0.0.1:${port}`,
    documents: () => docs.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        http.close(() => resolve());
        http.closeAllConnections();
      }),
  };
}
