import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createUserRequestSchema, endpointPath, endpoints, hasRole, updateUserRequestSchema } from './index.js';

const here = dirname(fileURLToPath(import.meta.url));

describe('API contract', () => {
  it('is browser-safe: imports only zod and zod-only modules of the runtime', () => {
    const allowed = new Set([resolve(here, '../model/flow-document.ts')]);
    const seen = new Set<string>();
    const check = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const source = readFileSync(file, 'utf8');
      for (const m of source.matchAll(/(?:import|export)\s[^;]*?from\s+'([^']+)'/g)) {
        const spec = m[1] as string;
        if (spec === 'zod') continue;
        expect(spec.startsWith('.'), `${file} imports ${spec}`).toBe(true);
        const target = resolve(dirname(file), spec.replace(/\.js$/, '.ts'));
        expect(target.startsWith(here) || allowed.has(target), `${file} imports ${spec}`).toBe(true);
        check(target);
      }
    };
    for (const f of readdirSync(here).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) check(join(here, f));
  });

  it('fills endpoint paths and refuses missing parameters', () => {
    expect(endpointPath('rollback', { n: 3 })).toBe('/api/versions/3/rollback');
    expect(endpointPath('updateUser', { username: 'a b' })).toBe('/api/users/a%20b');
    expect(() => endpointPath('getVersion')).toThrow(/missing path parameter "n"/);
    expect(endpoints.deploy.auth).toBe('editor');
  });

  it('orders roles and validates user bodies', () => {
    expect(hasRole('admin', 'editor')).toBe(true);
    expect(hasRole('viewer', 'editor')).toBe(false);
    expect(createUserRequestSchema.parse({ username: 'ann', password: '12345678' }).role).toBe('viewer');
    expect(updateUserRequestSchema.safeParse({}).success).toBe(false);
    expect(createUserRequestSchema.safeParse({ username: 'a/b', password: '12345678' }).success).toBe(false);
  });
});
