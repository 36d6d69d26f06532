// Request bodies are bounded before they are read: JSON at 1 MiB, file imports at 5 MB, with or
// without a Content-Length (chunked bodies are counted as they arrive).
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_BODY_BYTES } from '../../realtime/http/app.ts';
import { MAX_UPLOAD_BYTES } from '../../realtime/results/tabular.ts';
import { startTestServer, type TestServer } from '../helpers/server.ts';

/** POSTs over node:http, reading the answer even when the server stops reading the body early. */
function postRaw(url: string, headers: Record<string, string>, body: Buffer, chunked = false): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = request(url, { method: 'POST', headers: { ...headers, ...(chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(body.length) }) } });
    req.on('response', (res) => {
      answered = true;
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      res.on('error', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    let sent = 0;
    const pump = () => {
      while (sent < body.length) {
        const chunk = body.subarray(sent, sent + 64 * 1024);
        sent += chunk.length;
        if (!req.write(chunk)) return req.once('drain', pump);
      }
      req.end();
    };
    pump();
  });
}

describe('request body limits', () => {
  let server: TestServer;
  let reports: string;
  beforeAll(async () => {
    server = await startTestServer();
    const provider = await server.ctx.db.selectFrom('network_providers').select('organisation_id').orderBy('position').executeTakeFirstOrThrow();
    reports = `/api/networks/${server.networkId}/providers/${provider.organisation_id}/reports`;
  });
  afterAll(async () => {
    await server?.close();
  });

  it('a JSON body over 1 MiB gets 413 with a clear message, with or without Content-Length', async () => {
    const cookie = await server.as('anna@provider1.example');
    const big = JSON.stringify({ month: '2026-01', reason: 'x'.repeat(MAX_JSON_BODY_BYTES) });
    const sized = await server.api(reports, { method: 'POST', cookie, body: big });
    expect(sized.status).toBe(413);
    expect((await sized.json()).error.message).toMatch(/larger than 1 MiB/);
    // Chunked: the server answers 413 as soon as the count passes the limit, before the body ends.
    const chunked = await postRaw(`${server.url}${reports}`, { cookie, 'content-type': 'application/json' }, Buffer.from(big), true);
    expect(chunked.status).toBe(413);
    // A normal body still passes the limit (and is then validated as usual).
    expect((await server.api(reports, { method: 'POST', cookie, body: JSON.stringify({ month: '2026-01' }) })).status).toBe(422);
  });

  it('an import over 5 MB gets 413; nothing is stored', async () => {
    const cookie = await server.as('anna@provider1.example');
    const before = await server.ctx.db.selectFrom('monthly_reports').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const file = Buffer.from('month\n' + '2026-01\n'.repeat(MAX_UPLOAD_BYTES / 8 + 10));
    for (const chunked of [false, true]) {
      const res = await postRaw(`${server.url}${reports}/import`, { cookie, 'content-type': 'text/csv' }, file, chunked);
      expect([400, 413]).toContain(res.status);
      expect(JSON.parse(res.text).error.message).toMatch(/larger than 5 MB/);
    }
    const after = await server.ctx.db.selectFrom('monthly_reports').select(({ fn }) => fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });
});
