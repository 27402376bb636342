import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const server = process.env['GRIDFLOW_DEV_SERVER'] ?? 'http://localhost:1880';

// Builds the browser editor (editor/ → editor/dist). The editor shares only browser-safe code
// with the rest of the repository: the flow model and the API contract, read from source.
export default defineConfig({
  root: here('./editor'),
  base: './',
  plugins: [react()],
  resolve: {
    alias: [
      { find: /^@gridflow\/runtime\/contract$/, replacement: here('./runtime/src/contract/index.ts') },
      { find: /^@gridflow\/runtime\/model$/, replacement: here('./runtime/src/model/index.ts') },
    ],
  },
  build: {
    outDir: here('./editor/dist'),
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 2000,
  },
  server: {
    port: 5173,
    proxy: {
      '/api': server,
      '/flows': server,
      '/socket.io': { target: server, ws: true },
    },
  },
});
