import type { CaseFlowNode, ConformanceCase } from '../case-schema.js';

/** Small builders that keep the case files close to the flows.json they describe. */

/** A collector node (the test helper's `helper` type). */
export const out = (id = 'out'): CaseFlowNode => ({ id, type: 'helper' });

/** A catch node for the whole tab, wired to collector `errors`. */
export const catchAll = (): CaseFlowNode[] => [{ id: 'catch', type: 'catch', scope: null, uncaught: false, wires: [['errors']] }, out('errors')];

/** Messages into node `to`, one after the other. */
export const send = (to: string, ...msgs: Record<string, unknown>[]) => msgs.map((msg) => ({ to, msg }));

/** Payloads into node `to`, one after the other. */
export const payloads = (to: string, ...values: unknown[]) => values.map((payload) => ({ to, msg: { payload } }));

/** Keeps the literal case types while checking them against the schema's type. */
export const cases = (list: ConformanceCase[]): ConformanceCase[] => list;

/*
 * Core nodes with their properties written out as in a Node-RED export, wired to collector `out`
 * (switch: `o1`.. `oN`). `extra` overrides or adds properties; an overridden one keeps its place.
 */

type Props = Record<string, unknown>;

export const fn = (func: string, extra: Props = {}) => ({
  id: 'fn', type: 'function', name: '', func, outputs: 1, timeout: 0, noerr: 0, initialize: '', finalize: '', libs: [], wires: [['out']], ...extra,
});

export const change = (rules: Props[], extra: Props = {}) => ({ id: 'n1', type: 'change', name: '', rules, wires: [['out']], ...extra });

export const inject = (props: Props[], extra: Props = {}) => ({
  id: 'inj', type: 'inject', name: '', props, repeat: '', crontab: '', once: false, onceDelay: 0.1, topic: '', wires: [['out']], ...extra,
});

/** One press of the inject button of `inject()`. */
export const press = [{ to: 'inj', msg: {} }];

export const sw = (rules: Props[], extra: Props = {}) => ({
  id: 'sw', type: 'switch', name: '', property: 'payload', propertyType: 'msg', rules, checkall: 'true', repair: false,
  outputs: rules.length, wires: rules.map((_r, i) => [`o${i + 1}`]), ...extra,
});

/** Collectors `o1`.. `on`, for the outputs of `sw()`. */
export const outs = (n: number) => Array.from({ length: n }, (_v, i) => out(`o${i + 1}`));

export const split = (extra: Props = {}) => ({
  id: 'sp', type: 'split', name: '', splt: '\\n', spltType: 'str', arraySplt: 1, arraySpltType: 'len', stream: false, addname: '', property: 'payload', wires: [['out']], ...extra,
});

export const join = (extra: Props = {}) => ({
  id: 'jn', type: 'join', name: '', mode: 'auto', build: 'object', property: 'payload', propertyType: 'msg', key: 'topic', joiner: '\\n', joinerType: 'str',
  useparts: false, accumulate: false, timeout: '', count: '', reduceRight: false, reduceExp: '', reduceInit: '', reduceInitType: '', reduceFixup: '', wires: [['out']], ...extra,
});

export const batch = (extra: Props = {}) => ({
  id: 'bt', type: 'batch', name: '', mode: 'count', count: 2, overlap: 0, interval: 1, allowEmptySequence: false, honourParts: false, topics: [{ topic: '' }], wires: [['out']], ...extra,
});

export const trigger = (extra: Props) => ({
  id: 'tr', type: 'trigger', name: '', op1: '1', op2: '0', op1type: 'str', op2type: 'str', duration: '40', extend: false, overrideDelay: false,
  units: 'ms', reset: '', bytopic: 'all', topic: 'topic', outputs: 1, wires: [['out']], ...extra,
});

export const template = (template: string, extra: Props = {}) => ({
  id: 'tp', type: 'template', name: '', field: 'payload', fieldType: 'msg', format: 'handlebars', syntax: 'mustache', template, output: 'str', wires: [['out']], ...extra,
});

export const json = (extra: Props = {}) => ({ id: 'js', type: 'json', name: '', property: 'payload', action: '', pretty: false, wires: [['out']], ...extra });

export const yaml = (extra: Props = {}) => ({ id: 'ym', type: 'yaml', name: '', property: 'payload', wires: [['out']], ...extra });

/** With the RFC 4180 parser, Node-RED 4's default (`spec: ''` is the legacy one). */
export const csv = (extra: Props = {}) => ({
  id: 'csv', type: 'csv', name: '', spec: 'rfc', sep: ',', hdrin: '', hdrout: 'none', multi: 'one', ret: '\\n', temp: '', skip: '0',
  strings: true, include_empty_strings: '', include_null_values: '', wires: [['out']], ...extra,
});
