import { spawn } from 'node:child_process';

/** QuestDB 9 needs Java 17 or newer. */
export const MIN_JAVA = 17;

export class JavaMissingError extends Error {
  readonly code = 'QUESTDB_JAVA_MISSING';
  constructor(detail: string) {
    super(
      `QuestDB needs a Java ${MIN_JAVA} (or newer) runtime, and ${detail}. ` +
        `Install one, e.g. \`apt-get install openjdk-17-jre-headless\`, or configure an external QuestDB.`,
    );
    this.name = 'JavaMissingError';
  }
}

/** The major version in `java -version` output ("17.0.15", "1.8.0_392" → 8, "21" → 21). */
export function parseJavaMajor(output: string): number | undefined {
  const m = /version "([^"]+)"/.exec(output) ?? /openjdk (\d[^\s]*)/i.exec(output);
  if (!m) return undefined;
  const parts = (m[1] as string).split(/[._-]/).map(Number);
  const first = parts[0];
  if (first === undefined || Number.isNaN(first)) return undefined;
  return first === 1 && parts[1] !== undefined ? parts[1] : first;
}

/** Runs `java -version`; resolves with the major version, or rejects with JavaMissingError saying what to install. */
export function checkJava(java = 'java'): Promise<number> {
  return new Promise((resolve, reject) => {
    let output = '';
    let child;
    try {
      child = spawn(java, ['-version'], { stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (err) {
      reject(new JavaMissingError(`"${java}" could not be started (${(err as Error).message})`));
      return;
    }
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', (err: NodeJS.ErrnoException) => {
      reject(
        new JavaMissingError(
          err.code === 'ENOENT' ? `"${java}" is not on the PATH` : `"${java} -version" failed: ${err.message}`,
        ),
      );
    });
    child.on('close', (code) => {
      const major = parseJavaMajor(output);
      if (code !== 0 || major === undefined) {
        reject(
          new JavaMissingError(
            `"${java} -version" did not report a version (exit ${code}): ${output.trim().slice(0, 200)}`,
          ),
        );
      } else if (major < MIN_JAVA) {
        reject(new JavaMissingError(`"${java}" is Java ${major}`));
      } else resolve(major);
    });
  });
}
