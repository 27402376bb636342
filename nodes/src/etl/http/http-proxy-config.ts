import type { Agent } from 'node:https';
import { z } from 'zod';
import { defineNode } from '@gridflow/runtime';
import { stringish } from '../../shared/typed-value.js';

const proxyConfig = z
  .object({
    name: stringish(),
    /** http://host:port of the proxy. */
    url: stringish(''),
    /** Hosts reached directly: exact names, `.suffix` / `*.suffix` domains, or `*`. */
    noproxy: z.array(z.string()).default([]),
    credentials: z.object({ username: stringish(''), password: stringish('') }).partial().default({}),
  })
  .superRefine((c, issue) => {
    let url: URL | undefined;
    try {
      url = new URL(c.url);
    } catch {
      issue.addIssue({ code: 'custom', path: ['url'], message: `the proxy URL "${c.url}" is not a URL (write http://host:port)` });
      return;
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      issue.addIssue({ code: 'custom', path: ['url'], message: `the proxy URL must start with http:// or https://, not "${url.protocol}"` });
    }
  });

export interface ProxyRoute {
  /** http://user:pass@host:port of the proxy, credentials included. */
  proxy: string;
  /** Hosts that bypass it. */
  noproxy: readonly string[];
}

export interface HttpProxyApi {
  route(): ProxyRoute;
}

/** Does `host` match a no-proxy entry (exact, `.domain`, `*.domain`, or `*`)? As curl and Node-RED read NO_PROXY. */
export function bypassesProxy(host: string, noproxy: readonly string[]): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return noproxy.some((raw) => {
    const entry = raw.trim().toLowerCase().replace(/:\d+$/, '');
    if (!entry) return false;
    if (entry === '*') return true;
    const domain = entry.replace(/^\*?\./, '');
    return h === domain || h.endsWith(`.${domain}`);
  });
}

/** The proxy for a request from the environment (http_proxy / https_proxy / no_proxy), as Node-RED honours them. */
export function proxyFromEnv(env: NodeJS.ProcessEnv, secure: boolean): ProxyRoute | undefined {
  const proxy = secure ? (env['https_proxy'] ?? env['HTTPS_PROXY'] ?? env['http_proxy'] ?? env['HTTP_PROXY']) : (env['http_proxy'] ?? env['HTTP_PROXY']);
  if (!proxy) return undefined;
  const noproxy = (env['no_proxy'] ?? env['NO_PROXY'] ?? '').split(',');
  return { proxy, noproxy };
}

/** A keep-alive agent that tunnels https through the proxy with CONNECT (hpagent, as Node-RED uses). */
export async function tunnelAgent(proxy: string): Promise<Agent> {
  const { HttpsProxyAgent } = await import('hpagent');
  return new HttpsProxyAgent({ keepAlive: true, proxy });
}

/** Node-RED's `http proxy` config node, used by http request nodes. */
export const httpProxyNode = defineNode<typeof proxyConfig, HttpProxyApi>({
  type: 'http proxy',
  version: 1,
  category: 'config',
  isConfig: true,
  inputs: 0,
  outputs: 0,
  label: 'HTTP proxy',
  config: proxyConfig,
  help: `An HTTP proxy for **http request** nodes, as Node-RED's \`http proxy\`: its URL, an optional
user and password, and hosts to reach directly (\`example.com\` also covers its subdomains; \`*\` is
every host). Requests to https:// URLs go through the proxy with CONNECT.`,
  create(_ctx, c) {
    const url = new URL(c.url);
    if (c.credentials.username) url.username = encodeURIComponent(c.credentials.username);
    if (c.credentials.password) url.password = encodeURIComponent(c.credentials.password);
    const route: ProxyRoute = { proxy: url.toString(), noproxy: c.noproxy };
    return { api: { route: () => route } };
  },
});
