import type { DebugOutput, NodeStatus } from '@gridflow/runtime';
import { encodeDebugValue } from '../comms/debug-encode.js';
import type { ServerHost } from '../server.js';
import type { EdgeRelayEvent } from './edge-hub.js';

/** Edge debug output and node status reach the editor like the cloud's own, tagged with the edge. */
export function relayToEditors(host: ServerHost, event: EdgeRelayEvent): void {
  if (event.kind === 'debug') {
    const d = event.data as DebugOutput;
    if (!d || typeof d.id !== 'string') return;
    const encoded = encodeDebugValue(d.msg, { maxStringLength: 1000, maxArrayLength: 1000, maxDepth: 10 });
    host.io.emit('debug', {
      messages: [
        {
          id: d.id,
          ...(d.z ? { z: d.z } : {}),
          ...(d.name ? { name: d.name } : {}),
          ...(d.topic ? { topic: d.topic } : {}),
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
  } else if (event.kind === 'status') {
    const s = event.data as { id?: unknown; z?: unknown; status?: NodeStatus };
    if (typeof s?.id !== 'string' || !s.status) return;
    host.io.emit('status', { id: s.id, z: typeof s.z === 'string' ? s.z : '', status: s.status });
  } else {
    host.io.emit('edge', { edgeId: event.edgeId, kind: event.kind, data: event.data });
  }
}
