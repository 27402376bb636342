import type { AnyNodeDefinition } from '@gridflow/runtime';
import { cloudOutNode } from './cloud-out.js';
import { edgeInNode } from './edge-in.js';

export * from './services.js';

/** Nodes that carry messages from edge agents to the cloud. */
export const edgeNodes: AnyNodeDefinition[] = [cloudOutNode, edgeInNode];
export { deriveEdgeKey, encryptForEdge, decryptForEdge } from './credentials-crypto.js';
