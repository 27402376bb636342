import { z } from 'zod';

/**
 * One conformance case: a piece of flows.json (the nodes under test wired to `helper`
 * collector nodes), the messages sent into it, and how the two runtimes' outputs are compared.
 * The same flow JSON is deployed into Node-RED and into Gridflow.
 */

const flowNodeSchema = z
  .object({
    id: z.string().min(1),
    type: z.string().min(1),
    wires: z.array(z.array(z.string())).optional(),
  })
  .passthrough();

export const caseInputSchema = z.object({
  /** Node id the message is delivered to (its input port). */
  to: z.string(),
  /** The message; `_msgid` is added by the runtime when absent. */
  msg: z.record(z.string(), z.unknown()),
  /** Wait this long after the previous input (or after deploy, for the first one) before sending. */
  delayMs: z.number().nonnegative().optional(),
});

export const compareSchema = z.object({
  /** Dotted paths dropped from every collected message before comparing (`payload.time`, `error.stack`). */
  ignore: z.array(z.string()).optional(),
  /** Paths whose value is checked for type only (a timestamp: both sides must give a number). */
  typeOnly: z.array(z.string()).optional(),
  /**
   * Keep `_msgid` (mapped to stable labels: `in0`.. for input ids, `id1`.. for new ones in order of
   * appearance), for cases that check message id preservation. Dropped otherwise.
   */
  msgid: z.boolean().optional(),
  /** `per-collector` (default): each collector's sequence must match; `global`: the interleaving too; `unordered`: as multisets. */
  order: z.enum(['per-collector', 'global', 'unordered']).optional(),
  /** Also compare when each output arrived (ms after deploy), within this tolerance. */
  timingToleranceMs: z.number().positive().optional(),
  /** Compare unhandled node errors (node id and message). Default true. */
  errors: z.boolean().optional(),
  /** Compare node warnings (node id and message). Default false. */
  warnings: z.boolean().optional(),
});

export const conformanceCaseSchema = z.object({
  name: z.string().min(1),
  /** The nodes under test and their `helper` collectors; the runner puts them on a tab of their own. */
  flow: z.array(flowNodeSchema).min(1),
  /** Env entries of that tab (for `env` typed inputs and `env.get`). */
  tabEnv: z.array(z.object({ name: z.string(), type: z.string(), value: z.unknown() })).optional(),
  inputs: z.array(caseInputSchema),
  /** How long to keep collecting after the last input (default 40 ms). */
  waitMs: z.number().nonnegative().optional(),
  /**
   * Expected outputs per collector id, each message matched partially (only the properties given).
   * Checked against Node-RED, so a case cannot pass by both runtimes doing nothing; with `differs`
   * it is checked against Gridflow instead.
   */
  expect: z.record(z.string(), z.array(z.unknown())).optional(),
  compare: compareSchema.optional(),
  /** The case differs on purpose: why. The outputs must then still differ (the reason stays true). */
  differs: z.string().optional(),
  /**
   * Uses state shared across tabs in Node-RED (global context, link names): deployed alone
   * instead of in the shared batch.
   */
  isolated: z.boolean().optional(),
});

export type CaseInput = z.infer<typeof caseInputSchema>;
export type CompareOptions = z.infer<typeof compareSchema>;
export type ConformanceCase = z.infer<typeof conformanceCaseSchema>;
export type CaseFlowNode = z.infer<typeof flowNodeSchema>;

/** One thing a runtime produced while running a case, already in canonical (comparable) form. */
export type Observation =
  | { kind: 'msg'; collector: string; t: number; msg: unknown }
  | { kind: 'debug'; node: string; t: number; output: unknown }
  | { kind: 'error'; node: string; t: number; message: string }
  | { kind: 'warn'; node: string; t: number; message: string };

/** What one runtime produced for one case. */
export interface CaseRun {
  observations: Observation[];
  /** The case could not run (deploy rejected, unknown node type, runner failure). */
  failure?: string;
}
