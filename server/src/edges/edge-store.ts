import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { DeployAck, DeviceRef, EdgeHealth, Enrollment } from '@gridflow/runtime/contract';
import { deriveEdgeKey } from '@gridflow/nodes/edge';
import type { SqliteDatabase } from '../store/db.js';

export interface EdgeRecord {
  id: string;
  name: string;
  group: string | null;
  revoked: boolean;
  enrolledAt: string;
  lastSeen: string | null;
  health: EdgeHealth | null;
  runningRev: string | null;
  targetRev: string | null;
  deployError: DeployAck | null;
  /** Key for sealing node credentials sent to this edge (derived from its credential). */
  deployKey: string;
  /** The gateway device this edge posts device data as, if bound. */
  gateway: DeviceRef | null;
}

/** Edges, their enrollment tokens and the upstream dedup set; async so another database can take SQLite's place. */
export interface EdgeStore {
  createEnrollment(input: {
    name?: string | undefined;
    group?: string | undefined;
    createdBy: string;
    expiresAt: Date;
    gateway?: DeviceRef | undefined;
  }): Promise<Enrollment & { token: string }>;
  listEnrollments(): Promise<Enrollment[]>;
  revokeEnrollment(id: string): Promise<boolean>;
  /** Whether a token could enroll an edge now (it is not used up by this): undefined, or why not. */
  checkEnrollment(token: string): Promise<string | undefined>;
  /** Uses a token once: returns the new edge and its credential, or why it was refused. */
  enroll(
    token: string,
    name: string | undefined,
  ): Promise<{ edge: EdgeRecord; credential: string } | { refused: string }>;
  authenticate(edgeId: string, credential: string): Promise<EdgeRecord | { refused: string }>;
  list(): Promise<EdgeRecord[]>;
  get(id: string): Promise<EdgeRecord | undefined>;
  update(
    id: string,
    patch: { name?: string | undefined; group?: string | null | undefined; gateway?: DeviceRef | null | undefined },
  ): Promise<EdgeRecord | undefined>;
  revoke(id: string): Promise<boolean>;
  recordHealth(id: string, health: EdgeHealth): Promise<void>;
  recordDeploy(
    id: string,
    patch: { targetRev?: string; runningRev?: string; deployError?: DeployAck | null },
  ): Promise<void>;
  /** Marks (edge, seq) pairs seen and returns the new ones; pairs below `floor` are forgotten (the edge cannot resend them). */
  acceptUpstream(edgeId: string, seqs: readonly number[], floor: number | undefined): Promise<Set<number>>;
}

const hash = (secret: string) => createHash('sha256').update(secret).digest('hex');
const sameHash = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

interface EdgeRow {
  id: string;
  name: string;
  group_name: string | null;
  credential_hash: string;
  deploy_key: string;
  revoked: number;
  enrolled_at: string;
  last_seen: string | null;
  health: string | null;
  running_rev: string | null;
  target_rev: string | null;
  deploy_error: string | null;
  gateway_product_key: string | null;
  gateway_device_key: string | null;
}
interface EnrollmentRow {
  id: string;
  token_hash: string;
  name: string | null;
  group_name: string | null;
  created_by: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
  edge_id: string | null;
  revoked: number;
  gateway_product_key: string | null;
  gateway_device_key: string | null;
}

const gatewayOf = (r: { gateway_product_key: string | null; gateway_device_key: string | null }): DeviceRef | null =>
  r.gateway_product_key !== null && r.gateway_device_key !== null
    ? { productKey: r.gateway_product_key, deviceKey: r.gateway_device_key }
    : null;

const toEdge = (r: EdgeRow): EdgeRecord => ({
  id: r.id,
  name: r.name,
  group: r.group_name,
  revoked: r.revoked === 1,
  enrolledAt: r.enrolled_at,
  lastSeen: r.last_seen,
  health: r.health ? (JSON.parse(r.health) as EdgeHealth) : null,
  runningRev: r.running_rev,
  targetRev: r.target_rev,
  deployError: r.deploy_error ? (JSON.parse(r.deploy_error) as DeployAck) : null,
  deployKey: r.deploy_key,
  gateway: gatewayOf(r),
});
const toEnrollment = (r: EnrollmentRow): Enrollment => ({
  id: r.id,
  name: r.name,
  group: r.group_name,
  createdBy: r.created_by,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  usedAt: r.used_at,
  revoked: r.revoked === 1,
  gateway: gatewayOf(r),
});

export function createSqliteEdgeStore(db: SqliteDatabase): EdgeStore {
  const q = {
    insertEnrollment: db.prepare(
      'INSERT INTO edge_enrollments (id, token_hash, name, group_name, created_by, created_at, expires_at, gateway_product_key, gateway_device_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    enrollments: db.prepare<[], EnrollmentRow>('SELECT * FROM edge_enrollments ORDER BY created_at DESC'),
    enrollmentByHash: db.prepare<[string], EnrollmentRow>('SELECT * FROM edge_enrollments WHERE token_hash = ?'),
    revokeEnrollment: db.prepare('UPDATE edge_enrollments SET revoked = 1 WHERE id = ?'),
    useEnrollment: db.prepare('UPDATE edge_enrollments SET used_at = ?, edge_id = ? WHERE id = ? AND used_at IS NULL'),
    insertEdge: db.prepare(
      'INSERT INTO edges (id, name, group_name, credential_hash, deploy_key, enrolled_at, gateway_product_key, gateway_device_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    edges: db.prepare<[], EdgeRow>('SELECT * FROM edges ORDER BY name'),
    edge: db.prepare<[string], EdgeRow>('SELECT * FROM edges WHERE id = ?'),
    rename: db.prepare('UPDATE edges SET name = coalesce(?, name) WHERE id = ?'),
    regroup: db.prepare('UPDATE edges SET group_name = ? WHERE id = ?'),
    rebind: db.prepare('UPDATE edges SET gateway_product_key = ?, gateway_device_key = ? WHERE id = ?'),
    revoke: db.prepare('UPDATE edges SET revoked = 1 WHERE id = ?'),
    health: db.prepare('UPDATE edges SET health = ?, last_seen = ? WHERE id = ?'),
    // An empty deploy_error clears it; NULL parameters leave their column unchanged.
    recordDeploy: db.prepare<[{ target: string | null; running: string | null; error: string | null; id: string }]>(
      "UPDATE edges SET target_rev = coalesce(@target, target_rev), running_rev = coalesce(@running, running_rev), deploy_error = CASE WHEN @error IS NULL THEN deploy_error WHEN @error = '' THEN NULL ELSE @error END WHERE id = @id",
    ),
    // One statement per batch: RETURNING lists only the rows inserted, i.e. the (edge, seq) pairs not seen before.
    seen: db.prepare<[string, string], { seq: number }>(
      'INSERT OR IGNORE INTO edge_upstream_seen (edge_id, seq) SELECT ?, value FROM json_each(?) WHERE true RETURNING seq',
    ),
    prune: db.prepare('DELETE FROM edge_upstream_seen WHERE edge_id = ? AND seq < ?'),
  };

  /** Why a token cannot enroll an edge at `now`, if it cannot. */
  const tokenProblem = (row: EnrollmentRow | undefined, now: Date): string | undefined => {
    if (!row) return 'unknown enrollment token';
    if (row.revoked) return 'this enrollment token was revoked';
    if (row.used_at) return 'this enrollment token was already used';
    if (new Date(row.expires_at) < now) return 'this enrollment token has expired';
    return undefined;
  };

  const enrollTx = db.transaction((token: string, name: string | undefined) => {
    const row = q.enrollmentByHash.get(hash(token));
    const now = new Date();
    const problem = tokenProblem(row, now);
    if (problem || !row) return { refused: problem ?? 'unknown enrollment token' };
    const id = randomUUID();
    const credential = randomBytes(32).toString('base64url');
    q.insertEdge.run(
      id,
      row.name ?? name ?? `edge-${id.slice(0, 8)}`,
      row.group_name,
      hash(credential),
      deriveEdgeKey(credential),
      now.toISOString(),
      row.gateway_product_key,
      row.gateway_device_key,
    );
    q.useEnrollment.run(now.toISOString(), id, row.id);
    return { edge: toEdge(q.edge.get(id) as EdgeRow), credential };
  });

  const acceptTx = db.transaction((edgeId: string, seqs: readonly number[], floor: number | undefined) => {
    const fresh = new Set(q.seen.all(edgeId, JSON.stringify(seqs)).map((r) => r.seq));
    if (floor !== undefined) q.prune.run(edgeId, floor);
    return fresh;
  });

  return {
    async createEnrollment({ name, group, createdBy, expiresAt, gateway }) {
      const id = randomUUID();
      const token = `gfe_${randomBytes(24).toString('base64url')}`;
      const createdAt = new Date().toISOString();
      q.insertEnrollment.run(
        id,
        hash(token),
        name ?? null,
        group ?? null,
        createdBy,
        createdAt,
        expiresAt.toISOString(),
        gateway?.productKey ?? null,
        gateway?.deviceKey ?? null,
      );
      return {
        id,
        name: name ?? null,
        group: group ?? null,
        createdBy,
        createdAt,
        expiresAt: expiresAt.toISOString(),
        usedAt: null,
        revoked: false,
        gateway: gateway ?? null,
        token,
      };
    },
    listEnrollments: async () => q.enrollments.all().map(toEnrollment),
    revokeEnrollment: async (id) => q.revokeEnrollment.run(id).changes === 1,
    checkEnrollment: async (token) => tokenProblem(q.enrollmentByHash.get(hash(token)), new Date()),
    enroll: async (token, name) => enrollTx(token, name),
    async authenticate(edgeId, credential) {
      const row = q.edge.get(edgeId);
      if (!row) return { refused: 'unknown edge' };
      if (!sameHash(row.credential_hash, hash(credential))) return { refused: 'bad credential' };
      if (row.revoked) return { refused: 'this edge was revoked' };
      return toEdge(row);
    },
    list: async () => q.edges.all().map(toEdge),
    get: async (id) => {
      const row = q.edge.get(id);
      return row ? toEdge(row) : undefined;
    },
    async update(id, patch) {
      if (patch.name !== undefined) q.rename.run(patch.name, id);
      if (patch.group !== undefined) q.regroup.run(patch.group, id);
      if (patch.gateway !== undefined)
        q.rebind.run(patch.gateway?.productKey ?? null, patch.gateway?.deviceKey ?? null, id);
      const row = q.edge.get(id);
      return row ? toEdge(row) : undefined;
    },
    revoke: async (id) => q.revoke.run(id).changes === 1,
    async recordHealth(id, health) {
      q.health.run(JSON.stringify(health), new Date().toISOString(), id);
    },
    async recordDeploy(id, patch) {
      // coalesce keeps a column whose value was not given (null for "leave as is").
      const error =
        patch.deployError === undefined
          ? undefined
          : patch.deployError === null
            ? ''
            : JSON.stringify(patch.deployError);
      q.recordDeploy.run({
        target: patch.targetRev ?? null,
        running: patch.runningRev ?? null,
        error: error ?? null,
        id,
      });
    },
    acceptUpstream: async (edgeId, seqs, floor) => acceptTx(edgeId, seqs, floor),
  };
}
