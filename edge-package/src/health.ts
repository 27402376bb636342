import type { EdgeHealth } from '@gridflow/runtime/contract/edge';
import type { Runtime } from '@gridflow/runtime';
import type { DiskQueue } from './disk-queue.js';

/** Samples what the heartbeat reports; CPU is the share of one core since the last sample. */
export function healthSampler(options: {
  version: string;
  runtime: Runtime;
  queue: DiskQueue;
  runningRev: () => string | null;
}) {
  const started = Date.now();
  let lastCpu = process.cpuUsage();
  let lastAt = process.hrtime.bigint();
  return (): EdgeHealth => {
    const cpu = process.cpuUsage(lastCpu);
    const now = process.hrtime.bigint();
    const elapsedUs = Number(now - lastAt) / 1000;
    lastCpu = process.cpuUsage();
    lastAt = now;
    const metrics = options.runtime.metrics();
    const oldest = options.queue.oldestTime();
    return {
      version: options.version,
      uptimeSec: Math.round((Date.now() - started) / 1000),
      cpuPercent: elapsedUs > 0 ? Math.round(((cpu.user + cpu.system) / elapsedUs) * 1000) / 10 : 0,
      rssBytes: process.memoryUsage.rss(),
      runningRev: options.runningRev(),
      nodes: metrics.nodes.length,
      errors: metrics.nodes.reduce((sum, n) => sum + n.errors, 0),
      statuses: options.runtime
        .statuses()
        .slice(0, 500)
        .map((s) => ({
          id: s.id,
          ...(s.status.fill ? { fill: s.status.fill } : {}),
          ...(s.status.text ? { text: s.status.text } : {}),
        })),
      backlog: {
        size: options.queue.size(),
        oldestAgeSec: oldest === null ? null : Math.round((Date.now() - oldest) / 1000),
        dropped: options.queue.dropped(),
        limit: options.queue.limit,
      },
    };
  };
}
