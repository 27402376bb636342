import type { DebugOutput } from '@gridflow/runtime';
import { deployAckSchema, nodeStatusSchema, type StatusEvent } from '@gridflow/runtime/contract';
import { encodeDebugValue } from '../comms/debug-encode.js';
import type { ServerHost } from '../server.js';
import type { EdgeRelayEvent } from './edge-hub.js';

const LIMITS = { maxStringLength: 1000, maxArrayLength: 1000, maxDepth: 10 };

/**
 * Edge debug output and node status reach the editor like the cloud's own, tagged with the
 * edge. A refused deployment shows as a red status under each failing node, named by edge, and
 * is cleared once that edge runs a deployment again.
 */
export function createEditorRelay(host: Pick<ServerHost, 'io'>): (event: EdgeRelayEvent) => void {
  /** Per edge, the nodes that carry a deploy error status. */
  const failing = new Map<string, Set<string>>();
  const status = (s: StatusEvent) => host.io.emit('status', s);

  return (event) => {
    if (event.kind === 'debug') {
      const d = event.data as DebugOutput | null;
      if (!d || typeof d.id !== 'string') return;
      const encoded = encodeDebugValue(d.msg, LIMITS);
      host.io.emit('debug', {
        messages: [
          {
            id: d.id,
            ...(d.z ? { z: d.z } : {}),
            name: d.name ? `${d.name} @ ${event.edgeName}` : `@ ${event.edgeName}`,
            ...(d.topic !== undefined ? { topic: String(d.topic) } : {}),
            property: d.property,
            format: encoded.format,
            msg: encoded.msg,
            ...(encoded.truncated ? { truncated: true } : {}),
            edge: event.edgeId,
            time: Date.now(),
          },
        ],
        dropped: {},
      });
      return;
    }
    if (event.kind === 'status') {
      const s = event.data as { id?: unknown; z?: unknown; status?: unknown } | null;
      const parsed = nodeStatusSchema.safeParse(s?.status);
      if (typeof s?.id !== 'string' || !parsed.success) return;
      const text = parsed.data.text ? `${event.edgeName}: ${parsed.data.text}` : undefined;
      status({
        id: s.id,
        z: typeof s.z === 'string' ? s.z : '',
        status: { ...parsed.data, ...(text ? { text } : {}) },
      });
      return;
    }
    if (event.kind === 'deploy') {
      const ack = deployAckSchema.safeParse(event.data);
      if (ack.success) {
        for (const id of failing.get(event.edgeId) ?? []) status({ id, z: '', status: {} });
        failing.delete(event.edgeId);
        if (!ack.data.ok && ack.data.problems?.length) {
          failing.set(event.edgeId, new Set(ack.data.problems.map((p) => p.nodeId)));
          for (const p of ack.data.problems) {
            status({
              id: p.nodeId,
              z: '',
              status: {
                fill: 'red',
                shape: 'ring',
                text: `${event.edgeName}: ${p.property ? `${p.property}: ` : ''}${p.message}`.slice(0, 200),
              },
            });
          }
        }
      }
    }
    host.io.emit('edge', { edgeId: event.edgeId, kind: event.kind, data: event.data });
  };
}
