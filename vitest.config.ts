import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const src = (p: string) => fileURLToPath(new URL(p, import.meta.url));

// Tests run against sources, not dist, so a change is tested without a build.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@gridflow\/runtime\/contract\/edge$/, replacement: src('./runtime/src/contract/edge.ts') },
      { find: /^@gridflow\/runtime\/(.*)$/, replacement: src('./runtime/src/$1/index.ts') },
      { find: /^@gridflow\/runtime$/, replacement: src('./runtime/src/index.ts') },
      { find: /^@gridflow\/nodes\/(.*)$/, replacement: src('./nodes/src/$1/index.ts') },
      { find: /^@gridflow\/nodes$/, replacement: src('./nodes/src/index.ts') },
      { find: /^@gridflow\/client$/, replacement: src('./server/client/src/index.ts') },
    ],
  },
  test: {
    include: ['{runtime,nodes,server,edge-package,editor}/{src,test}/**/*.test.ts', 'server/client/{src,test}/**/*.test.ts', 'e2e/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
