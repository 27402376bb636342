import type { Msg } from '@gridflow/runtime';
import type { FlowHarness } from './flow-harness.js';

// setImmediate stays real: the runtime's scheduler delivers with it.
export const FAKE: ('setTimeout' | 'clearTimeout' | 'setInterval' | 'clearInterval' | 'Date')[] = [
  'setTimeout',
  'clearTimeout',
  'setInterval',
  'clearInterval',
  'Date',
];

export async function feed(harness: FlowHarness, id: string, msgs: Partial<Msg>[]) {
  for (const m of msgs) harness.send(id, m);
  await harness.runtime.idle();
}
export const values = (harness: FlowHarness, id: string) => harness.received(id).map((m) => m.payload);
