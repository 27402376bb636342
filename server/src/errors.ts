import { GridflowError, type NodeProblem } from '@gridflow/runtime';
import type { ErrorCode, FieldIssue } from '@gridflow/runtime/contract';

/** An error the API reports to the client as `{ error: { code, message, ... } }` with the code's status. */
export class ApiFailure extends GridflowError {
  constructor(
    override readonly code: ErrorCode,
    message: string,
    readonly extra: { details?: unknown; fields?: FieldIssue[]; problems?: NodeProblem[]; retryAfter?: number } = {},
  ) {
    super(code, message);
  }
}

export const statusOf: Record<ErrorCode, number> = {
  VALIDATION: 400,
  FLOW_INVALID: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  INTERNAL: 500,
};

export const notFound = (message: string) => new ApiFailure('NOT_FOUND', message);
export const conflict = (message: string, details?: unknown) => new ApiFailure('CONFLICT', message, details === undefined ? {} : { details });
export const forbidden = (message: string) => new ApiFailure('FORBIDDEN', message);
export const unauthorized = (message = 'login required') => new ApiFailure('UNAUTHORIZED', message);
