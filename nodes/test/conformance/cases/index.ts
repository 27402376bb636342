import type { ConformanceCase } from '../case-schema.js';
import { changeCases } from './change.js';
import { csvCases } from './csv.js';
import { functionCases } from './function.js';
import { functionMoreCases } from './function-more.js';
import { changeMoreCases, debugMoreCases, injectMoreCases, jsonataPlacesCases, routingMoreCases } from './nodes-more.js';
import { csvLegacyCases, jsonMoreCases, templateMoreCases, yamlMoreCases } from './transform-more.js';
import { injectCases } from './inject.js';
import { catchCases, completeCases, debugCases, linkCases, miscCases, statusCases } from './routing.js';
import { batchCases, joinCases, rbeCases, sortCases, splitCases } from './sequence.js';
import { sequenceMoreCases } from './sequence-more.js';
import { switchCases } from './switch.js';
import { delayCases, triggerCases } from './timing.js';
import { jsonCases, rangeCases, templateCases, yamlCases } from './transform.js';

/** The core node types the corpus must cover (Node-RED's type names). */
export const CORE_TYPES = [
  'inject', 'debug', 'function', 'change', 'switch', 'range', 'template', 'json', 'yaml', 'csv',
  'delay', 'trigger', 'rbe', 'split', 'join', 'sort', 'batch', 'catch', 'status', 'complete',
  'link in', 'link out', 'link call', 'comment', 'junction',
];

export const caseGroups: { name: string; cases: ConformanceCase[] }[] = [
  { name: 'inject', cases: [...injectCases, ...injectMoreCases] },
  { name: 'debug', cases: [...debugCases, ...debugMoreCases] },
  { name: 'function', cases: [...functionCases, ...functionMoreCases] },
  { name: 'change', cases: [...changeCases, ...changeMoreCases] },
  { name: 'switch', cases: switchCases },
  { name: 'JSONata in switch and join', cases: jsonataPlacesCases },
  { name: 'range', cases: rangeCases },
  { name: 'template', cases: [...templateCases, ...templateMoreCases] },
  { name: 'json', cases: [...jsonCases, ...jsonMoreCases] },
  { name: 'yaml', cases: [...yamlCases, ...yamlMoreCases] },
  { name: 'csv', cases: [...csvCases, ...csvLegacyCases] },
  { name: 'delay', cases: delayCases },
  { name: 'trigger', cases: triggerCases },
  { name: 'rbe', cases: rbeCases },
  { name: 'split', cases: splitCases },
  { name: 'join', cases: joinCases },
  { name: 'sort', cases: sortCases },
  { name: 'batch', cases: batchCases },
  { name: 'batch, split and trigger options', cases: sequenceMoreCases },
  { name: 'catch', cases: [...catchCases, ...routingMoreCases] },
  { name: 'status', cases: statusCases },
  { name: 'complete', cases: completeCases },
  { name: 'link', cases: linkCases },
  { name: 'comment, junction, wires', cases: miscCases },
];

export const allCases: ConformanceCase[] = caseGroups.flatMap((g) => g.cases);
