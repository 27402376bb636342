import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const editorDist = join(repoRoot, 'editor', 'dist');
export const artifactsDir = join(repoRoot, 'e2e', 'artifacts');
