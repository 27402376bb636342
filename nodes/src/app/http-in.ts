import { z } from 'zod';
import { defineNode, generateId } from '@gridflow/runtime';
import { httpEndpointsKey } from './services.js';

export const httpInNode = defineNode({
  type: 'http in',
  category: 'app',
  inputs: 0,
  outputs: 1,
  config: z.object({
    name: z.string().default(''),
    url: z
      .string()
      .min(1, 'url is required, e.g. /sensors/:id')
      .transform((u) => (u.startsWith('/') ? u : `/${u}`))
      .refine((u) => !/[\s?#]/.test(u), 'url must be a path without spaces, query or fragment'),
    method: z.enum(['get', 'post', 'put', 'delete', 'patch']).default('get'),
    upload: z.boolean().default(false),
    swaggerDoc: z.string().default(''),
    /** Gridflow's addition: who may call it. */
    auth: z.enum(['none', 'apikey', 'login']).default('none'),
  }),
  label: 'http in',
  icon: 'white-globe.svg',
  color: 'rgb(231, 231, 174)',
  help: `Creates an HTTP endpoint, as Node-RED's **http in** does: \`msg.req\` holds the request
(params, query, headers, cookies, body), \`msg.payload\` the query (GET) or the body, and \`msg.res\`
the handle an **http response** node answers with.

Endpoints are served under the server's endpoint prefix (default \`/endpoints\`).
**auth**: \`none\`, \`apikey\` (an API token as \`Authorization: Bearer …\`) or \`login\` (a session or a token).`,
  create(ctx, config) {
    const endpoints = ctx.service(httpEndpointsKey);
    if (!endpoints) throw new Error('http in needs the Gridflow server (no HTTP endpoints in this runtime)');
    const off = endpoints.register({ method: config.method, path: config.url, auth: config.auth, owner: ctx.id }, (req, res) => {
      ctx.send({ _msgid: generateId(), req, res, payload: config.method === 'get' ? req.query : req.body });
    });
    return { close: () => off() };
  },
});
