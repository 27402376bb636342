import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { websocketUpgradesKey, type WebSocketUpgrades } from '@gridflow/nodes/app';
import type { ServerModule } from '../server.js';

export interface WebSocketModuleOptions {
  /** URL prefix of `websocket-listener` paths; the same as the flow endpoints' (http in) by default. */
  prefix?: string;
}

type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/** Normalises a listener path: one leading slash, no trailing one. */
const normalise = (path: string) => `/${path.replace(/^\/+/, '').replace(/\/+$/, '')}`;

/**
 * Serves `websocket-listener` nodes from the server's own HTTP server: an upgrade request for
 * `<prefix><path>` goes to the listener that claimed the path; one under the prefix that no
 * listener claimed is refused with 404; every other upgrade (socket.io) is left to its owner.
 */
export function websocketModule(options: WebSocketModuleOptions = {}): ServerModule {
  return {
    name: 'websocket',
    setup(host) {
      const prefix = normalise(options.prefix ?? host.config.endpoints.prefix);
      const paths = new Map<string, { owner: string; handler: UpgradeHandler }>();
      const service: WebSocketUpgrades = {
        prefix: prefix === '/' ? '' : prefix,
        register(path, owner, handler) {
          const key = normalise(path);
          const taken = paths.get(key);
          if (taken && taken.owner !== owner) throw new Error(`websocket path ${prefix}${key} is already served by node ${taken.owner}`);
          const entry = { owner, handler };
          paths.set(key, entry);
          return () => {
            if (paths.get(key) === entry) paths.delete(key);
          };
        },
      };
      host.provide(websocketUpgradesKey, service);

      const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
        let pathname: string;
        try {
          pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
        } catch {
          // Not a URL: not ours; the HTTP server's other upgrade listeners (or none) decide.
          return;
        }
        const base = prefix === '/' ? '' : prefix;
        if (base && pathname !== base && !pathname.startsWith(`${base}/`)) return;
        const entry = paths.get(normalise(pathname.slice(base.length)));
        if (entry) return entry.handler(req, socket, head);
        if (!base) return;
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      };
      host.httpServer.on('upgrade', onUpgrade);
      host.logger.info(`websocket listeners are served under ${prefix}`);
      return {
        close() {
          host.httpServer.off('upgrade', onUpgrade);
        },
      };
    },
  };
}
