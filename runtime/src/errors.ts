/** Error classes with stable codes; only the server maps them to HTTP statuses. */
export class GridflowError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A flow that cannot be started: unknown type, bad property, broken reference. */
export class FlowValidationError extends GridflowError {
  constructor(
    message: string,
    readonly problems: NodeProblem[],
  ) {
    super('FLOW_INVALID', message);
  }
}

export interface NodeProblem {
  nodeId: string;
  type: string;
  property?: string;
  message: string;
}

export function describeProblem(p: NodeProblem): string {
  return `node ${p.nodeId} (${p.type})${p.property ? ` property "${p.property}"` : ''}: ${p.message}`;
}

export function validationError(problems: NodeProblem[]): FlowValidationError {
  const head = problems.slice(0, 5).map(describeProblem).join('; ');
  const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : '';
  return new FlowValidationError(`invalid flow: ${head}${more}`, problems);
}

/** An error raised by a node at run time; routed to catch nodes. */
export class NodeError extends GridflowError {
  constructor(
    message: string,
    readonly nodeId: string,
    readonly nodeType: string,
  ) {
    super('NODE_ERROR', message);
  }
}

/**
 * True for Error objects of any realm: errors thrown by function node code come from its node:vm
 * context, whose Error is not this realm's, so `instanceof Error` misses them.
 */
export function isErrorLike(err: unknown): err is Error {
  return err instanceof Error || Object.prototype.toString.call(err) === '[object Error]';
}

export function errorMessage(err: unknown): string {
  if (isErrorLike(err)) return err.message;
  if (typeof err === 'string') return err;
  try {
    return JSON.stringify(err);
  } catch {
    return String(err);
  }
}
