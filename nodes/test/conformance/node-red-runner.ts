import { createRequire } from 'node:module';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { cloneMessage } from '@gridflow/runtime';
import type { CaseRun, ConformanceCase, Observation } from './case-schema.js';
import { canonical } from './canonical.js';
import { BATCH_SIZE, STARTUP_MS, chunk, logText, placeCase, settle, sleep, type PlacedCase } from './placement.js';

/**
 * Runs cases through Node-RED itself: node-red-node-test-helper starts the real runtime and the real
 * core node modules from @node-red/nodes; `helper` nodes collect what reaches them.
 * Node-RED is one runtime per process, so cases are deployed in batches, one tab each, and a batch
 * runs at once; cases marked `isolated` get a deployment of their own.
 */

// The slices of the untyped CommonJS modules this runner uses.
interface NodeRedNode {
  receive(msg: Record<string, unknown>): void;
}
interface ReceiveEvent {
  msg: Record<string, unknown>;
  destination: { id: string };
}
interface LogEntry {
  level: number;
  id?: string;
  msg?: unknown;
}
interface TestHelper {
  init(runtimePath: string, settings?: Record<string, unknown>): void;
  startServer(): Promise<void>;
  stopServer(): Promise<void>;
  load(nodes: NodeModule[], flow: unknown[]): Promise<void>;
  setFlows(flow: unknown[], type: 'full'): Promise<void>;
  unload(): Promise<void>;
  getNode(id: string): NodeRedNode | null;
}
interface NodeRedApi {
  _: (key: string, subs?: Record<string, unknown>) => string;
}
type NodeModule = (red: NodeRedApi) => unknown;
interface NodeRedUtilModule {
  i18n: {
    registerMessageCatalog(namespace: string, dir: string, file: string): Promise<void>;
    _: (key: string, subs?: Record<string, unknown>) => string;
  };
  events: {
    on(event: 'comms', fn: (e: { topic: string; data: Record<string, unknown> }) => void): void;
    off(event: 'comms', fn: (e: { topic: string; data: Record<string, unknown> }) => void): void;
  };
  hooks: { add(id: string, fn: (event: ReceiveEvent) => void): void; remove(id: string): void };
  log: { ERROR: number; WARN: number; addHandler(h: EventEmitter): void; removeHandler(h: EventEmitter): void };
}

const require = createRequire(import.meta.url);
const coreDir = path.dirname(require.resolve('@node-red/nodes/package.json'));

/** The core node modules under test; catch, status and complete are loaded by the helper itself. */
const moduleFiles = [
  'common/05-junction.js',
  'common/20-inject.js',
  'common/21-debug.js',
  'common/60-link.js',
  'common/90-comment.js',
  'function/10-function.js',
  'function/10-switch.js',
  'function/15-change.js',
  'function/16-range.js',
  'function/80-template.js',
  'function/89-delay.js',
  'function/89-trigger.js',
  'function/rbe.js',
  'parsers/70-JSON.js',
  'parsers/70-YAML.js',
  'parsers/70-CSV.js',
  'sequence/17-split.js',
  'sequence/18-sort.js',
  'sequence/19-batch.js',
];

export interface NodeRedSession {
  run(cases: readonly ConformanceCase[]): Promise<CaseRun[]>;
  close(): Promise<void>;
}

export async function startNodeRed(): Promise<NodeRedSession> {
  const helper = require('node-red-node-test-helper') as TestHelper;
  const nrUtil = require('@node-red/util') as NodeRedUtilModule;
  helper.init(require.resolve('node-red'));
  await helper.startServer();
  await nrUtil.i18n.registerMessageCatalog('node-red', path.join(coreDir, 'locales'), 'messages.json');
  await nrUtil.i18n.registerMessageCatalog(
    'runtime',
    path.join(path.dirname(require.resolve('@node-red/runtime/package.json')), 'locales'),
    'runtime.json',
  );
  // The helper stubs RED._ with the identity, which would leave message keys where Node-RED shows text.
  const translate = (key: string, subs?: Record<string, unknown>) =>
    nrUtil.i18n._(key.includes(':') ? key : `node-red:${key}`, subs);
  const modules: NodeModule[] = moduleFiles.map((file) => {
    const mod = require(path.join(coreDir, 'core', file)) as NodeModule;
    return (red: NodeRedApi) => {
      red._ = translate;
      return mod(red);
    };
  });
  // The helper registers catch/status/complete once per such node in the loaded flow (and fails on
  // the second), so it loads a flow with one of each, and the cases are deployed with setFlows.
  await helper.load(modules, [
    { id: 'bootstrap', type: 'tab', label: 'bootstrap' },
    { id: 'bootstrap-catch', z: 'bootstrap', type: 'catch', wires: [] },
    { id: 'bootstrap-status', z: 'bootstrap', type: 'status', wires: [] },
    { id: 'bootstrap-complete', z: 'bootstrap', type: 'complete', wires: [] },
  ]);

  async function runBatch(batch: PlacedCase[]): Promise<CaseRun[]> {
    const observations = batch.map((): Observation[] => []);
    const starts = batch.map(() => Date.now());
    const ended = batch.map(() => false);
    const failures: (string | undefined)[] = batch.map(() => undefined);
    const byPrefix = new Map(batch.map((p, i) => [p.prefix, i]));
    /** Records an observation for the case a node id belongs to, while that case is running. */
    const record = (id: unknown, make: (p: PlacedCase, t: number) => Observation) => {
      const m = typeof id === 'string' ? /^k\d+_/.exec(id) : null;
      const i = m ? byPrefix.get(m[0]) : undefined;
      if (i === undefined || ended[i]) return;
      observations[i]?.push(make(batch[i] as PlacedCase, Date.now() - (starts[i] ?? 0)));
    };
    const onComms = (e: { topic: string; data: Record<string, unknown> }) => {
      // Log warnings and errors are forwarded to the debug topic too; those carry a level.
      if (e.topic !== 'debug' || e.data['level'] !== undefined) return;
      const { id, z: _z, _alias, path: _path, ...output } = e.data;
      record(id, (p, t) => ({ kind: 'debug', node: p.unprefix(String(id)), t, output: canonical(output, p) }));
    };
    const logHandler = new EventEmitter();
    logHandler.on('log', (entry: LogEntry) => {
      const kind = entry.level === nrUtil.log.ERROR ? 'error' : entry.level === nrUtil.log.WARN ? 'warn' : undefined;
      if (!kind) return;
      record(entry.id, (p, t) => ({ kind, node: p.unprefix(String(entry.id)), t, message: p.unprefix(logText(entry.msg)) }));
    });
    // Collectors are seen through Node-RED's onReceive hook, so that messages sent while the flows
    // start (inject once, repeat) are recorded too.
    const collectors = new Map(batch.flatMap((p) => p.collectors.map((id) => [p.prefix + id, id] as const)));
    nrUtil.hooks.add('onReceive.conformance', (event: ReceiveEvent) => {
      const id = event.destination.id;
      const collector = collectors.get(id);
      if (collector !== undefined) record(id, (p, t) => ({ kind: 'msg', collector, t, msg: canonical(event.msg, p) }));
    });
    nrUtil.events.on('comms', onComms);
    nrUtil.log.addHandler(logHandler);
    try {
      await helper.setFlows(batch.flatMap((p) => p.flow), 'full');
      await sleep(STARTUP_MS);
      batch.forEach((p, i) => {
        starts[i] = Date.now();
        for (const id of p.collectors) if (!helper.getNode(p.prefix + id)) failures[i] ??= `collector ${id} did not start in Node-RED`;
      });
      await Promise.all(
        batch.map(async (p, i) => {
          for (const input of p.inputs) {
            if (input.delayMs) await sleep(input.delayMs);
            const node = helper.getNode(p.prefix + input.to);
            if (node) node.receive(cloneMessage(input.msg));
            else failures[i] ??= `input node ${input.to} did not start in Node-RED`;
          }
          await settle(p.waitMs, () => observations[i]?.length ?? 0);
          ended[i] = true;
        }),
      );
      return batch.map((_p, i) => ({ observations: observations[i] ?? [], ...(failures[i] ? { failure: failures[i] } : {}) }));
    } finally {
      nrUtil.hooks.remove('onReceive.conformance');
      nrUtil.events.off('comms', onComms);
      nrUtil.log.removeHandler(logHandler);
    }
  }

  return {
    async run(cases) {
      const placed = cases.map((c, i) => placeCase(c, i));
      const shared = placed.filter((p) => !p.isolated);
      const results = new Map<PlacedCase, CaseRun>();
      const batches = [...chunk(shared, BATCH_SIZE), ...placed.filter((p) => p.isolated).map((p) => [p])];
      for (const batch of batches) {
        if (batch.length === 0) continue;
        const runs = await runBatch(batch);
        batch.forEach((p, i) => results.set(p, runs[i] as CaseRun));
      }
      return placed.map((p) => results.get(p) as CaseRun);
    },
    async close() {
      await helper.unload();
      await helper.stopServer();
    },
  };
}
