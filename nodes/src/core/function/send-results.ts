import { cloneMessage, type Msg, type Send } from '@gridflow/runtime';

function isMessage(value: unknown): value is Msg {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

function typeName(value: unknown): string {
  if (Buffer.isBuffer(value)) return 'Buffer';
  if (Array.isArray(value)) return 'Array';
  return typeof value;
}

/**
 * Node-RED's sendResults: a message, an array with one entry per output, each entry a message or
 * an array of messages; null skips. Every message gets the input's `_msgid`; with `cloneFirst`
 * (node.send's default) the first message is copied, so the caller may keep changing it.
 */
export function sendResults(
  report: (err: Error) => void,
  send: Send,
  msgid: string | undefined,
  result: unknown,
  cloneFirst: boolean,
): void {
  if (result === null || result === undefined) return;
  if (isMessage(result)) {
    const msg = cloneFirst ? cloneMessage(result) : result;
    if (msgid !== undefined) msg._msgid = msgid;
    send(msg);
    return;
  }
  const outputs: unknown[] = Array.isArray(result) ? result : [result];
  const out: (Msg | Msg[] | null)[] = new Array<Msg | Msg[] | null>(outputs.length).fill(null);
  let count = 0;
  for (let m = 0; m < outputs.length; m++) {
    const entry = outputs[m];
    if (entry === null || entry === undefined) continue;
    const list: unknown[] = Array.isArray(entry) ? entry : [entry];
    const msgs: Msg[] = [];
    for (const item of list) {
      if (item === null || item === undefined) continue;
      if (!isMessage(item)) {
        report(new Error(`Function tried to send a message of type ${typeName(item)}`));
        continue;
      }
      const msg = count === 0 && cloneFirst ? cloneMessage(item) : item;
      if (msgid !== undefined) msg._msgid = msgid;
      msgs.push(msg);
      count++;
    }
    out[m] = Array.isArray(entry) ? msgs : (msgs[0] ?? null);
  }
  if (count > 0) send(out);
}
