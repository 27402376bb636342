#!/usr/bin/env node
// `npm start`: makes sure dependencies, compiled packages and the editor bundle exist and are
// current, then starts the server. Each step says what it does; a failing step stops with its exit code.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const step = (text) => process.stdout.write(`[gridflow] ${text}\n`);

function run(command, args, what) {
  const started = Date.now();
  const res = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (res.error) {
    step(`${what} failed: ${res.error.message}`);
    process.exit(1);
  }
  if (res.status !== 0) {
    step(`${what} failed (exit code ${res.status})`);
    process.exit(res.status ?? 1);
  }
  step(`${what}: done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Newest modification time under a path (skipping node_modules, dist and tests), 0 when missing. */
function newest(path, skipTests = true) {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return skipTests && /\.test\.tsx?$/.test(path) ? 0 : s.mtimeMs;
  let max = 0;
  for (const entry of readdirSync(path)) {
    if (entry === 'node_modules' || entry === 'dist') continue;
    max = Math.max(max, newest(join(path, entry), skipTests));
  }
  return max;
}

const mtime = (path) => (existsSync(path) ? statSync(path).mtimeMs : 0);

// 1. Dependencies.
if (!existsSync(join(root, 'node_modules'))) {
  step('node_modules is missing: running npm install');
  run('npm', ['install'], 'npm install');
} else {
  step('dependencies: installed');
}

// 2. TypeScript packages: rebuild when a dist output is missing or older than its sources.
const packages = ['runtime', 'nodes', 'server', 'edge-package'].filter((p) => existsSync(join(root, p, 'tsconfig.json')));
const stale = packages.filter((p) => {
  const built = mtime(join(root, p, 'dist', '.tsbuildinfo'));
  return built === 0 || newest(join(root, p, 'src')) > built;
});
if (stale.length || !existsSync(join(root, 'server', 'dist', 'cli', 'main.js'))) {
  step(`compiling TypeScript (${stale.length ? `changed: ${stale.join(', ')}` : 'server output missing'}): npx tsc -b`);
  run('npx', ['tsc', '-b'], 'tsc -b');
} else {
  step('compiled packages: up to date');
}

// 3. The editor bundle (built by the root vite.config.ts, when there is one).
const editorDist = join(root, 'editor', 'dist', 'index.html');
const viteConfig = join(root, 'vite.config.ts');
if (!existsSync(viteConfig)) {
  step('editor: no vite.config.ts yet, skipping the editor build (the server shows a placeholder page)');
} else if (!existsSync(editorDist) || newest(join(root, 'editor', 'src')) > mtime(editorDist)) {
  step(`editor: ${existsSync(editorDist) ? 'sources changed' : 'bundle missing'}: npx vite build`);
  run('npx', ['vite', 'build'], 'vite build');
} else {
  step('editor bundle: up to date');
}

// 4. The server, in this process so Ctrl-C reaches it directly.
step('starting the server');
const { main } = await import(pathToFileURL(join(root, 'server', 'dist', 'cli', 'main.js')).href);
const code = await main(['start', ...process.argv.slice(2)]);
process.exit(code);
