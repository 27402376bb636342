import type { RunningNode } from './running-node.js';

export interface CloseDeps {
  closeTimeoutMs: number;
  warn(node: RunningNode, message: string): void;
  reportError(node: RunningNode, err: unknown): void;
}

export function clearTimers(node: RunningNode): void {
  for (const t of node.timers) {
    clearTimeout(t);
    clearInterval(t);
  }
  node.timers.clear();
}

/** Resolves true when the node closed within the time limit, false when it overran. */
export async function closeNode(node: RunningNode, removed: boolean, deps: CloseDeps): Promise<boolean> {
  node.closed = true;
  clearTimers(node);
  const close = node.handlers.close;
  if (!close) return true;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), deps.closeTimeoutMs);
  });
  try {
    const finished = Promise.resolve(close.call(node.handlers, removed)).then(() => true as const);
    const ok = await Promise.race([finished, timeout]);
    if (!ok) deps.warn(node, `close timed out after ${deps.closeTimeoutMs} ms`);
    return ok;
  } catch (err) {
    deps.reportError(node, err);
    return true;
  } finally {
    clearTimeout(timer);
  }
}
