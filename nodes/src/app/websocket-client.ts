import WebSocket from 'ws';
import { z } from 'zod';
import { defineNode } from '@gridflow/runtime';
import type { TlsConfigApi } from '../device/tls-config.js';
import { compileTypedValue, numberish, stringish } from '../shared/typed-value.js';
import { createEndpointCore } from './websocket-endpoint.js';
import type { WebSocketEndpointApi } from './websocket-services.js';

const headerRow = z.object({ keyType: stringish('other'), keyValue: stringish(''), valueType: stringish('other'), valueValue: stringish('') });

const clientConfig = z.object({
  name: stringish(),
  /** ws:// or wss:// URL of the server. */
  path: stringish()
    .pipe(z.string().trim())
    .refine((u) => /^wss?:\/\/[^\s]+$/i.test(u), 'the URL must start with ws:// or wss://'),
  tls: stringish(''),
  wholemsg: z.preprocess((v) => v === true || v === 'true', z.boolean()),
  /** Seconds between pings; a missing pong closes and reopens the connection. 0: none. */
  hb: numberish(0).pipe(z.number().min(0)),
  subprotocol: stringish(''),
  /** Headers of the opening request: name ('other': keyValue), value ('other': valueValue, 'env': an environment variable). */
  headers: z.array(headerRow).default([]),
});

const RECONNECT_MS = 3000;

/** Node-RED's `websocket-client`: connects out, and reconnects every 3 seconds while the flows run. */
export const websocketClientNode = defineNode<typeof clientConfig, WebSocketEndpointApi>({
  type: 'websocket-client',
  version: 1,
  category: 'config',
  isConfig: true,
  inputs: 0,
  outputs: 0,
  label: 'websocket client',
  config: clientConfig,
  help: `A connection to a WebSocket server for **websocket in** / **websocket out**: URL, TLS
(a *tls-config*), subprotocols, opening headers, and an optional heartbeat (ping every *hb* seconds).
Reconnects 3 seconds after the connection drops.`,
  create(ctx, c) {
    const tlsNode = c.tls ? ctx.configNode<TlsConfigApi>(c.tls) : undefined;
    if (c.tls && !tlsNode) throw new Error(`websocket-client ${ctx.id}: TLS config "${c.tls}" is missing or did not start`);
    const protocols = c.subprotocol.split(',').map((p) => p.trim()).filter(Boolean);
    const headers: Record<string, string> = {};
    for (const h of c.headers) {
      const name = h.keyType === 'other' ? h.keyValue : h.keyType;
      const value = h.valueType === 'other' ? h.valueValue : h.valueType === 'env' ? compileTypedValue(ctx, h.valueValue, 'env').get({ _msgid: '' }) : h.valueType;
      if (name && value !== undefined && value !== '') headers[name] = String(value);
    }
    const core = createEndpointCore({ wholemsg: c.wholemsg, label: `client ${c.path}`, isServer: false });
    let closing = false;
    let socket: WebSocket | undefined;
    let retry: NodeJS.Timeout | undefined;
    let heartbeat: NodeJS.Timeout | undefined;

    const scheduleReconnect = () => {
      ctx.timers.clearInterval(heartbeat);
      if (closing || retry) return;
      retry = ctx.timers.setTimeout(() => {
        retry = undefined;
        connect();
      }, RECONNECT_MS);
    };

    function connect(): void {
      const ws = new WebSocket(c.path, protocols, { ...(tlsNode ? tlsNode.options() : {}), ...(Object.keys(headers).length ? { headers } : {}) });
      socket = ws;
      let awaitingPong = false;
      ws.on('open', () => {
        if (c.hb > 0) {
          heartbeat = ctx.timers.setInterval(() => {
            if (awaitingPong) {
              core.event({ event: 'error', count: '', id: '', error: `no pong within ${c.hb} s` });
              ws.terminate();
              return;
            }
            awaitingPong = true;
            ws.ping();
          }, c.hb * 1000);
        }
      });
      ws.on('pong', () => (awaitingPong = false));
      // An error is followed by 'close', which reconnects; the error only goes to the status.
      core.attach(ws, scheduleReconnect);
    }
    connect();

    return {
      api: core.api,
      close: () =>
        new Promise<void>((resolve) => {
          closing = true;
          ctx.timers.clearTimeout(retry);
          ctx.timers.clearInterval(heartbeat);
          const ws = socket;
          if (!ws || ws.readyState === ws.CLOSED) return resolve();
          const timer = setTimeout(() => {
            ws.terminate();
            resolve();
          }, 1000);
          ws.once('close', () => {
            clearTimeout(timer);
            resolve();
          });
          if (ws.readyState === ws.CONNECTING) ws.terminate();
          else ws.close();
        }),
    };
  },
});
