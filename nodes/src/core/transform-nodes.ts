import type { AnyNodeDefinition } from '@gridflow/runtime';
import { changeNode } from './change/change.js';
import { csvNode } from './csv/csv.js';
import { debugNode } from './debug/debug.js';
import { functionNode } from './function/function-node.js';
import { injectNode } from './inject/inject.js';
import { jsonNode } from './json/json.js';
import { rangeNode } from './range/range.js';
import { switchNode } from './switch/switch.js';
import { templateNode } from './template/template.js';
import { yamlNode } from './yaml/yaml.js';

export { changeNode, csvNode, debugNode, functionNode, injectNode, jsonNode, rangeNode, switchNode, templateNode, yamlNode };
export type { DebugApi } from './debug/debug.js';

/** inject, debug, function, change, switch, range, template, json, yaml, csv. */
export const transformNodes: AnyNodeDefinition[] = [
  injectNode,
  debugNode,
  functionNode,
  changeNode,
  switchNode,
  rangeNode,
  templateNode,
  jsonNode,
  yamlNode,
  csvNode,
] as AnyNodeDefinition[];
