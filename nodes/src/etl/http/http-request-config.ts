import { z } from 'zod';
import { boolish, numberish, stringish } from '../../shared/typed-value.js';

const headerRow = z.object({
  keyType: stringish('other'),
  keyValue: stringish(''),
  valueType: stringish('other'),
  valueValue: stringish(''),
});

/** Node-RED's http request properties, plus a timeout and retries of Gridflow's own. */
export const httpRequestConfig = z
  .object({
    name: stringish(),
    /** "use": msg.method decides. */
    method: z
      .preprocess((v) => (typeof v === 'string' && v !== 'use' ? v.toUpperCase() : v), z.enum(['GET', 'POST', 'PUT', 'DELETE', 'HEAD', 'PATCH', 'OPTIONS', 'use']))
      .default('GET'),
    /** Blank: msg.url. May hold {{mustache}} placeholders filled from the message. */
    url: stringish(''),
    /** txt: a UTF-8 string; bin: a Buffer; obj: parsed JSON. */
    ret: z.enum(['txt', 'bin', 'obj']).default('txt'),
    /** GET payload: ignore it, append it as query parameters, or send it as a body (Node-RED also stores true/false). */
    paytoqs: z.preprocess((v) => (v === true ? 'query' : v === false || v === undefined || v === '' ? 'ignore' : v), z.enum(['ignore', 'query', 'body'])),
    tls: stringish(''),
    /** Keep connections open between requests. */
    persist: boolish(false),
    /** An `http proxy` config node; blank: http_proxy / https_proxy / no_proxy from the environment. */
    proxy: stringish('').meta({ 'x-config-type': 'http proxy' }),
    insecureHTTPParser: boolish(false),
    useAuth: boolish(false),
    authType: z.preprocess((v) => (v === '' || v === undefined ? 'basic' : v), z.enum(['basic', 'digest', 'bearer'])),
    /** Only report errors to catch nodes, without sending the failed message on. */
    senderr: boolish(false),
    headers: z.array(headerRow).default([]),
    credentials: z.object({ user: stringish(''), password: stringish('') }).partial().default({}),
    /** Seconds for the whole exchange (Node-RED's httpRequestTimeout, 120 s by default); msg.requestTimeout (ms) overrides it. */
    timeout: numberish(120).pipe(z.number().positive('timeout must be more than 0 seconds').max(86_400)),
    /** Further attempts after a connection error, a timeout, a 429 or a 5xx status. */
    retries: numberish(0).pipe(z.number().int().min(0, 'retries must not be negative').max(20, 'retries must be at most 20')),
    /** First wait between attempts in ms, doubled each time (a Retry-After of the server wins). */
    retryDelay: numberish(1000).pipe(z.number().min(0).max(600_000)),
  })
  .superRefine((c, issue) => {
    const url = c.url.trim();
    if (url && !url.includes('{{') && url.includes('://') && !/^https?:\/\//i.test(url)) {
      issue.addIssue({ code: 'custom', path: ['url'], message: `only http:// and https:// URLs are supported, not "${url}"` });
    }
  });
export type HttpRequestConfig = z.infer<typeof httpRequestConfig>;
