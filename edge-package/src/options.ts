import { z } from 'zod';

export const edgeOptionsSchema = z.object({
  server: z
    .url({ message: '--server must be an http(s) URL, e.g. http://gridflow.example:1880' })
    .refine((u) => /^https?:/.test(u), '--server must use http or https'),
  token: z.string().min(16, '--token must be the enrollment token shown in the editor').optional(),
  dataDir: z.string().min(1).default('./gridflow-edge-data'),
  name: z.string().min(1).max(120).optional(),
  /** Messages per second when draining the backlog after a reconnect. */
  backfillRate: z.number().int().positive().default(10_000),
  /** Most messages kept on disk; the oldest are dropped (and counted) beyond it. */
  queueLimit: z.number().int().positive().default(5_000_000),
  heartbeatMs: z.number().int().min(500).default(5_000),
});
export type EdgeOptions = z.infer<typeof edgeOptionsSchema>;

const FLAGS: Record<string, { key: keyof EdgeOptions; numeric?: boolean }> = {
  '--server': { key: 'server' },
  '--token': { key: 'token' },
  '--data': { key: 'dataDir' },
  '--name': { key: 'name' },
  '--backfill-rate': { key: 'backfillRate', numeric: true },
  '--queue-limit': { key: 'queueLimit', numeric: true },
  '--heartbeat-ms': { key: 'heartbeatMs', numeric: true },
};

export const USAGE = `Usage: gridflow-edge --server URL [--token TOKEN] [--data DIR] [--name NAME]
                     [--backfill-rate N] [--queue-limit N] [--heartbeat-ms N]

  --server URL         the Gridflow server, e.g. http://gridflow.example:1880
  --token TOKEN        enrollment token from the editor's Edges page (first start only)
  --data DIR           where the identity, last deployment and upstream queue live (./gridflow-edge-data)
  --name NAME          name shown in the editor (defaults to the host name)
  --backfill-rate N    messages per second when draining the backlog after a reconnect (10000)
  --queue-limit N      most messages kept on disk; the oldest are dropped (and counted) beyond it (5000000)
  --heartbeat-ms N     how often health is reported to the server (5000)`;

/** Parses argv; throws with a message naming the flag at fault. */
export function parseEdgeArgs(argv: string[]): EdgeOptions {
  const raw: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    const spec = FLAGS[flag];
    if (!spec) throw new Error(`unknown flag ${flag}`);
    const value = inline ?? argv[++i];
    if (value === undefined || value.startsWith('--')) throw new Error(`${flag} needs a value`);
    if (spec.numeric) {
      const n = Number(value);
      if (!Number.isFinite(n)) throw new Error(`${flag} must be a number, got "${value}"`);
      raw[spec.key] = n;
    } else raw[spec.key] = value;
  }
  if (raw['server'] === undefined) throw new Error('--server is required');
  const parsed = edgeOptionsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const flag = Object.entries(FLAGS).find(([, s]) => s.key === issue?.path[0])?.[0] ?? String(issue?.path[0] ?? '');
    throw new Error(`${flag}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}
