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
  /** Reads the files (once) and returns options for tls.connect. */
  options(): Promise<TlsOptions>;
}

/** Node-RED's `tls-config`: certificates and verification for the MQTT broker (and other TLS clients). */
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
  create(_ctx, c) {
    let cached: Promise<TlsOptions> | undefined;
    const pick = (text: string, credential: string | undefined, file: string, what: string): Promise<Buffer | string | undefined> => {
      const inline = text || credential;
      if (inline) return Promise.resolve(inline);
      if (!file) return Promise.resolve(undefined);
      return readFile(file).catch((err: NodeJS.ErrnoException) => {
        throw new Error(`tls-config: cannot read the ${what} file ${file}: ${err.code ?? err.message}`);
      });
    };
    return {
      api: {
        options() {
          cached ??= (async () => {
            const [ca, cert, key] = await Promise.all([
              pick(c.cadata, c.credentials.cadata, c.ca, 'CA'),
              pick(c.certdata, c.credentials.certdata, c.cert, 'certificate'),
              pick(c.keydata, c.credentials.keydata, c.key, 'key'),
            ]);
            const passphrase = c.passphrase || c.credentials.passphrase;
            return {
              ...(ca !== undefined ? { ca } : {}),
              ...(cert !== undefined ? { cert } : {}),
              ...(key !== undefined ? { key } : {}),
              ...(passphrase ? { passphrase } : {}),
              ...(c.servername ? { servername: c.servername } : {}),
              ...(c.alpnprotocol ? { ALPNProtocols: [c.alpnprotocol] } : {}),
              rejectUnauthorized: c.verifyservercert,
            };
          })();
          return cached;
        },
      },
    };
  },
});
