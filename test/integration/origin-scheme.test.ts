// Finding F3: an origin is scheme, host and port. On an http deployment a page served over https
// from the same host is another origin (and the reverse), so it may neither change anything nor
// open a WebSocket; the exact own origin still may.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import { connected, rawUpgrade, type LiveClient } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

let server: TestServer;
let cookie: string;
let minutes: string;
/** The server's host and port with the other scheme. */
let otherScheme: string;

beforeAll(async () => {
  server = await startTestServer();
  cookie = await server.login('host@jobcenter.example');
  const network = await (await server.api(`/api/networks/${server.networkId}`, { cookie })).json();
  minutes = `${server.url.replace('http', 'ws')}/yjs/${encodeURIComponent(`meeting:${network.nextMeeting.id}:minutes`)}`;
  otherScheme = server.url.replace('http://', 'https://');
});
afterAll(async () => {
  await server?.close();
});

describe('the same host with another scheme is another origin', () => {
  it('the API refuses its state changes with 403, and accepts the exact own origin', async () => {
    const send = (origin: string) =>
      server.api('/api/auth/tokens', { method: 'POST', cookie, headers: { origin }, body: JSON.stringify({ name: 'scheme' }) });
    const refused = await send(otherScheme);
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.code).toBe('forbidden');
    expect((await send(server.url)).status).toBe(201);
  });

  it('the Yjs upgrade is refused with 403 before any byte, and accepted from the own origin', async () => {
    expect(await rawUpgrade(minutes, { origin: otherScheme, cookie })).toEqual({ status: 403, received: 0 });
    expect((await rawUpgrade(minutes, { origin: server.url, cookie })).status).toBe(101);
  });

  it('socket.io refuses the handshake, and connects from the own origin', async () => {
    const client = (origin: string): LiveClient =>
      io(server.url, { transports: ['websocket'], extraHeaders: { cookie, origin }, reconnection: false, forceNew: true });
    const other = client(otherScheme);
    await expect(connected(other)).rejects.toThrow();
    other.close();
    const own = client(server.url);
    await connected(own);
    own.close();
  });
});
