import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, describeConfig, loadConfig } from './config.js';

const dir = mkdtempSync(join(tmpdir(), 'gridflow-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const errorOf = (fn: () => unknown): ConfigError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
};

describe('loadConfig', () => {
  it('has defaults and resolves the data dir against the working directory', () => {
    const c = loadConfig({ env: {}, cwd: '/srv/app' });
    expect(c.port).toBe(1880);
    expect(c.dataDir).toBe('/srv/app/.gridflow');
    expect(c.login).toEqual({ maxFailures: 5, windowSeconds: 300 });
    expect(c.debug.maxPerNode).toBe(20);
    expect(c.adminPassword).toBeUndefined();
  });

  it('reads the file, then env, then overrides', () => {
    const file = join(dir, 'a.json');
    writeFileSync(file, JSON.stringify({ port: 2000, host: '127.0.0.1', login: { maxFailures: 9 } }));
    const c = loadConfig({
      env: { GRIDFLOW_CONFIG: file, GRIDFLOW_PORT: '3000', GRIDFLOW_SECURE_COOKIES: 'true', GRIDFLOW_ADMIN_PASSWORD: 'long-enough' },
      overrides: { host: '::1' },
      cwd: dir,
    });
    expect(c).toMatchObject({ port: 3000, host: '::1', secureCookies: true, adminPassword: 'long-enough' });
    expect(c.login).toEqual({ maxFailures: 9, windowSeconds: 300 });
  });

  it('names the bad field and where it came from', () => {
    const e = errorOf(() => loadConfig({ env: { GRIDFLOW_PORT: 'eighty' } }));
    expect(e.message).toContain('port (from env GRIDFLOW_PORT)');
    expect(e.issues[0]?.path).toBe('port');
    const big = errorOf(() => loadConfig({ env: { GRIDFLOW_PORT: '70000' } }));
    expect(big.message).toMatch(/port .*65535/);
    const pw = errorOf(() => loadConfig({ env: { GRIDFLOW_ADMIN_PASSWORD: 'short' } }));
    expect(pw.message).toContain('adminPassword (from env GRIDFLOW_ADMIN_PASSWORD): must be at least 8 characters');
  });

  it('rejects unknown and mistyped keys in the file, naming them', () => {
    const file = join(dir, 'b.json');
    writeFileSync(file, JSON.stringify({ prot: 1, login: { maxFailures: 'x' } }));
    const e = errorOf(() => loadConfig({ file, env: {} }));
    expect(e.message).toContain('prot');
    expect(e.message).toContain(`login.maxFailures (from config file ${file})`);
  });

  it('reports a missing or broken config file', () => {
    expect(errorOf(() => loadConfig({ file: join(dir, 'none.json'), env: {} })).message).toContain('cannot read config file');
    const file = join(dir, 'c.json');
    writeFileSync(file, '{ nope');
    expect(errorOf(() => loadConfig({ file, env: {} })).message).toContain('is not valid JSON');
  });

  it('describes every field with a doc line', () => {
    const fields = describeConfig();
    expect(fields.find((f) => f.path === 'port')).toMatchObject({ default: 1880, env: 'GRIDFLOW_PORT' });
    expect(fields.find((f) => f.path === 'login.maxFailures')?.default).toBe(5);
    for (const f of fields) expect(f.doc.length).toBeGreaterThan(10);
  });
});
