import type { Server as HttpServer } from 'node:http';
import { Server as IoServer, type Socket } from 'socket.io';
import { errorMessage, type Runtime } from '@gridflow/runtime';
import type {
  ClientToServerEvents,
  DebugMessage,
  LogEntry,
  MetricsEvent,
  ServerToClientEvents,
  StatusEvent,
} from '@gridflow/runtime/contract';
import { SOCKET_PATH } from '@gridflow/runtime/contract';
import type { AuthService, Principal } from '../auth/auth-service.js';
import { resolvePrincipal } from '../auth/middleware.js';
import type { Config } from '../config.js';
import type { DeployService } from '../flows/deploy-service.js';
import type { Logger } from '../logger.js';
import { createBatcher } from './batcher.js';
import { encodeDebugOutput } from './debug-output.js';

export interface SocketData {
  principal: Principal;
}

export type EditorIo = IoServer<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface SocketHub {
  io: EditorIo;
  close(): Promise<void>;
}

const MAX_LOG_PER_FLUSH = 100;

/** True without an Origin header (non-browser clients) or when it names the host the request was sent to. */
export function sameOrigin(origin: string | undefined, host: string | undefined): boolean {
  if (!origin) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    // An Origin that is not a URL ('null' from sandboxed pages) is not this server.
    return false;
  }
}

/**
 * socket.io for the editor on the default namespace: refuses unauthenticated connections,
 * then forwards runtime events: debug (batched and throttled per node), status (last per node
 * per interval), runtime-log (errors and warnings, batched), deploy, and metrics snapshots.
 * Nothing is encoded while no client is connected.
 */
export function attachSocketHub(deps: {
  httpServer: HttpServer;
  auth: AuthService;
  runtime: Runtime;
  deployService: DeployService;
  config: Config;
  logger: Logger;
  serverVersion: string;
}): SocketHub {
  const { runtime, config, logger } = deps;
  const io: EditorIo = new IoServer(deps.httpServer, { path: SOCKET_PATH, serveClient: false, maxHttpBufferSize: 1e6 });

  io.use((socket, next) => {
    const headers = socket.handshake.headers;
    const authField: unknown = socket.handshake.auth;
    const token =
      authField !== null && typeof authField === 'object' && typeof (authField as { token?: unknown }).token === 'string'
        ? (authField as { token: string }).token
        : undefined;
    // A cookie only counts from a page of this server: another site's page must not borrow it.
    const cookie = sameOrigin(headers.origin, headers.host) ? headers.cookie : undefined;
    resolvePrincipal(deps.auth, {
      authorization: token ? `Bearer ${token}` : headers.authorization,
      cookie,
    }).then(
      (principal) => {
        if (!principal) return next(new Error('unauthorized'));
        socket.data.principal = principal;
        next();
      },
      (err: unknown) => {
        logger.error(`socket authentication failed: ${errorMessage(err)}`);
        next(new Error('unauthorized'));
      },
    );
  });

  io.on('connection', (socket: Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>) => {
    deps.deployService.current().then(
      (cur) =>
        socket.emit('hello', {
          username: socket.data.principal.username,
          role: socket.data.principal.role,
          rev: cur.rev,
          version: cur.version,
          serverVersion: deps.serverVersion,
        }),
      (err: unknown) => logger.error(`socket hello failed: ${errorMessage(err)}`),
    );
  });

  // Authenticated editor sockets only (edge agents use their own namespace).
  const editors = io.of('/');
  const hasClients = () => editors.sockets.size > 0;
  const limits = config.debug;
  const debugBatch = createBatcher<DebugMessage>({ maxPerSource: limits.maxPerNode, maxPerBatch: limits.maxPerBatch });
  const statuses = new Map<string, StatusEvent>();
  let logEntries: LogEntry[] = [];
  let logDropped = 0;

  const offs = [
    runtime.events.on('debug', (d) => {
      if (!hasClients()) return;
      debugBatch.offer(d.id, () => {
        const encoded = encodeDebugOutput(d.msg, d.format, limits);
        return {
          id: d.id,
          ...(d.z !== undefined ? { z: d.z } : {}),
          ...(d.name ? { name: d.name } : {}),
          ...(d.topic !== undefined ? { topic: String(d.topic) } : {}),
          property: d.property,
          format: encoded.format,
          msg: encoded.msg,
          ...(encoded.truncated ? { truncated: true } : {}),
          ...(d.path !== undefined ? { path: d.path } : {}),
          time: Date.now(),
        };
      });
    }),
    runtime.events.on('status', (s) => {
      if (!hasClients()) return;
      statuses.set(s.id, { id: s.id, z: s.z, status: s.status });
    }),
    runtime.events.on('log', (l) => {
      if (l.level !== 'error' && l.level !== 'warn') return;
      if (!hasClients()) return;
      if (logEntries.length >= MAX_LOG_PER_FLUSH) {
        logDropped++;
        return;
      }
      logEntries.push({
        level: l.level,
        message: l.message,
        ...(l.id !== undefined ? { id: l.id } : {}),
        ...(l.type !== undefined ? { type: l.type } : {}),
        ...(l.z !== undefined ? { z: l.z } : {}),
        ...(l.name ? { name: l.name } : {}),
        time: Date.now(),
      });
    }),
    deps.deployService.onDeploy((event) => io.emit('deploy', event)),
  ];

  const flush = () => {
    const batch = debugBatch.take();
    if (batch) io.emit('debug', { messages: batch.items, dropped: batch.dropped });
    if (statuses.size) {
      for (const s of statuses.values()) io.emit('status', s);
      statuses.clear();
    }
    if (logEntries.length || logDropped) {
      io.emit('runtime-log', { entries: logEntries, dropped: logDropped });
      logEntries = [];
      logDropped = 0;
    }
  };
  const flushTimer = setInterval(flush, limits.intervalMs);
  flushTimer.unref();

  const metricsTimer = setInterval(() => {
    if (!hasClients()) return;
    const m = runtime.metrics();
    const mem = process.memoryUsage();
    const event: MetricsEvent = {
      ...m,
      memory: { rss: mem.rss, heapUsed: mem.heapUsed, heapTotal: mem.heapTotal, external: mem.external },
    };
    io.emit('metrics', event);
  }, config.metrics.intervalMs);
  metricsTimer.unref();

  return {
    io,
    async close() {
      clearInterval(flushTimer);
      clearInterval(metricsTimer);
      for (const off of offs) off();
      io.disconnectSockets(true);
      // io.close() would also close the HTTP server; the owner of the server closes it.
      io.engine.close();
    },
  };
}
