import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../../edge-package/bin/gridflow-edge.mjs', import.meta.url));
const dist = fileURLToPath(new URL('../../../edge-package/dist/cli.js', import.meta.url));

export interface EdgeProcess {
  child: ChildProcess;
  output: string[];
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts the real `gridflow-edge` command as its own process. */
export function startEdge(args: string[]): EdgeProcess {
  if (!existsSync(dist)) throw new Error('edge-package is not built: run `npm run build` (npm test does) first');
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const waiters = new Set<() => void>();
  const onData = (d: Buffer) => {
    output.push(...d.toString().split('\n').filter(Boolean));
    for (const w of waiters) w();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  return {
    child,
    output,
    waitForLine(pattern, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const line = output.find((l) => pattern.test(l));
          if (line) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(line);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(`edge did not print ${pattern} within ${timeoutMs} ms; output:\n${output.slice(-30).join('\n')}`),
          );
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    kill(signal = 'SIGTERM') {
      return new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      });
    },
  };
}
