import { diffFlows, errorMessage, parseFlowDocument, type FlowDocument, type Runtime } from '@gridflow/runtime';
import type { DeployEventInfo, DeployResponse, VersionSummary } from '@gridflow/runtime/contract';
import type { AuditLog } from '../audit-log.js';
import { conflict, notFound } from '../errors.js';
import type { Logger } from '../logger.js';
import type { CurrentFlows, Stores } from '../store/types.js';
import { revOf } from './rev.js';
import { summarizeDiff } from './summary.js';

export type DeployType = 'full' | 'flows' | 'nodes';

export interface DeployRequestInput {
  flows: FlowDocument;
  /** The revision the client edited; a different current revision is a 409. */
  rev?: string;
  type: DeployType;
  user: string;
  ip?: string | null;
}

export interface DeployService {
  current(): Promise<CurrentFlows>;
  /** Validates and starts the flows, then records them as a new version; the runtime keeps the old flows when validation fails. */
  deploy(input: DeployRequestInput): Promise<DeployResponse>;
  /** Deploys an older version as a new version. */
  rollback(input: { version: number; rev?: string; user: string; ip?: string | null }): Promise<DeployResponse>;
  /** Restarts the current flows without a new version (Node-RED's `reload` deployment type). */
  reload(input: { user: string }): Promise<DeployResponse>;
  /** Starts the stored flows at server start; failure is logged and kept for /api/health. */
  start(): Promise<void>;
  /** The error that kept the stored flows from starting, if any. */
  startError(): string | undefined;
  onDeploy(listener: (event: DeployEventInfo) => void): () => void;
}

export function createDeployService(deps: { runtime: Runtime; stores: Stores; audit: AuditLog; logger: Logger }): DeployService {
  const { runtime, stores, audit, logger } = deps;
  const listeners = new Set<(event: DeployEventInfo) => void>();
  let failedAtStart: string | undefined;
  // Deploys run one at a time, so the revision check and the runtime swap cannot interleave.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn);
    queue = run.catch(() => undefined);
    return run;
  };

  const emit = (event: DeployEventInfo) => {
    for (const l of listeners) {
      try {
        l(event);
      } catch (err) {
        logger.error(`deploy listener failed: ${errorMessage(err)}`);
      }
    }
  };

  async function apply(
    flows: FlowDocument,
    opts: { expectedRev?: string; runtimeType: DeployType; versionType: VersionSummary['type']; user: string; rollbackOf?: number },
  ): Promise<DeployResponse> {
    // Duplicate ids and malformed entries fail here, before anything runs.
    parseFlowDocument(flows);
    const before = await stores.flows.current();
    if (opts.expectedRev !== undefined && opts.expectedRev !== before.rev) {
      throw conflict(`flows were changed since revision ${opts.expectedRev} (current is ${before.rev}); reload and deploy again`, {
        rev: before.rev,
      });
    }
    const result = await runtime.deploy(flows, opts.runtimeType);
    failedAtStart = undefined;
    const diff = diffFlows(before.flows, flows);
    const rev = revOf(flows);
    let summary: VersionSummary;
    try {
      summary = await stores.flows.commit({
        flows,
        rev,
        expectedRev: before.rev,
        user: opts.user,
        type: opts.versionType,
        summary: summarizeDiff(diff, flows, before.flows),
        changes: { added: diff.added.length, removed: diff.removed.length, changed: diff.changed.length },
        ...(opts.rollbackOf !== undefined ? { rollbackOf: opts.rollbackOf } : {}),
      });
    } catch (err) {
      // The runtime already runs the new flows; put the recorded ones back so both agree.
      logger.error(`recording the deploy failed, restoring revision ${before.rev}: ${errorMessage(err)}`);
      await runtime.deploy(before.flows, 'full').catch((e: unknown) => logger.error(`restoring failed: ${errorMessage(e)}`));
      throw err;
    }
    const response: DeployResponse = { rev, version: summary.version, result: { ...result, rev } };
    emit({ rev, version: summary.version, user: opts.user, time: summary.time, type: opts.versionType, result: response.result });
    return response;
  }

  return {
    current: () => stores.flows.current(),

    deploy(input) {
      return serial(async () => {
        const response = await apply(input.flows, {
          ...(input.rev !== undefined ? { expectedRev: input.rev } : {}),
          runtimeType: input.type,
          versionType: input.type,
          user: input.user,
        });
        await audit.record({
          user: input.user,
          action: 'deploy',
          target: String(response.version),
          ip: input.ip ?? null,
          details: { rev: response.rev, type: input.type, failed: response.result.failed.length },
        });
        return response;
      });
    },

    rollback(input) {
      return serial(async () => {
        const stored = await stores.versions.get(input.version);
        if (!stored) throw notFound(`no version ${input.version}`);
        const response = await apply(stored.flows, {
          ...(input.rev !== undefined ? { expectedRev: input.rev } : {}),
          runtimeType: 'full',
          versionType: 'rollback',
          user: input.user,
          rollbackOf: input.version,
        });
        await audit.record({
          user: input.user,
          action: 'rollback',
          target: String(input.version),
          ip: input.ip ?? null,
          details: { newVersion: response.version, rev: response.rev },
        });
        return response;
      });
    },

    reload({ user }) {
      return serial(async () => {
        const cur = await stores.flows.current();
        await runtime.stop();
        const result = await runtime.deploy(cur.flows, 'full');
        failedAtStart = undefined;
        const version = cur.version ?? 0;
        const response: DeployResponse = { rev: cur.rev, version, result: { ...result, rev: cur.rev } };
        emit({ rev: cur.rev, version, user, time: new Date().toISOString(), type: 'reload', result: response.result });
        return response;
      });
    },

    start() {
      return serial(async () => {
        const cur = await stores.flows.current();
        if (!cur.flows.length) return;
        try {
          const result = await runtime.deploy(cur.flows, 'full');
          logger.info(`started flows version ${cur.version ?? 0} (${cur.flows.length} nodes)`, {
            failed: result.failed.length ? result.failed.map((f) => f.id) : undefined,
          });
        } catch (err) {
          failedAtStart = errorMessage(err);
          logger.error(`the stored flows (version ${cur.version ?? 0}) could not be started: ${failedAtStart}`);
        }
      });
    },

    startError: () => failedAtStart,

    onDeploy(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
