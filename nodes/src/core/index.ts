import type { AnyNodeDefinition } from '@gridflow/runtime';
import { sequenceNodes } from './sequence-nodes.js';
import { transformNodes } from './transform-nodes.js';

/** The core node types, with Node-RED's properties and behaviour. */
export const coreNodes: AnyNodeDefinition[] = [...transformNodes, ...sequenceNodes];
