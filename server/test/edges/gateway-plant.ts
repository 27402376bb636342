/** What the edge-gateway tests share: a meter model, and an edge tab that posts what arrives on a local MQTT topic. */

export const meterModel = {
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
