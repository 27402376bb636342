import { readFile, rename, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { edgeDeploymentSchema, type EdgeDeployment } from '@gridflow/runtime/contract/edge';

/** The last deployment that started cleanly, kept on disk so a reboot runs it without the server. */
export function deploymentStore(dataDir: string) {
  const file = join(dataDir, 'deployment.json');
  return {
    async load(): Promise<EdgeDeployment | undefined> {
      try {
        return edgeDeploymentSchema.parse(JSON.parse(await readFile(file, 'utf8')));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new Error(`cannot read the saved deployment ${file}: ${(err as Error).message}`);
      }
    },
    async save(deployment: EdgeDeployment): Promise<void> {
      await mkdir(dataDir, { recursive: true });
      await writeFile(`${file}.tmp`, JSON.stringify(deployment));
      await rename(`${file}.tmp`, file);
    },
  };
}
