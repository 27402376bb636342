import type { AnyNodeDefinition } from '@gridflow/runtime';
import { httpInNode } from './http-in.js';
import { httpResponseNode } from './http-response.js';

export * from './services.js';

/** The app node types: endpoints that applications call. */
export const appNodes: AnyNodeDefinition[] = [httpInNode, httpResponseNode];
