import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { createRequire } from 'node:module';
import { stringify as toQuery } from 'node:querystring';
import type { Msg } from '@gridflow/runtime';
import { nrUtil } from '../../shared/node-red-util.js';

/** Node-RED marks the headers of a response so that passing them on to another request does not send them back. */
export const MARKER = 'x-node-red-request-node';

/** A stable short hash of a header set (Node-RED uses hash-sum; only a round trip through this runtime needs to match). */
export function headerHash(headers: Record<string, unknown>): string {
  const sorted = Object.keys(headers)
    .filter((k) => k !== MARKER)
    .sort()
    .map((k) => [k, headers[k]]);
  return createHash('sha1').update(JSON.stringify(sorted)).digest('hex').slice(0, 8);
}

/** Sets a header case-insensitively, keeping the spelling given last; a blank value removes it. */
export function setHeader(headers: Record<string, string>, name: string, value: unknown): void {
  const lower = name.toLowerCase();
  for (const k of Object.keys(headers)) if (k.toLowerCase() === lower) delete headers[k];
  if (value !== undefined && value !== null && value !== '') headers[name] = String(value);
}

export function getHeader(headers: Record<string, string>, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/** One header row of Node-RED's http request editor: keyType 'other' means keyValue is the name, 'msg' a message property, else the type is the name. */
export interface HeaderRow {
  keyType: string;
  keyValue: string;
  valueType: string;
  valueValue: string;
}

function rowPart(type: string, value: string, msg: Msg): unknown {
  if (type === 'other') return value;
  if (type === 'msg') return nrUtil.getMessageProperty(msg, value);
  return type;
}

/** msg.headers (unless they are a response's headers passed on unchanged), then the node's rows. */
export function requestHeaders(msg: Msg, rows: readonly HeaderRow[]): Record<string, string> {
  const headers: Record<string, string> = {};
  const fromMsg = msg['headers'];
  if (fromMsg !== null && typeof fromMsg === 'object' && !Array.isArray(fromMsg)) {
    const h = { ...(fromMsg as Record<string, unknown>) };
    const marker = h[MARKER];
    delete h[MARKER];
    if (!(marker !== undefined && marker === headerHash(h))) {
      for (const [k, v] of Object.entries(h)) setHeader(headers, k, Array.isArray(v) ? v.join(', ') : v);
    }
  }
  for (const row of rows) {
    const name = rowPart(row.keyType, row.keyValue, msg);
    if (typeof name !== 'string' || !name) continue;
    setHeader(headers, name, rowPart(row.valueType, row.valueValue, msg));
  }
  return headers;
}

type FormDataClass = typeof import('form-data');
// Loaded on the first multipart request only: it brings MIME tables most flows never need.
let formDataClass: FormDataClass | undefined;
const loadFormData = (): FormDataClass => (formDataClass ??= createRequire(import.meta.url)('form-data') as FormDataClass);

/**
 * A multipart/form-data body from an object, as Node-RED's http request builds it: strings and
 * Buffers as they are, `{ value, options: { filename, contentType } }` as a file, anything else as
 * JSON; null and undefined fields left out. Sets Content-Type with the boundary.
 */
export function multipartBody(payload: Record<string, unknown>, headers: Record<string, string>): Buffer {
  const FormData = loadFormData();
  const form = new FormData();
  for (const [name, val] of Object.entries(payload)) {
    if (val === undefined || val === null) continue;
    if (typeof val === 'string' || Buffer.isBuffer(val)) form.append(name, val);
    else if (typeof val === 'object' && 'value' in val) {
      const file = val as { value: unknown; options?: { filename?: string; contentType?: string } };
      const value = Buffer.isBuffer(file.value) ? file.value : String(file.value);
      form.append(name, value, file.options ?? {});
    } else form.append(name, JSON.stringify(val));
  }
  setHeader(headers, 'Content-Type', form.getHeaders()['content-type']);
  return form.getBuffer();
}

/** The request body from msg.payload, as Node-RED builds it (JSON by default, a form or multipart when asked). */
export function requestBody(payload: unknown, headers: Record<string, string>): Buffer | undefined {
  if (payload === undefined) return undefined;
  let body: Buffer;
  if (Buffer.isBuffer(payload)) body = payload;
  else if (typeof payload === 'object' && payload !== null && getHeader(headers, 'content-type')?.toLowerCase() === 'multipart/form-data') {
    body = multipartBody(payload as Record<string, unknown>, headers);
  }
  else if (typeof payload === 'string') body = Buffer.from(payload);
  else if (typeof payload === 'number') body = Buffer.from(String(payload));
  else if (getHeader(headers, 'content-type') === 'application/x-www-form-urlencoded') {
    body = Buffer.from(toQuery(payload as Record<string, string>));
  } else {
    body = Buffer.from(JSON.stringify(payload) ?? '');
    if (!getHeader(headers, 'content-type')) headers['Content-Type'] = 'application/json';
  }
  if (!getHeader(headers, 'content-length')) headers['Content-Length'] = String(body.length);
  return body;
}

/** `msg.responseCookies`: Set-Cookie headers as { name: { value, path, ... } }. */
export function parseSetCookies(setCookie: string[] | undefined): Record<string, Record<string, string>> | undefined {
  if (!setCookie?.length) return undefined;
  const cookies: Record<string, Record<string, string>> = {};
  for (const line of setCookie) {
    const [first, ...attrs] = line.split(';');
    const eq = first?.indexOf('=') ?? -1;
    if (!first || eq <= 0) continue;
    const name = first.slice(0, eq).trim();
    const cookie: Record<string, string> = { value: decodeURIComponent(first.slice(eq + 1).trim()) };
    for (const a of attrs) {
      const i = a.indexOf('=');
      const key = (i < 0 ? a : a.slice(0, i)).trim();
      if (key) cookie[key] = i < 0 ? '' : a.slice(i + 1).trim();
    }
    cookies[name] = cookie;
  }
  return cookies;
}

/** msg.cookies ({ name: value } or { name: { value } }) added to the Cookie header. */
export function addCookies(headers: Record<string, string>, cookies: unknown): void {
  if (cookies === null || typeof cookies !== 'object') return;
  const pairs: string[] = [];
  for (const [name, c] of Object.entries(cookies as Record<string, unknown>)) {
    const value = c !== null && typeof c === 'object' ? (c as { value?: unknown }).value : c;
    if (value === null || value === undefined) continue;
    pairs.push(`${name}=${encodeURIComponent(String(value))}`);
  }
  if (!pairs.length) return;
  const existing = getHeader(headers, 'cookie');
  setHeader(headers, 'Cookie', existing ? `${existing}; ${pairs.join('; ')}` : pairs.join('; '));
}

/** The Authorization header of a digest challenge (RFC 7616, qop auth, MD5 or SHA-256). */
export function digestHeader(user: string, password: string, method: string, uri: string, challenge: string): string | undefined {
  if (!/^\s*digest\s/i.test(challenge)) return undefined;
  const fields: Record<string, string> = {};
  for (const m of challenge.replace(/^\s*digest\s+/i, '').matchAll(/(\w+)=("([^"]*)"|[^,\s]*)/g)) fields[(m[1] as string).toLowerCase()] = m[3] ?? m[2] ?? '';
  const algorithm = (fields['algorithm'] ?? 'MD5').toUpperCase();
  const hashName = algorithm.startsWith('SHA-256') ? 'sha256' : 'md5';
  const h = (s: string) => createHash(hashName).update(s).digest('hex');
  const realm = fields['realm'] ?? '';
  const nonce = fields['nonce'] ?? '';
  const qop = (fields['qop'] ?? '').split(',').map((q) => q.trim()).includes('auth') ? 'auth' : undefined;
  const cnonce = createHash('md5').update(String(Math.random())).digest('hex').slice(0, 16);
  const nc = '00000001';
  let ha1 = h(`${user}:${realm}:${password}`);
  if (algorithm.endsWith('-SESS')) ha1 = h(`${ha1}:${nonce}:${cnonce}`);
  const ha2 = h(`${method}:${uri}`);
  const response = qop ? h(`${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`) : h(`${ha1}:${nonce}:${ha2}`);
  const parts = [`username="${user}"`, `realm="${realm}"`, `nonce="${nonce}"`, `uri="${uri}"`, `algorithm=${algorithm}`, `response="${response}"`];
  if (qop) parts.push(`qop=${qop}`, `nc=${nc}`, `cnonce="${cnonce}"`);
  if (fields['opaque'] !== undefined) parts.push(`opaque="${fields['opaque']}"`);
  return `Digest ${parts.join(', ')}`;
}

/** Response headers as msg.headers: Node's object plus the marker. */
export function responseHeaders(headers: IncomingHttpHeaders): Record<string, unknown> {
  const out: Record<string, unknown> = { ...headers };
  out[MARKER] = headerHash(out);
  return out;
}
