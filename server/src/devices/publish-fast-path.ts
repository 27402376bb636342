import type { Socket } from 'node:net';
import type { Client } from 'aedes';

/**
 * Device publishes (QoS 0 and 1, MQTT 3.1 / 3.1.1) taken off a connection's byte stream before
 * aedes parses them. aedes spends more CPU per packet than the whole device protocol does
 * (a generic parser over a buffer list with debug calls per state, two async series, a broker
 * packet copy, a topic match over every subscription): at tens of thousands of measure points a
 * second it was the largest part of the broker's cost. Only publishes the target claims skip
 * aedes; every other packet (PINGREQ, SUBSCRIBE, QoS 2, malformed ones, publishes that are
 * refused or that other clients subscribed to) goes to aedes's own parser unchanged, one whole
 * packet at a time, so aedes's handling of them is what it always was.
 */
export interface FastPublishTarget {
  /** Takes this publish here (allowed, nobody to forward it to)? If not, aedes handles it. */
  claim(topic: string): boolean;
  /** A claimed publish; for QoS 1 its PUBACK goes once the read's publishes are handled (see ackWait). */
  handle(topic: string, payload: Buffer, qos: 0 | 1): void;
  /**
   * Asked once the claimed QoS 1 publishes of one read (or of the part before a packet aedes
   * handles) are handled: what their PUBACKs must wait for, undefined to send them now.
   */
  ackWait?(): Promise<void> | undefined;
}

/** The aedes and mqtt-packet internals this relies on (stable across aedes 0.4x–0.51; aedes is pinned exactly in server/package.json, and installPublishFastPath declines when they differ). */
interface ParserInternals {
  parse(buf: Buffer): number;
  _list: { length: number };
  error: unknown;
}
interface ClientInternals {
  _parser: ParserInternals;
  /** aedes's reader: on 'readable', and the done callback of every packet aedes handles. */
  _nextBatch(err?: Error | null): void;
  /** Packets aedes is still handling; it reads on only when none are left. */
  _parsingBatch: number;
  _paused: boolean;
  emit(event: 'error', err: Error): boolean;
  version: number | null;
  conn: Socket;
  closed: boolean;
  connected: boolean;
  _keepaliveInterval: number;
  _keepaliveTimer?: { reschedule(ms: number): void } | null;
}

const PUBLISH = 0x30;
const MAX_LENGTH_BYTES = 4;

function internalsOf(client: Client): ClientInternals | undefined {
  const c = client as unknown as Partial<ClientInternals>;
  const parser = c._parser;
  if (!parser || typeof parser.parse !== 'function' || !parser._list || !c.conn || typeof c._nextBatch !== 'function') return undefined;
  if (typeof c._parsingBatch !== 'number' || c.conn.listeners('readable').indexOf(c._nextBatch) < 0) return undefined;
  return c as ClientInternals;
}

/**
 * Puts the fast path in front of a connected client's parser. Returns false (and changes
 * nothing) for MQTT 5 clients, whose publishes carry properties, or an aedes whose internals
 * are not the expected ones.
 */
export function installPublishFastPath(client: Client, target: FastPublishTarget): boolean {
  const found = internalsOf(client);
  if (!found || (found.version !== 3 && found.version !== 4)) return false;
  const c: ClientInternals = found;
  const parser = c._parser;
  const aedesParse = parser.parse.bind(parser);
  // A packet not yet complete: its first bytes, and how many bytes the whole packet needs (0: unknown yet).
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let needed = 0;
  // Message ids of the claimed QoS 1 publishes not yet acknowledged.
  let acks: number[] = [];

  function writeAcks(ids: readonly number[]): void {
    if (!c.connected || c.conn.destroyed) return; // the device sends them again on its next connection
    if (ids.length === 1) {
      const id = ids[0] as number;
      c.conn.write(Buffer.from([0x40, 2, id >> 8, id & 0xff]));
      return;
    }
    const out = Buffer.allocUnsafe(ids.length * 4);
    for (let k = 0; k < ids.length; k++) {
      const id = ids[k] as number;
      out[k * 4] = 0x40;
      out[k * 4 + 1] = 2;
      out[k * 4 + 2] = id >> 8;
      out[k * 4 + 3] = id & 0xff;
    }
    c.conn.write(out);
  }

  function sendAcks(): void {
    const ids = acks;
    acks = [];
    const wait = target.ackWait?.();
    if (!wait) writeAcks(ids);
    else void wait.then(() => writeAcks(ids));
  }

  function publish(data: Buffer, first: number, start: number, end: number): boolean {
    const qos = (first >> 1) & 3;
    if (qos > 1 || start + 2 > end) return false;
    const topicLength = (data[start] as number) * 256 + (data[start + 1] as number);
    const topicEnd = start + 2 + topicLength;
    let payloadStart = topicEnd;
    if (topicLength === 0 || topicEnd > end) return false;
    let messageId = 0;
    if (qos === 1) {
      if (topicEnd + 2 > end) return false;
      messageId = (data[topicEnd] as number) * 256 + (data[topicEnd + 1] as number);
      payloadStart += 2;
    }
    const topic = data.toString('utf8', start + 2, topicEnd);
    // Wildcards are not allowed in a PUBLISH: aedes closes the connection for them.
    if (topic.includes('+') || topic.includes('#') || !target.claim(topic)) return false;
    if (qos === 1) acks.push(messageId);
    target.handle(topic, data.subarray(payloadStart, end), qos === 1 ? 1 : 0);
    return true;
  }

  parser.parse = (chunk: Buffer): number => {
    // aedes is in the middle of a packet that arrived before the fast path was put in: it finishes it.
    if (pendingBytes === 0 && (parser._list.length > 0 || parser.error)) return aedesParse(chunk);
    let data = chunk;
    if (pendingBytes > 0) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (needed > 0 && pendingBytes < needed) return pendingBytes;
      data = Buffer.concat(pending, pendingBytes);
      pending = [];
      pendingBytes = 0;
      needed = 0;
    }
    const end = data.length;
    let o = 0;
    let claimed = false;
    while (o < end) {
      const first = data[o] as number;
      let length = 0;
      let multiplier = 1;
      let i = o + 1;
      let complete = false;
      while (i < end && i - o - 1 < MAX_LENGTH_BYTES) {
        const b = data[i++] as number;
        length += (b & 0x7f) * multiplier;
        multiplier *= 128;
        if ((b & 0x80) === 0) {
          complete = true;
          break;
        }
      }
      if (!complete) {
        // Five length bytes is malformed: aedes's parser reports it and closes the connection.
        if (i - o - 1 >= MAX_LENGTH_BYTES) {
          aedesParse(data.subarray(o));
          break;
        }
        keep(data.subarray(o), 0);
        break;
      }
      const packetEnd = i + length;
      if (packetEnd > end) {
        keep(data.subarray(o), packetEnd - o);
        break;
      }
      const start = o;
      o = packetEnd;
      if ((first & 0xf0) === PUBLISH && publish(data, first, i, packetEnd)) {
        claimed = true;
        continue;
      }
      // Acks of the publishes before a packet aedes handles are due before any ack aedes sends for it.
      if (acks.length > 0) sendAcks();
      aedesParse(data.subarray(start, packetEnd));
      if (c.closed || c.conn.destroyed) break;
    }
    // The PUBACKs of one read leave in one write.
    if (acks.length > 0) sendAcks();
    if (claimed && c._keepaliveInterval > 0) c._keepaliveTimer?.reschedule(c._keepaliveInterval);
    return pendingBytes;
  };

  /** Keeps the start of an incomplete packet (copied: it would otherwise pin the whole read buffer). */
  function keep(part: Buffer, total: number): void {
    pending = [Buffer.from(part)];
    pendingBytes = part.length;
    needed = total;
  }
  readFlowing(c);
  return true;
}

/**
 * Reads the connection in flowing mode ('data') instead of aedes's 'readable' + read(): a
 * device's publishes mostly arrive one per read, and each paused-mode read costs a tick, an
 * event and a buffer copy more. aedes's rule stays: no reading while it is paused or still
 * handling packets it was given (`_parsingBatch`), so its back-pressure works as before.
 */
function readFlowing(c: ClientInternals): void {
  const conn = c.conn;
  conn.removeListener('readable', c._nextBatch);
  const parse = (chunk: Buffer) => c._parser.parse(chunk);
  // What the stream buffered before the switch comes first, when aedes would read it now.
  if (!c._paused && c._parsingBatch === 0) for (let b = conn.read() as Buffer | null; b !== null; b = conn.read() as Buffer | null) parse(b);
  c._nextBatch = (err) => {
    if (err) {
      c.emit('error', err);
      return;
    }
    if (c._paused) return;
    if (--c._parsingBatch <= 0) {
      c._parsingBatch = 0;
      if (conn.isPaused()) conn.resume();
    }
  };
  conn.on('data', (chunk: Buffer) => {
    parse(chunk);
    if (c._paused || c._parsingBatch > 0) conn.pause();
  });
  // Removing the 'readable' listener starts the flow on the next tick (the 'data' listener asks
  // for it), whatever pause() said before: hold it back after that when aedes would not read.
  process.nextTick(() => {
    if (c._paused || c._parsingBatch > 0) conn.pause();
  });
}
