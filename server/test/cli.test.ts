import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allNodes } from '@gridflow/nodes';

const serverDir = fileURLToPath(new URL('..', import.meta.url));
const bin = join(serverDir, 'bin', 'gridflow.mjs');
const fixtureNodes = join(serverDir, 'test', 'fixtures', 'cli-nodes.mjs');
const dir = mkdtempSync(join(tmpdir(), 'gridflow-cli-'));

function newestMtime(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((f) => newestMtime(join(path, f))));
}

// The CLI runs the compiled server; build it when the sources are newer than dist.
beforeAll(() => {
  const main = join(serverDir, 'dist', 'cli', 'main.js');
  if (!existsSync(main) || newestMtime(join(serverDir, 'src')) > statSync(main).mtimeMs) {
    spawnSync('npx', ['tsc', '-b', join(serverDir, 'tsconfig.json')], { stdio: 'ignore', timeout: 120_000 });
  }
  expect(existsSync(main)).toBe(true);
}, 130_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Spawns the CLI; with `stopWhen`, sends SIGTERM once stdout satisfies it. */
function gridflow(args: string[], stopWhen?: (stdout: string) => boolean): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let signalled = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`gridflow ${args.join(' ')} did not finish; stdout: ${stdout}; stderr: ${stderr}`));
    }, 15_000);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (stopWhen && !signalled && stopWhen(stdout)) {
        signalled = true;
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const write = (name: string, content: unknown) => {
  const file = join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
};

const lines = (stdout: string) =>
  stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('gridflow run', () => {
  it('runs a flow headless: debug output as JSON lines, logs on stderr, exit 0 on SIGTERM', async () => {
    const file = write('flow.json', [
      { id: 'tab', type: 'tab', label: 'T' },
      { id: 'e1', type: 'emit', z: 'tab', count: 3, wires: [['s1']] },
      { id: 's1', type: 'show', z: 'tab', name: 'out', wires: [] },
    ]);
    const res = await gridflow(['run', file, '--nodes', fixtureNodes], (out) => out.split('\n').filter(Boolean).length >= 3);
    expect(res.code).toBe(0);
    expect(lines(res.stdout)).toEqual([0, 1, 2].map((i) => expect.objectContaining({ id: 's1', z: 'tab', name: 'out', topic: 'emit', property: 'payload', msg: `x-${i}`, format: 'string[3]' })));
    expect(res.stderr).toContain('warn [show:s1] second message');
    // Closing ran the nodes' close handlers before the exit.
    expect(res.stderr).toContain('show closed');
  });

  const types = new Set(allNodes.map((d) => d.type));
  it.runIf(types.has('inject') && types.has('debug'))('runs the built-in inject and debug nodes', async () => {
    const file = write('builtin.json', [
      { id: 'tab', type: 'tab', label: 'T' },
      { id: 'i1', type: 'inject', z: 'tab', props: [{ p: 'payload' }], payload: '42', payloadType: 'num', once: true, onceDelay: 0, repeat: '', wires: [['d1']] },
      { id: 'd1', type: 'debug', z: 'tab', active: true, tosidebar: true, complete: 'payload', wires: [] },
    ]);
    const res = await gridflow(['run', file], (out) => out.includes('\n'));
    expect(res.code).toBe(0);
    expect(lines(res.stdout)[0]).toMatchObject({ id: 'd1', msg: 42 });
  });

  it('fails with a message for an unreadable file', async () => {
    const res = await gridflow(['run', join(dir, 'missing.json')]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('cannot read');
    expect(res.stderr).toContain('ENOENT');
  });

  it('fails with a message for invalid JSON', async () => {
    const res = await gridflow(['run', write('broken.json', '[{"id": ')]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('is not valid JSON');
  });

  it('fails naming node and property for an invalid flow', async () => {
    const file = write('invalid.json', [{ id: 'e9', type: 'emit', count: 0, wires: [] }]);
    const res = await gridflow(['run', file, '--nodes', fixtureNodes]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/node e9 \(emit\) property "count"/);
  });

  it('fails naming an unknown node type', async () => {
    const res = await gridflow(['run', write('unknown.json', [{ id: 'u1', type: 'warp-drive', wires: [] }])]);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('unknown node type "warp-drive"');
  });

  it('rejects unknown flags and commands with exit code 2', async () => {
    const flag = await gridflow(['run', 'x.json', '--fast']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("Unknown option '--fast'");
    const cmd = await gridflow(['launch']);
    expect(cmd.code).toBe(2);
    expect(cmd.stderr).toContain('unknown command "launch"');
  });

  it('prints help', async () => {
    const res = await gridflow(['--help']);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('gridflow run <flows.json>');
    expect(res.stdout).toContain('GRIDFLOW_PORT');
  });
});

describe('gridflow start', () => {
  it('exits non-zero naming the bad config field', async () => {
    const child = spawnSync(process.execPath, [bin, 'start'], {
      cwd: dir,
      env: { ...process.env, GRIDFLOW_PORT: 'eighty', GRIDFLOW_DATA_DIR: join(dir, 'data') },
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(child.status).toBe(1);
    expect(child.stderr).toContain('port (from env GRIDFLOW_PORT)');
  });

  it('starts, prints the URL and the generated admin password once, and stops on SIGTERM', async () => {
    const env = { GRIDFLOW_PORT: '0', GRIDFLOW_HOST: '127.0.0.1', GRIDFLOW_DATA_DIR: join(dir, 'start-data') };
    const first = await startOnce(env);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/running at http:\/\/127\.0\.0\.1:\d+/);
    const password = /password\n\n {4}(\S+)\n/.exec(first.stdout)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9]{20}$/);
    expect(first.health).toMatchObject({ status: 'ok' });
    const second = await startOnce(env);
    expect(second.stdout).not.toContain('password');
  });
});

async function startOnce(env: Record<string, string>): Promise<Result & { health: unknown }> {
  let health: unknown;
  const child = spawn(process.execPath, [bin, 'start'], { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 15_000);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const url = /running at (\S+)/.exec(stdout)?.[1];
      if (url && stdout.includes('Data directory')) {
        clearTimeout(timer);
        // Give the once-only password text time to arrive before asking for health.
        setTimeout(() => {
          fetch(`${url}/api/health`)
            .then((r) => r.json())
            .then((h: unknown) => {
              health = h;
              resolve();
            }, reject);
        }, 100);
      }
    });
  });
  child.kill('SIGTERM');
  const code = await closed;
  return { code, stdout, stderr, health };
}
