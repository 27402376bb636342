import type { AnyNodeDefinition } from '@gridflow/runtime';
import { deviceInNode } from './device-in.js';
import { deviceOutNode } from './device-out.js';
import { modbusClientNode } from './modbus-client.js';
import { modbusReadNode, modbusWriteNode } from './modbus-nodes.js';
import { opcuaEndpointNode } from './opcua-endpoint.js';
import { opcuaBrowseNode, opcuaInNode, opcuaOutNode } from './opcua-nodes.js';
import { mqttBrokerNode } from './mqtt-broker.js';
import { mqttInNode } from './mqtt-in.js';
import { mqttOutNode } from './mqtt-out.js';
import { tlsConfigNode } from './tls-config.js';

export * from './hub.js';
export { createReconnector, backoffDelay, connectionStatus, type ConnectionState, type Reconnector } from './reconnect.js';
export type { MqttBrokerApi } from './mqtt-broker.js';
export type { TlsConfigApi, TlsOptions } from './tls-config.js';
export { deviceInNode, deviceOutNode, mqttBrokerNode, mqttInNode, mqttOutNode, tlsConfigNode, modbusClientNode, modbusReadNode, modbusWriteNode, opcuaEndpointNode, opcuaInNode, opcuaOutNode, opcuaBrowseNode };
export type { OpcuaEndpointApi } from './opcua-endpoint.js';
export type { ModbusClientApi } from './modbus-client.js';

/** The device node types; a host builds its registry from these lists. */
export const deviceNodes: AnyNodeDefinition[] = [
  deviceInNode,
  deviceOutNode,
  mqttBrokerNode,
  mqttInNode,
  mqttOutNode,
  tlsConfigNode,
  modbusClientNode,
  modbusReadNode,
  modbusWriteNode,
  opcuaEndpointNode,
  opcuaInNode,
  opcuaOutNode,
  opcuaBrowseNode,
] as AnyNodeDefinition[];
