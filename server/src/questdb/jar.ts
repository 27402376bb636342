import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The QuestDB server is the Maven artifact org.questdb:questdb: one jar with everything. Its
 * version is pinned in server/questdb-version.json (CI reads the same file), and the jar is taken
 * from the local Maven repository, downloaded there with `mvn dependency:get` when missing.
 */

const VERSION_FILE = new URL('../../questdb-version.json', import.meta.url);

export function pinnedQuestDbVersion(): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(VERSION_FILE, 'utf8'));
  } catch (err) {
    throw new Error(`cannot read the pinned QuestDB version from ${VERSION_FILE.pathname}: ${(err as Error).message}`);
  }
  const version = (parsed as { version?: unknown }).version;
  if (typeof version !== 'string' || !/^\d+\.\d+\.\d+/.test(version)) {
    throw new Error(`${VERSION_FILE.pathname} should hold { "version": "x.y.z" }`);
  }
  return version;
}

export const defaultMavenRepo = () => join(homedir(), '.m2', 'repository');

export function questDbJarPath(version: string, mavenRepo = defaultMavenRepo()): string {
  return join(mavenRepo, 'org', 'questdb', 'questdb', version, `questdb-${version}.jar`);
}

export interface ResolveJarOptions {
  version?: string;
  mavenRepo?: string;
  /** Progress lines while downloading (a download is 28 MB or so). */
  onProgress?: (line: string) => void;
  mvn?: string;
}

export class QuestDbJarError extends Error {
  readonly code = 'QUESTDB_JAR';
  constructor(message: string) {
    super(message);
    this.name = 'QuestDbJarError';
  }
}

function downloadedBytes(dir: string, version: string): number {
  if (!existsSync(dir)) return 0;
  let total = 0;
  for (const name of readdirSync(dir)) {
    // Maven writes to a temporary file next to the final one, then renames it.
    if (!name.includes(`questdb-${version}`) || !name.includes('.jar')) continue;
    try {
      total += statSync(join(dir, name)).size;
    } catch {
      // renamed between readdir and stat: the next tick counts it
    }
  }
  return total;
}

/** The jar's path, downloading it first when it is not in the local repository. */
export async function resolveQuestDbJar(options: ResolveJarOptions = {}): Promise<string> {
  const version = options.version ?? pinnedQuestDbVersion();
  const repo = options.mavenRepo ?? defaultMavenRepo();
  const jar = questDbJarPath(version, repo);
  if (existsSync(jar)) return jar;

  const progress = options.onProgress ?? (() => undefined);
  const mvn = options.mvn ?? 'mvn';
  const args = ['-q', 'dependency:get', `-Dartifact=org.questdb:questdb:${version}`];
  if (options.mavenRepo) args.push(`-Dmaven.repo.local=${repo}`);
  progress(
    `QuestDB ${version} is not in ${repo}; downloading org.questdb:questdb:${version} from Maven Central (about 28 MB)`,
  );
  const dir = join(repo, 'org', 'questdb', 'questdb', version);
  const started = Date.now();

  await new Promise<void>((resolve, reject) => {
    let output = '';
    const child = spawn(mvn, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const ticker = setInterval(() => {
      const mb = (downloadedBytes(dir, version) / 1e6).toFixed(1);
      progress(`downloading QuestDB ${version}: ${mb} MB after ${Math.round((Date.now() - started) / 1000)} s`);
    }, 2000);
    const collect = (d: Buffer) => {
      output = (output + d.toString()).slice(-4000);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearInterval(ticker);
      reject(
        new QuestDbJarError(
          err.code === 'ENOENT'
            ? `QuestDB ${version} is not at ${jar} and Maven ("${mvn}") is not installed to fetch it: ` +
                `install Maven (apt-get install maven), put the jar there, or configure an external QuestDB`
            : `running ${mvn} failed: ${err.message}`,
        ),
      );
    });
    child.on('close', (code) => {
      clearInterval(ticker);
      if (code === 0 && existsSync(jar)) {
        progress(`downloaded QuestDB ${version} in ${Math.round((Date.now() - started) / 1000)} s`);
        resolve();
      } else {
        reject(new QuestDbJarError(`${mvn} ${args.join(' ')} failed (exit ${code}): ${output.trim().slice(-1500)}`));
      }
    });
  });
  return jar;
}
