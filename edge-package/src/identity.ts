import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { enrollResponseSchema, type EnrollResponse } from '@gridflow/runtime/contract/edge';

export interface Identity extends EnrollResponse {
  server: string;
}

const identityFile = (dataDir: string) => join(dataDir, 'identity.json');

export async function loadIdentity(dataDir: string): Promise<Identity | undefined> {
  try {
    const raw = JSON.parse(await readFile(identityFile(dataDir), 'utf8')) as Identity;
    return { ...enrollResponseSchema.parse(raw), server: String(raw.server) };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`cannot read ${identityFile(dataDir)}: ${(err as Error).message}`);
  }
}

export async function saveIdentity(dataDir: string, identity: Identity): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  const file = identityFile(dataDir);
  await writeFile(`${file}.tmp`, JSON.stringify(identity, null, 2), { mode: 0o600 });
  await rename(`${file}.tmp`, file);
}

/** Trades the single-use enrollment token for this edge's own credential. */
export async function enroll(
  server: string,
  token: string,
  options: { name?: string; version: string },
): Promise<Identity> {
  const res = await fetch(new URL('/api/edge/enroll', server), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      token,
      hostname: hostname(),
      version: options.version,
      ...(options.name ? { name: options.name } : {}),
    }),
  });
  const body = (await res.json().catch(() => ({}))) as { error?: { message?: string } };
  if (!res.ok)
    throw new Error(`enrollment refused by ${server} (${res.status}): ${body.error?.message ?? res.statusText}`);
  return { ...enrollResponseSchema.parse(body), server };
}
