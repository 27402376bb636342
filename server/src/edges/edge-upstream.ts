import type { UpstreamAck, UpstreamBatch } from '@gridflow/runtime/contract';
import { DEVICE_POST_CHANNEL, type UpstreamMessage } from '@gridflow/nodes/edge';
import type { EdgeDevicePosts } from './edge-device-posts.js';
import type { EdgeRecord, EdgeStore } from './edge-store.js';

export interface UpstreamReceiverOptions {
  store: EdgeStore;
  /** `edge in` nodes. */
  listeners: ReadonlySet<(m: UpstreamMessage) => void>;
  /** Takes `device post` items to the device registry; they are refused when absent. */
  devicePosts?: EdgeDevicePosts | undefined;
}

/**
 * Delivers an edge's upstream batches exactly once per (edge, sequence): `cloud out` messages to
 * `edge in` nodes, `device post` items to the device registry as the edge's gateway device.
 * Batches of one edge are delivered one after the other (several travel at once), so device data
 * reaches device in nodes in the order the edge queued it.
 */
export function createUpstreamReceiver(options: UpstreamReceiverOptions) {
  const chains = new Map<string, Promise<unknown>>();

  async function deliver(edge: EdgeRecord, batch: UpstreamBatch): Promise<UpstreamAck> {
    const items = batch.items;
    const fresh = await options.store.acceptUpstream(
      edge.id,
      items.map((i) => i.seq),
      batch.floor,
    );
    const rejected: NonNullable<UpstreamAck['rejected']> = [];
    // Read per batch: the gateway binding may change on the Edges page while the edge is connected.
    const bound = items.some((i) => i.channel === DEVICE_POST_CHANNEL) ? await options.store.get(edge.id) : undefined;
    for (const item of items) {
      if (!fresh.has(item.seq)) continue;
      if (item.channel === DEVICE_POST_CHANNEL) {
        const message = options.devicePosts
          ? await options.devicePosts.handle({ id: edge.id, name: edge.name, gateway: bound?.gateway ?? null }, item)
          : 'this server does not take device posts from edges';
        if (message !== undefined) {
          const nodeId = item.msg['nodeId'];
          rejected.push({ seq: item.seq, message, ...(typeof nodeId === 'string' ? { nodeId } : {}) });
        }
        continue;
      }
      const m: UpstreamMessage = {
        edgeId: edge.id,
        edgeName: edge.name,
        channel: item.channel,
        seq: item.seq,
        time: item.time,
        backfill: item.backfill,
        msg: item.msg,
      };
      for (const l of options.listeners) l(m);
    }
    return { acked: items.map((i) => i.seq), ...(rejected.length ? { rejected } : {}) };
  }

  return {
    /** Resolves with the acknowledgement for the edge; rejects when nothing was stored. */
    receive(edge: EdgeRecord, batch: UpstreamBatch): Promise<UpstreamAck> {
      const before = chains.get(edge.id) ?? Promise.resolve();
      const result = before.then(() => deliver(edge, batch));
      const settled = result.catch(() => undefined);
      chains.set(edge.id, settled);
      void settled.then(() => chains.get(edge.id) === settled && chains.delete(edge.id));
      return result;
    },
  };
}
