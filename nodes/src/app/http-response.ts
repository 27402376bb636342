import { z } from 'zod';
import { defineNode } from '@gridflow/runtime';
import type { EndpointReply } from './services.js';

const isReply = (v: unknown): v is EndpointReply =>
  v !== null && typeof v === 'object' && typeof (v as EndpointReply).send === 'function';

export const httpResponseNode = defineNode({
  type: 'http response',
  category: 'app',
  inputs: 1,
  outputs: 0,
  config: z.object({
    name: z.string().default(''),
    statusCode: z.preprocess(
      (v) => (v === '' || v === null || v === undefined ? undefined : Number(v)),
      z.number().int('statusCode must be a whole number').min(100, 'statusCode must be an HTTP status from 100 to 599').max(599, 'statusCode must be an HTTP status from 100 to 599').optional(),
    ),
    headers: z.record(z.string(), z.string()).default({}),
  }),
  label: 'http response',
  icon: 'white-globe.svg',
  color: 'rgb(231, 231, 174)',
  help: `Answers the request of an **http in** node, as Node-RED's **http response** does.
The body is \`msg.payload\` (objects as JSON), the status \`msg.statusCode\` unless set here
(default 200), headers from \`msg.headers\` and this node's headers, cookies from \`msg.cookies\`.`,
  create(ctx, config) {
    return {
      input(msg, _send, done) {
        const res = msg['res'];
        if (!isReply(res)) return done(new Error('no response object: msg.res must come from an http in node'));
        const status = config.statusCode ?? (typeof msg['statusCode'] === 'number' ? msg['statusCode'] : 200);
        const fromMsg = msg['headers'] && typeof msg['headers'] === 'object' ? (msg['headers'] as Record<string, unknown>) : {};
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries({ ...fromMsg, ...config.headers })) {
          if (k.toLowerCase() !== 'x-node-red-request-node' && v !== undefined) headers[k] = String(v);
        }
        const cookies = msg['cookies'] && typeof msg['cookies'] === 'object' ? (msg['cookies'] as Record<string, unknown>) : undefined;
        if (!res.send(status, headers, msg.payload, cookies)) return done(new Error('this request was already answered'));
        done();
      },
    };
  },
});
