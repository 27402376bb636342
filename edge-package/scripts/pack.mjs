// `npm run build:edge`: bundles the agent with the runtime and nodes it ships into one file and
// packs an npm tarball whose package.json lists the third-party dependencies it needs.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const pkgDir = join(here, '..');
const root = join(pkgDir, '..');
const stage = join(pkgDir, '.pack');
const out = join(pkgDir, 'release');
const read = (p) => JSON.parse(readFileSync(p, 'utf8'));

const edge = read(join(pkgDir, 'package.json'));
const deps = {};
for (const p of ['runtime', 'nodes', 'edge-package']) {
  for (const [name, version] of Object.entries(read(join(root, p, 'package.json')).dependencies ?? {})) {
    if (!name.startsWith('@gridflow/')) deps[name] = version;
  }
}
for (const extra of ['acorn', 'acorn-walk']) {
  if (!deps[extra]) delete deps[extra];
}

console.log('[edge] bundling the agent (runtime + core, device, stream nodes)...');
rmSync(stage, { recursive: true, force: true });
mkdirSync(join(stage, 'bin'), { recursive: true });
await build({
  entryPoints: [join(pkgDir, 'dist', 'cli.js')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: join(stage, 'dist', 'cli.js'),
  // Third-party packages stay external and are installed from the registry with the tarball.
  external: Object.keys(deps),
  banner: { js: "import { createRequire as __gfCreateRequire } from 'node:module'; const require = __gfCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
copyFileSync(join(pkgDir, 'bin', 'gridflow-edge.mjs'), join(stage, 'bin', 'gridflow-edge.mjs'));
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
      dependencies: deps,
    },
    null,
    2,
  ),
);
writeFileSync(
  join(stage, 'README.md'),
  `# gridflow-edge\n\nInstall: \`npm install -g ./gridflow-edge-${edge.version}.tgz\`\n\nStart: \`gridflow-edge --server http://SERVER:1880 --token TOKEN --data /var/lib/gridflow-edge\`\n`,
);
mkdirSync(out, { recursive: true });
console.log('[edge] packing...');
const file = execFileSync('npm', ['pack', '--pack-destination', out], { cwd: stage, encoding: 'utf8' }).trim().split('\n').pop();
rmSync(stage, { recursive: true, force: true });
console.log(`[edge] ${join(out, file)}`);
