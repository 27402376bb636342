import { describe, expect, it } from 'vitest';
import { escapeLabel, renderPrometheus } from './prometheus.js';

describe('prometheus text', () => {
  it('escapes label values', () => {
    expect(escapeLabel('a"b\\c\nd')).toBe('a\\"b\\\\c\\nd');
  });

  it('renders counters per node with HELP and TYPE once per family', () => {
    const text = renderPrometheus({
      snapshot: { time: 0, queueDepth: 4, paused: true, nodes: [{ id: 'n"1', type: 't', z: 'f', in: 5, out: 4, errors: 1, queued: 2 }] },
      memory: { rss: 100, heapUsed: 50, heapTotal: 80, external: 1, arrayBuffers: 0 },
      uptimeSeconds: 1.5,
      flowsVersion: 7,
      clients: 2,
    });
    expect(text.endsWith('\n')).toBe(true);
    expect(text).toContain('gridflow_node_messages_in_total{node="n\\"1",type="t",flow="f"} 5');
    expect(text).toContain('gridflow_node_errors_total{node="n\\"1",type="t",flow="f"} 1');
    expect(text).toContain('gridflow_runtime_paused 1');
    expect(text).toContain('gridflow_queue_depth 4');
    expect(text.match(/# TYPE gridflow_node_messages_in_total counter/g)).toHaveLength(1);
  });
});
