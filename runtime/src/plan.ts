import type { EnvEntry, FlowDocument, FlowNode, SubflowPort } from './model/flow-document.js';

/** A flow scope the runtime runs: a tab, or one instance of a subflow. */
export interface PlannedFlow {
  id: string;
  kind: 'tab' | 'subflow' | 'global';
  label: string;
  disabled: boolean;
  /** Parent scope for errors, status and env: a tab's is the global scope. */
  parent?: string;
  /** The subflow instance node that owns this scope (kind 'subflow'). */
  instanceId?: string;
  /** The group the instance node sits in, for env lookup. */
  instanceGroup?: string;
  /** Env entries, subflow definition defaults first, then the instance's own. */
  env: EnvEntry[];
  subflowId?: string;
}

export interface PlannedGroup {
  id: string;
  name: string;
  parent?: string;
  env: EnvEntry[];
  flow: string;
}

/** One node as the runtime will start it, with ids and wires rewritten for subflow instances. */
export interface PlannedNode {
  id: string;
  type: string;
  raw: FlowNode;
  flow: string;
  group?: string;
  /** Id inside the subflow definition, for nodes of a subflow instance. */
  alias?: string;
  wires: string[][];
  isConfig: boolean;
  /** 'subflow-in' routes an instance's input to the subflow's inner nodes. */
  synthetic?: 'subflow-instance' | 'subflow-status';
}

export interface FlowPlan {
  flows: Map<string, PlannedFlow>;
  groups: Map<string, PlannedGroup>;
  nodes: Map<string, PlannedNode>;
}

export interface PlanOptions {
  /** True for types that are config nodes (they live outside tabs). */
  isConfigType(type: string): boolean;
  /**
   * Where this runtime runs. A tab with `target: 'edge'` runs only on edge agents and a tab
   * without a target (or `target: 'cloud'`) only in the cloud; the other side treats it as disabled.
   */
  host?: 'cloud' | 'edge';
}

/** Whether a tab runs on this host (see PlanOptions.host). */
export function tabRunsOn(tab: FlowNode, host: 'cloud' | 'edge'): boolean {
  return (tab['target'] === 'edge' ? 'edge' : 'cloud') === host;
}

const asEnv = (v: unknown): EnvEntry[] => (Array.isArray(v) ? (v as EnvEntry[]) : []);
const asPorts = (v: unknown): SubflowPort[] => (Array.isArray(v) ? (v as SubflowPort[]) : []);

/**
 * Turns a flows.json document into the node set the runtime starts: subflow instances expanded
 * (ids `<instance>-<inner>`), disabled nodes and tabs left out, wires to them dropped.
 */
export function planFlows(doc: FlowDocument, options: PlanOptions): FlowPlan {
  const plan: FlowPlan = { flows: new Map(), groups: new Map(), nodes: new Map() };
  const subflowDefs = new Map<string, FlowNode>();
  const byScope = new Map<string, FlowNode[]>();
  for (const n of doc) {
    if (n.type === 'subflow') subflowDefs.set(n.id, n);
    const scope = n.z ?? '';
    let list = byScope.get(scope);
    if (!list) byScope.set(scope, (list = []));
    list.push(n);
  }
  plan.flows.set('global', { id: 'global', kind: 'global', label: 'global', disabled: false, env: [] });

  const tabs = doc.filter((n) => n.type === 'tab');
  const host = options.host ?? 'cloud';
  const disabledTabs = new Set(tabs.filter((t) => t['disabled'] === true || !tabRunsOn(t, host)).map((t) => t.id));

  for (const tab of tabs) {
    plan.flows.set(tab.id, {
      id: tab.id,
      kind: 'tab',
      label: typeof tab['label'] === 'string' ? tab['label'] : tab.id,
      disabled: disabledTabs.has(tab.id),
      parent: 'global',
      env: asEnv(tab['env']),
    });
  }

  // Global config nodes: no z, or z naming neither a tab nor a subflow.
  for (const n of doc) {
    const scoped = n.z !== undefined && (plan.flows.has(n.z) || subflowDefs.has(n.z));
    if (scoped || n.type === 'tab' || n.type === 'subflow' || n.type === 'group') continue;
    if (n.d === true) continue;
    plan.nodes.set(n.id, { id: n.id, type: n.type, raw: n, flow: 'global', wires: [], isConfig: true });
  }

  const addScope = (nodes: FlowNode[], flowId: string, prefix: string, idMap: Map<string, string>) => {
    const disabled = new Set(nodes.filter((n) => n.d === true).map((n) => idMap.get(n.id) ?? n.id));
    for (const n of nodes) {
      if (n.type === 'tab' || n.type === 'subflow') continue;
      const id = idMap.get(n.id) ?? n.id;
      if (n.type === 'group') {
        plan.groups.set(id, {
          id,
          name: typeof n.name === 'string' ? n.name : '',
          ...(n.g ? { parent: idMap.get(n.g) ?? n.g } : {}),
          env: asEnv(n['env']),
          flow: flowId,
        });
        continue;
      }
      if (n.d === true) continue;
      const raw = prefix ? remapIds(n, idMap) : n;
      const wires = (n.wires ?? []).map((port) =>
        port.map((t) => idMap.get(t) ?? t).filter((t) => !disabled.has(t)),
      );
      const group = n.g ? (idMap.get(n.g) ?? n.g) : undefined;
      const planned: PlannedNode = {
        id,
        type: n.type,
        raw,
        flow: flowId,
        ...(group ? { group } : {}),
        ...(prefix ? { alias: n.id } : {}),
        wires,
        isConfig: options.isConfigType(n.type),
      };
      plan.nodes.set(id, planned);
      if (n.type.startsWith('subflow:')) expandInstance(planned, flowId);
    }
  };

  const expandInstance = (instance: PlannedNode, parentFlow: string) => {
    const defId = instance.type.slice(8);
    const def = subflowDefs.get(defId);
    if (!def) return; // reported by validation as an unknown type
    const inner = byScope.get(defId) ?? [];
    const prefix = `${instance.id}-`;
    const idMap = new Map<string, string>(inner.map((n) => [n.id, prefix + n.id]));
    const instanceEnv = asEnv(instance.raw['env']);
    const env = [...asEnv(def['env']).filter((e) => !instanceEnv.some((i) => i.name === e.name)), ...instanceEnv];
    plan.flows.set(instance.id, {
      id: instance.id,
      kind: 'subflow',
      label: typeof def.name === 'string' ? def.name : defId,
      disabled: false,
      parent: parentFlow,
      instanceId: instance.id,
      ...(instance.group ? { instanceGroup: instance.group } : {}),
      env,
      subflowId: defId,
    });
    addScope(inner, instance.id, prefix, idMap);

    // Outputs of the subflow: inner ports wired to `out[k]` also feed the instance's wires[k].
    const outPorts = asPorts(def['out']);
    const instanceOuts = instance.wires;
    const inputPassThrough: string[] = [];
    outPorts.forEach((port, k) => {
      const targets = instanceOuts[k] ?? [];
      for (const w of port.wires ?? []) {
        if (w.id === defId) {
          inputPassThrough.push(...targets);
          continue;
        }
        const inner = plan.nodes.get(prefix + w.id);
        if (!inner) continue;
        const p = w.port ?? 0;
        while (inner.wires.length <= p) inner.wires.push([]);
        (inner.wires[p] as string[]).push(...targets);
      }
    });
    // The status port: inner ports wired to it drive the instance node's status.
    const statusWires = (def['status'] as SubflowPort | undefined)?.wires ?? [];
    if (statusWires.length) {
      const sinkId = `${instance.id}-__status`;
      plan.nodes.set(sinkId, {
        id: sinkId,
        type: 'subflow-status',
        raw: { id: sinkId, type: 'subflow-status', instance: instance.id },
        flow: instance.id,
        wires: [],
        isConfig: false,
        synthetic: 'subflow-status',
      });
      for (const w of statusWires) {
        const inner = plan.nodes.get(prefix + w.id);
        if (!inner) continue;
        const p = w.port ?? 0;
        while (inner.wires.length <= p) inner.wires.push([]);
        (inner.wires[p] as string[]).push(sinkId);
      }
    }

    // The instance node itself forwards its input to the subflow's input targets.
    const inTargets = asPorts(def['in'])
      .flatMap((p) => p.wires ?? [])
      .map((w) => prefix + w.id)
      .filter((id) => plan.nodes.has(id));
    instance.wires = [[...inTargets, ...inputPassThrough]];
    instance.synthetic = 'subflow-instance';
  };

  for (const tab of tabs) {
    if (disabledTabs.has(tab.id)) continue;
    addScope(byScope.get(tab.id) ?? [], tab.id, '', new Map());
  }
  return plan;
}

/** Rewrites string properties that name an inner node (config node references) to instance ids. */
function remapIds(node: FlowNode, idMap: Map<string, string>): FlowNode {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === 'wires') out[k] = v;
    else if (k === 'id' || k === 'z' || k === 'g') out[k] = typeof v === 'string' ? (idMap.get(v) ?? v) : v;
    else if (typeof v === 'string' && idMap.has(v)) out[k] = idMap.get(v);
    else if (Array.isArray(v) && v.every((x) => typeof x === 'string'))
      out[k] = (v as string[]).map((x) => idMap.get(x) ?? x);
    else out[k] = v;
  }
  return out as FlowNode;
}
