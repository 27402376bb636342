import { z } from 'zod';
import { cloneMessage, defineNode, generateId, type Done, type Msg, type Send } from '@gridflow/runtime';
import { boolish, numberish } from '../../shared/typed-value.js';
import {
  getMsgProperty,
  hasOwn,
  msgPropertyPath,
  optionalMsgPropertyPath,
  parseByteArray,
  setMsgProperty,
  unescapeSeparator,
  type MsgParts,
} from '../../shared/sequence.js';

const config = z
  .object({
    name: z.string().default(''),
    /** The separator: text (with \n-style escapes), a JSON byte array, or a fixed length, per spltType. */
    splt: z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.string().default('\\n')),
    spltType: z.enum(['str', 'bin', 'len']).default('str'),
    /** Elements per message when splitting an array. */
    arraySplt: numberish(1).pipe(z.number().int().min(1)),
    arraySpltType: z.literal('len').default('len'),
    /** Keep a trailing partial segment and prepend it to the next message; parts.count is not set. */
    stream: boolish(false),
    /** Where to copy the key when splitting an object (blank: nowhere). */
    addname: optionalMsgPropertyPath(),
    property: msgPropertyPath('payload'),
  })
  .superRefine((c, issue) => {
    if (c.spltType === 'bin' && !parseByteArray(c.splt)) {
      issue.addIssue({
        code: 'custom',
        path: ['splt'],
        message: 'binary separator must be a JSON array of bytes, e.g. [10]',
      });
    }
    if (c.spltType === 'len') {
      const n = parseInt(c.splt, 10);
      if (Number.isNaN(n) || n < 1)
        issue.addIssue({ code: 'custom', path: ['splt'], message: `invalid split length: ${c.splt}` });
    }
  });

type Separator =
  { kind: 'str'; text: string } | { kind: 'bin'; bytes: Buffer; array: number[] } | { kind: 'len'; size: number };

function separatorOf(c: z.infer<typeof config>): Separator {
  if (c.spltType === 'bin') {
    const array = parseByteArray(c.splt) ?? [];
    return { kind: 'bin', bytes: Buffer.from(array), array };
  }
  if (c.spltType === 'len') return { kind: 'len', size: parseInt(c.splt, 10) };
  return { kind: 'str', text: unescapeSeparator(c.splt || '\\n') };
}

export const splitNode = defineNode({
  type: 'split',
  category: 'core',
  inputs: 1,
  outputs: 1,
  config,
  label: 'split',
  icon: 'split.svg',
  color: '#E2D96E',
  help: `Splits a message into a sequence of messages, by the type of \`msg.payload\` (or the chosen property):

- **string / buffer**: on a separator (default \`\\n\`), a byte sequence, or into fixed lengths;
- **array**: into single elements or fixed-length arrays;
- **object**: one message per key/value pair (the key can be copied to e.g. \`msg.topic\`).

**Outputs**: \`parts\` with \`id\`, \`index\`, \`count\`, \`type\`, \`ch\` (separator), \`key\` and \`len\`, so a
**join** node in automatic mode can rebuild the original. An existing \`msg.parts\` is kept in \`parts.parts\`.

In **streaming mode** a trailing partial segment is held and prepended to the next message, and
\`parts.count\` is not set.`,
  create(_ctx, c) {
    const sep = separatorOf(c);
    const property = c.property;
    const stream = c.stream;
    // Stream state, kept between messages (and across deploys that do not restart the node).
    let index = 0;
    let remainder = '';
    let buffered: Buffer = Buffer.alloc(0);
    let pendingDones: Done[] = [];
    const releasePending = () => {
      for (const d of pendingDones) d();
      pendingDones = [];
    };
    const emit = (msg: Msg, parts: MsgParts, value: unknown, send: Send) => {
      setMsgProperty(msg, property, value);
      parts.index = index++;
      send(cloneMessage(msg));
    };

    const sendArray = (msg: Msg, parts: MsgParts, items: string[], send: Send) => {
      for (let i = 0; i < items.length - 1; i++) {
        if (!stream) parts.count = items.length;
        emit(msg, parts, items[i], send);
      }
      const last = items[items.length - 1] ?? '';
      if (!stream) {
        parts.count = items.length;
        emit(msg, parts, last, send);
        index = 0;
      } else remainder = last;
    };

    const splitString = (msg: Msg, parts: MsgParts, input: string, send: Send, done: Done) => {
      const value = remainder + input;
      parts.type = 'string';
      if (sep.kind !== 'len') {
        parts.ch = sep.kind === 'bin' ? sep.array : sep.text;
        sendArray(msg, parts, value.split(sep.kind === 'bin' ? sep.bytes.toString() : sep.text), send);
        done();
        return;
      }
      parts.ch = '';
      parts.len = sep.size;
      const count = Math.ceil(value.length / sep.size);
      if (!stream) {
        parts.count = count;
        index = 0;
      }
      let pos = 0;
      for (let i = 0; i < count - 1; i++, pos += sep.size) emit(msg, parts, value.substring(pos, pos + sep.size), send);
      if (count > 1) releasePending();
      remainder = value.substring(pos);
      if (!stream || remainder.length === sep.size) {
        emit(msg, parts, remainder, send);
        releasePending();
        done();
        remainder = '';
      } else pendingDones.push(done);
    };

    const splitBuffer = (msg: Msg, parts: MsgParts, input: Buffer, send: Send, done: Done) => {
      const buff = Buffer.concat([buffered, input]);
      parts.type = 'buffer';
      if (sep.kind === 'len') {
        const count = Math.ceil(buff.length / sep.size);
        if (!stream) {
          parts.count = count;
          index = 0;
        }
        parts.len = sep.size;
        let pos = 0;
        for (let i = 0; i < count - 1; i++, pos += sep.size) emit(msg, parts, buff.subarray(pos, pos + sep.size), send);
        if (count > 1) releasePending();
        buffered = buff.subarray(pos);
        if (!stream || buffered.length === sep.size) {
          emit(msg, parts, buffered, send);
          releasePending();
          done();
          buffered = Buffer.alloc(0);
        } else pendingDones.push(done);
        return;
      }
      const needle = sep.kind === 'bin' ? sep.bytes : Buffer.from(sep.text);
      parts.ch = sep.kind === 'bin' ? sep.array : sep.text;
      let count = 1;
      for (let pos = buff.indexOf(needle); pos > -1; pos = buff.indexOf(needle, pos + needle.length)) count++;
      if (!stream) {
        parts.count = count;
        index = 0;
      }
      let p = 0;
      for (let pos = buff.indexOf(needle); pos > -1; pos = buff.indexOf(needle, p)) {
        emit(msg, parts, buff.subarray(p, pos), send);
        p = pos + needle.length;
      }
      if (count > 1) releasePending();
      if (!stream && p < buff.length) {
        parts.count = index + 1; // what Node-RED writes: the number of parts sent, this one included
        emit(msg, parts, buff.subarray(p), send);
        index++;
        releasePending();
      } else {
        buffered = buff.subarray(p);
        if (buffered.length > 0) pendingDones.push(done);
      }
      if (buffered.length === 0) done();
    };

    return {
      input(msg, send, done) {
        const value = getMsgProperty(msg, property);
        if (value === undefined || value === null) {
          done();
          return;
        }
        const parts: MsgParts = { id: generateId() };
        if (hasOwn(msg, 'parts')) parts.parts = msg['parts'] as MsgParts;
        msg['parts'] = parts;
        if (property !== 'payload') parts.property = property;
        delete (msg as Partial<Msg>)._msgid;

        if (typeof value === 'string') {
          splitString(msg, parts, value, send, done);
        } else if (Array.isArray(value)) {
          parts.type = 'array';
          const size = c.arraySplt;
          const count = Math.ceil(value.length / size);
          parts.count = count;
          parts.len = size;
          const out = cloneMessage(msg);
          const outParts = out['parts'] as MsgParts;
          for (let i = 0; i < count; i++) {
            const slice = value.slice(i * size, i * size + size);
            setMsgProperty(out, property, size === 1 ? slice[0] : slice);
            outParts.index = i;
            send(cloneMessage(out));
          }
          done();
        } else if (Buffer.isBuffer(value)) {
          splitBuffer(msg, parts, value, send, done);
        } else if (typeof value === 'object') {
          const obj = value as Record<string, unknown>;
          const keys = Object.keys(obj);
          parts.type = 'object';
          keys.forEach((key, i) => {
            setMsgProperty(msg, property, obj[key]);
            if (c.addname !== '') setMsgProperty(msg, c.addname, key);
            parts.key = key;
            parts.index = i;
            parts.count = keys.length;
            send(cloneMessage(msg));
          });
          done();
        } else {
          done(); // numbers and booleans cannot be split: dropped, as in Node-RED
        }
      },
    };
  },
});
