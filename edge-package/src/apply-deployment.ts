import { FlowValidationError, type FlowNode, type Runtime } from '@gridflow/runtime';
import type { DeployAck, EdgeDeployment } from '@gridflow/runtime/contract';
import { decryptForEdge, deriveEdgeKey } from '@gridflow/nodes/edge';

/** Merges decrypted node credentials into the node properties they belong to. */
export function withCredentials(flows: FlowNode[], credentials: unknown): FlowNode[] {
  if (!credentials || typeof credentials !== 'object') return flows;
  const byId = credentials as Record<string, Record<string, unknown>>;
  return flows.map((n) => (byId[n.id] ? { ...n, ...byId[n.id] } : n));
}

/**
 * Starts a deployment; when it is invalid or a node fails to start, the previous deployment
 * keeps (or goes back to) running, and the acknowledgement carries the reason.
 */
export async function applyDeployment(
  runtime: Runtime,
  deployment: EdgeDeployment,
  previous: EdgeDeployment | undefined,
  credential: string,
): Promise<DeployAck> {
  let flows: FlowNode[];
  try {
    flows = deployment.credentials
      ? withCredentials(deployment.flows, decryptForEdge(deriveEdgeKey(credential), deployment.credentials))
      : deployment.flows;
  } catch (err) {
    return { rev: deployment.rev, ok: false, error: `cannot decrypt node credentials: ${(err as Error).message}` };
  }
  try {
    const result = await runtime.deploy(flows, 'nodes');
    if (result.failed.length === 0) return { rev: deployment.rev, ok: true };
    if (previous) await runtime.deploy(previous.flows, 'nodes').catch(() => undefined);
    else await runtime.stop();
    return {
      rev: deployment.rev,
      ok: false,
      error: `${result.failed.length} node(s) failed to start`,
      problems: result.failed.map((f) => ({ nodeId: f.id, type: f.type, message: f.message })),
    };
  } catch (err) {
    if (err instanceof FlowValidationError) {
      return { rev: deployment.rev, ok: false, error: err.message, problems: err.problems };
    }
    return { rev: deployment.rev, ok: false, error: (err as Error).message };
  }
}
