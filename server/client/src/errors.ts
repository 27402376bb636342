import { apiErrorSchema, type ErrorCode, type FieldIssue, type NodeProblemInfo } from '@gridflow/runtime/contract';

/** A call the server answered with an error status. `code` is the API's stable error code. */
export class GridflowApiError extends Error {
  /** The API's code; 'UNKNOWN' when the answer was not the API's error body (a proxy's error page). */
  readonly code: ErrorCode | 'UNKNOWN';
  readonly fields: FieldIssue[] | undefined;
  readonly problems: NodeProblemInfo[] | undefined;
  /** Seconds to wait before retrying (RATE_LIMITED). */
  readonly retryAfter: number | undefined;
  readonly details: unknown;

  constructor(
    /** The route name, e.g. `deploy`. */
    readonly route: string,
    readonly status: number,
    body: unknown,
  ) {
    const parsed = apiErrorSchema.safeParse(body);
    const error = parsed.success ? parsed.data.error : undefined;
    super(
      `${route}: ${status} ${error ? `${error.code}: ${error.message}` : typeof body === 'string' && body ? body.slice(0, 200) : 'request failed'}`,
    );
    this.name = 'GridflowApiError';
    this.code = error?.code ?? 'UNKNOWN';
    this.fields = error?.fields;
    this.problems = error?.problems;
    this.retryAfter = error?.retryAfter;
    this.details = error?.details;
  }
}

/** The server's answer does not match the contract (only with `validateResponses`): client and server versions differ. */
export class GridflowContractError extends Error {
  readonly code = 'CONTRACT_MISMATCH';
  constructor(
    readonly route: string,
    readonly issues: { path: string; message: string }[],
  ) {
    const first = issues[0];
    super(
      `${route}: the answer does not match the API contract${first ? ` at ${first.path || '(body)'}: ${first.message}` : ''}`,
    );
    this.name = 'GridflowContractError';
  }
}
