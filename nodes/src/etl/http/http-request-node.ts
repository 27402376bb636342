import http from 'node:http';
import https from 'node:https';
import { stringify as toQuery } from 'node:querystring';
import Mustache from 'mustache';
import { defineNode, type Done, type Msg, type NodeContext, type NodeHandlers, type Send } from '@gridflow/runtime';
import type { TlsConfigApi } from '../../device/tls-config.js';
import { jobHandle } from '../services.js';
import { httpRequestConfig, type HttpRequestConfig } from './http-request-config.js';
import { proxyFromEnv, tunnelAgent, type HttpProxyApi } from './http-proxy-config.js';
import { addCookies, digestHeader, parseSetCookies, requestBody, requestHeaders, responseHeaders, setHeader } from './request-parts.js';
import { RequestError, sendRequest, type ProxyRoutes, type RequestSpec, type ResponseData } from './send-request.js';

/** Statuses worth another attempt: rate limited, or the server (or a gateway before it) failed. */
export const retryableStatus = (status: number) => status === 429 || status >= 500;

/** The wait before attempt `n + 1`: the server's Retry-After (seconds) when it gave one, else the delay doubled per attempt. */
export function retryWait(base: number, n: number, retryAfter?: string | string[]): number {
  const header = Array.isArray(retryAfter) ? retryAfter[0] : retryAfter;
  const seconds = header !== undefined && /^\d+$/.test(header.trim()) ? Number(header) : undefined;
  if (seconds !== undefined) return Math.min(seconds * 1000, 600_000);
  return Math.min(base * 2 ** n, 600_000);
}

/** The proxy config node's route, else the environment's (per protocol, as Node-RED reads them). */
async function proxyOf(ctx: NodeContext, c: HttpRequestConfig, where: string): Promise<ProxyRoutes | undefined> {
  if (c.proxy) {
    const node = ctx.configNode<HttpProxyApi>(c.proxy);
    if (!node) throw new Error(`${where}: http proxy "${c.proxy}" is missing or did not start`);
    const route = node.route();
    return { http: new URL(route.proxy), https: await tunnelAgent(route.proxy), noproxy: route.noproxy };
  }
  const plain = proxyFromEnv(process.env, false);
  const secure = proxyFromEnv(process.env, true);
  if (!plain && !secure) return undefined;
  try {
    return {
      ...(plain ? { http: new URL(plain.proxy) } : {}),
      ...(secure ? { https: await tunnelAgent(secure.proxy) } : {}),
      noproxy: (secure ?? plain)?.noproxy ?? [],
    };
  } catch {
    throw new Error(`${where}: the proxy in the environment (http_proxy / https_proxy) is not a URL`);
  }
}

async function createHttpRequest(ctx: NodeContext, c: HttpRequestConfig): Promise<NodeHandlers> {
  const where = `http request ${ctx.id}`;
  const tlsNode = c.tls ? ctx.configNode<TlsConfigApi>(c.tls) : undefined;
  if (c.tls && !tlsNode) throw new Error(`${where}: TLS config "${c.tls}" is missing or did not start`);
  const proxy = await proxyOf(ctx, c, where);
  const agents = c.persist ? { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) } : undefined;
  const templated = c.url.includes('{{');
  let active = 0;
  let closed = false;

  const fail = (text: string) => ctx.status({ fill: 'red', shape: 'ring', text });

  function target(msg: Msg): string | undefined {
    const fromMsg = typeof msg['url'] === 'string' ? msg['url'] : undefined;
    if (fromMsg && c.url && fromMsg !== c.url) ctx.warn(`${where}: msg.url is ignored: the node's URL is set`);
    let url = templated ? Mustache.render(c.url, msg) : c.url || fromMsg;
    if (!url) return undefined;
    if (!/^https?:\/\//i.test(url)) {
      if (url.includes('://')) throw new RequestError(`only http:// and https:// URLs are supported, not "${url}"`, 'ERR_INVALID_PROTOCOL');
      url = `${tlsNode ? 'https' : 'http'}://${url}`;
    }
    return url;
  }

  function methodOf(msg: Msg): string {
    const fromMsg = typeof msg['method'] === 'string' ? msg['method'].toUpperCase() : undefined;
    if (c.method === 'use') return fromMsg ?? 'GET';
    if (fromMsg && fromMsg !== c.method) ctx.warn(`${where}: msg.method is ignored: set the node's method to "- set by msg.method -" to use it`);
    return c.method;
  }

  function spec(msg: Msg, rawUrl: string): RequestSpec {
    const method = methodOf(msg);
    const headers = requestHeaders(msg, c.headers);
    addCookies(headers, msg['cookies']);
    let url = new URL(rawUrl);
    let body: Buffer | undefined;
    if (method !== 'GET' && method !== 'HEAD') body = requestBody(msg.payload, headers);
    else if (msg.payload !== undefined && msg.payload !== null && c.paytoqs === 'query') {
      if (typeof msg.payload !== 'object') throw new RequestError('msg.payload must be an object to be sent as query parameters', 'ERR_INVALID_PAYLOAD');
      const query = toQuery(msg.payload as Record<string, string>);
      url = new URL(`${rawUrl}${rawUrl.includes('?') ? (rawUrl.endsWith('?') ? '' : '&') : '?'}${query}`);
    } else if (msg.payload !== undefined && c.paytoqs === 'body') body = requestBody(msg.payload, headers);

    const user = c.credentials.user || decodeURIComponent(url.username);
    const password = c.credentials.password || decodeURIComponent(url.password);
    url.username = '';
    url.password = '';
    let onChallenge: RequestSpec['onChallenge'];
    if (c.useAuth || user || password) {
      if (c.authType === 'bearer') setHeader(headers, 'Authorization', `Bearer ${password}`);
      else if (c.authType === 'basic') setHeader(headers, 'Authorization', `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`);
      else {
        onChallenge = (res) => {
          const challenge = res.headers['www-authenticate'];
          if (res.statusCode !== 401 || typeof challenge !== 'string') return undefined;
          const value = digestHeader(user, password, res.method, `${res.url.pathname}${res.url.search}`, challenge);
          return value ? { Authorization: value } : undefined;
        };
      }
    }
    const requestTimeout = msg['requestTimeout'];
    let timeoutMs = c.timeout * 1000;
    if (requestTimeout !== undefined) {
      const n = Number(requestTimeout);
      if (Number.isFinite(n) && n >= 1) timeoutMs = n;
      else ctx.warn(`${where}: msg.requestTimeout must be a number of milliseconds of at least 1`);
    }
    let tls = tlsNode?.options();
    const reject = msg['rejectUnauthorized'];
    if (!tls && (typeof reject === 'boolean' || reject === 'true' || reject === 'false')) tls = { rejectUnauthorized: reject === true || reject === 'true' };
    return {
      url,
      method,
      headers,
      ...(body ? { body } : {}),
      timeoutMs,
      followRedirects: msg['followRedirects'] === undefined ? true : Boolean(msg['followRedirects']),
      maxRedirects: 21,
      ...(tls ? { tls } : {}),
      ...(agents ? { agents } : {}),
      ...(proxy ? { proxy } : {}),
      insecureHTTPParser: c.insecureHTTPParser,
      ...(onChallenge ? { onChallenge } : {}),
    };
  }

  async function exchange(s: RequestSpec): Promise<{ res: ResponseData; retry: number }> {
    for (let n = 0; ; n++) {
      const last = n >= c.retries || closed;
      try {
        const res = await sendRequest(s, parseSetCookies);
        if (last || !retryableStatus(res.statusCode)) return { res, retry: n };
        ctx.status({ fill: 'yellow', shape: 'ring', text: `retry ${n + 1}: ${res.statusCode}` });
        await sleep(retryWait(c.retryDelay, n, res.headers['retry-after']));
      } catch (err) {
        if (last) throw err;
        ctx.status({ fill: 'yellow', shape: 'ring', text: `retry ${n + 1}: ${(err as RequestError).code ?? 'error'}` });
        await sleep(retryWait(c.retryDelay, n));
      }
    }
  }

  return {
    async input(msg: Msg, send: Send, done: Done) {
      const job = jobHandle(ctx, msg);
      let url: string | undefined;
      try {
        url = target(msg);
        if (!url) {
          ctx.error(new Error(`${where}: no URL: set the node's URL or msg.url`), msg);
          return done();
        }
        active++;
        ctx.status({ fill: 'blue', shape: 'dot', text: 'requesting' });
        const { res, retry } = await exchange(spec(msg, url));
        msg['statusCode'] = res.statusCode;
        msg['headers'] = responseHeaders(res.headers);
        msg['responseUrl'] = res.url;
        msg['redirectList'] = res.redirectList;
        msg['retry'] = retry;
        const cookies = parseSetCookies(res.headers['set-cookie']);
        if (cookies) msg['responseCookies'] = cookies;
        let payload: unknown = res.body;
        if (c.ret !== 'bin') {
          payload = res.body.toString('utf8');
          if (c.ret === 'obj') {
            try {
              payload = JSON.parse(res.statusCode === 204 ? '{}' : (payload as string));
            } catch {
              // Node-RED's behaviour: the text goes on, with a warning naming why.
              ctx.warn(`${where}: the response of ${res.url} is not JSON; msg.payload is its text`);
            }
          }
        }
        msg.payload = payload;
        job.read(Array.isArray(payload) ? payload.length : 1, { message: `${res.statusCode} ${res.url}` });
        if (--active === 0) ctx.status({});
        send(msg);
        done();
      } catch (err) {
        active = Math.max(0, active - 1);
        const e = err as RequestError;
        const timedOut = e.code === 'ETIMEDOUT';
        const message = timedOut ? `${where}: no response from server: ${url ?? ''} (${e.message})` : `${where}: ${e.message}${url ? ` : ${url}` : ''}`;
        fail(timedOut ? 'no response from server' : (e.code ?? 'error'));
        job.problem(message);
        msg.payload = `${String(err)} : ${url ?? ''}`;
        msg['statusCode'] = e.code;
        ctx.error(new Error(message, { cause: err }), msg);
        if (!c.senderr) send(msg);
        done();
      }
    },
    close() {
      closed = true;
      agents?.http.destroy();
      agents?.https.destroy();
      proxy?.https?.destroy();
      ctx.status({});
    },
  };
}

const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms).unref();
  });

export const httpRequestNode = defineNode({
  type: 'http request',
  version: 1,
  category: 'etl',
  inputs: 1,
  outputs: 1,
  config: httpRequestConfig,
  label: 'http request',
  paletteLabel: 'http request',
  icon: 'white-globe.svg',
  color: 'rgb(231, 231, 174)',
  outputLabels: ['response'],
  create: createHttpRequest,
  help: `Sends an HTTP request and sends the response on, as Node-RED's **http request** does.

**URL**: the node's, with \`{{mustache}}\` placeholders from the message, else \`msg.url\`.
**Method**: the node's, or \`msg.method\` when set to *use*. **Headers**: \`msg.headers\` and the
node's rows. **Auth**: basic, digest or bearer (the password field holds the token). **TLS**: a
*tls-config*, or \`msg.rejectUnauthorized\`. **Proxy**: an *http proxy* config node, else the
environment's http_proxy / https_proxy / no_proxy. **Body**: \`msg.payload\` (objects as JSON, as a
form with content-type application/x-www-form-urlencoded, or as multipart/form-data where a field
\`{ value, options: { filename, contentType } }\` is a file); for GET, optionally as query parameters.
\`msg.cookies\` are sent as a Cookie header.

**Output**: \`msg.payload\` as text, a Buffer or parsed JSON (*return*), \`msg.statusCode\`,
\`msg.headers\`, \`msg.responseUrl\`, \`msg.redirectList\`, \`msg.responseCookies\`, \`msg.retry\`.

**Timeout** (seconds, or \`msg.requestTimeout\` in ms) covers the whole exchange. **Retries**:
further attempts after a connection error, a timeout, a 429 or a 5xx, waiting *retry delay* ms
doubled each time (or the server's Retry-After). A failed request goes to catch nodes and, unless
*only errors to catch* is set, on to the output with \`msg.statusCode\` the error code.`,
});
