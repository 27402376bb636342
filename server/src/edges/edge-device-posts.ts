import type { NodeStatus } from '@gridflow/runtime';
import type { DeviceRef, UpstreamItem } from '@gridflow/runtime/contract';
import { devicePostSchema } from '@gridflow/nodes/edge';
import type { GatewayPosts } from '../devices/gateway-posts.js';
import type { EdgeHubLogger, EdgeRelayEvent } from './edge-hub.js';

/** Device posts from one edge since the server started (shown on the Edges page). */
export interface DevicePostStats {
  accepted: number;
  rejected: number;
  lastRejection: { time: string; device: string; message: string } | null;
}

export interface EdgeDevicePostsOptions {
  /** The device registry's entry point; undefined when the server runs without the devices module. */
  posts(): GatewayPosts | undefined;
  log: EdgeHubLogger;
  /** Where a refusal goes as a red status under the posting node (the editor). */
  relay?(event: EdgeRelayEvent): void;
  /** Least time between two refusal log lines of one edge (ms); the ones between are counted. */
  logEveryMs?: number;
}

export interface EdgeDevicePosts {
  /**
   * Hands one `device post` item of an edge to the device registry as the edge's gateway device.
   * Resolves with the reason when it was refused; it never throws (a refusal is final, and the
   * item is acknowledged so that the edge does not send it again).
   */
  handle(
    edge: { id: string; name: string; gateway: DeviceRef | null },
    item: UpstreamItem,
  ): Promise<string | undefined>;
  stats(edgeId: string): DevicePostStats;
}

export function createEdgeDevicePosts(options: EdgeDevicePostsOptions): EdgeDevicePosts {
  const logEveryMs = options.logEveryMs ?? 10_000;
  const stats = new Map<string, DevicePostStats>();
  const lastLog = new Map<string, { at: number; suppressed: number }>();
  /** Per edge, the nodes that show a refusal (cleared at their next accepted post). */
  const red = new Map<string, Set<string>>();

  const statsOf = (edgeId: string): DevicePostStats => {
    let s = stats.get(edgeId);
    if (!s) stats.set(edgeId, (s = { accepted: 0, rejected: 0, lastRejection: null }));
    return s;
  };
  const status = (edge: { id: string; name: string }, nodeId: string, z: string | undefined, s: NodeStatus) =>
    options.relay?.({
      edgeId: edge.id,
      edgeName: edge.name,
      kind: 'status',
      data: { id: nodeId, z: z ?? '', status: s },
    });

  function refuse(
    edge: { id: string; name: string },
    device: string,
    message: string,
    node?: { id: string; z?: string | undefined },
  ): string {
    const s = statsOf(edge.id);
    s.rejected++;
    s.lastRejection = { time: new Date().toISOString(), device, message };
    const now = Date.now();
    const last = lastLog.get(edge.id);
    if (!last || now - last.at >= logEveryMs) {
      const more = last?.suppressed ? ` (and ${last.suppressed} more refused since the last report)` : '';
      options.log.warn(`edge "${edge.name}" (${edge.id}): device post for ${device} refused: ${message}${more}`);
      lastLog.set(edge.id, { at: now, suppressed: 0 });
    } else last.suppressed++;
    if (node) {
      let nodes = red.get(edge.id);
      if (!nodes) red.set(edge.id, (nodes = new Set()));
      nodes.add(node.id);
      status(edge, node.id, node.z, { fill: 'red', shape: 'ring', text: `${device}: ${message}`.slice(0, 160) });
    }
    return `${device}: ${message}`;
  }

  return {
    async handle(edge, item) {
      const parsed = devicePostSchema.safeParse(item.msg);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return refuse(edge, '?', `not a device post: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim());
      }
      const post = parsed.data;
      const device = `${post.productKey}/${post.deviceKey}`;
      const node = post.nodeId ? { id: post.nodeId, z: post.z } : undefined;
      if (!edge.gateway) {
        return refuse(edge, device, 'this edge is not bound to a gateway device (set one on the Edges page)', node);
      }
      const posts = options.posts();
      if (!posts) return refuse(edge, device, 'this server has no device registry (the devices module is off)', node);
      let result;
      try {
        // Back-pressure: the ack waits while device in nodes lag, so the backlog stays on the edge's disk.
        await posts.flowing();
        result = await posts.post({
          gateway: edge.gateway,
          device: { productKey: post.productKey, deviceKey: post.deviceKey },
          kind: post.kind,
          params: post.params,
          event: post.event,
          backfill: item.backfill,
        });
      } catch (err) {
        return refuse(edge, device, `server error: ${(err as Error).message}`, node);
      }
      if (!result.ok) return refuse(edge, device, result.message, node);
      statsOf(edge.id).accepted++;
      if (node && red.get(edge.id)?.delete(node.id)) status(edge, node.id, node.z, {});
      return undefined;
    },
    stats: (edgeId) => ({ ...statsOf(edgeId) }),
  };
}
