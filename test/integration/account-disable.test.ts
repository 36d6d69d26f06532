// An operator closes an account from the command line while the server runs: the account's sessions
// and tokens end, and the server closes its open live connections at its next credential check,
// though no event reached it. Reopening lets the person sign in again. Without e-mail, the operator
// makes a password-reset link for a host to pass on.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { YjsCloseCode } from '../../realtime/wire/yjs.ts';
import { connected, eventually, liveClient, yjsClient, type LiveClient } from '../helpers/clients.ts';
import { DIALECTS } from '../helpers/dialects.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

const run = promisify(execFile);

describe.each(DIALECTS)('npm run account on $dialect', ({ dialect, available }) => {
  let server: TestServer;
  const cli = (...args: string[]) =>
    run(process.execPath, ['--import', 'tsx', 'scripts/cli.ts', 'account', ...args], {
      env: { ...process.env, DATABASE_URL: server.database.url, ...(server.database.pgSchema ? { DATABASE_SCHEMA: server.database.pgSchema } : {}) },
    });

  beforeAll(async () => {
    if (!available) return;
    server = await startTestServer({ dialect, credentialSweepMs: 200 });
  });
  afterAll(async () => server?.close());

  it.skipIf(!available)('disable ends sessions and tokens and closes open connections; enable lets the person back', async () => {
    const email = 'gustav@provider6.example';
    const host = await server.as('host@jobcenter.example');
    const network = await (await server.api(`/api/networks/${server.networkId}`, { cookie: host })).json();
    const cookie = await server.login(email);
    const token = (await (await server.api('/api/auth/tokens', { method: 'POST', cookie, body: '{}' })).json()).token as string;

    const yjs = yjsClient(server.url, `meeting:${network.nextMeeting.id}:minutes`, { cookie });
    const closes: number[] = [];
    yjs.provider.on('connection-close', (event: CloseEvent | null) => event && closes.push(event.code));
    await yjs.synced();
    const socket: LiveClient = liveClient(server.url, { token });
    await connected(socket);
    const otherSocket: LiveClient = liveClient(server.url, { cookie: host });
    await connected(otherSocket);

    const { stdout } = await cli('disable', '--email', email);
    expect(stdout).toContain('disabled');

    await eventually(() => closes.includes(YjsCloseCode.sessionRevoked) && !socket.connected, 'the disabled account’s connections to close', 10_000);
    expect(otherSocket.connected).toBe(true);
    expect((await server.api('/api/me', { cookie })).status).toBe(401);
    expect((await server.api('/api/me', { token })).status).toBe(401);
    expect((await server.api('/api/auth/login', { method: 'POST', body: JSON.stringify({ email, password: 'samspil-demo' }) })).status).toBe(401);

    await cli('enable', '--email', email);
    expect((await server.api('/api/auth/login', { method: 'POST', body: JSON.stringify({ email, password: 'samspil-demo' }) })).status).toBe(200);
    // The token ended with the account's closing and stays ended.
    expect((await server.api('/api/me', { token })).status).toBe(401);

    yjs.destroy();
    socket.close();
    otherSocket.close();
  });

  it.skipIf(!available)('reset-link prints a single-use link that sets a new password (for servers without e-mail)', async () => {
    const email = 'emil@provider4.example';
    const { stdout } = await cli('reset-link', '--email', email);
    const link = stdout.match(/https?:\/\/\S+\/password-reset\/([A-Za-z0-9_-]{40,})/);
    expect(link).not.toBeNull();
    const path = `/api/auth/password-reset/${link![1]}`;
    expect((await server.api(path, { method: 'POST', body: JSON.stringify({ password: 'lange ord om kaffe' }) })).status).toBe(204);
    expect((await server.api('/api/auth/login', { method: 'POST', body: JSON.stringify({ email, password: 'lange ord om kaffe' }) })).status).toBe(200);
    expect((await server.api(path, { method: 'POST', body: JSON.stringify({ password: 'andre lange ord her' }) })).status).toBe(410);
  });

  it.skipIf(!available)('an unknown address or a wrong command is refused with a message', async () => {
    await expect(cli('disable', '--email', 'nobody@nowhere.example')).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('no account') });
    await expect(cli('delete', '--email', 'host@jobcenter.example')).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('usage') });
  });
});
