import { z } from 'zod';
import { defineNode } from '@gridflow/runtime';

/** A note on the canvas; it does nothing at run time. */
export const commentNode = defineNode({
  type: 'comment',
  category: 'core',
  role: 'comment',
  inputs: 0,
  outputs: 0,
  config: z.object({ name: z.string().default(''), info: z.string().default('') }),
  label: 'comment',
  icon: 'comment.svg',
  color: '#ffffff',
  help: 'A comment for documenting flows. The text in **info** is shown in the info panel and supports markdown.',
  create: () => ({}),
});
