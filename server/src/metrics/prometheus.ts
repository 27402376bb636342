import type { MetricsSnapshot } from '@gridflow/runtime';

/** Escapes a label value as the Prometheus text format requires. */
export const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');

interface Family {
  name: string;
  help: string;
  type: 'counter' | 'gauge';
  samples: { labels?: Record<string, string>; value: number }[];
}

function renderFamily(f: Family): string {
  const lines = [`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.type}`];
  for (const s of f.samples) {
    const labels = s.labels
      ? `{${Object.entries(s.labels)
          .map(([k, v]) => `${k}="${escapeLabel(v)}"`)
          .join(',')}}`
      : '';
    const value = Number.isFinite(s.value) ? String(s.value) : s.value > 0 ? '+Inf' : s.value < 0 ? '-Inf' : 'NaN';
    lines.push(`${f.name}${labels} ${value}`);
  }
  return lines.join('\n');
}

export interface PrometheusInput {
  snapshot: MetricsSnapshot;
  memory: NodeJS.MemoryUsage;
  uptimeSeconds: number;
  /** Version number of the deployed flows (0 before the first deploy). */
  flowsVersion: number;
  /** Socket.io clients connected. */
  clients: number;
}

/** The Prometheus text exposition (version 0.0.4) of the runtime's per-node counters and the process. */
export function renderPrometheus(input: PrometheusInput): string {
  const { snapshot, memory } = input;
  const nodeLabels = (n: MetricsSnapshot['nodes'][number]) => ({ node: n.id, type: n.type, flow: n.z });
  const families: Family[] = [
    {
      name: 'gridflow_node_messages_in_total',
      help: 'Messages delivered to a node since it started.',
      type: 'counter',
      samples: snapshot.nodes.map((n) => ({ labels: nodeLabels(n), value: n.in })),
    },
    {
      name: 'gridflow_node_messages_out_total',
      help: 'Messages a node sent since it started.',
      type: 'counter',
      samples: snapshot.nodes.map((n) => ({ labels: nodeLabels(n), value: n.out })),
    },
    {
      name: 'gridflow_node_errors_total',
      help: 'Errors a node reported since it started.',
      type: 'counter',
      samples: snapshot.nodes.map((n) => ({ labels: nodeLabels(n), value: n.errors })),
    },
    {
      name: 'gridflow_node_queued',
      help: 'Messages waiting in the scheduler for a node.',
      type: 'gauge',
      samples: snapshot.nodes.map((n) => ({ labels: nodeLabels(n), value: n.queued })),
    },
    { name: 'gridflow_queue_depth', help: 'Messages waiting in the scheduler.', type: 'gauge', samples: [{ value: snapshot.queueDepth }] },
    {
      name: 'gridflow_runtime_paused',
      help: '1 while sources are told to slow down (back-pressure).',
      type: 'gauge',
      samples: [{ value: snapshot.paused ? 1 : 0 }],
    },
    { name: 'gridflow_nodes_running', help: 'Nodes running.', type: 'gauge', samples: [{ value: snapshot.nodes.length }] },
    { name: 'gridflow_flows_version', help: 'Version number of the deployed flows.', type: 'gauge', samples: [{ value: input.flowsVersion }] },
    { name: 'gridflow_editor_clients', help: 'Connected editor sockets.', type: 'gauge', samples: [{ value: input.clients }] },
    { name: 'process_resident_memory_bytes', help: 'Resident memory size in bytes.', type: 'gauge', samples: [{ value: memory.rss }] },
    { name: 'nodejs_heap_size_used_bytes', help: 'V8 heap used in bytes.', type: 'gauge', samples: [{ value: memory.heapUsed }] },
    { name: 'nodejs_heap_size_total_bytes', help: 'V8 heap size in bytes.', type: 'gauge', samples: [{ value: memory.heapTotal }] },
    { name: 'nodejs_external_memory_bytes', help: 'Memory of C++ objects bound to JavaScript objects.', type: 'gauge', samples: [{ value: memory.external }] },
    { name: 'process_uptime_seconds', help: 'Seconds since the server started.', type: 'gauge', samples: [{ value: input.uptimeSeconds }] },
  ];
  return `${families.map(renderFamily).join('\n')}\n`;
}

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
