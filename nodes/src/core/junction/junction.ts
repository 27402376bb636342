import { z } from 'zod';
import { defineNode } from '@gridflow/runtime';

/** A wiring point: passes every message on unchanged. */
export const junctionNode = defineNode({
  type: 'junction',
  category: 'core',
  role: 'junction',
  inputs: 1,
  outputs: 1,
  config: z.object({}),
  label: 'junction',
  color: '#d9d9d9',
  help: 'A point where wires meet. Every message it receives is passed on unchanged to all wires leaving it.',
  create: () => ({ input: (msg, send) => send(msg) }),
});
