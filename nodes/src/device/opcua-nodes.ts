import type { DataValue, NodeId } from 'node-opcua';
import { z } from 'zod';
import { defineNode, generateId, type Msg } from '@gridflow/runtime';
import { numberish, stringish } from '../shared/typed-value.js';
import { opcuaEndpointRef, type Opcua, type OpcuaEndpointApi } from './opcua-endpoint.js';
import { coerceValue, nodeIdList, opcuaDataTypes, plainValue, type OpcuaDataTypeName } from './opcua-values.js';
import { configNodeOf, useConnection } from './shared-connection.js';

const endpointField = stringish('').pipe(z.string().min(1, 'an OPC UA endpoint is required'));

/** A data value as message properties: payload, times and status. */
function valueMsg(ua: Opcua, base: Msg | undefined, nodeId: string, dv: DataValue): Msg {
  return {
    ...(base ?? { _msgid: generateId() }),
    topic: nodeId,
    payload: plainValue(dv.value.value),
    dataType: ua.DataType[dv.value.dataType] ?? String(dv.value.dataType),
    statusCode: dv.statusCode.name,
    ...(dv.sourceTimestamp ? { sourceTimestamp: dv.sourceTimestamp } : {}),
    ...(dv.serverTimestamp ? { serverTimestamp: dv.serverTimestamp } : {}),
  };
}

const inConfig = z.object({
  name: stringish(''),
  endpoint: endpointField,
  /** subscribe: data changes as they happen; read: values when a message arrives. */
  mode: z.enum(['subscribe', 'read']).default('subscribe'),
  /** Node ids, one per line (read mode: empty to take msg.topic). */
  items: stringish(''),
  samplingInterval: numberish(1000).pipe(z.number().min(0)),
  publishingInterval: numberish(1000).pipe(z.number().min(10)),
  queueSize: numberish(10).pipe(z.number().int().min(1)),
  deadbandType: z.enum(['none', 'absolute', 'percent']).default('none'),
  deadbandValue: numberish(0).pipe(z.number().min(0)),
});

/**
 * Values of OPC UA variables, one message per value: `msg.topic` is the node id, `msg.payload`
 * the value, with `statusCode`, `sourceTimestamp`, `serverTimestamp` and `dataType`.
 */
export const opcuaInNode = defineNode({
  type: 'opcua in',
  version: 1,
  category: 'device',
  inputs: 1,
  outputs: 1,
  label: 'opcua in',
  paletteLabel: 'opcua in',
  icon: 'bridge.svg',
  color: '#3fadb5',
  config: inConfig.superRefine((c, issue) => {
    if (c.mode === 'subscribe' && nodeIdList(c.items).length === 0) issue.addIssue({ code: 'custom', path: ['items'], message: 'subscribe mode needs at least one node id' });
  }),
  help: `Reads OPC UA variables. **subscribe**: monitored items with sampling interval, queue size and an optional
deadband (absolute or percent), sent as they change; subscriptions are made again after a reconnect.
**read**: reads the items (or \`msg.topic\`) each time a message arrives.`,
  async create(ctx, c) {
    const endpoint = configNodeOf<OpcuaEndpointApi>(ctx, c.endpoint, opcuaEndpointRef);
    const ua = endpoint.ua;
    const release = useConnection(ctx, endpoint);
    const items = nodeIdList(c.items);
    const stop =
      c.mode === 'subscribe'
        ? endpoint.monitor(
            {
              nodeIds: items,
              publishingInterval: c.publishingInterval,
              samplingInterval: c.samplingInterval,
              queueSize: c.queueSize,
              deadbandType: c.deadbandType,
              deadbandValue: c.deadbandValue,
            },
            (nodeId, dv) => ctx.send(valueMsg(ua, undefined, nodeId, dv)),
            (err) => ctx.error(err),
          )
        : () => undefined;
    return {
      async input(msg, send, done) {
        try {
          const ids = items.length ? items : typeof msg.topic === 'string' && msg.topic ? [msg.topic] : [];
          if (ids.length === 0) throw new Error('no node id: set items on the node or msg.topic');
          const values = await endpoint.withSession(`reading ${ids.join(', ')}`, (s) =>
            s.read(ids.map((nodeId) => ({ nodeId, attributeId: ua.AttributeIds.Value }))),
          );
          ids.forEach((nodeId, i) => {
            const dv = values[i];
            if (dv) send(valueMsg(ua, i === 0 ? msg : undefined, nodeId, dv));
          });
          done();
        } catch (err) {
          done(err);
        }
      },
      close() {
        stop();
        release();
      },
    };
  },
});

const outConfig = z.object({
  name: stringish(''),
  endpoint: endpointField,
  /** write: a variable's value; call: a method. */
  action: z.enum(['write', 'call']).default('write'),
  /** Variable to write (empty: msg.topic). */
  nodeId: stringish(''),
  /** Data type of the written value; auto reads the variable's own. */
  dataType: z.enum(opcuaDataTypes).default('auto'),
  /** Object and method of a call (empty: msg.objectId / msg.methodId). */
  objectId: stringish(''),
  methodId: stringish(''),
});

/** Writes variables and calls methods; the result (status, method outputs) goes on as the message. */
export const opcuaOutNode = defineNode({
  type: 'opcua out',
  version: 1,
  category: 'device',
  inputs: 1,
  outputs: 1,
  label: 'opcua out',
  paletteLabel: 'opcua out',
  icon: 'bridge.svg',
  color: '#3fadb5',
  config: outConfig,
  help: `**write**: writes \`msg.payload\` to the variable (node setting or \`msg.topic\`), converted to its data type.
**call**: calls the method with \`msg.payload\` as the list of input arguments (converted with the method's
argument definitions); \`msg.payload\` becomes the list of output arguments. A bad status is an error.`,
  async create(ctx, c) {
    const endpoint = configNodeOf<OpcuaEndpointApi>(ctx, c.endpoint, opcuaEndpointRef);
    const ua = endpoint.ua;
    const release = useConnection(ctx, endpoint);
    const typeCache = new Map<string, number>();

    const dataTypeOf = async (nodeId: string): Promise<number> => {
      if (c.dataType !== 'auto') return ua.DataType[c.dataType];
      const hit = typeCache.get(nodeId);
      if (hit !== undefined) return hit;
      const found = await endpoint.withSession(`reading the data type of ${nodeId}`, async (s) => {
        const dv = await s.read({ nodeId, attributeId: ua.AttributeIds.DataType });
        if (dv.statusCode.isNotGood()) throw new Error(`${nodeId} has no data type (${dv.statusCode.name})`);
        return ua.findBasicDataType(s, dv.value.value as NodeId);
      });
      typeCache.set(nodeId, found);
      return found;
    };

    const typeName = (t: number) => ua.DataType[t] as OpcuaDataTypeName;

    async function write(msg: Msg): Promise<void> {
      const nodeId = c.nodeId || (typeof msg.topic === 'string' ? msg.topic : '');
      if (!nodeId) throw new Error('no node id: set it on the node or in msg.topic');
      const dataType = await dataTypeOf(nodeId);
      const name = typeName(dataType);
      const value = opcuaDataTypes.includes(name) && name !== 'auto' ? coerceValue(msg.payload, name, `msg.payload for ${nodeId}`) : msg.payload;
      const arrayType = Array.isArray(value) && name !== 'Int64' && name !== 'UInt64' ? ua.VariantArrayType.Array : ua.VariantArrayType.Scalar;
      const status = await endpoint.withSession(`writing ${nodeId}`, (s) =>
        s.write({ nodeId, attributeId: ua.AttributeIds.Value, value: { value: new ua.Variant({ dataType, arrayType, value }) } }),
      );
      if (status.isNotGood()) throw new Error(`writing ${nodeId} on ${endpoint.url}: ${status.name} (${status.description})`);
      msg['statusCode'] = status.name;
    }

    async function call(msg: Msg): Promise<void> {
      const objectId = c.objectId || (typeof msg['objectId'] === 'string' ? msg['objectId'] : '');
      const methodId = c.methodId || (typeof msg['methodId'] === 'string' ? msg['methodId'] : '');
      if (!objectId || !methodId) throw new Error('no method: set objectId and methodId on the node or in msg');
      const given = msg.payload === undefined || msg.payload === null ? [] : Array.isArray(msg.payload) ? msg.payload : [msg.payload];
      const result = await endpoint.withSession(`calling ${methodId}`, async (s) => {
        const def = await s.getArgumentDefinition(methodId);
        const inputs = def.inputArguments ?? [];
        if (given.length !== inputs.length) throw new Error(`method ${methodId} takes ${inputs.length} arguments, msg.payload has ${given.length}`);
        const inputArguments = await Promise.all(
          inputs.map(async (arg, i) => {
            const dataType = await ua.findBasicDataType(s, arg.dataType);
            const name = typeName(dataType);
            const value = opcuaDataTypes.includes(name) ? coerceValue(given[i], name as Exclude<OpcuaDataTypeName, 'auto'>, `argument ${arg.name ?? i}`) : given[i];
            const arrayType = (arg.valueRank ?? -1) > 0 ? ua.VariantArrayType.Array : ua.VariantArrayType.Scalar;
            return new ua.Variant({ dataType, arrayType, value });
          }),
        );
        return s.call({ objectId, methodId, inputArguments });
      });
      if (result.statusCode.isNotGood()) throw new Error(`calling ${methodId} on ${endpoint.url}: ${result.statusCode.name} (${result.statusCode.description})`);
      msg.payload = (result.outputArguments ?? []).map((v) => plainValue(v.value));
      msg['statusCode'] = result.statusCode.name;
    }

    return {
      async input(msg, send, done) {
        try {
          if (c.action === 'call') await call(msg);
          else await write(msg);
          send(msg);
          done();
        } catch (err) {
          done(err);
        }
      },
      close: release,
    };
  },
});

const browseConfig = z.object({
  name: stringish(''),
  endpoint: endpointField,
  /** Node to browse (empty: msg.topic, else the Objects folder). */
  nodeId: stringish(''),
});

/** Lists the references of a node: `msg.payload` is `[{ nodeId, browseName, displayName, nodeClass, typeDefinition }]`. */
export const opcuaBrowseNode = defineNode({
  type: 'opcua browse',
  version: 1,
  category: 'device',
  inputs: 1,
  outputs: 1,
  label: 'opcua browse',
  paletteLabel: 'opcua browse',
  icon: 'bridge.svg',
  color: '#3fadb5',
  config: browseConfig,
  help: `Browses the forward hierarchical references of a node (node setting, \`msg.topic\`, or the Objects folder
\`ns=0;i=85\`) and sends the list as \`msg.payload\`, following continuation points.`,
  async create(ctx, c) {
    const endpoint = configNodeOf<OpcuaEndpointApi>(ctx, c.endpoint, opcuaEndpointRef);
    const ua = endpoint.ua;
    const release = useConnection(ctx, endpoint);
    return {
      async input(msg, send, done) {
        try {
          const nodeId = c.nodeId || (typeof msg.topic === 'string' && msg.topic ? msg.topic : 'ns=0;i=85');
          const refs = await endpoint.withSession(`browsing ${nodeId}`, async (s) => {
            let result = await s.browse({
              nodeId,
              browseDirection: ua.BrowseDirection.Forward,
              referenceTypeId: 'HierarchicalReferences',
              includeSubtypes: true,
              resultMask: 63,
            });
            if (result.statusCode.isNotGood()) throw new Error(`${result.statusCode.name} (${result.statusCode.description})`);
            const all = [...(result.references ?? [])];
            while (result.continuationPoint && result.continuationPoint.length) {
              result = await s.browseNext(result.continuationPoint, false);
              all.push(...(result.references ?? []));
            }
            return all;
          });
          msg.topic = nodeId;
          msg.payload = refs.map((r) => ({
            nodeId: r.nodeId.toString(),
            browseName: r.browseName.toString(),
            displayName: r.displayName.text ?? '',
            nodeClass: ua.NodeClass[r.nodeClass],
            typeDefinition: r.typeDefinition.toString(),
          }));
          send(msg);
          done();
        } catch (err) {
          done(err);
        }
      },
      close: release,
    };
  },
});
