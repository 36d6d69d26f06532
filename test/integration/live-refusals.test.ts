// The pages' socket.io connection after the server refused or ended it (web/lib/live/socket.ts),
// with real socket.io clients against the real server: socket.io itself retries only network
// failures, so a connection ended for a flood must come back by our retry, and one ended because
// the session was signed out must say so once and stop.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVE_LIMITS } from '../../realtime/live/io.ts';
import { RETRY_AFTER_REFUSAL_MS, retryRefusals } from '../../web/lib/live/socket.ts';
import { connected, eventually, liveClient, type LiveClient } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe("a page's live connection after the server refused or ended it", () => {
  let server: TestServer;
  const sockets: LiveClient[] = [];
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await server?.close();
  });

  /** A connection as a page opens it, signed in with its own session; counts connects and sign-outs. */
  async function pageSocket(email: string) {
    const cookie = await server.login(email);
    const seen = { connects: 0, signedOut: 0 };
    const socket = retryRefusals(liveClient(server.url, { cookie }), { onSignedOut: () => seen.signedOut++ });
    socket.on('connect', () => seen.connects++);
    sockets.push(socket);
    await connected(socket);
    return { socket, seen, cookie };
  }

  /** Sends more events than the server takes, until it ends the connection. */
  async function floodUntilEnded(socket: LiveClient) {
    let endedByServer = false;
    socket.on('disconnect', (reason) => (endedByServer ||= reason === 'io server disconnect'));
    const total = LIVE_LIMITS.eventsPerSecond * LIVE_LIMITS.burstSeconds + LIVE_LIMITS.refusalsBeforeClose + 100;
    for (let i = 0; i < total; i++) socket.emit('leaderboard:unsubscribe', { networkId: server.networkId }, () => {});
    await eventually(() => endedByServer, 'the server to end the flooding connection', 10_000);
  }

  it('ended for a flood: it connects again after the pause, and the session still works', async () => {
    const { socket, seen } = await pageSocket('viewer@jobcenter.example');
    await floodUntilEnded(socket);
    await eventually(() => seen.connects === 2, 'the connection to come back', RETRY_AFTER_REFUSAL_MS + 5000);
    expect(seen.signedOut).toBe(0);
    const board = await socket.emitWithAck('leaderboard:subscribe', { networkId: server.networkId });
    expect(board.ok).toBe(true);
  });

  it('ended because the session was signed out elsewhere: it says so once and stops trying', async () => {
    const { socket, seen, cookie } = await pageSocket('bo@provider2.example');
    expect((await server.api('/api/auth/logout', { method: 'POST', cookie })).status).toBe(204);
    await eventually(() => seen.signedOut === 1, 'the page to be told it is signed out', RETRY_AFTER_REFUSAL_MS + 5000);
    // No retry after that: still one connect, one sign-out, and the socket is no longer trying.
    await new Promise((resolve) => setTimeout(resolve, RETRY_AFTER_REFUSAL_MS + 1000));
    expect(seen).toEqual({ connects: 1, signedOut: 1 });
    expect(socket.active).toBe(false);
  });

  it('a page that closes its socket while a retry is waiting stays closed', async () => {
    const { socket, seen } = await pageSocket('anna@provider1.example');
    await floodUntilEnded(socket);
    socket.disconnect();
    await new Promise((resolve) => setTimeout(resolve, RETRY_AFTER_REFUSAL_MS + 1000));
    expect(seen.connects).toBe(1);
    expect(socket.connected).toBe(false);
  });
});
