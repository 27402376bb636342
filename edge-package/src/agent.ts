import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { createRegistry, createRuntime, createFileStore, createMemoryStore, type Registry, type Runtime } from '@gridflow/runtime';
import { edgeEvents, type DeployAck, type EdgeDeployment, type UpstreamItem } from '@gridflow/runtime/contract';
import { coreNodes } from '@gridflow/nodes/core';
import { deviceNodes } from '@gridflow/nodes/device';
import { streamNodes } from '@gridflow/nodes/stream';
import { edgeNodes, edgeUplinkKey } from '@gridflow/nodes/edge';
import { openDiskQueue } from './disk-queue.js';
import { createUplink } from './uplink.js';
import { createForwarder } from './forwarder.js';
import { deploymentStore } from './deployment-store.js';
import { enroll, loadIdentity, saveIdentity, type Identity } from './identity.js';
import { healthSampler } from './health.js';
import { applyDeployment } from './apply-deployment.js';
import { perKeyThrottle } from './debug-throttle.js';
import type { EdgeOptions } from './options.js';

export const EDGE_VERSION = '0.1.0';

export interface EdgeLogger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface EdgeAgent {
  runtime: Runtime;
  identity: Identity;
  /** True while the socket to the server is connected. */
  readonly connected: boolean;
  close(): Promise<void>;
}

/** The node types an edge ships: core, device and stream nodes plus cloud out; no editor, no Express. */
export function edgeRegistry(): Registry {
  return createRegistry([...coreNodes, ...deviceNodes, ...streamNodes, ...edgeNodes.filter((d) => d.type === 'cloud out')]);
}

export async function startAgent(options: EdgeOptions, log: EdgeLogger): Promise<EdgeAgent> {
  await mkdir(options.dataDir, { recursive: true });
  let identity = await loadIdentity(options.dataDir);
  if (!identity || (options.token && identity.server !== options.server)) {
    if (!options.token) throw new Error('this edge is not enrolled yet: pass --token with a token made in the editor');
    identity = await enroll(options.server, options.token, { version: EDGE_VERSION, ...(options.name ? { name: options.name } : {}) });
    await saveIdentity(options.dataDir, identity);
    log.info(`enrolled as "${identity.name}" (${identity.edgeId})`);
  }
  const id = identity;

  const queue = openDiskQueue({ file: join(options.dataDir, 'upstream.db'), limit: options.queueLimit });
  let socket: Socket | undefined;
  const forwarder = createForwarder({
    queue,
    backfillRate: options.backfillRate,
    send: async (items: UpstreamItem[]) => {
      if (!socket?.connected) throw new Error('not connected');
      const ack = (await socket.timeout(15_000).emitWithAck(edgeEvents.upstream, { items })) as { acked?: number[] };
      return Array.isArray(ack?.acked) ? ack.acked : [];
    },
    onError: (err) => log.warn(`upstream: ${(err as Error).message}`),
  });
  const uplink = createUplink(queue, () => forwarder.notify());

  const runtime = createRuntime({
    registry: edgeRegistry(),
    host: 'edge',
    services: { [edgeUplinkKey.name]: uplink },
    context: {
      stores: { memory: createMemoryStore(), file: createFileStore({ dir: join(options.dataDir, 'context') }) },
      defaultStore: 'memory',
    },
  });
  runtime.events.on('log', (e) => {
    if (e.level === 'error') log.error(`[${e.type ?? ''} ${e.id ?? ''}] ${e.message}`);
    else if (e.level === 'warn') log.warn(`[${e.type ?? ''} ${e.id ?? ''}] ${e.message}`);
  });

  const store = deploymentStore(options.dataDir);
  let current = await store.load();
  if (current) {
    const ack = await applyDeployment(runtime, current, undefined, id.credential);
    if (ack.ok) log.info(`started the saved deployment ${current.rev} without the server`);
    else {
      log.error(`the saved deployment ${current.rev} did not start: ${ack.error}`);
      current = undefined;
    }
  }

  const sample = healthSampler({ version: EDGE_VERSION, runtime, queue, runningRev: () => current?.rev ?? null });
  socket = io(new URL('/edge', options.server).toString(), {
    auth: { edgeId: id.edgeId, credential: id.credential },
    transports: ['websocket'],
    reconnectionDelay: 500,
    reconnectionDelayMax: 5_000,
    randomizationFactor: 0.3,
  });
  let heartbeat: NodeJS.Timeout | undefined;
  socket.on('connect', () => {
    log.info(`connected to ${options.server}`);
    forwarder.start();
    socket?.emit(edgeEvents.heartbeat, sample());
    heartbeat = setInterval(() => socket?.emit(edgeEvents.heartbeat, sample()), options.heartbeatMs);
  });
  socket.on('disconnect', (reason) => {
    log.warn(`disconnected (${reason}); flows keep running, upstream data is queued on disk`);
    forwarder.stop();
    if (heartbeat) clearInterval(heartbeat);
  });
  socket.on('connect_error', (err) => {
    if (/revoked|unknown edge|bad credential/i.test(err.message)) {
      log.error(`the server refused this edge: ${err.message}; flows keep running offline`);
      socket?.disconnect();
    }
  });
  let deploying: Promise<unknown> = Promise.resolve();
  socket.on(edgeEvents.deploy, (deployment: EdgeDeployment, reply?: (ack: DeployAck) => void) => {
    deploying = deploying.then(async () => {
      const ack = await applyDeployment(runtime, deployment, current, id.credential);
      if (ack.ok) {
        current = deployment;
        await store.save(deployment);
        log.info(`running deployment ${deployment.rev}`);
      } else log.error(`deployment ${deployment.rev} refused: ${ack.error}; still running ${current?.rev ?? 'nothing'}`);
      reply?.(ack);
      socket?.emit(edgeEvents.heartbeat, sample());
    });
  });
  socket.on(edgeEvents.restartFlows, () => {
    if (current) void applyDeployment(runtime, current, current, id.credential).then(() => runtime.deploy(current?.flows ?? [], 'full'));
  });
  const throttle = perKeyThrottle(20);
  runtime.events.on('debug', (d) => {
    if (socket?.connected && throttle.allow(d.id)) socket.emit(edgeEvents.debug, d);
  });
  runtime.events.on('status', (s) => {
    if (socket?.connected) socket.emit(edgeEvents.status, s);
  });

  return {
    runtime,
    identity: id,
    get connected() {
      return socket?.connected === true;
    },
    async close() {
      forwarder.stop();
      if (heartbeat) clearInterval(heartbeat);
      socket?.close();
      await runtime.close();
      uplink.flush();
      queue.close();
    },
  };
}
