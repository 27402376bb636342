import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { serviceKey, type Msg } from '@gridflow/runtime';

/**
 * Hosted by the server: HTTP upgrade requests for paths under the endpoint prefix, handed to the
 * `websocket-listener` that claimed the path. Other upgrades (socket.io) are left alone.
 */
export interface WebSocketUpgrades {
  /** Claims `path` (e.g. `/ws/live`); throws when another node holds it. The function releases it. */
  register(path: string, owner: string, onUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void): () => void;
  /** The URL prefix listener paths are served under (e.g. `/endpoints`). */
  readonly prefix: string;
}
export const websocketUpgradesKey = serviceKey<WebSocketUpgrades>('websocket-upgrades');

/** A connection event, as Node-RED's websocket nodes show it in their status. */
export interface WebSocketEvent {
  event: 'connect' | 'disconnect' | 'error';
  /** Open connections of a listener; '' for a client. */
  count: number | '';
  /** The session id (msg._session.id). */
  id: string;
  error?: string;
}

/** What `websocket in` and `websocket out` get from a `websocket-listener` or `websocket-client` config node. */
export interface WebSocketEndpointApi {
  /** Send and receive whole messages as JSON instead of msg.payload. */
  readonly wholemsg: boolean;
  /** A description for messages: "listener /ws/live" or "client ws://host/x". */
  readonly label: string;
  subscribe(listener: { message?(msg: Msg): void; event?(e: WebSocketEvent): void }): () => void;
  /** To every connection of a listener, or to the server of a client. False when nothing was connected. */
  broadcast(data: string | Buffer): boolean;
  /** To one connection of a listener (msg._session.id); false when it has gone. */
  reply(sessionId: string, data: string | Buffer): boolean;
}
