import { isUtf8 } from 'node:buffer';

/** MQTT topic rules shared by the MQTT nodes (pure functions, unit-tested). */

/** Does a topic match a subscription filter (`+` one level, `#` the rest; `$share/group/` ignored)? */
export function topicMatches(filter: string, topic: string): boolean {
  let f = filter;
  if (f.startsWith('$share/')) {
    const slash = f.indexOf('/', 7);
    if (slash < 0) return false;
    f = f.slice(slash + 1);
  } else if (f.startsWith('$queue/')) f = f.slice(7);
  // Wildcards at the first level do not match $-topics (MQTT-4.7.2-1).
  if (topic.startsWith('$') && (f.startsWith('+') || f.startsWith('#'))) return false;
  const fp = f.split('/');
  const tp = topic.split('/');
  for (let i = 0; i < fp.length; i++) {
    const part = fp[i];
    if (part === '#') return true;
    if (i >= tp.length) return false;
    if (part !== '+' && part !== tp[i]) return false;
  }
  return fp.length === tp.length;
}

/** A valid subscription filter: `#` only last and alone in its level, `+` alone in its level. */
export function isValidFilter(filter: string): boolean {
  if (filter.length === 0) return false;
  const parts = filter.split('/');
  return parts.every((p, i) => {
    if (p.includes('#')) return p === '#' && i === parts.length - 1;
    if (p.includes('+')) return p === '+';
    return true;
  });
}

/** A valid publish topic: not empty, no wildcards. */
export const isValidPublishTopic = (topic: string) => topic.length > 0 && !/[+#]/.test(topic);

export type MqttDatatype = 'auto-detect' | 'auto' | 'buffer' | 'utf8' | 'json' | 'base64';

/** Node-RED's payload decoding of `mqtt in`; a JSON error for `json` is thrown. */
export function decodePayload(payload: Buffer, datatype: MqttDatatype, contentType?: string): unknown {
  switch (datatype) {
    case 'buffer':
      return payload;
    case 'base64':
      return payload.toString('base64');
    case 'utf8':
      return payload.toString('utf8');
    case 'json': {
      if (!isUtf8(payload)) throw new Error('payload is not a UTF-8 string, so not JSON');
      try {
        return JSON.parse(payload.toString('utf8')) as unknown;
      } catch (err) {
        throw new Error(`payload is not valid JSON: ${(err as Error).message}`);
      }
    }
    default: {
      const type = contentType?.toLowerCase();
      if (type === 'application/octet-stream') return payload;
      if (type === 'application/json') {
        const text = payload.toString('utf8');
        const parsed = JSON.parse(text) as unknown;
        return datatype === 'auto-detect' ? parsed : text;
      }
      if (!isUtf8(payload)) return payload;
      const text = payload.toString('utf8');
      if (datatype === 'auto-detect' && type !== 'text/plain') {
        try {
          return JSON.parse(text) as unknown;
        } catch {
          // Not JSON: auto-detect leaves it a string, as Node-RED does.
        }
      }
      return text;
    }
  }
}

/** Node-RED's publish conversion: Buffers as they are, objects as JSON, other values as strings, null as empty. */
export function encodePayload(payload: unknown): Buffer | string {
  if (payload === null || payload === undefined) return '';
  if (Buffer.isBuffer(payload)) return payload;
  if (typeof payload === 'object') return JSON.stringify(payload);
  return typeof payload === 'string' ? payload : String(payload);
}
