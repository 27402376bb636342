import type { AnyNodeDefinition } from '@gridflow/runtime';
import { httpInNode } from './http-in.js';
import { httpResponseNode } from './http-response.js';
import { websocketClientNode } from './websocket-client.js';
import { websocketInNode, websocketOutNode } from './websocket-in-out.js';
import { websocketListenerNode } from './websocket-listener.js';

export * from './services.js';
export * from './websocket-services.js';

/** The app node types: endpoints that applications call. */
export const appNodes: AnyNodeDefinition[] = [
  httpInNode,
  httpResponseNode,
  websocketListenerNode,
  websocketClientNode,
  websocketInNode,
  websocketOutNode,
] as AnyNodeDefinition[];
