import type { FlowNode } from '@gridflow/runtime/model';
import type { JsonSchema } from './json-schema.js';

export type { FlowNode };

/** The editor's flow document: Node-RED's flows.json array. Never mutated; edits return a new one. */
export type FlowDoc = readonly FlowNode[];

export type NodeCategory = 'core' | 'device' | 'stream' | 'storage' | 'etl' | 'app' | 'config' | 'subflows';

/** What the editor needs to know about a node type (one entry of the server's catalog). */
export interface NodeTypeInfo {
  type: string;
  category: NodeCategory | string;
  inputs: number;
  /** null: derived from the node's own properties (switch rules, function outputs). */
  outputs: number | null;
  label?: string | undefined;
  paletteLabel?: string | undefined;
  icon?: string | undefined;
  color?: string | undefined;
  help?: string | undefined;
  outputLabels?: string[] | undefined;
  isConfig?: boolean | undefined;
  role?: string | undefined;
  schema?: JsonSchema | undefined;
  defaults?: Record<string, unknown> | undefined;
}

export type Catalog = ReadonlyMap<string, NodeTypeInfo>;

/** A problem with one node's properties, from local validation or from the server. */
export interface NodeProblem {
  nodeId: string;
  type?: string | undefined;
  property?: string | undefined;
  message: string;
  source: 'local' | 'server';
}

export interface Point {
  x: number;
  y: number;
}
