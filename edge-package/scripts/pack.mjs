// `npm run build:edge`: bundles the agent with the runtime and the nodes it ships (core, device,
// stream, cloud out) into one file, and packs an npm tarball whose package.json lists exactly the
// third-party packages that bundle imports, at the versions the workspaces declare.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OPTIONAL_PACKAGES, bundleAgent, declaredDependencies } from './bundle.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const pkgDir = join(here, '..');
const stage = join(pkgDir, '.pack');
const out = join(pkgDir, 'release');
const read = (p) => JSON.parse(readFileSync(p, 'utf8'));

const edge = read(join(pkgDir, 'package.json'));
const declared = declaredDependencies();
/** 'node-opcua/lib/x' → 'node-opcua', '@scope/pkg/x' → '@scope/pkg'. */
const packageOf = (specifier) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

console.log('[edge] bundling the agent (runtime + core, device, stream nodes)...');
rmSync(stage, { recursive: true, force: true });
const metafile = await bundleAgent(stage);

const used = new Set();
for (const input of Object.values(metafile.inputs)) {
  // Bundled CommonJS packages name Node's built-ins without the node: prefix ('buffer', 'tty').
  for (const imp of input.imports) if (imp.external && !isBuiltin(imp.path)) used.add(packageOf(imp.path));
}
// Packages loaded through createRequire() are invisible to esbuild's import graph: find their
// require('...') and requireDeferring('...') calls in the bundle itself.
const bundleText = readFileSync(join(stage, 'dist', 'cli.js'), 'utf8');
for (const m of bundleText.matchAll(/\b(?:require\d*|requireDeferring)\(\s*["']([^"'.][^"']*)["']\s*[,)]/g)) {
  const name = packageOf(m[1]);
  if (!m[1].startsWith('node:') && declared[name]) used.add(name);
}
const dependencies = {};
for (const name of [...used].filter((n) => !OPTIONAL_PACKAGES.includes(n)).sort()) {
  if (!declared[name]) throw new Error(`[edge] the bundle imports ${name}, which no bundled workspace declares`);
  dependencies[name] = declared[name];
}

writeFileSync(
  join(stage, 'package.json'),
  JSON.stringify(
    {
      name: 'gridflow-edge',
      version: edge.version,
      description: edge.description,
      type: 'module',
      bin: { 'gridflow-edge': './bin/gridflow-edge.mjs' },
      engines: { node: '>=20.19' },
      dependencies,
    },
    null,
    2,
  ),
);
const file = `gridflow-edge-${edge.version}.tgz`;
writeFileSync(
  join(stage, 'README.md'),
  `# gridflow-edge ${edge.version}

The Gridflow edge agent: runs the flows deployed to it from the editor next to the equipment,
keeps running them when the server is unreachable, and forwards data upstream through a
disk-backed queue.

Install:  npm install -g ./${file}
Start:    gridflow-edge --server http://SERVER:1880 --token TOKEN --data /var/lib/gridflow-edge

The token comes from the editor's Edges page and is used once; afterwards the edge connects with
its own credential kept in the data directory. \`gridflow-edge --help\` lists every flag.
`,
);
mkdirSync(out, { recursive: true });
console.log(`[edge] packing (dependencies: ${Object.keys(dependencies).join(', ')})...`);
const packed = execFileSync('npm', ['pack', '--pack-destination', out], { cwd: stage, encoding: 'utf8' })
  .trim()
  .split('\n')
  .pop();
rmSync(stage, { recursive: true, force: true });
console.log(`[edge] ${join(out, packed)}`);
