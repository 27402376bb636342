import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createRegistry,
  createRuntime,
  createFileStore,
  createMemoryStore,
  type Registry,
  type Runtime,
} from '@gridflow/runtime';
import { edgeEvents, upstreamAckSchema, type DeployAck, type EdgeDeployment } from '@gridflow/runtime/contract/edge';
import { coreNodes } from '@gridflow/nodes/core';
import { deviceNodes } from '@gridflow/nodes/device';
import { streamNodes } from '@gridflow/nodes/stream';
import { edgeAgentNodes, edgeUplinkKey } from '@gridflow/nodes/edge';
import { openDiskQueue } from './disk-queue.js';
import { createUplink } from './uplink.js';
import { createForwarder } from './forwarder.js';
import { deploymentStore } from './deployment-store.js';
import { enroll, loadIdentity, saveIdentity, type Identity } from './identity.js';
import { healthSampler } from './health.js';
import { applyDeployment, restartDeployment } from './apply-deployment.js';
import { perKeyThrottle } from './debug-throttle.js';
import { connectToServer } from './server-link.js';
import { encodeBatch } from './upstream-wire.js';
import type { EdgeLogger } from './logger.js';
import type { EdgeOptions } from './options.js';

export const EDGE_VERSION = '0.1.0';
export type { EdgeLogger } from './logger.js';

export interface EdgeAgent {
  runtime: Runtime;
  identity: Identity;
  /** True while the socket to the server is connected. */
  readonly connected: boolean;
  close(): Promise<void>;
}

/** The node types an edge ships: core, device and stream nodes plus cloud out; no editor, no Express. */
export function edgeRegistry(): Registry {
  return createRegistry([...coreNodes, ...deviceNodes, ...streamNodes, ...edgeAgentNodes]);
}

async function ensureIdentity(options: EdgeOptions, log: EdgeLogger): Promise<Identity> {
  await mkdir(options.dataDir, { recursive: true });
  const saved = await loadIdentity(options.dataDir);
  if (saved && !(options.token && saved.server !== options.server)) return saved;
  if (!options.token) throw new Error('this edge is not enrolled yet: pass --token with a token made in the editor');
  const identity = await enroll(options.server, options.token, {
    version: EDGE_VERSION,
    ...(options.name ? { name: options.name } : {}),
  });
  await saveIdentity(options.dataDir, identity);
  log.info(`enrolled as "${identity.name}" (${identity.edgeId})`);
  return identity;
}

export async function startAgent(options: EdgeOptions, log: EdgeLogger): Promise<EdgeAgent> {
  const id = await ensureIdentity(options, log);
  const queue = openDiskQueue({ file: join(options.dataDir, 'upstream.db'), limit: options.queueLimit });
  const link = connectToServer({ server: options.server, edgeId: id.edgeId, credential: id.credential, log });
  const { socket } = link;
  const forwarder = createForwarder({
    queue,
    backfillRate: options.backfillRate,
    async send(batch) {
      if (!socket.connected) throw new Error('not connected');
      const reply: unknown = await socket.timeout(15_000).emitWithAck(edgeEvents.upstream, encodeBatch(batch));
      const ack = upstreamAckSchema.safeParse(reply);
      if (!ack.success)
        throw new Error(
          `the server did not store the batch: ${(reply as { error?: string } | null)?.error ?? 'unreadable answer'}`,
        );
      return ack.data.acked;
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

  // The last good deployment starts before (and without) the server.
  const store = deploymentStore(options.dataDir);
  let current = await store.load();
  if (current) {
    const ack = await applyDeployment(runtime, current, undefined, id.credential);
    if (ack.ok) log.info(`started the saved deployment ${current.rev} without the server`);
    else {
      log.error(`the saved deployment ${current.rev} did not start: ${ack.error ?? ''}`);
      current = undefined;
    }
  }

  const sample = healthSampler({ version: EDGE_VERSION, runtime, queue, runningRev: () => current?.rev ?? null });
  let heartbeat: NodeJS.Timeout | undefined;
  socket.on('connect', () => {
    log.info(`connected to ${options.server}`);
    forwarder.start();
    socket.emit(edgeEvents.heartbeat, sample());
    if (heartbeat) clearInterval(heartbeat);
    heartbeat = setInterval(() => socket.emit(edgeEvents.heartbeat, sample()), options.heartbeatMs);
  });
  socket.on('disconnect', (reason) => {
    log.warn(`disconnected (${reason}); flows keep running, upstream data is queued on disk`);
    forwarder.stop();
    if (heartbeat) clearInterval(heartbeat);
    heartbeat = undefined;
  });

  // Deployments and restarts run one at a time, in the order they arrived.
  let work: Promise<unknown> = Promise.resolve();
  const serially = (task: () => Promise<void>) => {
    work = work.then(task).catch((err: unknown) => log.error(`deployment: ${(err as Error).message}`));
  };
  socket.on(edgeEvents.deploy, (deployment: EdgeDeployment, reply?: (ack: DeployAck) => void) => {
    serially(async () => {
      const ack = await applyDeployment(runtime, deployment, current, id.credential);
      if (ack.ok) {
        current = deployment;
        await store.save(deployment);
        log.info(`running deployment ${deployment.rev}`);
      } else
        log.error(
          `deployment ${deployment.rev} refused: ${ack.error ?? ''}; still running ${current?.rev ?? 'nothing'}`,
        );
      reply?.(ack);
      socket.emit(edgeEvents.heartbeat, sample());
    });
  });
  socket.on(edgeEvents.restartFlows, () => {
    serially(async () => {
      if (!current) return;
      await restartDeployment(runtime, current, id.credential);
      log.info(`restarted deployment ${current.rev} on request`);
      socket.emit(edgeEvents.heartbeat, sample());
    });
  });
  const throttle = perKeyThrottle(20);
  runtime.events.on('debug', (d) => {
    if (socket.connected && throttle.allow(d.id)) socket.emit(edgeEvents.debug, d);
  });
  runtime.events.on('status', (s) => {
    if (socket.connected) socket.emit(edgeEvents.status, s);
  });
  // Only now: a connection made while the saved deployment was starting would find no handlers.
  link.open();

  return {
    runtime,
    identity: id,
    get connected() {
      return socket.connected;
    },
    async close() {
      forwarder.stop();
      if (heartbeat) clearInterval(heartbeat);
      link.close();
      await work;
      await runtime.close();
      uplink.flush();
      queue.close();
    },
  };
}
