import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const agent = fileURLToPath(new URL('../dist/agent.js', import.meta.url));

/** CommonJS packages a fresh Node process has loaded after running `script` (ESM module). */
function loadedPackages(script: string): string[] {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').pop() ?? '[]') as string[];
}

const listLoaded = `
import { createRequire } from 'node:module';
const names = Object.keys(createRequire(import.meta.url).cache)
  .map((f) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(f)?.[1])
  .filter((n) => n !== undefined);
console.log(JSON.stringify([...new Set(names)]));`;

// Protocol and parser libraries cost the agent's idle memory (issue 6: idle RSS against
// Node-RED's); they are loaded when a node that uses them is created or connects.
const heavy = ['mqtt', 'modbus-serial', 'ajv', 'js-yaml', '@node-red/util', 'node-opcua'];

describe('the agent at import', () => {
  it('loads no protocol or parser library until a flow uses one', () => {
    if (!existsSync(agent)) throw new Error('edge-package is not built: run `npm run build` first');
    const loaded = loadedPackages(`await import(${JSON.stringify(agent)});\n${listLoaded}`);
    expect(loaded.filter((name) => heavy.includes(name))).toEqual([]);
  });

  it('sees a library once something loads it (the check itself works)', () => {
    const loaded = loadedPackages(`await import('modbus-serial');\n${listLoaded}`);
    expect(loaded).toContain('modbus-serial');
  });
});
