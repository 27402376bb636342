import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import type { TlsOptions } from '../../device/tls-config.js';
import { bypassesProxy } from './http-proxy-config.js';

/**
 * Proxies per protocol and the hosts reached without them: plain http goes to the proxy in
 * absolute form (what every proxy accepts), https through a CONNECT tunnel (an agent).
 */
export interface ProxyRoutes {
  http?: URL;
  https?: https.Agent;
  noproxy: readonly string[];
}

function proxyAuthorization(proxy: URL): Record<string, string> {
  if (!proxy.username && !proxy.password) return {};
  const user = `${decodeURIComponent(proxy.username)}:${decodeURIComponent(proxy.password)}`;
  return { 'Proxy-Authorization': `Basic ${Buffer.from(user).toString('base64')}` };
}

export interface RequestSpec {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** Whole request, connect to last byte. */
  timeoutMs: number;
  followRedirects: boolean;
  maxRedirects: number;
  tls?: TlsOptions;
  /** Keep-alive agents (Node-RED's "persist"); the global agents when absent. */
  agents?: { http: http.Agent; https: https.Agent };
  /** Checked per hop, so that a redirect to a no-proxy host goes direct. */
  proxy?: ProxyRoutes;
  insecureHTTPParser?: boolean;
  /** Hook on each response before redirects are followed: may answer with headers for one more attempt (digest auth). */
  onChallenge?(res: { statusCode: number; headers: IncomingHttpHeaders; url: URL; method: string }): Record<string, string> | undefined;
}

export interface RedirectInfo {
  location: string;
  cookies?: Record<string, unknown>;
}

export interface ResponseData {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The URL of the last response, after redirects. */
  url: string;
  redirectList: RedirectInfo[];
}

/** A failure with Node's error codes (ECONNREFUSED, ETIMEDOUT, ...) kept, so that retries and msg.statusCode can use them. */
export class RequestError extends Error {
  constructor(
    message: string,
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RequestError';
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function once(spec: RequestSpec, url: URL, method: string, headers: Record<string, string>, body: Buffer | undefined, deadline: number) {
  return new Promise<{ statusCode: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
    const secure = url.protocol === 'https:';
    const lib = secure ? https : http;
    const proxied = spec.proxy && !bypassesProxy(url.hostname, spec.proxy.noproxy) ? spec.proxy : undefined;
    const forward = !secure ? proxied?.http : undefined;
    const agent = (secure ? proxied?.https : undefined) ?? (spec.agents ? (secure ? spec.agents.https : spec.agents.http) : undefined);
    const options = {
      method,
      headers,
      ...(agent ? { agent } : {}),
      ...(secure && spec.tls ? spec.tls : {}),
      ...(spec.insecureHTTPParser ? { insecureHTTPParser: true } : {}),
    };
    const req = forward
      ? (forward.protocol === 'https:' ? https : http).request({
          ...options,
          host: forward.hostname,
          port: forward.port || (forward.protocol === 'https:' ? 443 : 80),
          path: url.toString(),
          headers: { ...headers, Host: url.host, ...proxyAuthorization(forward) },
        })
      : lib.request(url, options);
    const remaining = deadline - Date.now();
    const timer = setTimeout(() => req.destroy(new RequestError(`no response from server within ${spec.timeoutMs} ms`, 'ETIMEDOUT')), Math.max(0, remaining));
    req.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(err instanceof RequestError ? err : new RequestError(err.message, err.code ?? 'ERR_REQUEST', { cause: err }));
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(new RequestError(err.message, err.code ?? 'ERR_RESPONSE', { cause: err }));
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ statusCode: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
      });
    });
    req.end(body);
  });
}

/**
 * One HTTP exchange with Node's http/https: the timeout covers the whole exchange including
 * redirects; a 303 (and a 301/302 of a POST, as browsers do) turns into a GET without body;
 * Authorization is dropped when a redirect leaves the host.
 */
export async function sendRequest(spec: RequestSpec, cookiesOf: (setCookie: string[] | undefined) => Record<string, unknown> | undefined): Promise<ResponseData> {
  const deadline = Date.now() + spec.timeoutMs;
  let url = spec.url;
  let method = spec.method;
  let headers = { ...spec.headers };
  let body = spec.body;
  const redirectList: RedirectInfo[] = [];
  let challenged = false;
  for (;;) {
    const res = await once(spec, url, method, headers, body, deadline);
    if (!challenged && spec.onChallenge) {
      const extra = spec.onChallenge({ statusCode: res.statusCode, headers: res.headers, url, method });
      if (extra) {
        challenged = true;
        headers = { ...headers, ...extra };
        continue;
      }
    }
    const location = res.headers.location;
    if (!spec.followRedirects || !REDIRECTS.has(res.statusCode) || !location) return { ...res, url: url.toString(), redirectList };
    if (redirectList.length >= spec.maxRedirects) throw new RequestError(`more than ${spec.maxRedirects} redirects`, 'ERR_TOO_MANY_REDIRECTS');
    const cookies = cookiesOf(res.headers['set-cookie']);
    redirectList.push({ location, ...(cookies ? { cookies } : {}) });
    const next = new URL(location, url);
    if (next.host !== url.host) {
      headers = Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== 'authorization'));
    }
    if (res.statusCode === 303 || ((res.statusCode === 301 || res.statusCode === 302) && method === 'POST')) {
      method = method === 'HEAD' ? 'HEAD' : 'GET';
      body = undefined;
      headers = Object.fromEntries(Object.entries(headers).filter(([k]) => !/^content-(type|length)$/i.test(k)));
    }
    url = next;
  }
}
