import { inject } from 'vitest';
import { ensureEditorBuilt } from './build-editor.js';
import { startGridflow } from './server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    gridflowUrl: string;
  }
}

export interface E2eEnv {
  url: string;
  close(): Promise<void>;
}

/**
 * The server under test: the one e2e/global-setup.ts started (run with e2e/vitest.config.ts), or,
 * when the e2e tests run inside the repository's whole suite, one started for this file.
 */
export async function e2eEnv(): Promise<E2eEnv> {
  const provided = inject('gridflowUrl');
  if (provided) return { url: provided, close: async () => undefined };
  await ensureEditorBuilt();
  const server = await startGridflow();
  return { url: server.url, close: () => server.close() };
}
