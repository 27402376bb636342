// `npm run bench`: every benchmark in one run, each printing its side-by-side figures and ratios.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const benches = [
  ['runtime', 'runtime/compare.mjs'],
  ['stream', 'stream-window.mjs'],
  ['questdb', 'questdb-ingest.mjs'],
  ['devices', 'device-ingest.mjs'],
  ['etl', 'etl-job.mjs'],
  ['edge', 'edge.mjs'],
  ['editor', 'editor.mjs'],
];
for (const [name, file] of benches) {
  if (only.length && !only.includes(name)) continue;
  const path = join(here, file);
  if (!existsSync(path)) {
    console.log(`\n[${name}] not present yet (${file})`);
    continue;
  }
  console.log(`\n===== ${name} =====`);
  await import(path);
}
