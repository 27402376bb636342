import { replyCodes } from '@gridflow/runtime/contract';

/**
 * EnOS MQTT topics. Every device topic starts with `/sys/{pk}/{dk}/` or `/ext/session/{pk}/{dk}/`;
 * replies go to `{topic}_reply` as `{ id, code, data, message }`.
 */

export type UpRoute =
  | { kind: 'points'; backfill: boolean; batch: boolean; methods: readonly string[] }
  | { kind: 'event'; event: string; methods: readonly string[] }
  | { kind: 'attribute-update' | 'attribute-query' | 'attribute-delete'; methods: readonly string[] }
  | { kind: 'topo-add' | 'topo-delete' | 'topo-get'; methods: readonly string[] }
  | { kind: 'sub-login' | 'sub-login-batch' | 'sub-logout'; methods: readonly string[] }
  /** A device's reply to a command on `thing/service/{name}_reply`. */
  | { kind: 'command-reply'; command: string }
  /** Replies to messages the broker sent that need no handling (activate/info_reply and the like). */
  | { kind: 'ignored' }
  | { kind: 'unknown' };

export interface ParsedTopic {
  scope: 'sys' | 'ext';
  productKey: string;
  deviceKey: string;
  /** The part after the device prefix, e.g. `thing/measurepoint/post`. */
  rest: string;
}

/** Splits a device topic into its owner and the rest; undefined for topics outside the device name space. */
export function parseTopic(topic: string): ParsedTopic | undefined {
  let scope: 'sys' | 'ext';
  let start: number;
  if (topic.startsWith('/sys/')) {
    scope = 'sys';
    start = 5;
  } else if (topic.startsWith('/ext/session/')) {
    scope = 'ext';
    start = 13;
  } else return undefined;
  const a = topic.indexOf('/', start);
  if (a <= start) return undefined;
  const b = topic.indexOf('/', a + 1);
  if (b <= a + 1) return undefined;
  return { scope, productKey: topic.slice(start, a), deviceKey: topic.slice(a + 1, b), rest: topic.slice(b + 1) };
}

const fixed = new Map<string, UpRoute>([
  ['sys:thing/measurepoint/post', { kind: 'points', backfill: false, batch: false, methods: ['thing.measurepoint.post'] }],
  // Topic of older Java SDKs (enos-mqtt-sdk-java before 2.x).
  [
    'sys:thing/event/measurepoint/post',
    { kind: 'points', backfill: false, batch: false, methods: ['thing.measurepoint.post', 'thing.event.measurepoint.post'] },
  ],
  ['sys:thing/measurepoint/post/batch', { kind: 'points', backfill: false, batch: true, methods: ['thing.measurepoint.post.batch'] }],
  ['sys:thing/measurepoint/resume', { kind: 'points', backfill: true, batch: false, methods: ['thing.measurepoint.resume'] }],
  ['sys:thing/measurepoint/resume/batch', { kind: 'points', backfill: true, batch: true, methods: ['thing.measurepoint.resume.batch'] }],
  ['sys:thing/attribute/update', { kind: 'attribute-update', methods: ['thing.attribute.update'] }],
  ['sys:thing/attribute/query', { kind: 'attribute-query', methods: ['thing.attribute.query'] }],
  ['sys:thing/attribute/delete', { kind: 'attribute-delete', methods: ['thing.attribute.delete'] }],
  ['sys:thing/topo/add', { kind: 'topo-add', methods: ['thing.topo.add'] }],
  ['sys:thing/topo/delete', { kind: 'topo-delete', methods: ['thing.topo.delete'] }],
  ['sys:thing/topo/get', { kind: 'topo-get', methods: ['thing.topo.get'] }],
  ['ext:combine/login', { kind: 'sub-login', methods: ['combine.login'] }],
  ['ext:combine/login/batch', { kind: 'sub-login-batch', methods: ['combine.login.batch'] }],
  ['ext:combine/logout', { kind: 'sub-logout', methods: ['combine.logout'] }],
]);

const IGNORED: UpRoute = { kind: 'ignored' };
const UNKNOWN: UpRoute = { kind: 'unknown' };
const SERVICE_PREFIX = 'thing/service/';
const EVENT_PREFIX = 'thing/event/';

/** The handler a device publish goes to. */
export function routeOf(t: ParsedTopic): UpRoute {
  const hit = fixed.get(`${t.scope}:${t.rest}`);
  if (hit) return hit;
  const rest = t.rest;
  if (t.scope === 'sys' && rest.startsWith(SERVICE_PREFIX) && rest.endsWith('_reply')) {
    return { kind: 'command-reply', command: rest.slice(SERVICE_PREFIX.length, -6) };
  }
  if (t.scope === 'sys' && rest.startsWith(EVENT_PREFIX) && rest.endsWith('/post')) {
    const event = rest.slice(EVENT_PREFIX.length, -5);
    if (event.length && !event.includes('/')) return { kind: 'event', event, methods: [`thing.event.${event}.post`] };
  }
  if (rest.endsWith('_reply')) return IGNORED;
  return UNKNOWN;
}

/** The `{ id, version, params, method }` envelope of a request. */
export interface Envelope {
  /** As the device sent it (string or number), echoed in the reply. */
  id: unknown;
  version?: unknown;
  params: unknown;
  method?: unknown;
  /** In replies from devices. */
  code?: unknown;
  data?: unknown;
  message?: unknown;
  /** post/batch and resume/batch options. */
  allowOfflineSubDevice?: unknown;
  skipInvalidMeasurepoints?: unknown;
}

export type EnvelopeResult = { ok: true; envelope: Envelope } | { ok: false; message: string };

export function parseEnvelope(payload: Buffer): EnvelopeResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload.toString('utf8'));
  } catch (err) {
    return { ok: false, message: `payload is not JSON: ${err instanceof Error ? err.message : String(err)}` };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { ok: false, message: 'payload must be a JSON object' };
  return { ok: true, envelope: parsed as Envelope };
}

/** Reply body; `data` defaults to `{}` as EnOS sends it. */
export function replyPayload(id: unknown, code: number, data?: unknown, message?: string): Buffer {
  if (code === replyCodes.ok && data === undefined && message === undefined) {
    return Buffer.from(`{"id":${JSON.stringify(id ?? null)},"code":200,"data":{}}`);
  }
  return Buffer.from(JSON.stringify({ id: id ?? null, code, data: data ?? {}, ...(message !== undefined ? { message } : {}) }));
}

/** A command to a device: `/sys/{pk}/{dk}/thing/service/{name}`, method `thing.service.{name}`. */
export function commandTopic(productKey: string, deviceKey: string, command: string): string {
  return `/sys/${productKey}/${deviceKey}/thing/service/${command}`;
}

export function commandMethod(command: string): string {
  return `thing.service.${command.replace(/\//g, '.')}`;
}

export const activateInfoTopic = (productKey: string, deviceKey: string) => `/ext/session/${productKey}/${deviceKey}/thing/activate/info`;
