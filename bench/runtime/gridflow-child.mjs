// Runs the Gridflow runtime with the shipped node types on the flows file given, for the benchmark.
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { createRegistry, createRuntime } from '@gridflow/runtime';
import { allNodes } from '@gridflow/nodes';

const [flowFile] = process.argv.slice(2);
const runtime = createRuntime({
  registry: createRegistry(allNodes),
  settings: { functionGlobalContext: { perf: performance } },
});
runtime.events.on('log', (e) => {
  if (e.level === 'error') console.error(`[${e.id ?? ''}] ${e.message}`);
});
await runtime.deploy(JSON.parse(await readFile(flowFile, 'utf8')));
