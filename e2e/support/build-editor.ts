import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { editorDist, repoRoot } from './paths.js';

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry === 'dist' || entry === 'node_modules') continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** True when editor/dist is missing or older than a source it is built from. */
export function editorIsStale(): boolean {
  const index = join(editorDist, 'index.html');
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  const sources = [join(repoRoot, 'editor'), join(repoRoot, 'vite.config.ts'), join(repoRoot, 'runtime', 'src', 'contract'), join(repoRoot, 'runtime', 'src', 'model')];
  return sources.some((s) => existsSync(s) && newestMtime(s) > built);
}

async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  // Test files run in parallel workers: one builds, the others wait for it.
  const lock = join(repoRoot, 'editor', '.build-lock');
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      if (Date.now() - statSync(lock).mtimeMs > 180_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for the editor build lock ${lock}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Builds the editor with the repository's vite.config.ts unless editor/dist is up to date. */
export async function ensureEditorBuilt(): Promise<void> {
  if (!editorIsStale()) return;
  await withLock(async () => {
    if (!editorIsStale()) return;
    const { build } = await import('vite');
    // Build beside editor/dist and move the result in, keeping the old assets: other test
    // processes may be serving editor/dist right now, and a page they loaded still asks for its
    // (lazily loaded) chunks. index.html goes last, so it never names assets not there yet.
    const out = mkdtempSync(join(tmpdir(), 'gridflow-editor-build-'));
    try {
      await build({ configFile: join(repoRoot, 'vite.config.ts'), logLevel: 'warn', mode: 'production', build: { outDir: out, emptyOutDir: true } });
      mkdirSync(editorDist, { recursive: true });
      for (const entry of readdirSync(out)) {
        if (entry !== 'index.html') cpSync(join(out, entry), join(editorDist, entry), { recursive: true, force: true });
      }
      cpSync(join(out, 'index.html'), join(editorDist, 'index.html.next'));
      renameSync(join(editorDist, 'index.html.next'), join(editorDist, 'index.html'));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
}
