import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { defineNode } from '@gridflow/runtime';
import { boolish, stringish } from '../shared/typed-value.js';

const credentialsShape = z
  .object({ certdata: z.string().optional(), keydata: z.string().optional(), cadata: z.string().optional(), passphrase: z.string().optional() })
  .partial()
  .default({});

const tlsConfig = z.object({
  name: z.string().default(''),
  /** Paths of PEM files on the host running the flow. */
  cert: stringish(''),
  key: stringish(''),
  ca: stringish(''),
  /** PEM text, instead of the files (Node-RED keeps these in the node's credentials). */
  certdata: stringish(''),
  keydata: stringish(''),
  cadata: stringish(''),
  passphrase: stringish(''),
  credentials: credentialsShape,
  servername: stringish(''),
  alpnprotocol: stringish(''),
  verifyservercert: boolish(true),
});

export interface TlsOptions {
  ca?: Buffer | string;
  cert?: Buffer | string;
  key?: Buffer | string;
  passphrase?: string;
  servername?: string;
  ALPNProtocols?: string[];
  rejectUnauthorized: boolean;
}

export interface TlsConfigApi {
  /**
   * A fresh copy of the options for one tls.connect. Synchronous: the files are read when the
   * node starts, so a missing file fails the deploy of this node, not each connection. (The ETL
   * nodes use this same node type and the same API.)
   */
  options(): TlsOptions;
}

/** Node-RED's `tls-config`: certificates and verification for MQTT brokers, SQL servers and other TLS clients. */
export const tlsConfigNode = defineNode<typeof tlsConfig, TlsConfigApi>({
  type: 'tls-config',
  version: 1,
  category: 'config',
  isConfig: true,
  inputs: 0,
  outputs: 0,
  label: 'TLS configuration',
  config: tlsConfig,
  help: `TLS settings as Node-RED's \`tls-config\`: CA, client certificate and key (files on the host or
PEM text), passphrase, server name (SNI), ALPN protocol, and whether the server certificate is verified.`,
  async create(ctx, c) {
    const pick = (text: string, credential: string | undefined, file: string, what: string): Promise<Buffer | string | undefined> => {
      const inline = text || credential;
      if (inline) return Promise.resolve(inline);
      if (!file) return Promise.resolve(undefined);
      return readFile(file).catch((err: NodeJS.ErrnoException) => {
        throw new Error(`tls-config ${ctx.id}: cannot read the ${what} file ${file}: ${err.code ?? err.message}`);
      });
    };
    const [ca, cert, key] = await Promise.all([
      pick(c.cadata, c.credentials.cadata, c.ca, 'CA'),
      pick(c.certdata, c.credentials.certdata, c.cert, 'certificate'),
      pick(c.keydata, c.credentials.keydata, c.key, 'key'),
    ]);
    if ((cert === undefined) !== (key === undefined)) throw new Error(`tls-config ${ctx.id}: a client certificate needs its key, and a key its certificate`);
    const passphrase = c.passphrase || c.credentials.passphrase;
    const base: TlsOptions = {
      ...(ca !== undefined ? { ca } : {}),
      ...(cert !== undefined ? { cert } : {}),
      ...(key !== undefined ? { key } : {}),
      ...(passphrase ? { passphrase } : {}),
      ...(c.servername ? { servername: c.servername } : {}),
      ...(c.alpnprotocol ? { ALPNProtocols: [c.alpnprotocol] } : {}),
      rejectUnauthorized: c.verifyservercert,
    };
    return { api: { options: () => ({ ...base, ...(base.ALPNProtocols ? { ALPNProtocols: [...base.ALPNProtocols] } : {}) }) } };
  },
});
