import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The server package's root (this file is in src/ or dist/, one level down). */
export const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

function readVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    // Running from an unusual layout (bundled): the version is cosmetic, do not fail the start.
    return '0.0.0';
  }
}

export const serverVersion = readVersion();

/** Where `vite build` puts the editor in this repository. */
export const defaultEditorDir = join(packageDir, '..', 'editor', 'dist');
