import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import base from '../vitest.config.js';

// `npx vitest run --config e2e/vitest.config.ts`: the browser tests alone, sharing one server
// that the global setup starts. (In the repository's whole suite each e2e file starts its own.)
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  resolve: base.resolve,
  test: {
    include: ['e2e/**/*.test.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    pool: 'forks',
  },
});
