#!/usr/bin/env node
// The `gridflow` command: loads the compiled server (server/dist) and runs the command line.
let cli;
try {
  cli = await import('../dist/cli/main.js');
} catch (err) {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist')) {
    process.stderr.write('gridflow: the server is not built yet; run `npx tsc -b` (or `npm run build`) in the repository first.\n');
    process.exit(1);
  }
  throw err;
}
const code = await cli.main(process.argv.slice(2));
// Exit explicitly: a node that left a handle open must not keep a finished command alive.
process.exit(code);
