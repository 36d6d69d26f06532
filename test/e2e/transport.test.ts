// The built app behind the transport: a page reads the session cookie however odd the domain's other
// cookies are (finding F1), and refuses a form post from the same host under the other scheme (F3).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSeededServerProcess } from '../helpers/process.ts';

type Server = Awaited<ReturnType<typeof startSeededServerProcess>>;
let server: Server;
let session: string;
let networkPage: string;
let userName: string;

beforeAll(async () => {
  server = await startSeededServerProcess();
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'host@jobcenter.example', password: 'samspil-demo' }),
  });
  expect(login.status).toBe(200);
  session = login.headers.get('set-cookie')!.split(';')[0];
  userName = (await login.json()).user.name;
  const list = await (await fetch(`${server.url}/api/networks`, { headers: { cookie: session } })).json();
  networkPage = `/networks/${list.networks[0].id}/meetings`;
}, 90_000);
afterAll(async () => {
  await server?.stop();
});

describe("another site's undecodable cookie next to the session cookie", () => {
  it('a signed-in page renders for the signed-in user, and the session cookie is kept', async () => {
    for (const cookie of [`analytics=50%off; ${session}`, `${session}; analytics=50%off`]) {
      const res = await fetch(server.url + networkPage, { headers: { cookie }, redirect: 'manual' });
      const html = await res.text();
      expect(res.status, cookie).toBe(200);
      expect(html).toContain(userName);
      expect(res.headers.get('set-cookie') ?? '').not.toContain('samspil_session');
    }
  });

  it('a malformed session cookie is no session: the page sends the visitor to sign in', async () => {
    const res = await fetch(server.url + networkPage, { headers: { cookie: 'analytics=50%off; samspil_session=%E0%A4%A' }, redirect: 'manual' });
    await res.arrayBuffer();
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toContain('/login');
  });
});

describe('the same host with another scheme', () => {
  it("is refused a page's form post; the exact own origin gets through", async () => {
    const post = (origin: string) =>
      fetch(`${server.url}/locale`, {
        method: 'POST',
        headers: { cookie: session, origin, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'locale=en&redirectTo=/',
        redirect: 'manual',
      });
    const other = await post(server.url.replace('http://', 'https://'));
    await other.arrayBuffer();
    expect(other.status).toBe(403);
    const own = await post(server.url);
    await own.arrayBuffer();
    expect(own.status).toBe(303);
  });
});
