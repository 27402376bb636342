import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express, { Router, type Express, type Request, type RequestHandler } from 'express';
import {
  createFileStore,
  createMemoryStore,
  createRegistry,
  createRuntime,
  errorMessage,
  type ContextManagerOptions,
  type Registry,
  type Runtime,
  type RuntimeOptions,
  type ServiceKey,
} from '@gridflow/runtime';
import type { Role } from '@gridflow/runtime/contract';
import { allNodes } from '@gridflow/nodes';
import { createAuditLog, type AuditLog } from './audit-log.js';
import { authRoutes } from './auth/auth-routes.js';
import { createAuthService, type AuthService, type Principal } from './auth/auth-service.js';
import { ensureFirstAdmin, type FirstAdmin } from './auth/bootstrap.js';
import { principalOf, requireRole } from './auth/middleware.js';
import { userRoutes } from './auth/user-routes.js';
import { attachSocketHub, type EditorIo } from './comms/socket-hub.js';
import type { Config } from './config.js';
import { createDeployService, type DeployService } from './flows/deploy-service.js';
import { flowRoutes } from './flows/flow-routes.js';
import { nodeRedAuthRoutes, nodeRedRoutes } from './flows/node-red-routes.js';
import { editorStatic } from './http/editor-static.js';
import { apiNotFound, errorHandler } from './http/error-handler.js';
import { metricsRoute, systemRoutes } from './http/system-routes.js';
import { createLogger, type Logger } from './logger.js';
import { databaseFile, openSqliteStores, type MigrationSet, type SqliteDatabase, type Stores } from './store/index.js';
import { defaultEditorDir, serverVersion } from './version.js';

/** What a module (device broker, edge hub, QuestDB, ...) gets to plug itself into the server. */
export interface ServerHost {
  config: Config;
  logger: Logger;
  db: SqliteDatabase;
  stores: Stores;
  registry: Registry;
  runtime: Runtime;
  deployService: DeployService;
  auth: AuthService;
  audit: AuditLog;
  app: Express;
  httpServer: HttpServer;
  io: EditorIo;
  /** A router mounted at /api before the API's 404: `host.api.use('/devices', router)`. */
  api: Router;
  requireRole(role: Role): RequestHandler;
  principalOf(req: Request): Principal;
  /** Makes a service available to nodes (`ctx.service(key)`); call during setup, before flows start. */
  provide<T>(key: ServiceKey<T>, service: T): void;
  /** A service another module provided (or one given in options); modules set up earlier are seen first. */
  service<T>(key: ServiceKey<T>): T | undefined;
}

export interface ServerModuleHandle {
  close?(): void | Promise<void>;
}

export interface ServerModule {
  name: string;
  /** The module's own numbered migrations, applied at start after the core ones. */
  migrations?: MigrationSet;
  /** Runs after stores, runtime and socket.io exist, before the stored flows start and the server listens. */
  setup(host: ServerHost): void | ServerModuleHandle | Promise<void | ServerModuleHandle>;
}

export interface CreateServerOptions {
  /** Node types; every type of @gridflow/nodes when omitted. */
  registry?: Registry;
  /** Services for nodes by key name (see ServerHost.provide). */
  services?: Record<string, unknown>;
  modules?: ServerModule[];
  logger?: Logger;
  /** Extra runtime options (scheduler limits, metrics interval) for tests and benchmarks. */
  runtime?: Pick<RuntimeOptions, 'scheduler' | 'metricsIntervalMs' | 'processEnv'>;
}

export interface GridflowServer {
  config: Config;
  app: Express;
  httpServer: HttpServer;
  io: EditorIo;
  runtime: Runtime;
  registry: Registry;
  db: SqliteDatabase;
  stores: Stores;
  auth: AuthService;
  deployService: DeployService;
  logger: Logger;
  /** Set when this start created the first admin; `password` only when it was generated. */
  firstAdmin?: FirstAdmin;
  /** Starts listening on config.port/host; resolves with the URL (the real port when config.port is 0). */
  listen(): Promise<{ url: string; port: number }>;
  /** Stops the flows, closes sockets, the HTTP server, modules and the database. */
  close(): Promise<void>;
}

function contextOptions(config: Config): ContextManagerOptions {
  if (config.runtime.contextStorage === 'file') {
    return {
      stores: { file: createFileStore({ dir: join(config.dataDir, 'context') }), memory: createMemoryStore() },
      defaultStore: 'file',
    };
  }
  return { stores: { memory: createMemoryStore() } };
}

const securityHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'SAMEORIGIN');
  res.setHeader('Referrer-Policy', 'same-origin');
  next();
};

/** Composes the server: stores, auth, runtime, REST, socket.io, modules, static editor. Does not listen yet. */
export async function createServer(config: Config, options: CreateServerOptions = {}): Promise<GridflowServer> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const modules = options.modules ?? [];
  const registry = options.registry ?? createRegistry(allNodes);
  const startedAt = Date.now();

  const { db, stores } = openSqliteStores(
    databaseFile(config.dataDir),
    modules.flatMap((m) => (m.migrations ? [m.migrations] : [])),
  );
  const closers: (() => void | Promise<void>)[] = [
    () => {
      db.close();
    },
  ];
  try {
    const firstAdmin = await ensureFirstAdmin(stores.users, config.adminPassword);
    const audit = createAuditLog(stores.audit, logger);
    const auth = createAuthService({
      stores,
      sessionTtlMs: config.sessionTtlHours * 3_600_000,
      login: { maxFailures: config.login.maxFailures, windowMs: config.login.windowSeconds * 1000 },
    });

    const services: Record<string, unknown> = { ...options.services };
    const runtime = createRuntime({
      registry,
      settings: { functionTimeoutMs: config.runtime.functionTimeoutMs, closeTimeoutMs: config.runtime.closeTimeoutMs },
      context: contextOptions(config),
      services,
      ...options.runtime,
    });
    closers.unshift(async () => {
      await runtime.close();
    });
    forwardRuntimeLogs(runtime, logger);
    const deployService = createDeployService({ runtime, stores, audit, logger });

    const app = express();
    app.disable('x-powered-by');
    app.set('trust proxy', config.trustProxy);
    app.use(securityHeaders);
    app.use(express.json({ limit: config.maxBodySize }));
    const httpServer = createHttpServer(app);
    const hub = attachSocketHub({ httpServer, auth, runtime, deployService, config, logger, serverVersion });
    closers.unshift(() => hub.close());

    const systemDeps = {
      auth,
      runtime,
      registry,
      deployService,
      serverVersion,
      startedAt,
      metricsPublic: config.metrics.public,
      clients: () => hub.io.of('/').sockets.size,
    };
    const api = Router();
    app.use('/api', authRoutes({ auth, audit, secureCookies: config.secureCookies }));
    app.use('/api', userRoutes({ auth, stores, audit }));
    app.use('/api', flowRoutes({ auth, deployService, stores }));
    app.use('/api', systemRoutes(systemDeps));
    app.use('/api', api);
    app.get('/metrics', ...metricsRoute(systemDeps));
    app.use(nodeRedRoutes({ auth, deployService }));
    app.use(nodeRedAuthRoutes({ auth, audit, stores }));

    const host: ServerHost = {
      config,
      logger,
      db,
      stores,
      registry,
      runtime,
      deployService,
      auth,
      audit,
      app,
      httpServer,
      io: hub.io,
      api,
      requireRole: (role) => requireRole(auth, role),
      principalOf,
      provide: (key, service) => {
        services[key.name] = service;
      },
      service: <T>(key: ServiceKey<T>) => services[key.name] as T | undefined,
    };
    for (const m of modules) {
      try {
        const handle = await m.setup(host);
        if (handle?.close) closers.unshift(() => handle.close?.());
      } catch (err) {
        throw new Error(`module ${m.name} failed to start: ${errorMessage(err)}`);
      }
    }

    app.use('/api', apiNotFound);
    app.use(editorStatic(config.editorDir ?? defaultEditorDir));
    app.use(errorHandler(logger));

    const purge = setInterval(() => {
      stores.sessions.purgeExpired(new Date()).catch((err: unknown) => logger.warn(`session purge failed: ${errorMessage(err)}`));
    }, 3_600_000);
    purge.unref();
    closers.unshift(() => clearInterval(purge));

    await deployService.start();

    let closing: Promise<void> | undefined;
    const server: GridflowServer = {
      config,
      app,
      httpServer,
      io: hub.io,
      runtime,
      registry,
      db,
      stores,
      auth,
      deployService,
      logger,
      ...(firstAdmin ? { firstAdmin } : {}),
      listen: () => listen(httpServer, config),
      close() {
        closing ??= (async () => {
          const stopped = new Promise<void>((resolve) => {
            if (!httpServer.listening) return resolve();
            httpServer.close(() => resolve());
          });
          httpServer.closeAllConnections();
          for (const close of closers) {
            try {
              await close();
            } catch (err) {
              logger.error(`error while closing: ${errorMessage(err)}`);
            }
          }
          await stopped;
        })();
        return closing;
      },
    };
    return server;
  } catch (err) {
    for (const close of closers) {
      try {
        await close();
      } catch (closeErr) {
        logger.error(`error while closing after a failed start: ${errorMessage(closeErr)}`);
      }
    }
    throw err;
  }
}

function listen(httpServer: HttpServer, config: Config): Promise<{ url: string; port: number }> {
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(`port ${config.port} on ${config.host} is in use; set GRIDFLOW_PORT or --port to another port`)
          : err,
      );
    };
    httpServer.once('error', onError);
    httpServer.listen(config.port, config.host, () => {
      httpServer.off('error', onError);
      const { port } = httpServer.address() as AddressInfo;
      const shown = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
      resolve({ url: `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`, port });
    });
  });
}

/** Runtime errors and warnings to the server log, at most 20 lines a second so a failing flow cannot flood it. */
function forwardRuntimeLogs(runtime: Runtime, logger: Logger): void {
  let windowStart = 0;
  let count = 0;
  let suppressed = 0;
  runtime.events.on('log', (l) => {
    if (l.level === 'debug') return;
    const now = Date.now();
    if (now - windowStart >= 1000) {
      if (suppressed) logger.warn(`${suppressed} runtime log lines suppressed`);
      windowStart = now;
      count = 0;
      suppressed = 0;
    }
    if (++count > 20) {
      suppressed++;
      return;
    }
    const where = l.id ? `[${l.type ?? '?'}:${l.id}] ` : '';
    const line = `${where}${l.message}`;
    if (l.level === 'error') logger.error(line);
    else if (l.level === 'warn') logger.warn(line);
    else logger.info(line);
  });
}
