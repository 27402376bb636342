import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { defineNode } from '@gridflow/runtime';
import { boolish, stringish } from '../shared/typed-value.js';

/** TLS options as node:tls, undici and the database drivers take them. */
export interface TlsOptions {
  ca?: string | Buffer;
  cert?: string | Buffer;
  key?: string | Buffer;
  passphrase?: string;
  servername?: string;
  ALPNProtocols?: string[];
  rejectUnauthorized: boolean;
}

export interface TlsConfigApi {
  /** A fresh copy of the options for one connection. */
  options(): TlsOptions;
}

const tlsConfig = z
  .object({
    name: stringish(),
    /** Paths of PEM files on the machine running the flow. */
    cert: stringish(),
    key: stringish(),
    ca: stringish(),
    /** Check the server's certificate against the CAs (Node-RED's name). */
    verifyservercert: boolish(true),
    servername: stringish(),
    alpnprotocol: stringish(),
    /** Node-RED keeps uploaded PEM data and the key's passphrase as credentials. */
    credentials: z
      .object({ certdata: stringish(), keydata: stringish(), cadata: stringish(), passphrase: stringish() })
      .partial()
      .default({}),
  })
  .superRefine((c, issue) => {
    const certGiven = Boolean(c.cert.trim() || c.credentials.certdata);
    const keyGiven = Boolean(c.key.trim() || c.credentials.keydata);
    if (certGiven !== keyGiven) {
      issue.addIssue({ code: 'custom', path: [certGiven ? 'key' : 'cert'], message: 'a client certificate needs its key, and a key its certificate' });
    }
  });

async function load(path: string, what: string, nodeId: string): Promise<Buffer | undefined> {
  if (!path.trim()) return undefined;
  try {
    return await readFile(path.trim());
  } catch (err) {
    throw new Error(`tls-config ${nodeId}: cannot read the ${what} file "${path}": ${(err as Error).message}`);
  }
}

export const tlsConfigNode = defineNode<typeof tlsConfig, TlsConfigApi>({
  type: 'tls-config',
  version: 1,
  category: 'config',
  isConfig: true,
  inputs: 0,
  outputs: 0,
  label: 'TLS',
  config: tlsConfig,
  help: `TLS settings shared by the nodes that connect out (http request, sql connection, websocket client):
a CA to trust, a client certificate and key (PEM files, or PEM data), and whether to verify the server.`,
  async create(ctx, c) {
    const [cert, key, ca] = await Promise.all([load(c.cert, 'certificate', ctx.id), load(c.key, 'key', ctx.id), load(c.ca, 'CA', ctx.id)]);
    const base: TlsOptions = {
      rejectUnauthorized: c.verifyservercert,
      ...(cert ?? c.credentials.certdata ? { cert: cert ?? c.credentials.certdata } : {}),
      ...(key ?? c.credentials.keydata ? { key: key ?? c.credentials.keydata } : {}),
      ...(ca ?? c.credentials.cadata ? { ca: ca ?? c.credentials.cadata } : {}),
      ...(c.credentials.passphrase ? { passphrase: c.credentials.passphrase } : {}),
      ...(c.servername.trim() ? { servername: c.servername.trim() } : {}),
      ...(c.alpnprotocol.trim() ? { ALPNProtocols: [c.alpnprotocol.trim()] } : {}),
    };
    return { api: { options: () => ({ ...base, ...(base.ALPNProtocols ? { ALPNProtocols: [...base.ALPNProtocols] } : {}) }) } };
  },
});
