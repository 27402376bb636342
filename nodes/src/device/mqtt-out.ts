import type { IClientPublishOptions } from 'mqtt';
import { z } from 'zod';
import { defineNode, type Msg } from '@gridflow/runtime';
import { stringish } from '../shared/typed-value.js';
import { mqttBrokerRef, type MqttBrokerApi, type Qos } from './mqtt-broker.js';
import { encodePayload } from './mqtt-topic.js';
import { configNodeOf, useConnection } from './shared-connection.js';

const mqttOutConfig = z.object({
  name: stringish(''),
  /** Empty: msg.topic. */
  topic: stringish(''),
  /** "" (msg.qos), "0", "1" or "2". */
  qos: stringish(''),
  /** "" (msg.retain), "true" or "false". */
  retain: stringish(''),
  /** MQTT 5 properties; empty: taken from msg. */
  respTopic: stringish(''),
  contentType: stringish(''),
  /** JSON object text of user properties. */
  userProps: stringish(''),
  correl: stringish(''),
  expiry: stringish(''),
  broker: stringish('').pipe(z.string().min(1, 'an mqtt-broker is required')),
});

function qosOf(v: unknown): Qos {
  const n = Number(v);
  return n === 1 || n === 2 ? n : 0;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Node-RED's rule: the node's setting wins over msg; MQTT 5 properties only on a v5 connection. */
function publishOptions(msg: Msg, c: z.infer<typeof mqttOutConfig>, v5: boolean, userProps: Record<string, string> | undefined): IClientPublishOptions {
  const o: IClientPublishOptions = {
    qos: qosOf(c.qos || msg['qos'] || 0),
    retain: (c.retain || msg['retain']) === true || (c.retain || msg['retain']) === 'true',
  };
  if (!v5) return o;
  const props: NonNullable<IClientPublishOptions['properties']> = {};
  const responseTopic = c.respTopic || msg['responseTopic'];
  if (typeof responseTopic === 'string' && responseTopic) props.responseTopic = responseTopic;
  const contentType = c.contentType || msg['contentType'];
  if (typeof contentType === 'string' && contentType) props.contentType = contentType;
  const correl = c.correl || msg['correlationData'];
  if (correl !== undefined && correl !== '') props.correlationData = Buffer.isBuffer(correl) ? correl : Buffer.from(String(correl));
  const expiry = Number(c.expiry || msg['messageExpiryInterval']);
  if (Number.isInteger(expiry) && expiry > 0) props.messageExpiryInterval = expiry;
  const user = userProps ?? (isObject(msg['userProperties']) ? msg['userProperties'] : undefined);
  if (user) props.userProperties = Object.fromEntries(Object.entries(user).map(([k, v]) => [k, String(v)]));
  if (Object.keys(props).length) o.properties = props;
  return o;
}

/**
 * Node-RED's `mqtt out`: publishes `msg.payload` (objects as JSON, Buffers as they are) to the
 * node's topic or `msg.topic`, with QoS and retain from the node or the message.
 */
export const mqttOutNode = defineNode({
  type: 'mqtt out',
  version: 1,
  category: 'device',
  inputs: 1,
  outputs: 0,
  label: 'mqtt out',
  paletteLabel: 'mqtt out',
  icon: 'bridge.svg',
  color: '#d8bfd8',
  config: mqttOutConfig,
  help: `Publishes \`msg.payload\` to an MQTT broker. Topic, QoS and retain come from the node, else from
\`msg.topic\`, \`msg.qos\`, \`msg.retain\`. On an MQTT 5 connection: response topic, correlation data,
content type, message expiry and user properties (node settings or \`msg.responseTopic\` and so on).
\`msg.action\` "connect" / "disconnect" controls the broker connection.`,
  create(ctx, c) {
    const broker = configNodeOf<MqttBrokerApi>(ctx, c.broker, mqttBrokerRef);
    let userProps: Record<string, string> | undefined;
    if (c.userProps.trim()) {
      const parsed: unknown = JSON.parse(c.userProps);
      if (!isObject(parsed)) throw new Error(`mqtt out ${ctx.id}: userProps must be a JSON object`);
      userProps = Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, String(v)]));
    }
    const release = useConnection(ctx, broker);
    const v5 = broker.protocolVersion === 5;
    return {
      async input(msg, _send, done) {
        try {
          if (msg['action'] === 'connect') {
            broker.connect();
            return done();
          }
          if (msg['action'] === 'disconnect') {
            await broker.disconnect();
            return done();
          }
          const topic = c.topic || msg.topic;
          if (typeof topic !== 'string' || topic === '') throw new Error(`mqtt out ${ctx.id}: no topic (set it on the node or in msg.topic)`);
          await broker.publish(topic, encodePayload(msg.payload), publishOptions(msg, c, v5, userProps));
          done();
        } catch (err) {
          done(err);
        }
      },
      close: release,
    };
  },
});
