// Runs Node-RED 4.1 headless (no editor, no HTTP nodes) on the flows file given, for the benchmark.
const path = require('node:path');
const http = require('node:http');
const RED = require('node-red');
const [flowFile, userDir] = process.argv.slice(2);
const server = http.createServer();
RED.init(server, {
  userDir,
  flowFile: path.basename(flowFile),
  httpAdminRoot: false,
  httpNodeRoot: false,
  disableEditor: true,
  functionGlobalContext: { perf: require('node:perf_hooks').performance },
  logging: { console: { level: 'error', metrics: false, audit: false } },
  editorTheme: { tours: false },
  telemetry: { enabled: false },
});
RED.start().catch((err) => {
  console.error(err);
  process.exit(1);
});
