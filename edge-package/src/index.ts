export { startAgent, edgeRegistry, EDGE_VERSION, type EdgeAgent, type EdgeLogger } from './agent.js';
export { parseEdgeArgs, edgeOptionsSchema, USAGE, type EdgeOptions } from './options.js';
export { openDiskQueue, type DiskQueue } from './disk-queue.js';
export { createForwarder } from './forwarder.js';
