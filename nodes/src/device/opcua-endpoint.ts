import type { ClientSession, ClientSubscription, DataValue, OPCUAClient, UserIdentityInfo } from 'node-opcua';
import { z } from 'zod';
import { defineNode } from '@gridflow/runtime';
import { numberish, stringish } from '../shared/typed-value.js';
import { createReconnector, createStateFeed, type Reconnector, type StateFeed } from './reconnect.js';
import type { ConfigRef } from './shared-connection.js';

export type Opcua = typeof import('node-opcua');
let loading: Promise<Opcua> | undefined;
/** node-opcua takes seconds to load: only hosts whose flows use OPC UA pay for it. */
export const loadOpcua = (): Promise<Opcua> => (loading ??= import('node-opcua'));

const endpointConfig = z.object({
  name: stringish(''),
  /** opc.tcp://host:port/path */
  endpoint: stringish('').pipe(z.string().regex(/^opc\.tcp:\/\/.+/, 'endpoint must be an opc.tcp:// URL')),
  securityPolicy: z.enum(['None', 'Basic256Sha256']).default('None'),
  /** With Basic256Sha256: Sign or SignAndEncrypt (the default). */
  securityMode: z.enum(['None', 'Sign', 'SignAndEncrypt']).default('None'),
  auth: z.enum(['anonymous', 'username']).default('anonymous'),
  credentials: z.object({ user: stringish(''), password: stringish('') }).partial().default({}),
  reconnectMinMs: numberish(500).pipe(z.number().int().min(10)),
  reconnectMaxMs: numberish(30_000).pipe(z.number().int().min(10)),
});

/** One OPC UA subscription's settings and items. */
export interface MonitorSpec {
  nodeIds: string[];
  publishingInterval: number;
  samplingInterval: number;
  queueSize: number;
  deadbandType: 'none' | 'absolute' | 'percent';
  deadbandValue: number;
}

/** How the opcua nodes name their endpoint config node. */
export const opcuaEndpointRef: ConfigRef = { type: 'opcua-endpoint', label: 'endpoint' };

export interface OpcuaEndpointApi {
  readonly state: StateFeed;
  readonly ua: Opcua;
  readonly url: string;
  use(): () => void;
  /** Runs one service call with the current session; rejects at once when not connected. */
  withSession<T>(what: string, fn: (session: ClientSession) => Promise<T>): Promise<T>;
  /** Monitors the items until the returned function is called; created again after every reconnect. */
  monitor(spec: MonitorSpec, onChange: (nodeId: string, value: DataValue) => void, onProblem: (err: Error) => void): () => void;
}

interface Connection {
  client: OPCUAClient;
  session: ClientSession;
  subscriptions: Map<Group, ClientSubscription>;
}

interface Group {
  spec: MonitorSpec;
  onChange(nodeId: string, value: DataValue): void;
  onProblem(err: Error): void;
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** An OPC UA server endpoint shared by `opcua in`, `opcua out` and `opcua browse` nodes. */
export const opcuaEndpointNode = defineNode<typeof endpointConfig, OpcuaEndpointApi>({
  type: 'opcua-endpoint',
  version: 1,
  category: 'config',
  isConfig: true,
  inputs: 0,
  outputs: 0,
  label: 'OPC UA endpoint',
  config: endpointConfig,
  help: `An OPC UA server: endpoint URL, security (None, or Basic256Sha256 with Sign or SignAndEncrypt), anonymous or
user name and password. One session, shared by the nodes that use it; after a loss it is opened again with a
bounded exponential back-off and every subscription is created again.`,
  async create(ctx, c) {
    const ua = await loadOpcua();
    const state = createStateFeed();
    const groups = new Set<Group>();
    let reconnector: Reconnector<Connection> | undefined;

    const securityPolicy = c.securityPolicy === 'None' ? ua.SecurityPolicy.None : ua.SecurityPolicy.Basic256Sha256;
    const mode =
      c.securityPolicy === 'None' ? 'None' : c.securityMode === 'None' ? 'SignAndEncrypt' : c.securityMode;
    const securityMode = ua.MessageSecurityMode[mode];
    const identity: UserIdentityInfo =
      c.auth === 'username'
        ? { type: ua.UserTokenType.UserName, userName: c.credentials.user ?? '', password: c.credentials.password ?? '' }
        : { type: ua.UserTokenType.Anonymous };

    async function addGroup(conn: Connection, g: Group): Promise<void> {
      const sub = await conn.session.createSubscription2({
        requestedPublishingInterval: g.spec.publishingInterval,
        requestedLifetimeCount: 600,
        requestedMaxKeepAliveCount: 20,
        maxNotificationsPerPublish: 1000,
        publishingEnabled: true,
        priority: 10,
      });
      conn.subscriptions.set(g, sub);
      const filter =
        g.spec.deadbandType === 'none'
          ? null
          : new ua.DataChangeFilter({
              trigger: ua.DataChangeTrigger.StatusValue,
              deadbandType: g.spec.deadbandType === 'absolute' ? ua.DeadbandType.Absolute : ua.DeadbandType.Percent,
              deadbandValue: g.spec.deadbandValue,
            });
      for (const nodeId of g.spec.nodeIds) {
        const item = await sub.monitor(
          { nodeId, attributeId: ua.AttributeIds.Value },
          { samplingInterval: g.spec.samplingInterval, queueSize: g.spec.queueSize, discardOldest: true, filter },
          ua.TimestampsToReturn.Both,
        );
        item.on('changed', (dv: DataValue) => g.onChange(nodeId, dv));
        item.on('err', (message: string) => g.onProblem(new Error(`monitoring ${nodeId} on ${c.endpoint}: ${message}`)));
      }
    }

    async function open(): Promise<Connection> {
      const client = ua.OPCUAClient.create({
        applicationName: 'Gridflow',
        endpointMustExist: false,
        securityMode,
        securityPolicy,
        // Gridflow's reconnector does the retries (bounded back-off, subscriptions made again).
        connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 200 },
        keepSessionAlive: true,
        requestedSessionTimeout: 60_000,
      });
      try {
        await client.connect(c.endpoint);
        const session = await client.createSession(identity);
        const conn: Connection = { client, session, subscriptions: new Map() };
        const broken = (why: string) => () => reconnector?.lost(conn, new Error(why));
        client.on('connection_lost', broken('connection lost'));
        client.on('close', broken('connection closed'));
        session.on('session_closed', broken('session closed'));
        session.on('keepalive_failure', broken('session keep-alive failed'));
        return conn;
      } catch (err) {
        await client.disconnect().catch(() => undefined);
        // Shown as the status of the nodes using this endpoint, which know which one it is.
        ctx.debug(`OPC UA ${c.endpoint}: ${messageOf(err)}`);
        throw err instanceof Error ? err : new Error(messageOf(err));
      }
    }

    async function close(conn: Connection): Promise<void> {
      for (const sub of conn.subscriptions.values()) await sub.terminate().catch(() => undefined);
      await conn.session.close().catch(() => undefined);
      await conn.client.disconnect();
    }

    const ensure = () => {
      if (reconnector) return reconnector;
      reconnector = createReconnector<Connection>({
        open,
        close,
        async onOpen(conn) {
          for (const g of groups) await addGroup(conn, g);
        },
        onState: (s) => state.set(s),
        initialDelayMs: c.reconnectMinMs,
        maxDelayMs: Math.max(c.reconnectMinMs, c.reconnectMaxMs),
        closeTimeoutMs: 3000,
      });
      reconnector.start();
      return reconnector;
    };

    const api: OpcuaEndpointApi = {
      state,
      ua,
      url: c.endpoint,
      use() {
        ensure();
        return () => undefined;
      },
      async withSession(what, fn) {
        const conn = ensure().connection;
        if (!conn) throw new Error(`OPC UA ${c.endpoint} is not connected (${state.current.state}); ${what} not done`);
        try {
          return await fn(conn.session);
        } catch (err) {
          throw new Error(`OPC UA ${c.endpoint}: ${what} failed: ${messageOf(err)}`);
        }
      },
      monitor(spec, onChange, onProblem) {
        const g: Group = { spec, onChange, onProblem };
        groups.add(g);
        const conn = ensure().connection;
        if (conn) addGroup(conn, g).catch((err: unknown) => onProblem(new Error(`OPC UA ${c.endpoint}: subscribing failed: ${messageOf(err)}`)));
        return () => {
          groups.delete(g);
          const current = reconnector?.connection;
          const sub = current?.subscriptions.get(g);
          if (current && sub) {
            current.subscriptions.delete(g);
            sub.terminate().catch(() => undefined);
          }
        };
      },
    };
    return {
      api,
      async close() {
        groups.clear();
        const r = reconnector;
        reconnector = undefined;
        await r?.stop();
      },
    };
  },
});
