import type { NodeContext } from '@gridflow/runtime';
import { connectionStatus, type ConnectionState, type StateFeed } from './reconnect.js';

/**
 * The part every protocol node (mqtt in/out, opcua in/out/browse, modbus read/write) does with the
 * connection its config node (mqtt-broker, opcua-endpoint, modbus-client) holds for all its users:
 * find the config node, count itself as a user, and show the connection state as its status.
 */

/** A config node that holds one connection for every node using it. */
export interface SharedConnection {
  readonly state: StateFeed;
  /** Counts a user; returns the release, called once when that user closes. */
  use(): () => void;
}

/** Which config node a node refers to: its type, and how the node's status names it when missing. */
export interface ConfigRef {
  type: string;
  label: string;
}

/** The config node `id`; a missing one shows in the node's status and fails the node's start. */
export function configNodeOf<T>(ctx: NodeContext, id: string, ref: ConfigRef): T {
  const node = ctx.configNode<T>(id);
  if (!node) {
    ctx.status({ fill: 'red', shape: 'ring', text: `missing ${ref.label} configuration` });
    throw new Error(`${ctx.type} ${ctx.id}: ${ref.type} ${id} is missing`);
  }
  return node;
}

/**
 * Counts the node as a user of the connection and shows each connection state as its status
 * (only those `show` lets through, for a node that keeps its own error status up); returns what
 * the node's close() calls.
 */
export function useConnection(ctx: NodeContext, connection: SharedConnection, show: (state: ConnectionState) => boolean = () => true): () => void {
  const release = connection.use();
  const unwatch = connection.state.watch((s) => {
    if (show(s)) ctx.status(connectionStatus(s));
  });
  return () => {
    unwatch();
    release();
  };
}
