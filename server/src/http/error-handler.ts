import type { ErrorRequestHandler, RequestHandler } from 'express';
import { FlowDocumentError, FlowValidationError } from '@gridflow/runtime';
import type { ApiError, ErrorCode } from '@gridflow/runtime/contract';
import { ApiFailure, statusOf } from '../errors.js';
import type { Logger } from '../logger.js';

/** Maps any thrown value to the API error body; known client errors keep their 4xx, the rest is a 500 without internals. */
export function toApiError(err: unknown): { status: number; body: ApiError; retryAfter?: number } {
  if (err instanceof ApiFailure) {
    const { details, fields, problems, retryAfter } = err.extra;
    return {
      status: statusOf[err.code],
      body: {
        error: {
          code: err.code,
          message: err.message,
          ...(details !== undefined ? { details } : {}),
          ...(fields ? { fields } : {}),
          ...(problems ? { problems } : {}),
          ...(retryAfter !== undefined ? { retryAfter } : {}),
        },
      },
      ...(retryAfter !== undefined ? { retryAfter } : {}),
    };
  }
  if (err instanceof FlowValidationError) {
    return { status: 400, body: { error: { code: 'FLOW_INVALID', message: err.message, problems: err.problems } } };
  }
  if (err instanceof FlowDocumentError) {
    const path = [err.nodeId ? `node ${err.nodeId}` : '', err.property ?? ''].filter(Boolean).join(' ');
    return {
      status: 400,
      body: {
        error: {
          code: 'VALIDATION',
          message: err.message,
          ...(err.property ? { fields: [{ path: err.property, message: err.message }] } : {}),
          ...(path ? { details: { nodeId: err.nodeId, property: err.property } } : {}),
        },
      },
    };
  }
  // body-parser errors carry a `type` and a 4xx `status`.
  if (err !== null && typeof err === 'object' && 'type' in err && 'status' in err) {
    const { type, status } = err as { type: unknown; status: unknown };
    if (type === 'entity.parse.failed') {
      return { status: 400, body: { error: { code: 'VALIDATION', message: 'request body is not valid JSON' } } };
    }
    if (type === 'entity.too.large') {
      return { status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE', message: 'request body is too large' } } };
    }
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return { status, body: { error: { code: 'VALIDATION', message: `bad request body (${String(type)})` } } };
    }
  }
  // Other client errors raised by Express itself (a path that is not valid percent-encoding, ...).
  const status = err !== null && typeof err === 'object' && 'status' in err ? (err as { status: unknown }).status : undefined;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code: ErrorCode = status === 401 ? 'UNAUTHORIZED' : status === 403 ? 'FORBIDDEN' : status === 404 ? 'NOT_FOUND' : 'VALIDATION';
    const message = err instanceof Error && err.message ? err.message : 'bad request';
    return { status, body: { error: { code, message } } };
  }
  return { status: 500, body: { error: { code: 'INTERNAL', message: 'internal server error' } } };
}

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const { status, body, retryAfter } = toApiError(err);
    if (status >= 500) {
      logger.error(`${req.method} ${req.path} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    }
    if (retryAfter !== undefined) res.setHeader('Retry-After', String(retryAfter));
    res.status(status).json(body);
  };
}

/** JSON 404 for unknown API paths (instead of the SPA page). */
export const apiNotFound: RequestHandler = (req, res) => {
  res.status(404).json({ error: { code: 'NOT_FOUND', message: `no such endpoint: ${req.method} ${req.originalUrl.split('?')[0]}` } });
};
