import { types } from 'node:util';
import type { CaseFlowNode, CaseInput, ConformanceCase } from './case-schema.js';

/**
 * A case as both runners deploy it: its nodes on a tab of their own, every node id prefixed with
 * `k<index>_` so that many cases can share one Node-RED deployment. Both runtimes get the same
 * prefixed flow, so ids inside outputs (error sources, debug ids) agree; canonical() strips the prefix.
 */
export interface PlacedCase {
  case: ConformanceCase;
  prefix: string;
  flow: Record<string, unknown>[];
  collectors: string[];
  inputs: CaseInput[];
  waitMs: number;
  isolated: boolean;
  unprefix(s: string): string;
}

export const DEFAULT_WAIT_MS = 40;
/** Cases run at the same time (one Node-RED deployment, or as many Gridflow runtimes). */
export const BATCH_SIZE = 25;
/** Pause between deploy and the first input, so that start-up work does not make the first timings late. */
export const STARTUP_MS = 20;

/** Properties that hold node ids (or lists of them) in core nodes' configs. */
const idProps = ['z', 'g', 'scope', 'links', 'nodes'] as const;

export function placeCase(c: ConformanceCase, index: number): PlacedCase {
  const prefix = `k${index}_`;
  const ids = new Set(c.flow.map((n) => n.id));
  const ref = (v: unknown): unknown => {
    if (typeof v === 'string') return ids.has(v) ? prefix + v : v;
    if (Array.isArray(v)) return v.map(ref);
    return v;
  };
  const tab: Record<string, unknown> = { id: `${prefix}tab`, type: 'tab', label: c.name, ...(c.tabEnv ? { env: c.tabEnv } : {}) };
  const flow = [
    tab,
    ...c.flow.map((n: CaseFlowNode, i) => {
      // Node-RED takes a node without x/y for a config node: every flow node gets a position.
      const out: Record<string, unknown> = { x: 100 + 150 * i, y: 100, ...n, id: prefix + n.id, z: `${prefix}tab` };
      for (const key of idProps) if (key !== 'z' && key in n) out[key] = ref(n[key]);
      if (n.wires) out['wires'] = n.wires.map((port) => port.map((id) => (ids.has(id) ? prefix + id : id)));
      return out;
    }),
  ];
  return {
    case: c,
    prefix,
    flow,
    collectors: c.flow.filter((n) => n.type === 'helper').map((n) => n.id),
    inputs: c.inputs,
    waitMs: c.waitMs ?? DEFAULT_WAIT_MS,
    isolated: c.isolated === true,
    unprefix: (s) => s.split(prefix).join(''),
  };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Quiet time that ends a case once its waitMs is over: a busy machine may run late, not wrong. */
const QUIET_MS = 15;
const MAX_EXTRA_MS = 500;

/** Waits the case's waitMs, then until nothing new was observed for QUIET_MS (at most MAX_EXTRA_MS more). */
/**
 * Event-loop turns that must also pass without anything new: both runtimes deliver one hop per
 * turn (setImmediate), and on a loaded machine a turn can take longer than QUIET_MS, so a quiet
 * spell measured in milliseconds alone could end a case while its messages are still in flight.
 */
const QUIET_TURNS = 8;

const turns = (n: number) =>
  new Promise<void>((resolve) => {
    const step = (left: number) => (left === 0 ? resolve() : setImmediate(() => step(left - 1)));
    step(n);
  });

export async function settle(waitMs: number, observed: () => number): Promise<void> {
  await sleep(waitMs);
  const deadline = Date.now() + MAX_EXTRA_MS;
  for (let seen = observed(); Date.now() < deadline; ) {
    await sleep(QUIET_MS);
    await turns(QUIET_TURNS);
    const now = observed();
    if (now === seen) return;
    seen = now;
  }
}

/** Splits a list into runs of at most `size`, to keep the machine from being swamped by all cases at once. */
export function chunk<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/**
 * The text a log entry shows, for an Error or anything else a node logged. Node-RED's debug node
 * encodes error log entries in place for the sidebar (`{"__enc__":true,"type":"error",...}`), so
 * that form is decoded back to the error's message.
 */
export function logText(msg: unknown): string {
  if (types.isNativeError(msg)) return msg.message;
  if (typeof msg === 'string') return decodedError(msg) ?? msg;
  try {
    return JSON.stringify(msg);
  } catch {
    // Circular or otherwise unserialisable: the string form is all there is to compare.
    return String(msg);
  }
}

function decodedError(s: string): string | undefined {
  if (!s.startsWith('{"__enc__":true')) return undefined;
  try {
    const parsed = JSON.parse(s) as { type?: unknown; data?: { message?: unknown } };
    return parsed.type === 'error' && typeof parsed.data?.message === 'string' ? parsed.data.message : undefined;
  } catch {
    // Not the debug node's encoding after all: the text is compared as it is.
    return undefined;
  }
}
