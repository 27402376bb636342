import type { CaseFlowNode, ConformanceCase } from '../case-schema.js';

/** Small builders that keep the case files close to the flows.json they describe. */

/** A collector node (the test helper's `helper` type). */
export const out = (id = 'out'): CaseFlowNode => ({ id, type: 'helper' });

/** A catch node for the whole tab, wired to collector `errors`. */
export const catchAll = (): CaseFlowNode[] => [{ id: 'catch', type: 'catch', scope: null, uncaught: false, wires: [['errors']] }, out('errors')];

/** Messages into node `to`, one after the other. */
export const send = (to: string, ...msgs: Record<string, unknown>[]) => msgs.map((msg) => ({ to, msg }));

/** Payloads into node `to`, one after the other. */
export const payloads = (to: string, ...values: unknown[]) => values.map((payload) => ({ to, msg: { payload } }));

/** Keeps the literal case types while checking them against the schema's type. */
export const cases = (list: ConformanceCase[]): ConformanceCase[] => list;
