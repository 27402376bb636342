import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { harnessCatch, runFlow } from '../../../test/flow-harness.js';
import { bypassesProxy, httpProxyNode, proxyFromEnv } from './http-proxy-config.js';
import { httpRequestNode } from './http-request-node.js';

const listen = async (server: net.Server): Promise<number> => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return (server.address() as AddressInfo).port;
};
const stop = (server: http.Server) => {
  server.closeAllConnections();
  return new Promise<void>((r) => server.close(() => r()));
};

/** A forward proxy as a real one behaves: absolute-form requests relayed, CONNECT tunnelled; every hop recorded. */
function startProxy() {
  const seen: { kind: 'forward' | 'connect'; target: string; auth: string | undefined }[] = [];
  const proxy = http.createServer((req, res) => {
    seen.push({ kind: 'forward', target: req.url ?? '', auth: req.headers['proxy-authorization'] });
    const upstream = http.request(req.url ?? '', { method: req.method, headers: { ...req.headers, via: '1.1 test-proxy' } }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  proxy.on('connect', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    seen.push({ kind: 'connect', target: req.url ?? '', auth: req.headers['proxy-authorization'] });
    const [host, port] = (req.url ?? '').split(':');
    const up = net.connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      up.write(head);
      up.pipe(socket);
      socket.pipe(up);
    });
    up.on('error', () => socket.destroy());
    socket.on('error', () => up.destroy());
  });
  return { proxy, seen };
}

let target: http.Server;
let targetUrl = '';
let secure: https.Server;
let secureUrl = '';
let tlsDir = '';
const { proxy, seen } = startProxy();
let proxyUrl = '';

beforeAll(async () => {
  target = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ path: req.url, via: req.headers['via'] ?? null }));
  });
  targetUrl = `http://127.0.0.1:${await listen(target)}`;
  tlsDir = mkdtempSync(join(tmpdir(), 'gridflow-proxy-tls-'));
  const key = join(tlsDir, 'key.pem');
  const cert = join(tlsDir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  secure = https.createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ secure: true, path: req.url }));
  });
  secureUrl = `https://127.0.0.1:${await listen(secure)}`;
  proxyUrl = `http://127.0.0.1:${await listen(proxy)}`;
});
afterAll(async () => {
  await Promise.all([stop(target), stop(secure), stop(proxy)]);
  rmSync(tlsDir, { recursive: true, force: true });
});

const nodes = [httpRequestNode, httpProxyNode, harnessCatch];

async function through(proxyNode: Record<string, unknown> | undefined, url: string, msg: Record<string, unknown> = {}) {
  const flow = [
    ...(proxyNode ? [{ id: 'px', type: 'http proxy', ...proxyNode }] : []),
    { id: 'r', type: 'http request', url, ret: 'obj', ...(proxyNode ? { proxy: 'px' } : {}), wires: [['out']] },
    { id: 'c', type: 'harness-catch', wires: [['caught']] },
  ];
  const h = await runFlow(flow, { nodes, timeoutMs: 5000 });
  try {
    h.send('r', msg);
    const [out] = await h.outputs('out', 1);
    await h.settle();
    return { out, caught: h.received('caught')[0] };
  } finally {
    await h.close();
  }
}

describe('http request through an http proxy', () => {
  it('relays plain requests through the proxy, with its credentials', async () => {
    seen.length = 0;
    const { out } = await through({ url: proxyUrl, credentials: { username: 'ops', password: 'p@ss' } }, `${targetUrl}/a?x=1`);
    expect(out?.payload).toEqual({ path: '/a?x=1', via: '1.1 test-proxy' });
    expect(seen).toEqual([{ kind: 'forward', target: `${targetUrl}/a?x=1`, auth: `Basic ${Buffer.from('ops:p@ss').toString('base64')}` }]);
  });

  it('tunnels https with CONNECT, keeping the TLS options of the request', async () => {
    seen.length = 0;
    const { out, caught } = await through({ url: proxyUrl }, `${secureUrl}/s`, { rejectUnauthorized: false });
    expect(caught).toBeUndefined();
    expect(out?.payload).toEqual({ secure: true, path: '/s' });
    expect(seen.map((s) => s.kind)).toEqual(['connect']);
    expect(seen[0]?.target).toBe(secureUrl.replace('https://', ''));
  });

  it('goes direct to hosts in the no-proxy list', async () => {
    seen.length = 0;
    const { out } = await through({ url: proxyUrl, noproxy: ['127.0.0.1'] }, `${targetUrl}/direct`);
    expect(out?.payload).toEqual({ path: '/direct', via: null });
    expect(seen).toEqual([]);
  });

  it('takes http_proxy from the environment when no proxy node is set', async () => {
    seen.length = 0;
    const saved = process.env['http_proxy'];
    process.env['http_proxy'] = proxyUrl;
    try {
      const { out } = await through(undefined, `${targetUrl}/env`);
      expect(out?.payload).toEqual({ path: '/env', via: '1.1 test-proxy' });
      expect(seen.map((s) => s.target)).toEqual([`${targetUrl}/env`]);
    } finally {
      if (saved === undefined) delete process.env['http_proxy'];
      else process.env['http_proxy'] = saved;
    }
  });

  it('refuses a bad proxy URL and a missing proxy node at deploy, naming them', async () => {
    const user = { id: 'r', type: 'http request', url: targetUrl, proxy: 'px', wires: [] };
    await expect(runFlow([{ id: 'px', type: 'http proxy', url: 'not a url' }, user], { nodes })).rejects.toThrow(/proxy URL "not a url" is not a URL/);
    await expect(runFlow([{ id: 'px', type: 'http proxy', url: 'socks5://proxy.local:1080' }, user], { nodes })).rejects.toThrow(/http:\/\/ or https:\/\//);
    // A reference to a proxy node that is not there fails that node when it starts, as in Node-RED.
    const h = await runFlow([{ id: 'r', type: 'http request', url: targetUrl, proxy: 'nope', wires: [] }], { nodes });
    try {
      expect(h.logs.find((l) => l.id === 'r' && l.level === 'error')?.message).toMatch(/failed to start: .*http proxy "nope" is missing/);
    } finally {
      await h.close();
    }
  });
});

describe('proxy helpers', () => {
  it('matches no-proxy entries as curl does', () => {
    expect(bypassesProxy('api.example.com', ['example.com'])).toBe(true);
    expect(bypassesProxy('example.com', ['.example.com'])).toBe(true);
    expect(bypassesProxy('a.b.example.com', ['*.example.com'])).toBe(true);
    expect(bypassesProxy('notexample.com', ['example.com'])).toBe(false);
    expect(bypassesProxy('anything', ['*'])).toBe(true);
    expect(bypassesProxy('10.0.0.1', ['10.0.0.1:8080'])).toBe(true);
    expect(bypassesProxy('host', [' ', ''])).toBe(false);
  });

  it('reads https_proxy for https and falls back to http_proxy', () => {
    expect(proxyFromEnv({ http_proxy: 'http://p:1' }, true)?.proxy).toBe('http://p:1');
    expect(proxyFromEnv({ HTTPS_PROXY: 'http://s:2', http_proxy: 'http://p:1' }, true)?.proxy).toBe('http://s:2');
    expect(proxyFromEnv({ https_proxy: 'http://s:2' }, false)).toBeUndefined();
    expect(proxyFromEnv({ http_proxy: 'http://p:1', no_proxy: 'a,b' }, false)?.noproxy).toEqual(['a', 'b']);
  });
});
