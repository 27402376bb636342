import type { OutgoingBatch } from './forwarder.js';

/**
 * An upstream batch as the JSON text of an UpstreamBatch, built around each message's JSON as it
 * lies on disk: the edge never parses and re-serializes the messages it forwards, and socket.io
 * carries one string instead of walking thousands of objects for binary parts.
 */
export function encodeBatch(batch: OutgoingBatch): string {
  const items = batch.items.map(
    (i) =>
      `{"seq":${i.seq},"time":${i.time},"channel":${JSON.stringify(i.channel)},"backfill":${i.backfill},"msg":${i.json}}`,
  );
  return `{"floor":${batch.floor},"items":[${items.join(',')}]}`;
}
