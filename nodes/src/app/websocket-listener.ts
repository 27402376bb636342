import { WebSocketServer } from 'ws';
import { z } from 'zod';
import { defineNode } from '@gridflow/runtime';
import { stringish } from '../shared/typed-value.js';
import { createEndpointCore } from './websocket-endpoint.js';
import { websocketUpgradesKey, type WebSocketEndpointApi } from './websocket-services.js';

const listenerConfig = z.object({
  name: stringish(),
  /** Path under the endpoint prefix, e.g. /ws/live. */
  path: stringish()
    .pipe(z.string().trim().min(1, 'the path is required, e.g. /ws/live'))
    .transform((p) => (p.startsWith('/') ? p : `/${p}`))
    .refine((p) => !/[\s?#]/.test(p), 'the path must not hold spaces, a query or a fragment'),
  /** Node-RED stores "true"/"false": send and receive the whole message as JSON. */
  wholemsg: z.preprocess((v) => v === true || v === 'true', z.boolean()),
  /** Accepted subprotocols, comma separated. */
  subprotocol: stringish(''),
});

/** Node-RED's `websocket-listener`: a WebSocket endpoint served by the Gridflow server's HTTP server. */
export const websocketListenerNode = defineNode<typeof listenerConfig, WebSocketEndpointApi>({
  type: 'websocket-listener',
  version: 1,
  category: 'config',
  isConfig: true,
  inputs: 0,
  outputs: 0,
  label: 'websocket listener',
  config: listenerConfig,
  help: `A WebSocket endpoint for **websocket in** / **websocket out**, served by the Gridflow server under
its endpoint prefix (default \`/endpoints\`): path \`/ws/live\` is \`ws://host:1880/endpoints/ws/live\`.
*Send/receive*: the payload, or the whole message as JSON.`,
  create(ctx, c) {
    const upgrades = ctx.service(websocketUpgradesKey);
    if (!upgrades) throw new Error(`websocket-listener ${ctx.id}: serving ${c.path} needs the Gridflow server (no HTTP server in this runtime)`);
    const protocols = c.subprotocol.split(',').map((p) => p.trim()).filter(Boolean);
    const wss = new WebSocketServer({
      noServer: true,
      ...(protocols.length ? { handleProtocols: (offered: Set<string>) => protocols.find((p) => offered.has(p)) ?? false } : {}),
    });
    const core = createEndpointCore({ wholemsg: c.wholemsg, label: `listener ${upgrades.prefix}${c.path}`, isServer: true });
    wss.on('connection', (ws) => core.attach(ws));
    const release = upgrades.register(c.path, ctx.id, (req, socket, head) => {
      wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
    });
    return {
      api: core.api,
      close: () =>
        new Promise<void>((resolve) => {
          release();
          for (const ws of core.sessions.values()) ws.terminate();
          wss.close(() => resolve());
        }),
    };
  },
});
