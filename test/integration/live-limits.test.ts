// socket.io floods: one connection's event flood is throttled (rate_limited answers, then closed)
// while another client is served; one address cannot hold more than its share of connections.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVE_LIMITS } from '../../realtime/live/io.ts';
import { connected, eventually, liveClient, type LiveClient } from '../helpers/clients.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

describe('socket.io limits', () => {
  let server: TestServer;
  const sockets: LiveClient[] = [];
  const defaultPerAddress = LIVE_LIMITS.connectionsPerAddress;
  beforeAll(async () => {
    LIVE_LIMITS.connectionsPerAddress = 60; // the in-process server reads the same object; keeps the test light
    server = await startTestServer();
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await server?.close();
    LIVE_LIMITS.connectionsPerAddress = defaultPerAddress;
  });
  const open = async () => {
    const socket = liveClient(server.url, { cookie: await server.as('viewer@jobcenter.example') });
    sockets.push(socket);
    return socket;
  };

  it('a flood gets rate_limited answers and is then closed; another client is still served', async () => {
    const flooder = await open();
    await connected(flooder);
    const bystander = await open();
    await connected(bystander);
    const answers: string[] = [];
    let closed = false;
    flooder.on('disconnect', () => (closed = true));
    const total = LIVE_LIMITS.eventsPerSecond * LIVE_LIMITS.burstSeconds + LIVE_LIMITS.refusalsBeforeClose + 100;
    for (let i = 0; i < total; i++) flooder.emit('leaderboard:unsubscribe', { networkId: server.networkId }, (r) => answers.push(r.ok ? 'ok' : r.error.code));
    await eventually(() => closed, 'the flooding connection to be closed', 10_000);
    expect(answers.filter((a) => a === 'rate_limited').length).toBeGreaterThan(0);
    expect(answers.filter((a) => a === 'ok').length).toBeLessThanOrEqual(LIVE_LIMITS.eventsPerSecond * (LIVE_LIMITS.burstSeconds + 2));
    const board = await bystander.emitWithAck('leaderboard:subscribe', { networkId: server.networkId });
    expect(board.ok).toBe(true);
  });

  it('one address holds at most its share of connections', async () => {
    const batch = await Promise.all(Array.from({ length: LIVE_LIMITS.connectionsPerAddress }, () => open()));
    const results = await Promise.allSettled(batch.map((s) => connected(s)));
    const refused = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    // Sockets from the first test may still count; at least one of these is refused, with the reason.
    expect(refused.length).toBeGreaterThan(0);
    expect(String(refused[0].reason)).toMatch(/rate_limited/);
    for (const s of batch) s.disconnect();
  }, 60_000);
});
