import type { TestProject } from 'vitest/node';
import { ensureEditorBuilt } from './support/build-editor.js';
import { startGridflow } from './support/server.js';

/** Builds the editor if it is out of date and starts one real Gridflow server for every e2e file. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  await ensureEditorBuilt();
  const server = await startGridflow();
  project.provide('gridflowUrl', server.url);
  return () => server.close();
}
