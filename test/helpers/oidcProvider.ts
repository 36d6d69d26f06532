// A real OpenID provider (panva's oidc-provider, OpenID-certified) on a free loopback port, with a
// client for Samspil and a few people, signing in through its built-in login form that tests submit
// with plain HTTP. In front of it a small pass-through proxy can replace the ID token in the token
// endpoint's answer, so tests can hand Samspil a token with another key, `alg: none`, or wrong claims.
import { createSign, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

export interface Person {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
}

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The provider's own signing key (its JWKS publishes the public half). */
  signingKey: KeyObject;
  signingKid: string;
  people: Map<string, Person>;
  /** Replaces the ID token in the next token answers while set (gets the real one's header and claims). */
  rewriteIdToken: ((header: Record<string, unknown>, claims: Record<string, unknown>) => string) | null;
  /** Seconds an authorization code lives (oidc-provider's default is 60). */
  codeTtlSeconds: number;
  close(): Promise<void>;
}

/** A JWT signed RS256 with `key` (or unsigned with alg none): tests forge tokens with it. */
export function signJwt(header: Record<string, unknown>, claims: Record<string, unknown>, key: KeyObject | null): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${part(header)}.${part(claims)}`;
  if (!key) return `${input}.`;
  return `${input}.${createSign('RSA-SHA256').update(input).sign(key).toString('base64url')}`;
}

export const decodeJwt = (jwt: string) => {
  const [h, c] = jwt.split('.');
  return { header: JSON.parse(Buffer.from(h, 'base64url').toString()), claims: JSON.parse(Buffer.from(c, 'base64url').toString()) };
};

export async function startOidcProvider(options: {
  people: Person[];
  /** Samspil's base URL, for the redirect and post-logout URIs. */
  samspilUrl: string;
  /** Serve the issuer over TLS with this certificate (the proxy does; the provider behind it stays local). */
  tls?: { key: string; cert: string };
  /** Also register client `samspil-key`, authenticating with private_key_jwt under this public key. */
  clientPublicJwk?: Record<string, unknown>;
}): Promise<TestProvider> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingKid = 'test-key-1';
  const jwk = { ...(privateKey.export({ format: 'jwk' }) as Record<string, unknown>), kid: signingKid, alg: 'RS256', use: 'sig' };

  // The proxy first: its address is the issuer.
  const front: Server = options.tls ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }) : createServer();
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  const frontPort = (front.address() as AddressInfo).port;
  const issuer = `${options.tls ? 'https' : 'http'}://127.0.0.1:${frontPort}`;

  const people = new Map(options.people.map((p) => [p.sub, p]));
  const state = {
    rewriteIdToken: null as TestProvider['rewriteIdToken'],
    codeTtlSeconds: 60,
  };
  const clientId = 'samspil';
  const clientSecret = 'a-client-secret-long-enough-for-hs256-0123456789';
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [`${options.samspilUrl}/auth/oidc/callback`],
        post_logout_redirect_uris: [`${options.samspilUrl}/login`],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
      ...(options.clientPublicJwk
        ? [
            {
              client_id: 'samspil-key',
              token_endpoint_auth_method: 'private_key_jwt',
              jwks: { keys: [options.clientPublicJwk] },
              redirect_uris: [`${options.samspilUrl}/auth/oidc/callback`],
              grant_types: ['authorization_code'],
              response_types: ['code'],
            },
          ]
        : []),
      // Another relying party at the same provider: its tokens must not open Samspil.
      { client_id: 'other-app', client_secret: 'another-secret-0123456789-0123456789', redirect_uris: ['http://127.0.0.1:9/cb'], grant_types: ['authorization_code'], response_types: ['code'] },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: ['test-cookie-key-0123456789'] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    findAccount: (_ctx: unknown, sub: string) => {
      const person = people.get(sub);
      if (!person) return undefined;
      return { accountId: sub, claims: async () => ({ ...person }) };
    },
    pkce: { required: () => true },
    ttl: { AuthorizationCode: () => state.codeTtlSeconds },
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  });
  provider.proxy = true;
  const inner = createServer(provider.callback());
  await new Promise<void>((resolve) => inner.listen(0, '127.0.0.1', resolve));
  const innerPort = (inner.address() as AddressInfo).port;

  front.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const headers = { ...req.headers, 'x-forwarded-proto': options.tls ? 'https' : 'http', 'x-forwarded-host': req.headers.host ?? '' };
    const upstream = httpRequest({ host: '127.0.0.1', port: innerPort, method: req.method, path: req.url, headers }, (answer) => {
      const rewrite = state.rewriteIdToken;
      if (!rewrite || !(req.url ?? '').startsWith('/token') || answer.statusCode !== 200) {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        return;
      }
      const chunks: Buffer[] = [];
      answer.on('data', (c: Buffer) => chunks.push(c));
      answer.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString()) as { id_token: string };
        const real = decodeJwt(body.id_token);
        const text = JSON.stringify({ ...body, id_token: rewrite(real.header, real.claims) });
        const { 'content-length': _length, ...rest } = answer.headers;
        res.writeHead(200, { ...rest, 'content-length': Buffer.byteLength(text) });
        res.end(text);
      });
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });

  return {
    issuer,
    clientId,
    clientSecret,
    signingKey: privateKey,
    signingKid,
    people,
    get rewriteIdToken() {
      return state.rewriteIdToken;
    },
    set rewriteIdToken(fn) {
      state.rewriteIdToken = fn;
    },
    get codeTtlSeconds() {
      return state.codeTtlSeconds;
    },
    set codeTtlSeconds(s) {
      state.codeTtlSeconds = s;
    },
    async close() {
      front.closeAllConnections?.();
      inner.closeAllConnections();
      await Promise.all([new Promise((r) => front.close(r)), new Promise((r) => inner.close(r))]);
    },
  };
}

// ---------------------------------------------------------------- a browser, as far as redirects and cookies go

interface StoredCookie {
  value: string;
  path: string;
}

/** A cookie jar per host name (ports share cookies, as in browsers) following redirects by hand. */
export class Browser {
  /** `fetchImpl`: e.g. httpsFetch(ca) for a provider whose certificate the test made. */
  constructor(private readonly fetchImpl: typeof fetch = fetch) {}

  private jar = new Map<string, Map<string, StoredCookie>>();
  /** Every URL visited, in order. */
  visited: string[] = [];

  cookie(host: string, name: string): string | undefined {
    return this.jar.get(host)?.get(name)?.value;
  }

  setCookie(host: string, name: string, value: string, path = '/'): void {
    if (!this.jar.has(host)) this.jar.set(host, new Map());
    this.jar.get(host)!.set(name, { value, path });
  }

  deleteCookie(host: string, name: string): void {
    this.jar.get(host)?.delete(name);
  }

  private cookieHeader(url: URL): string {
    const cookies = this.jar.get(url.hostname);
    if (!cookies) return '';
    return [...cookies.entries()]
      .filter(([, c]) => url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : c.path + '/'))
      .map(([n, c]) => `${n}=${c.value}`)
      .join('; ');
  }

  private store(url: URL, res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';').map((s) => s.trim());
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const path = attrs.find((a) => a.toLowerCase().startsWith('path='))?.slice(5) ?? '/';
      const maxAge = attrs.find((a) => a.toLowerCase().startsWith('max-age='));
      const expires = attrs.find((a) => a.toLowerCase().startsWith('expires='));
      const gone = (maxAge && Number(maxAge.slice(8)) <= 0) || (expires && Date.parse(expires.slice(8)) <= Date.now()) || value === '';
      if (gone) this.deleteCookie(url.hostname, name);
      else this.setCookie(url.hostname, name, value, path);
    }
  }

  /** One request, no redirect followed. */
  async request(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const target = new URL(url);
    this.visited.push(target.href);
    const headers: Record<string, string> = { 'accept-language': 'da' };
    const cookie = this.cookieHeader(target);
    if (cookie) headers.cookie = cookie;
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const res = await this.fetchImpl(target, { method: init.method ?? (body ? 'POST' : 'GET'), headers, body, redirect: 'manual' });
    this.store(target, res);
    return res;
  }

  /** Follows redirects until a page answers (or `stopAt` matches the next URL, which is returned unvisited). */
  async follow(url: string, init: { method?: string; form?: Record<string, string>; stopAt?: (next: URL) => boolean } = {}): Promise<{ res: Response; url: string }> {
    let res = await this.request(url, init);
    let current = url;
    for (let hops = 0; hops < 20 && res.status >= 300 && res.status < 400; hops++) {
      const next = new URL(res.headers.get('location')!, current);
      if (init.stopAt?.(next)) return { res, url: next.href };
      await res.arrayBuffer();
      current = next.href;
      res = await this.request(current);
    }
    return { res, url: current };
  }
}

/** Submits the provider's own forms (login, then consent) as the person `sub`; returns the redirect back to Samspil. */
export async function signInAtProvider(browser: Browser, interactionUrl: string, sub: string, samspilUrl: string): Promise<string> {
  let url = interactionUrl;
  for (let step = 0; step < 4; step++) {
    const page = await browser.request(url);
    const html = await page.text();
    const action = html.match(/<form[^>]*action="([^"]+)"/)?.[1];
    const prompt = html.match(/name="prompt" value="([^"]+)"/)?.[1];
    if (!action || !prompt) throw new Error(`no form at ${url}: ${page.status} ${html.slice(0, 300)}`);
    const form: Record<string, string> = prompt === 'login' ? { prompt, login: sub, password: 'any' } : { prompt };
    const after = await browser.follow(new URL(action.replace(/&amp;/g, '&'), url).href, { form, stopAt: (next) => next.href.startsWith(samspilUrl) || next.pathname.startsWith('/interaction/') });
    if (after.url.startsWith(samspilUrl)) return after.url;
    if (!new URL(after.url).pathname.startsWith('/interaction/')) throw new Error(`unexpected stop at ${after.url}: ${after.res.status}`);
    url = after.url;
  }
  throw new Error('the provider kept asking');
}

/** fetch for tests, over node:https trusting `ca` (a certificate made by the test) as well as plain http. */
export function httpsFetch(ca: string): typeof fetch {
  return (async (input: string | URL | Request, init: RequestInit = {}) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    if (url.protocol !== 'https:') return fetch(url, init);
    const headers = Object.fromEntries(new Headers(init.headers).entries());
    return new Promise<Response>((resolve, reject) => {
      const req = httpsRequest(url, { method: init.method ?? 'GET', headers, ca }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const answer = new Headers();
          for (const [name, value] of Object.entries(res.headers)) for (const v of [value ?? []].flat()) answer.append(name, v);
          const status = res.statusCode ?? 502;
          resolve(new Response(status === 204 || status === 304 ? null : Buffer.concat(chunks), { status, headers: answer }));
        });
      });
      req.on('error', reject);
      req.end(typeof init.body === 'string' ? init.body : undefined);
    });
  }) as typeof fetch;
}
