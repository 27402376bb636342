import { mkdir, readdir, rename, stat, unlink } from 'node:fs/promises';
import { basename, join } from 'node:path';

/** A file name pattern with * and ? (no path separators), e.g. "orders-*.csv". */
export function globToRegExp(pattern: string): RegExp {
  const body = pattern
    .split('')
    .map((ch) => (ch === '*' ? '[^/\\\\]*' : ch === '?' ? '[^/\\\\]' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`);
}

export interface FolderFile {
  path: string;
  name: string;
  size: number;
  mtimeMs: number;
}

/** The regular files of a folder whose names match, in name order (so that dated names run oldest first). */
export async function listFolder(folder: string, pattern: RegExp): Promise<FolderFile[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const files: FolderFile[] = [];
  for (const e of entries) {
    if (!e.isFile() || !pattern.test(e.name)) continue;
    const path = join(folder, e.name);
    try {
      const s = await stat(path);
      files.push({ path, name: e.name, size: s.size, mtimeMs: s.mtimeMs });
    } catch (err) {
      // Gone between readdir and stat (another reader took it): not ours to read.
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
  return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** What to do with a file once it was read. */
export type AfterRead = 'keep' | 'move' | 'delete';

export async function afterRead(path: string, action: AfterRead, moveTo: string): Promise<void> {
  if (action === 'delete') await unlink(path);
  else if (action === 'move') {
    await mkdir(moveTo, { recursive: true });
    await rename(path, join(moveTo, basename(path)));
  }
}
