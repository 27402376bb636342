// The agent as one ESM file: what `npm run build:edge` ships and what bench/edge.mjs measures.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkgDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const root = join(pkgDir, '..');
const read = (p) => JSON.parse(readFileSync(p, 'utf8'));

/**
 * Pure-JS packages the agent loads at every start, bundled in rather than installed: loaded as
 * ~350 separate ES and CommonJS modules (zod alone is ~300 files) they cost the idle agent several
 * MB more than the same code in one file (issue 6). Everything else stays external: native
 * modules, and libraries that are loaded only when a flow uses them (protocols; acorn, which the
 * function node requires only for code with loops or functions).
 */
export const BUNDLED_PACKAGES = [
  'zod',
  'socket.io-client',
  'ws',
  'croner',
  'mustache',
  'js-yaml',
];
/** Native speed-ups ws requires inside a try when installed; the agent does not need them. */
export const OPTIONAL_PACKAGES = ['bufferutil', 'utf-8-validate'];

/**
 * zod's namespace re-exports its ~50 message locales: ~300 KB of source the agent would hold as
 * long as it runs, for error texts it only ever words in zod's default, English. The bundle keeps
 * `z.locales.en` and drops the others (nothing in the bundled workspaces calls `z.config`).
 */
const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\/(?:\.\.\/)?locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer)
        ? { path: join(dirname(args.importer), args.path), namespace: 'zod-locales' }
        : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: "export { default as en } from './en.js';",
      resolveDir: dirname(args.path),
    }));
  },
};

/** Every third-party dependency the bundled workspaces declare, name → version range. */
export function declaredDependencies() {
  const declared = {};
  for (const p of ['runtime', 'nodes', 'edge-package']) {
    for (const [name, version] of Object.entries(read(join(root, p, 'package.json')).dependencies ?? {})) {
      if (!name.startsWith('@gridflow/')) declared[name] = version;
    }
  }
  return declared;
}

/**
 * Bundles dist/cli.js (run `tsc -b` first) into `<dir>/dist/cli.js` with the launcher in
 * `<dir>/bin`; returns esbuild's metafile. Whitespace and syntax are minified (the source text
 * stays in memory for as long as the agent runs); names are kept for readable stack traces.
 */
export async function bundleAgent(dir) {
  const external = [
    ...Object.keys(declaredDependencies()).filter((name) => !BUNDLED_PACKAGES.includes(name)),
    ...OPTIONAL_PACKAGES,
  ];
  mkdirSync(join(dir, 'bin'), { recursive: true });
  const result = await build({
    entryPoints: [join(pkgDir, 'dist', 'cli.js')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: join(dir, 'dist', 'cli.js'),
    minifyWhitespace: true,
    minifySyntax: true,
    external,
    banner: {
      js: "import { createRequire as __gfCreateRequire } from 'node:module'; const require = __gfCreateRequire(import.meta.url);",
    },
    plugins: [zodEnglishOnly],
    metafile: true,
    logLevel: 'error',
  });
  copyFileSync(join(pkgDir, 'bin', 'gridflow-edge.mjs'), join(dir, 'bin', 'gridflow-edge.mjs'));
  return result.metafile;
}
