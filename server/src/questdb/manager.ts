import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { questDbConnection, type QuestDbConnection } from '@gridflow/nodes/storage';
import { freePort } from './free-port.js';
import { resolveQuestDbJar } from './jar.js';
import { checkJava } from './java.js';
import { waitForQuestDb } from './readiness.js';
import { renderServerConf } from './server-conf.js';

/**
 * Starts and stops a local QuestDB: `java -p questdb.jar -m io.questdb/io.questdb.ServerMain -d <root>`
 * with a server.conf written from the options. Its output goes to a log file, it is ready when
 * both HTTP and the PostgreSQL wire answer, it stops with SIGTERM (SIGKILL after a timeout), and
 * it can be killed with SIGKILL and started again on the same data (crash tests).
 */

export interface StartQuestDbOptions {
  /** QuestDB's root directory: conf/, db/, log/ live here. */
  root: string;
  /** Defaults to the pinned version (server/questdb-version.json). */
  version?: string;
  /** A jar to run instead of the one in the local Maven repository. */
  jar?: string;
  mavenRepo?: string;
  java?: string;
  bindHost?: string;
  /** 0 picks a free port; 9000 when absent. */
  httpPort?: number;
  /** 0 picks a free port; 8812 when absent. */
  pgPort?: number;
  ilpTcpPort?: number;
  healthPort?: number;
  user?: string;
  password?: string;
  /** JVM heap; QuestDB keeps its data off-heap, so a small heap goes a long way. */
  heapMb?: number;
  /** Threads per QuestDB worker pool. */
  workers?: number;
  extraConf?: Record<string, string | number | boolean>;
  startTimeoutMs?: number;
  /** How long SIGTERM gets before SIGKILL. */
  stopTimeoutMs?: number;
  logFile?: string;
  /** Download progress and start/stop lines. */
  onProgress?: (line: string) => void;
  /** Kill QuestDB when this process dies, even by SIGKILL (a small shell watchdog). On by default. */
  killWithParent?: boolean;
}

export interface ManagedQuestDb {
  readonly connection: QuestDbConnection;
  readonly root: string;
  readonly logFile: string;
  readonly pid: number | undefined;
  readonly running: boolean;
  /** SIGTERM, then SIGKILL after stopTimeoutMs; resolves when the process is gone. */
  stop(): Promise<void>;
  /** SIGKILL at once, as a crash would; resolves when the process is gone. */
  kill(): Promise<void>;
  /** Starts QuestDB again on the same root and ports (stopping it first if it runs). */
  restart(): Promise<void>;
  /** The last lines of QuestDB's log. */
  logTail(lines?: number): string;
}

export class QuestDbStartError extends Error {
  readonly code = 'QUESTDB_START';
  constructor(message: string) {
    super(message);
    this.name = 'QuestDbStartError';
  }
}

let javaChecked: Promise<number> | undefined;

function tail(file: string, lines = 30): string {
  try {
    const size = statSync(file).size;
    const length = Math.min(size, 32 * 1024);
    const buf = Buffer.alloc(length);
    const fd = openSync(file, 'r');
    try {
      readSync(fd, buf, 0, length, size - length);
    } finally {
      closeSync(fd);
    }
    return buf
      .toString('utf8')
      .split('\n')
      .slice(-lines - 1)
      .join('\n')
      .trim();
  } catch {
    return '(no log yet)'; // the log file is created by the first start
  }
}

interface Running {
  child: ChildProcess;
  exited: Promise<void>;
  exit?: { code: number | null; signal: NodeJS.Signals | null };
  watchdog?: ChildProcess;
  onParentExit: () => void;
}

export async function startQuestDb(options: StartQuestDbOptions): Promise<ManagedQuestDb> {
  const progress = options.onProgress ?? (() => undefined);
  javaChecked ??= checkJava(options.java);
  try {
    await javaChecked;
  } catch (err) {
    javaChecked = undefined;
    throw err;
  }
  const jar =
    options.jar ??
    (await resolveQuestDbJar({
      ...(options.version ? { version: options.version } : {}),
      ...(options.mavenRepo ? { mavenRepo: options.mavenRepo } : {}),
      onProgress: progress,
    }));
  const root = resolve(options.root);
  const logFile = options.logFile ?? join(root, 'log', 'questdb.log');
  mkdirSync(join(root, 'conf'), { recursive: true });
  mkdirSync(join(logFile, '..'), { recursive: true });
  const bindHost = options.bindHost ?? '127.0.0.1';
  const autoPorts = options.httpPort === 0 || options.pgPort === 0;
  const user = options.user ?? 'admin';
  const password = options.password ?? 'quest';
  const startTimeoutMs = options.startTimeoutMs ?? 60_000;
  const stopTimeoutMs = options.stopTimeoutMs ?? 10_000;

  let connection: QuestDbConnection = questDbConnection({
    host: bindHost === '0.0.0.0' ? '127.0.0.1' : bindHost,
    user,
    password,
  });
  let current: Running | undefined;

  async function pickPorts(): Promise<void> {
    const httpPort = options.httpPort === 0 ? await freePort(bindHost) : (options.httpPort ?? 9000);
    let pgPort = options.pgPort === 0 ? await freePort(bindHost) : (options.pgPort ?? 8812);
    while (pgPort === httpPort) pgPort = await freePort(bindHost);
    connection = { ...connection, httpPort, pgPort };
    writeFileSync(
      join(root, 'conf', 'server.conf'),
      renderServerConf({
        bindHost,
        httpPort,
        pgPort,
        ilpTcpPort: options.ilpTcpPort,
        healthPort: options.healthPort,
        pgUser: user,
        pgPassword: password,
        workers: options.workers,
        extra: options.extraConf,
      }),
    );
  }

  function spawnQuestDb(): Running {
    const fd = openSync(logFile, 'a');
    let child: ChildProcess;
    try {
      child = spawn(
        options.java ?? 'java',
        [`-Xmx${options.heapMb ?? 512}m`, '-p', jar, '-m', 'io.questdb/io.questdb.ServerMain', '-d', root],
        { cwd: root, stdio: ['ignore', fd, fd] },
      );
    } finally {
      closeSync(fd); // the child has its own copy
    }
    const running: Running = { child, exited: Promise.resolve(), onParentExit: () => child.kill('SIGKILL') };
    running.exited = new Promise<void>((resolveExit) => {
      child.once('exit', (code, signal) => {
        running.exit = { code, signal };
        process.removeListener('exit', running.onParentExit);
        if (running.watchdog?.pid) {
          try {
            process.kill(running.watchdog.pid, 'SIGKILL');
          } catch {
            // the watchdog already ended
          }
        }
        resolveExit();
      });
      child.once('error', (err) => {
        running.exit = { code: -1, signal: null };
        progress(`QuestDB could not be started: ${err.message}`);
        resolveExit();
      });
    });
    process.on('exit', running.onParentExit);
    if (options.killWithParent !== false && child.pid) {
      // Survives a SIGKILL of this process (where 'exit' handlers never run) and takes QuestDB with it.
      const script = `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; kill -9 ${child.pid} 2>/dev/null`;
      running.watchdog = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
      running.watchdog.unref();
    }
    return running;
  }

  async function boot(allowNewPorts: boolean): Promise<void> {
    const attempts = allowNewPorts && autoPorts ? 3 : 1;
    for (let attempt = 1; ; attempt++) {
      if (allowNewPorts) await pickPorts();
      const running = spawnQuestDb();
      current = running;
      progress(
        `starting QuestDB (pid ${running.child.pid}) on http ${connection.httpPort}, pg ${connection.pgPort}; log: ${logFile}`,
      );
      try {
        await waitForQuestDb(connection, {
          timeoutMs: startTimeoutMs,
          stopIf: () =>
            running.exit
              ? new QuestDbStartError(
                  `QuestDB exited while starting (code ${running.exit.code}, signal ${running.exit.signal}); log ${logFile}:\n${tail(logFile, 20)}`,
                )
              : undefined,
        });
        progress(`QuestDB is ready on http ${connection.httpPort}, pg ${connection.pgPort}`);
        return;
      } catch (err) {
        if (!running.exit) {
          running.child.kill('SIGKILL');
          await running.exited;
        }
        current = undefined;
        // With ports picked here, another process may have taken one in the meantime: try fresh ones.
        if (attempt < attempts && running.exit && running.exit.signal === null) continue;
        throw err instanceof QuestDbStartError
          ? err
          : new QuestDbStartError(`${(err as Error).message}; log ${logFile}:\n${tail(logFile, 20)}`);
      }
    }
  }

  async function terminate(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
    const running = current;
    if (!running || running.exit) {
      current = undefined;
      return;
    }
    running.child.kill(signal);
    if (signal === 'SIGTERM') {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = await Promise.race([
        running.exited.then(() => false),
        new Promise<boolean>((r) => (timer = setTimeout(() => r(true), stopTimeoutMs))),
      ]);
      clearTimeout(timer);
      if (timedOut) {
        progress(`QuestDB did not stop within ${stopTimeoutMs} ms; killing it`);
        running.child.kill('SIGKILL');
      }
    }
    await running.exited;
    current = undefined;
  }

  await boot(true);

  return {
    get connection() {
      return connection;
    },
    root,
    logFile,
    get pid() {
      return current?.child.pid;
    },
    get running() {
      return current !== undefined && current.exit === undefined;
    },
    stop: () => terminate('SIGTERM'),
    kill: () => terminate('SIGKILL'),
    async restart() {
      await terminate('SIGTERM');
      await boot(false);
    },
    logTail: (lines) => tail(logFile, lines),
  };
}
