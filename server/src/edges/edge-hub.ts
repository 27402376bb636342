import type { Namespace, Server, Socket } from 'socket.io';
import type { FlowNode } from '@gridflow/runtime';
import {
  type DeviceRef,
  deployAckSchema,
  edgeAuthSchema,
  edgeEvents,
  edgeHealthSchema,
  upstreamBatchSchema,
  type DeployAck,
  type EdgeDeployment,
  type UpstreamAck,
} from '@gridflow/runtime/contract';
import type { EdgeHub, UpstreamMessage } from '@gridflow/nodes/edge';
import { encryptForEdge } from '@gridflow/nodes/edge';
import type { EdgeDevicePosts } from './edge-device-posts.js';
import type { EdgeGatewayAttachment, EdgeGatewayPresence } from './edge-gateway-presence.js';
import { createUpstreamReceiver } from './edge-upstream.js';
import type { EdgeRecord, EdgeStore } from './edge-store.js';
import { documentRev, edgeDocument, splitCredentials } from './edge-targets.js';

export interface EdgeHubLogger {
  info(message: string): void;
  warn(message: string): void;
}

export interface EdgeRelayEvent {
  edgeId: string;
  edgeName: string;
  kind: 'debug' | 'status' | 'health' | 'deploy' | 'online' | 'offline';
  data: unknown;
}

export type EdgeDeployType = 'full' | 'flows' | 'nodes';

export interface EdgeHubOptions {
  io: Server;
  store: EdgeStore;
  log: EdgeHubLogger;
  /** The server's whole current document (cloud and edge tabs). */
  currentFlows(): readonly FlowNode[];
  /** Node credentials (plain) by node id, when the server keeps any, to seal for each edge. */
  credentialsFor?(nodeIds: readonly string[]): Record<string, Record<string, unknown>> | undefined;
  /** Where edge debug, status and health go (the editor's sockets). */
  relay?(event: EdgeRelayEvent): void;
  /** Takes `device post` items to the device registry as the edge's gateway; refused when absent. */
  devicePosts?: EdgeDevicePosts;
  /** Keeps an edge's gateway device online while the edge is connected. */
  presence?: EdgeGatewayPresence;
  deployTimeoutMs?: number;
}

export interface EdgeHubControl {
  /** The service `edge in` nodes subscribe to. */
  service: EdgeHub;
  /**
   * Sends each connected edge its part of the current document when that part changed, to be
   * swapped in the way the editor deployed (every node, changed flows or changed nodes).
   */
  deploy(type?: EdgeDeployType): Promise<{ edgeId: string; ack: DeployAck }[]>;
  /** Asks every connected edge to restart its flows (the editor's "restart flows"). */
  restartAll(): number;
  restartFlows(edgeId: string): boolean;
  /** Ends the edge's connection; `reason` is what its gateway's offline lifecycle message says. */
  disconnect(edgeId: string, reason?: string): void;
  /** The edge's gateway binding changed: the old gateway goes offline, the new one comes online. */
  rebind(edgeId: string, gateway: DeviceRef | null): void;
  isOnline(edgeId: string): boolean;
  close(): void;
}

/**
 * The `/edge` socket.io namespace: authenticates agents with their credential, receives their
 * upstream batches exactly once per (edge, sequence), their heartbeats and debug output, and
 * sends them deployments.
 */
export function createEdgeHub(options: EdgeHubOptions): EdgeHubControl {
  const ns: Namespace = options.io.of('/edge');
  // An edge that was offline gets what it missed the way the last deploy was made.
  let lastType: EdgeDeployType = 'full';
  const sockets = new Map<string, Socket>();
  const attachments = new Map<string, EdgeGatewayAttachment>();
  /** Why the server ended a connection, when it did. */
  const endReasons = new WeakMap<Socket, string>();
  const listeners = new Set<(m: UpstreamMessage) => void>();
  const relay = (event: EdgeRelayEvent) => options.relay?.(event);
  const upstream = createUpstreamReceiver({ store: options.store, listeners, devicePosts: options.devicePosts });

  ns.use((socket, next) => {
    const auth = edgeAuthSchema.safeParse(socket.handshake.auth);
    if (!auth.success) return next(new Error('edge authentication needs edgeId and credential'));
    options.store.authenticate(auth.data.edgeId, auth.data.credential).then(
      (result) => {
        if ('refused' in result) {
          options.log.warn(`edge ${auth.data.edgeId} refused: ${result.refused}`);
          return next(new Error(result.refused));
        }
        socket.data = { edge: result };
        next();
      },
      (err: unknown) => next(err instanceof Error ? err : new Error(String(err))),
    );
  });

  ns.on('connection', (socket) => {
    const edge = (socket.data as { edge: EdgeRecord }).edge;
    // Attached before an older connection of the edge ends, so that a reconnect does not flap the gateway.
    const attachment = options.presence?.connected(edge);
    const older = sockets.get(edge.id);
    if (older) endReasons.set(older, 'edge connected again');
    older?.disconnect(true);
    sockets.set(edge.id, socket);
    if (attachment) attachments.set(edge.id, attachment);
    options.log.info(`edge "${edge.name}" (${edge.id}) connected`);
    relay({ edgeId: edge.id, edgeName: edge.name, kind: 'online', data: null });

    socket.on(edgeEvents.upstream, async (raw: unknown, reply?: (ack: UpstreamAck | { error: string }) => void) => {
      // Agents send the batch as JSON text (see edge-package/src/upstream-wire.ts); an object works too.
      let decoded: unknown = raw;
      if (typeof raw === 'string') {
        try {
          decoded = JSON.parse(raw);
        } catch (err) {
          return reply?.({ error: `bad upstream batch: not JSON (${(err as Error).message})` });
        }
      }
      const batch = upstreamBatchSchema.safeParse(decoded);
      if (!batch.success) return reply?.({ error: `bad upstream batch: ${batch.error.issues[0]?.message ?? ''}` });
      try {
        reply?.(await upstream.receive(edge, batch.data));
      } catch (err) {
        reply?.({ error: (err as Error).message });
      }
    });
    socket.on(edgeEvents.heartbeat, (raw: unknown) => {
      const health = edgeHealthSchema.safeParse(raw);
      if (!health.success) return;
      void options.store.recordHealth(edge.id, health.data);
      relay({ edgeId: edge.id, edgeName: edge.name, kind: 'health', data: health.data });
    });
    socket.on(edgeEvents.debug, (data: unknown) =>
      relay({ edgeId: edge.id, edgeName: edge.name, kind: 'debug', data }),
    );
    socket.on(edgeEvents.status, (data: unknown) =>
      relay({ edgeId: edge.id, edgeName: edge.name, kind: 'status', data }),
    );
    socket.on('disconnect', () => {
      attachment?.end(endReasons.get(socket) ?? 'edge disconnected');
      if (attachments.get(edge.id) === attachment) attachments.delete(edge.id);
      if (sockets.get(edge.id) !== socket) return;
      sockets.delete(edge.id);
      relay({ edgeId: edge.id, edgeName: edge.name, kind: 'offline', data: null });
    });
    // A (re)connected edge gets its current part of the document.
    sendDeployment(edge, socket, lastType).catch((err: unknown) =>
      options.log.warn(`deploying to edge ${edge.id} failed: ${(err as Error).message}`),
    );
  });

  async function sendDeployment(
    edge: EdgeRecord,
    socket: Socket,
    type: EdgeDeployType,
  ): Promise<DeployAck | undefined> {
    const fresh = (await options.store.get(edge.id)) ?? edge;
    const doc = edgeDocument(options.currentFlows(), fresh);
    const rev = documentRev(doc);
    if (fresh.runningRev === rev) return undefined;
    if (fresh.runningRev === null && doc.length === 0) return undefined;
    // Secrets leave the plain document and travel sealed with this edge's own key.
    const split = splitCredentials(doc);
    const creds = { ...split.credentials, ...options.credentialsFor?.(doc.map((n) => n.id)) };
    const deployment: EdgeDeployment = {
      rev,
      flows: split.flows,
      type,
      ...(Object.keys(creds).length ? { credentials: encryptForEdge(fresh.deployKey, creds) } : {}),
    };
    await options.store.recordDeploy(edge.id, { targetRev: rev });
    let ack: DeployAck;
    try {
      const raw: unknown = await socket
        .timeout(options.deployTimeoutMs ?? 30_000)
        .emitWithAck(edgeEvents.deploy, deployment);
      const parsed = deployAckSchema.safeParse(raw);
      ack = parsed.success
        ? parsed.data
        : { rev, ok: false, error: 'the edge answered the deployment with an unreadable acknowledgement' };
    } catch {
      ack = { rev, ok: false, error: 'the edge did not acknowledge the deployment in time' };
    }
    await options.store.recordDeploy(edge.id, ack.ok ? { runningRev: rev, deployError: null } : { deployError: ack });
    relay({ edgeId: edge.id, edgeName: fresh.name, kind: 'deploy', data: ack });
    return ack;
  }

  return {
    service: {
      subscribe(listener) {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
    async deploy(type = lastType) {
      lastType = type;
      const results: { edgeId: string; ack: DeployAck }[] = [];
      await Promise.all(
        [...sockets.entries()].map(async ([edgeId, socket]) => {
          const edge = await options.store.get(edgeId);
          if (!edge) return;
          const ack = await sendDeployment(edge, socket, type);
          if (ack) results.push({ edgeId, ack });
        }),
      );
      return results;
    },
    restartFlows(edgeId) {
      const socket = sockets.get(edgeId);
      socket?.emit(edgeEvents.restartFlows);
      return socket !== undefined;
    },
    restartAll() {
      for (const socket of sockets.values()) socket.emit(edgeEvents.restartFlows);
      return sockets.size;
    },
    disconnect(edgeId, reason) {
      const socket = sockets.get(edgeId);
      if (!socket) return;
      if (reason) endReasons.set(socket, reason);
      socket.disconnect(true);
    },
    rebind(edgeId, gateway) {
      attachments.get(edgeId)?.rebind(gateway);
    },
    isOnline: (edgeId) => sockets.has(edgeId),
    close() {
      for (const s of sockets.values()) {
        endReasons.set(s, 'server stopping');
        s.disconnect(true);
      }
      for (const a of attachments.values()) a.end('server stopping');
      attachments.clear();
      sockets.clear();
      listeners.clear();
    },
  };
}
