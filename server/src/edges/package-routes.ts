import { Router, type Request } from 'express';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { edgePackageQuerySchema, type EdgePackageInfo } from '@gridflow/runtime/contract';
import type { AuthService } from '../auth/auth-service.js';
import { requireRole } from '../auth/middleware.js';
import { ApiFailure, notFound } from '../errors.js';
import { parseInput } from '../http/validate.js';
import type { EdgeStore } from './edge-store.js';

/** The tarball built by `npm run build:edge`, if any (the newest version when there are several). */
export function findEdgeTarball(dir: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  const name = readdirSync(dir)
    .filter((f) => /^gridflow-edge-.*\.tgz$/.test(f))
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .pop();
  return name ? join(dir, name) : undefined;
}

/** The server's own address as the browser (or curl) reached it. */
export const serverUrl = (req: Request): string => `${req.protocol}://${req.get('host') ?? 'localhost:1880'}`;

/**
 * The exact commands that put an edge on a machine: download the package (the enrollment token
 * stands for a login), install it with npm, start it enrolled with the token.
 */
export function installCommands(
  url: string,
  file: string,
  token: string,
  dataDir = '/var/lib/gridflow-edge',
): string[] {
  return [
    `curl -fL -o ${file} '${url}/api/edge/package?token=${token}'`,
    `npm install -g ./${file}`,
    `gridflow-edge --server ${url} --token ${token} --data ${dataDir}`,
  ];
}

const NOT_BUILT = 'the edge package is not built: run `npm run build:edge` on the server';

export function packageRoutes(deps: { auth: AuthService; store: EdgeStore; packageDir: string }): Router {
  const router = Router();
  const viewer = requireRole(deps.auth, 'viewer');

  router.get('/edges/package/info', viewer, (req, res) => {
    const file = findEdgeTarball(deps.packageDir);
    const stat = file ? statSync(file) : undefined;
    const info: EdgePackageInfo = {
      available: file !== undefined,
      file: file ? basename(file) : null,
      sizeBytes: stat?.size ?? null,
      builtAt: stat ? stat.mtime.toISOString() : null,
      commands: file ? installCommands(serverUrl(req), basename(file), 'TOKEN') : ['npm run build:edge'],
    };
    res.json(info);
  });

  router.get('/edges/package', viewer, (_req, res) => {
    const file = findEdgeTarball(deps.packageDir);
    if (!file) throw notFound(NOT_BUILT);
    res.download(file, basename(file));
  });

  router.get('/edge/package', async (req, res) => {
    const { token } = parseInput(edgePackageQuerySchema, req.query);
    const problem = await deps.store.checkEnrollment(token);
    if (problem) throw new ApiFailure('UNAUTHORIZED', `package download refused: ${problem}`);
    const file = findEdgeTarball(deps.packageDir);
    if (!file) throw notFound(NOT_BUILT);
    res.download(file, basename(file));
  });

  return router;
}
