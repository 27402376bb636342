import { z } from 'zod';

/**
 * Stable error codes of the HTTP API. Each maps to one status:
 * VALIDATION 400, FLOW_INVALID 400, UNAUTHORIZED 401, FORBIDDEN 403, NOT_FOUND 404,
 * CONFLICT 409, PAYLOAD_TOO_LARGE 413, RATE_LIMITED 429, INTERNAL 500.
 */
export const errorCodeSchema = z.enum([
  'VALIDATION',
  'FLOW_INVALID',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'INTERNAL',
]);
export type ErrorCode = z.infer<typeof errorCodeSchema>;

/** One invalid field of a request (VALIDATION): `path` is dotted, e.g. `flows.3.id`. */
export const fieldIssueSchema = z.object({ path: z.string(), message: z.string() });
export type FieldIssue = z.infer<typeof fieldIssueSchema>;

/** One problem of a flow that failed deploy validation (FLOW_INVALID). */
export const nodeProblemSchema = z.object({
  nodeId: z.string(),
  type: z.string(),
  property: z.string().optional(),
  message: z.string(),
});
export type NodeProblemInfo = z.infer<typeof nodeProblemSchema>;

/** Every non-2xx response of the API has this body. */
export const apiErrorSchema = z.object({
  error: z.object({
    code: errorCodeSchema,
    /** Human-readable, names the field or node at fault. */
    message: z.string(),
    details: z.unknown().optional(),
    /** VALIDATION: each invalid field of the request. */
    fields: z.array(fieldIssueSchema).optional(),
    /** FLOW_INVALID: each problem found in the flow, by node. */
    problems: z.array(nodeProblemSchema).optional(),
    /** RATE_LIMITED: seconds until a retry may succeed (also sent as the Retry-After header). */
    retryAfter: z.number().optional(),
  }),
});
export type ApiError = z.infer<typeof apiErrorSchema>;
