import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Peak resident set size of a live process, from /proc (kB → bytes). */
export function peakRss(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmHWM:\s+(\d+) kB/.exec(status);
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined; // the process has already exited
  }
}

export function currentRss(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts a child, collects the marker lines it prints, and resolves when `until(lines)` is true
 * or the time limit passes; the child is killed either way.
 */
export function runChild({ command, args, cwd, env, until, timeoutMs, onLine }) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines = [];
    let peak = 0;
    let stderr = '';
    const sampler = setInterval(() => {
      peak = Math.max(peak, peakRss(child.pid) ?? 0);
    }, 100);
    const finish = (reason) => {
      clearInterval(sampler);
      peak = Math.max(peak, peakRss(child.pid) ?? 0);
      clearTimeout(timer);
      child.kill('SIGKILL');
      resolve({ lines, peakRss: peak, reason, stderr });
    };
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        lines.push(line);
        onLine?.(line, child);
        if (until(lines)) finish('done');
      }
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('exit', () => finish('exit'));
  });
}

export const fmt = (n, digits = 0) => Number(n).toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
export const mb = (bytes) => `${fmt(bytes / 1024 / 1024, 1)} MB`;
