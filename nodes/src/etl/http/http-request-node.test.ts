import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tlsConfigNode } from '../../device/tls-config.js';
import { harnessCatch, runFlow } from '../../../test/flow-harness.js';
import { httpRequestNode, retryWait } from './http-request-node.js';
import { digestHeader, headerHash, parseSetCookies } from './request-parts.js';

type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

let server: http.Server;
let base: string;
const routes = new Map<string, Handler>();
const hits = new Map<string, number>();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0] as string;
      hits.set(path, (hits.get(path) ?? 0) + 1);
      const handler = routes.get(path);
      if (!handler) {
        res.statusCode = 404;
        return res.end('not found');
      }
      handler(req, res, Buffer.concat(chunks).toString());
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const nodes = [httpRequestNode, harnessCatch];
const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

async function request(node: Record<string, unknown>, msg: Record<string, unknown> = {}, wantError = false) {
  const h = await runFlow([{ id: 'r', type: 'http request', ...node, wires: [['out']] }, { id: 'c', type: 'harness-catch', wires: [['caught']] }], { nodes, timeoutMs: 5000 });
  try {
    h.send('r', msg);
    if (wantError) {
      const [caught] = await h.outputs('caught', 1);
      await h.settle();
      return { out: h.received('out')[0], caught };
    }
    const [out] = await h.outputs('out', 1);
    return { out, caught: h.received('caught')[0] };
  } finally {
    await h.close();
  }
}

describe('http request', () => {
  it('GETs text, echoes query parameters from the payload, and returns Node-RED\'s response properties', async () => {
    routes.set('/echo', (req, res) => json(res, 200, { url: req.url, method: req.method, h: req.headers['x-a'] }, { 'set-cookie': 'sid=abc; Path=/; HttpOnly' }));
    const { out } = await request({ method: 'GET', url: `${base}/echo`, ret: 'obj', paytoqs: 'query', headers: [{ keyType: 'other', keyValue: 'X-A', valueType: 'msg', valueValue: 'topic' }] }, { payload: { q: 'a b', n: 1 }, topic: 'hello' });
    expect(out?.payload).toEqual({ url: '/echo?q=a%20b&n=1', method: 'GET', h: 'hello' });
    expect(out?.['statusCode']).toBe(200);
    expect(out?.['responseUrl']).toBe(`${base}/echo?q=a%20b&n=1`);
    expect(out?.['retry']).toBe(0);
    expect(out?.['responseCookies']).toEqual({ sid: { value: 'abc', Path: '/', HttpOnly: '' } });
    expect((out?.['headers'] as Record<string, string>)['content-type']).toBe('application/json');
  });

  it('POSTs an object as JSON, takes msg.method and msg.url when the node leaves them open, and returns a Buffer', async () => {
    routes.set('/post', (req, res, body) => {
      res.writeHead(201, { 'content-type': 'text/plain' });
      res.end(`${req.method} ${req.headers['content-type'] ?? ''} ${body}`);
    });
    const { out } = await request({ method: 'use', url: '', ret: 'bin' }, { url: `${base}/post`, method: 'put', payload: { a: 1 } });
    expect(Buffer.isBuffer(out?.payload)).toBe(true);
    expect(String(out?.payload)).toBe('PUT application/json {"a":1}');
    expect(out?.['statusCode']).toBe(201);
  });

  it('sends basic and bearer credentials, and answers a digest challenge', async () => {
    routes.set('/auth', (req, res) => json(res, 200, { auth: req.headers.authorization }));
    const basic = await request({ url: `${base}/auth`, ret: 'obj', useAuth: true, authType: 'basic', credentials: { user: 'ada', password: 'pw' } });
    expect(basic.out?.payload).toEqual({ auth: `Basic ${Buffer.from('ada:pw').toString('base64')}` });
    const bearer = await request({ url: `${base}/auth`, ret: 'obj', useAuth: true, authType: 'bearer', credentials: { password: 'tok123' } });
    expect(bearer.out?.payload).toEqual({ auth: 'Bearer tok123' });

    routes.set('/digest', (req, res) => {
      const auth = req.headers.authorization ?? '';
      if (!auth.startsWith('Digest ')) {
        res.writeHead(401, { 'www-authenticate': 'Digest realm="r", qop="auth", nonce="n1", opaque="o"' });
        return res.end();
      }
      const f = Object.fromEntries([...auth.slice(7).matchAll(/(\w+)="?([^",]*)"?/g)].map((m) => [m[1], m[2]]));
      const md5 = (s: string) => createHash('md5').update(s).digest('hex');
      const expected = md5(`${md5('ada:r:pw')}:n1:${f['nc']}:${f['cnonce']}:auth:${md5(`GET:/digest`)}`);
      json(res, f['response'] === expected ? 200 : 403, { ok: f['response'] === expected });
    });
    const digest = await request({ url: `${base}/digest`, ret: 'obj', useAuth: true, authType: 'digest', credentials: { user: 'ada', password: 'pw' } });
    expect(digest.out?.payload).toEqual({ ok: true });
    expect(digest.out?.['statusCode']).toBe(200);
  });

  it('retries a 503 and a dropped connection, then succeeds, counting the attempts in msg.retry', async () => {
    let calls = 0;
    routes.set('/flaky', (req, res) => {
      calls++;
      if (calls === 1) return json(res, 503, { busy: true });
      if (calls === 2) return req.socket.destroy();
      json(res, 200, { calls });
    });
    const { out } = await request({ url: `${base}/flaky`, ret: 'obj', retries: 3, retryDelay: 10 });
    expect(out?.payload).toEqual({ calls: 3 });
    expect(out?.['retry']).toBe(2);
  });

  it('gives up after the retries with the last status, without retrying a 4xx', async () => {
    routes.set('/down', (_req, res) => json(res, 502, { down: true }));
    hits.delete('/down');
    const { out } = await request({ url: `${base}/down`, ret: 'obj', retries: 2, retryDelay: 5 });
    expect(out?.['statusCode']).toBe(502);
    expect(hits.get('/down')).toBe(3);
    hits.delete('/missing');
    const missing = await request({ url: `${base}/missing`, retries: 3, retryDelay: 5 });
    expect(missing.out?.['statusCode']).toBe(404);
    expect(hits.get('/missing')).toBe(1);
  });

  it('times out a slow server: the error goes to catch and the message on, with statusCode ETIMEDOUT', async () => {
    routes.set('/slow', (_req, res) => setTimeout(() => json(res, 200, {}), 2000).unref());
    const started = Date.now();
    const { out, caught } = await request({ url: `${base}/slow` }, { requestTimeout: 150 }, true);
    expect(Date.now() - started).toBeLessThan(1500);
    expect((caught?.['error'] as { message: string }).message).toContain('no response from server');
    expect(out?.['statusCode']).toBe('ETIMEDOUT');
  });

  it('reports a refused connection, and with senderr only to catch', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const { out, caught } = await request({ url: `http://127.0.0.1:${port}/x`, senderr: true }, {}, true);
    expect((caught?.['error'] as { message: string }).message).toContain('ECONNREFUSED');
    expect(out).toBeUndefined();
  });

  it('follows redirects (a 303 turns into a GET) and lists them', async () => {
    routes.set('/from', (_req, res) => {
      res.writeHead(303, { location: '/to', 'set-cookie': 'a=1' });
      res.end();
    });
    routes.set('/to', (req, res) => json(res, 200, { method: req.method }));
    const { out } = await request({ method: 'POST', url: `${base}/from`, ret: 'obj' }, { payload: 'x' });
    expect(out?.payload).toEqual({ method: 'GET' });
    expect(out?.['redirectList']).toEqual([{ location: '/to', cookies: { a: { value: '1' } } }]);
    const notFollowed = await request({ url: `${base}/from` }, { followRedirects: false });
    expect(notFollowed.out?.['statusCode']).toBe(303);
  });

  it('does not send back the headers of a response it passes on', async () => {
    routes.set('/headers', (req, res) => json(res, 200, { ct: req.headers['content-type'] ?? null, server: req.headers['x-powered'] ?? null }, { 'x-powered': 'test' }));
    const h = await runFlow(
      [
        { id: 'a', type: 'http request', url: `${base}/headers`, ret: 'obj', wires: [['b']] },
        { id: 'b', type: 'http request', url: `${base}/headers`, ret: 'obj', wires: [['out']] },
      ],
      { nodes },
    );
    try {
      h.send('a', {});
      const [out] = await h.outputs('out', 1);
      expect(out?.payload).toEqual({ ct: null, server: null });
    } finally {
      await h.close();
    }
  });

  it('refuses a non-HTTP URL at deploy', async () => {
    await expect(runFlow([{ id: 'r', type: 'http request', url: 'ftp://x/y', wires: [] }], { nodes })).rejects.toThrow(/only http:\/\/ and https:\/\//);
  });

  it('sends multipart/form-data as Node-RED does: fields, files with name and type, objects as JSON', async () => {
    routes.set('/upload', (req, res, body) => json(res, 200, { type: req.headers['content-type'], body }));
    const payload = { note: 'hello', count: { n: 2 }, skipped: null, file: { value: Buffer.from('a,b\n1,2\n'), options: { filename: 'data.csv', contentType: 'text/csv' } } };
    const { out } = await request({ method: 'POST', url: `${base}/upload`, ret: 'obj', headers: [{ keyType: 'Content-Type', keyValue: '', valueType: 'multipart/form-data', valueValue: '' }] }, { payload });
    const got = out?.payload as { type: string; body: string };
    expect(got.type).toMatch(/^multipart\/form-data; boundary=/);
    // Read back with the platform's own multipart parser.
    const form = await new Response(got.body, { headers: { 'content-type': got.type } }).formData();
    expect(form.get('note')).toBe('hello');
    expect(form.get('count')).toBe('{"n":2}');
    expect(form.has('skipped')).toBe(false);
    const file = form.get('file') as File;
    expect(file.name).toBe('data.csv');
    expect(file.type).toBe('text/csv');
    expect(await file.text()).toBe('a,b\n1,2\n');
  });
});

describe('http request over TLS', () => {
  it('refuses a self-signed server, trusts it through a tls-config CA, or with msg.rejectUnauthorized false', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gridflow-tls-'));
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost'], { stdio: 'ignore' });
    const server = https.createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (_req, res) => json(res, 200, { secure: true }));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const tlsNodes = [httpRequestNode, harnessCatch, tlsConfigNode];
    const run = async (node: Record<string, unknown>, msg: Record<string, unknown> = {}) => {
      const h = await runFlow(
        [{ id: 'tls', type: 'tls-config', ca: cert, verifyservercert: true }, { id: 'r', type: 'http request', ret: 'obj', ...node, wires: [['out']] }, { id: 'c', type: 'harness-catch', wires: [['caught']] }],
        { nodes: tlsNodes, timeoutMs: 5000 },
      );
      try {
        h.send('r', msg);
        const [out] = await h.outputs('out', 1);
        await h.settle();
        return { out, caught: h.received('caught')[0] };
      } finally {
        await h.close();
      }
    };
    try {
      const plain = await run({ url });
      expect((plain.caught?.['error'] as { message: string }).message).toMatch(/self.signed|SELF_SIGNED/i);
      expect((await run({ url, tls: 'tls' })).out?.payload).toEqual({ secure: true });
      expect((await run({ url }, { rejectUnauthorized: false })).out?.payload).toEqual({ secure: true });
      // Without a scheme, a node with a tls-config goes to https.
      expect((await run({ url: url.replace('https://', ''), tls: 'tls' })).out?.payload).toEqual({ secure: true });
    } finally {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('http request helpers', () => {
  it('waits per Retry-After when given, else doubles the delay', () => {
    expect(retryWait(100, 0)).toBe(100);
    expect(retryWait(100, 3)).toBe(800);
    expect(retryWait(100, 3, '2')).toBe(2000);
    expect(retryWait(100, 1, 'Wed, 21 Oct 2015 07:28:00 GMT')).toBe(200);
  });

  it('hashes headers independently of key order and of the marker', () => {
    expect(headerHash({ a: '1', b: '2' })).toBe(headerHash({ b: '2', a: '1', 'x-node-red-request-node': 'zz' }));
    expect(headerHash({ a: '1' })).not.toBe(headerHash({ a: '2' }));
  });

  it('parses Set-Cookie lines and builds digest answers only for digest challenges', () => {
    expect(parseSetCookies(['k=v%20w; Max-Age=10', 'bad'])).toEqual({ k: { value: 'v w', 'Max-Age': '10' } });
    expect(digestHeader('u', 'p', 'GET', '/', 'Basic realm="x"')).toBeUndefined();
    expect(digestHeader('u', 'p', 'GET', '/', 'Digest realm="x", nonce="n"')).toMatch(/^Digest username="u", realm="x", nonce="n", uri="\/"/);
  });
});
