import { z } from 'zod';
import { defineNode, type NodeContext, type NodeStatus } from '@gridflow/runtime';
import { nrUtil } from '../shared/node-red-util.js';
import { stringish } from '../shared/typed-value.js';
import type { WebSocketEndpointApi, WebSocketEvent } from './websocket-services.js';

// Node-RED keeps the config node in `server` (listener) or `client` (client); either may be set.
const endpointRef = z
  .object({ name: stringish(), server: stringish(''), client: stringish('') })
  .refine((c) => Boolean(c.server || c.client), { message: 'choose a websocket listener or client', path: ['server'] });

function endpointOf(ctx: NodeContext, c: { server: string; client: string }, what: string): WebSocketEndpointApi {
  const id = c.client || c.server;
  const endpoint = ctx.configNode<WebSocketEndpointApi>(id);
  if (!endpoint) throw new Error(`${what} ${ctx.id}: websocket config "${id}" is missing or did not start`);
  return endpoint;
}

function statusOf(e: WebSocketEvent): NodeStatus {
  if (e.event === 'error') return { fill: 'red', shape: 'ring', text: `error${e.error ? `: ${e.error.slice(0, 40)}` : ''}` };
  if (e.event === 'connect' || (typeof e.count === 'number' && e.count > 0)) return { fill: 'green', shape: 'dot', text: `connected ${e.count}`.trim() };
  return { fill: 'red', shape: 'ring', text: 'disconnected' };
}

export const websocketInNode = defineNode({
  type: 'websocket in',
  version: 1,
  category: 'app',
  inputs: 0,
  outputs: 1,
  config: endpointRef,
  label: 'websocket in',
  icon: 'white-globe.svg',
  color: 'rgb(215, 215, 160)',
  help: `Sends on what a WebSocket receives, as Node-RED's **websocket in**: \`msg.payload\` (text, or a
Buffer for binary frames), or the whole message when the endpoint sends whole messages;
\`msg._session\` names the connection, so a **websocket out** can answer it alone.`,
  create(ctx, c) {
    const endpoint = endpointOf(ctx, c, 'websocket in');
    const off = endpoint.subscribe({
      // Each websocket in node gets its own copy: several may listen on one endpoint.
      message: (msg) => ctx.send({ ...msg, _session: { ...(msg['_session'] as object) } }),
      event: (e) => ctx.status(statusOf(e)),
    });
    return {
      close() {
        off();
        ctx.status({});
      },
    };
  },
});

export const websocketOutNode = defineNode({
  type: 'websocket out',
  version: 1,
  category: 'app',
  inputs: 1,
  outputs: 0,
  config: endpointRef,
  label: 'websocket out',
  icon: 'white-globe.svg',
  color: 'rgb(215, 215, 160)',
  help: `Sends \`msg.payload\` (or the whole message as JSON) over a WebSocket, as Node-RED's **websocket
out**: to the connection in \`msg._session\` when the message came from a websocket in, else to
every connection of a listener, or to the server of a client.`,
  create(ctx, c) {
    const endpoint = endpointOf(ctx, c, 'websocket out');
    const off = endpoint.subscribe({ event: (e) => ctx.status(statusOf(e)) });
    return {
      input(msg, _send, done) {
        let data: string | Buffer | undefined;
        const session = msg['_session'] as { type?: unknown; id?: unknown } | undefined;
        if (endpoint.wholemsg) {
          const { _session: _omit, ...rest } = msg;
          data = JSON.stringify(rest);
        } else if (Object.hasOwn(msg, 'payload')) {
          data = Buffer.isBuffer(msg.payload) ? msg.payload : nrUtil.ensureString(msg.payload);
        }
        if (data === undefined || data === '') return done();
        if (session?.type === 'websocket' && typeof session.id === 'string') {
          // The connection may have closed since: Node-RED drops the reply silently, so does this.
          endpoint.reply(session.id, data);
        } else if (!endpoint.broadcast(data)) {
          ctx.warn(`websocket out ${ctx.id}: nothing is connected to ${endpoint.label}; the message was not sent`);
        }
        done();
      },
      close() {
        off();
        ctx.status({});
      },
    };
  },
});
