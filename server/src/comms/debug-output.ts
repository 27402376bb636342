import { encodeDebugValue, type Encoded, type EncodeLimits } from './debug-encode.js';
import { decodeNodeRedDebug } from './node-red-decode.js';

/**
 * One debug output in the contract's shape. A node that already encoded its value the Node-RED
 * way (it passes `format`, as the debug node does) is decoded first; a raw value is encoded here.
 */
export function encodeDebugOutput(msg: unknown, format: string | undefined, limits: EncodeLimits): Encoded {
  if (format === undefined) return encodeDebugValue(msg, limits);
  const decoded = decodeNodeRedDebug(msg, format);
  const bounded = encodeDebugValue(decoded.value, limits);
  return { format, msg: bounded.msg, truncated: decoded.truncated || bounded.truncated };
}
