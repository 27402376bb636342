import { z } from 'zod';
import { serviceKey, type Msg } from '@gridflow/runtime';

/** On an edge: where `cloud out` puts messages (the agent's disk-backed queue). */
export interface EdgeUplink {
  /** Resolves once the message is on disk; it is sent upstream from there. */
  enqueue(channel: string, msg: Msg): Promise<void>;
}
export const edgeUplinkKey = serviceKey<EdgeUplink>('edge-uplink');

export interface UpstreamMessage {
  edgeId: string;
  edgeName: string;
  channel: string;
  seq: number;
  time: number;
  backfill: boolean;
  msg: Record<string, unknown>;
}

/** In the cloud: messages arriving from edges, exactly once per (edge, sequence). */
export interface EdgeHub {
  subscribe(listener: (m: UpstreamMessage) => void): () => void;
}
export const edgeHubKey = serviceKey<EdgeHub>('edge-hub');

/**
 * The reserved channel `device post` nodes queue device data under, in the same disk-backed
 * queue as `cloud out` (whose channels cannot start with `$`). The cloud hands these items to
 * the device registry instead of to `edge in` nodes.
 */
export const DEVICE_POST_CHANNEL = '$device';

/** A queued device post: what a device would send over MQTT, for the edge's gateway device or a sub-device. */
export const devicePostSchema = z.object({
  kind: z.enum(['points', 'event', 'attributes']),
  productKey: z.string().min(1),
  deviceKey: z.string().min(1),
  /** As in the EnOS envelope: `{ measurepoints, time }`, `{ events, time }` or `{ attributes }`. */
  params: z.record(z.string(), z.unknown()),
  /** The event identifier (kind `event`). */
  event: z.string().min(1).optional(),
  /** The node that queued it, so that the cloud can show a refusal on it. */
  nodeId: z.string().optional(),
  z: z.string().optional(),
});
export type DevicePost = z.infer<typeof devicePostSchema>;
