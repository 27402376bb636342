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
