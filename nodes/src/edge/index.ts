import type { AnyNodeDefinition } from '@gridflow/runtime';
import { cloudOutNode } from './cloud-out.js';
import { edgeInNode } from './edge-in.js';
import { devicePostNode } from './device-post.js';

export * from './services.js';

/** Nodes that carry messages and device data from edge agents to the cloud. */
export const edgeNodes: AnyNodeDefinition[] = [cloudOutNode, devicePostNode, edgeInNode];

/** The ones an edge agent runs (edge in runs in the cloud). */
export const edgeAgentNodes: AnyNodeDefinition[] = [cloudOutNode, devicePostNode];
export { deriveEdgeKey, encryptForEdge, decryptForEdge } from './credentials-crypto.js';
