import { FlowValidationError, errorMessage, type FlowNode, type Runtime } from '@gridflow/runtime';
import type { DeployAck, EdgeDeployment } from '@gridflow/runtime/contract/edge';
import { decryptForEdge, deriveEdgeKey } from '@gridflow/nodes/edge';

/** Merges decrypted node credentials into the node properties they belong to. */
export function withCredentials(flows: FlowNode[], credentials: unknown): FlowNode[] {
  if (!credentials || typeof credentials !== 'object') return flows;
  const byId = credentials as Record<string, Record<string, unknown>>;
  return flows.map((n) => (byId[n.id] ? { ...n, ...byId[n.id] } : n));
}

/** The deployment's flows with its sealed node credentials opened with this edge's key. */
export function resolveFlows(deployment: EdgeDeployment, credential: string): FlowNode[] {
  if (!deployment.credentials) return deployment.flows;
  try {
    return withCredentials(deployment.flows, decryptForEdge(deriveEdgeKey(credential), deployment.credentials));
  } catch (err) {
    throw new Error(`cannot decrypt the node credentials of deployment ${deployment.rev}: ${errorMessage(err)}`);
  }
}

/**
 * Starts a deployment; when it is invalid or a node fails to start, the previous deployment
 * keeps (or goes back to) running, and the acknowledgement carries the reason by node.
 */
export async function applyDeployment(
  runtime: Runtime,
  deployment: EdgeDeployment,
  previous: EdgeDeployment | undefined,
  credential: string,
): Promise<DeployAck> {
  let flows: FlowNode[];
  try {
    flows = resolveFlows(deployment, credential);
  } catch (err) {
    return { rev: deployment.rev, ok: false, error: errorMessage(err) };
  }
  try {
    const result = await runtime.deploy(flows, deployment.type ?? 'nodes');
    if (result.failed.length === 0) return { rev: deployment.rev, ok: true };
    // Validation passed but nodes failed in create(): go back to what ran before.
    if (previous) await runtime.deploy(resolveFlows(previous, credential), 'nodes').catch(() => undefined);
    else await runtime.stop();
    return {
      rev: deployment.rev,
      ok: false,
      error: `${result.failed.length} node(s) failed to start`,
      problems: result.failed.map((f) => ({ nodeId: f.id, type: f.type, message: f.message })),
    };
  } catch (err) {
    // An invalid document changes nothing: the previous deployment is still running.
    if (err instanceof FlowValidationError) {
      return { rev: deployment.rev, ok: false, error: err.message, problems: err.problems };
    }
    return { rev: deployment.rev, ok: false, error: errorMessage(err) };
  }
}

/** Stops every node of the running deployment and starts it again (the editor's "restart flows"). */
export async function restartDeployment(
  runtime: Runtime,
  deployment: EdgeDeployment,
  credential: string,
): Promise<void> {
  await runtime.deploy(resolveFlows(deployment, credential), 'full');
}
