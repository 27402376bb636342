import type { Client } from '../helpers.js';
import { ok } from '../devices/support.js';

/** What the edge-gateway tests share: their products, and an edge tab that posts what arrives on a local MQTT topic. */

const meterModel = {
  id: 'Meter',
  name: 'Meter',
  measurePoints: [{ identifier: 'temp', name: 'Temperature', pointType: 'AI', spec: { type: 'float', unit: '°C' } }],
};

/**
 * A tab for edge `edgeId`: `mqtt in` on the machine's Mosquitto (`topic`, JSON `{pk, dk, body}`)
 * → function taking the device from the message → `device post`.
 */
export function plantTab(edgeId: string, topic: string): Record<string, unknown>[] {
  return [
    { id: 'plant', type: 'tab', label: 'Plant', target: 'edge', edges: [edgeId] },
    { id: 'mb', type: 'mqtt-broker', z: 'plant', broker: '127.0.0.1', port: 1883 },
    { id: 'local', type: 'mqtt in', z: 'plant', topic, qos: 1, datatype: 'json', broker: 'mb', wires: [['fn']] },
    {
      id: 'fn',
      type: 'function',
      z: 'plant',
      func: 'msg.productKey = msg.payload.pk; msg.deviceKey = msg.payload.dk; msg.payload = msg.payload.body; return msg;',
      outputs: 1,
      wires: [['post']],
    },
    { id: 'post', type: 'device post', z: 'plant', wires: [] },
  ];
}

/** The gateway product gwPK (model Gateway) and the meter product mPK (model Meter). */
export async function createGatewayProducts(admin: Client): Promise<void> {
  await ok(admin.request('POST', '/api/thing-models', meterModel), 201);
  await ok(admin.request('POST', '/api/thing-models', { id: 'Gateway', name: 'Gateway' }), 201);
  await ok(
    admin.request('POST', '/api/products', {
      productKey: 'gwPK',
      name: 'Gateways',
      modelId: 'Gateway',
      nodeType: 'gateway',
    }),
    201,
  );
  await ok(admin.request('POST', '/api/products', { productKey: 'mPK', name: 'Meters', modelId: 'Meter' }), 201);
}
