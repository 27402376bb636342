import type { IPublishPacket } from 'mqtt';
import { z } from 'zod';
import { defineNode, generateId, type Msg } from '@gridflow/runtime';
import { boolish, numberish, stringish } from '../shared/typed-value.js';
import { mqttBrokerRef, type MqttBrokerApi, type Qos } from './mqtt-broker.js';
import { decodePayload, isValidFilter, type MqttDatatype } from './mqtt-topic.js';
import { configNodeOf, useConnection } from './shared-connection.js';

const mqttInConfig = z
  .object({
    name: stringish(''),
    /** Topic filter; empty with `inputs: 1` (dynamic subscription). */
    topic: stringish(''),
    qos: z.preprocess((v) => (v === '' || v === undefined || v === null ? 2 : Number(v)), z.union([z.literal(0), z.literal(1), z.literal(2)])),
    datatype: z.enum(['auto-detect', 'auto', 'buffer', 'utf8', 'json', 'base64']).default('auto-detect'),
    /** Id of the mqtt-broker config node. */
    broker: stringish('').pipe(z.string().min(1, 'an mqtt-broker is required')),
    /** MQTT 5 subscription options: no local, retain as published, retain handling. */
    nl: boolish(false),
    rap: boolish(true),
    rh: numberish(0).pipe(z.union([z.literal(0), z.literal(1), z.literal(2)])),
    /** 1: dynamic subscription (the node takes msg.action subscribe / unsubscribe / connect / disconnect). */
    inputs: numberish(0).pipe(z.union([z.literal(0), z.literal(1)])),
  })
  .superRefine((c, issue) => {
    if (c.inputs === 0 && !isValidFilter(c.topic)) issue.addIssue({ code: 'custom', path: ['topic'], message: `"${c.topic}" is not a valid MQTT topic filter` });
  });

/** MQTT 5 properties copied onto the message as Node-RED does. */
function v5Properties(msg: Msg, packet: IPublishPacket): void {
  const p = packet.properties;
  if (!p) return;
  if (p.responseTopic !== undefined) msg['responseTopic'] = p.responseTopic;
  if (p.correlationData !== undefined) msg['correlationData'] = p.correlationData;
  if (p.contentType !== undefined) msg['contentType'] = p.contentType;
  if (p.messageExpiryInterval !== undefined) msg['messageExpiryInterval'] = p.messageExpiryInterval;
  if (p.userProperties !== undefined) msg['userProperties'] = p.userProperties;
  if (p.payloadFormatIndicator !== undefined) msg['payloadFormatIndicator'] = p.payloadFormatIndicator;
}

interface DynamicTopic {
  topic: string;
  qos: Qos;
}

function dynamicTopics(v: unknown, qos: Qos): DynamicTopic[] {
  const one = (t: unknown): DynamicTopic => {
    if (typeof t === 'string') return { topic: t, qos };
    if (t && typeof t === 'object' && typeof (t as { topic?: unknown }).topic === 'string') {
      const q = Number((t as { qos?: unknown }).qos ?? qos);
      return { topic: (t as { topic: string }).topic, qos: q === 0 || q === 1 || q === 2 ? q : qos };
    }
    throw new Error('msg.topic must be a topic, {topic, qos} or an array of them');
  };
  return Array.isArray(v) ? v.map(one) : [one(v)];
}

/**
 * Node-RED's `mqtt in`: messages from an MQTT broker as `msg.topic`, `msg.payload` (decoded per
 * `datatype`), `msg.qos`, `msg.retain` and, with MQTT 5, the message properties.
 */
export const mqttInNode = defineNode({
  type: 'mqtt in',
  version: 1,
  category: 'device',
  inputs: 0,
  outputs: 1,
  label: 'mqtt in',
  paletteLabel: 'mqtt in',
  icon: 'bridge.svg',
  color: '#d8bfd8',
  config: mqttInConfig,
  help: `Subscribes to a topic filter on an MQTT broker (\`+\` and \`#\` wildcards) and sends each message.
\`datatype\`: auto-detect (JSON parsed, else string or Buffer), utf8, json, base64, buffer.
With **dynamic subscription** the node has an input: \`msg.action\` "subscribe" / "unsubscribe" with
\`msg.topic\` (a topic, \`{topic, qos}\` or a list; unsubscribe \`true\` for all), "getSubscriptions",
"connect", "disconnect".`,
  create(ctx, c) {
    const broker = configNodeOf<MqttBrokerApi>(ctx, c.broker, mqttBrokerRef);
    const release = useConnection(ctx, broker);
    const onMessage = (topic: string, payload: Buffer, packet: IPublishPacket) => {
      const msg: Msg = { _msgid: generateId(), topic, qos: packet.qos, retain: packet.retain, payload: undefined };
      v5Properties(msg, packet);
      try {
        msg.payload = decodePayload(payload, c.datatype as MqttDatatype, broker.protocolVersion === 5 ? packet.properties?.contentType : undefined);
      } catch (err) {
        ctx.error(new Error(`mqtt in ${ctx.id}: ${(err as Error).message} (topic ${topic})`), { ...msg, payload });
        return;
      }
      ctx.send(msg);
    };
    const options = { qos: c.qos, nl: c.nl, rap: c.rap, rh: c.rh };
    const dynamic = new Map<string, () => void>();
    if (c.inputs === 0) dynamic.set(c.topic, broker.subscribe(c.topic, options, onMessage));

    const unsubscribeAll = () => {
      for (const off of dynamic.values()) off();
      dynamic.clear();
    };
    return {
      ...(c.inputs === 1
        ? {
            async input(msg, send, done) {
              try {
                switch (msg['action']) {
                  case 'connect':
                    broker.connect();
                    break;
                  case 'disconnect':
                    await broker.disconnect();
                    break;
                  case 'subscribe':
                    for (const t of dynamicTopics(msg.topic, c.qos)) {
                      dynamic.get(t.topic)?.();
                      dynamic.set(t.topic, broker.subscribe(t.topic, { ...options, qos: t.qos }, onMessage));
                    }
                    break;
                  case 'unsubscribe':
                    if ((msg as Record<string, unknown>)['topic'] === true) unsubscribeAll();
                    else
                      for (const t of dynamicTopics(msg.topic, c.qos)) {
                        dynamic.get(t.topic)?.();
                        dynamic.delete(t.topic);
                      }
                    break;
                  case 'getSubscriptions':
                    send({ ...msg, payload: [...dynamic.keys()].map((topic) => ({ topic })) });
                    break;
                  default:
                    throw new Error(`msg.action must be connect, disconnect, subscribe, unsubscribe or getSubscriptions, got ${JSON.stringify(msg['action'])}`);
                }
                done();
              } catch (err) {
                done(err);
              }
            },
          }
        : {}),
      close() {
        unsubscribeAll();
        release();
      },
    };
  },
});
