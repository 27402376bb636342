// Node-RED for the edge benchmark: bench/runtime/node-red-child.cjs, kept running once its flows
// have settled (an edge agent stays up waiting for work; so must Node-RED to have an idle RSS).
require('./runtime/node-red-child.cjs');
setInterval(() => undefined, 60_000);
