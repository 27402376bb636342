/**
 * What a failed ILP/HTTP flush means for the rows in it. QuestDB answers a request it cannot take
 * with 400 and JSON naming the first bad line; it then rejects the whole request, so the other rows
 * are not stored and can be sent again. Everything else (connection refused, timeouts, 5xx, auth
 * that may yet be fixed) is transient: the rows are kept and retried.
 */
export type IngestFailure =
  | {
      kind: 'rejected';
      status: number;
      reason: string;
      /** 1-based line in the request, when QuestDB names one. */ line?: number;
    }
  | { kind: 'transient'; reason: string; status?: number };

const HTTP_FAILURE = /^HTTP request failed, statusCode=(\d+), error=([\s\S]*)$/;
const LINE_PREFIX = /^failed to parse line protocol:\s*errors encountered on line\(s\):\s*/;
const ERROR_IN_LINE = /^error in line \d+:\s*/;

interface QuestDbIlpError {
  code?: unknown;
  message?: unknown;
  line?: unknown;
}

function parseBody(body: string): QuestDbIlpError | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    return parsed !== null && typeof parsed === 'object' ? (parsed as QuestDbIlpError) : undefined;
  } catch {
    return undefined; // not JSON (a proxy's HTML page, say): the raw body is the reason
  }
}

/** QuestDB's message without the batch-relative preamble ("error in line 3: ..."), which means nothing per row. */
export function cleanIlpMessage(message: string): string {
  return message.replace(LINE_PREFIX, '').replace(ERROR_IN_LINE, '').trim();
}

function errorText(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    const cause = (err as { cause?: unknown }).cause;
    const causeText = cause instanceof Error ? `: ${cause.message}` : '';
    return `${typeof code === 'string' && !err.message.includes(code) ? `${code} ` : ''}${err.message}${causeText}`;
  }
  return String(err);
}

export function classifyIngestError(err: unknown): IngestFailure {
  const text = errorText(err);
  const m = HTTP_FAILURE.exec(err instanceof Error ? err.message : text);
  if (!m) return { kind: 'transient', reason: text };
  const status = Number(m[1]);
  const body = (m[2] ?? '').trim();
  const json = parseBody(body);
  const message = typeof json?.message === 'string' ? cleanIlpMessage(json.message) : body || `HTTP ${status}`;
  if (status === 400 || status === 413) {
    const line = typeof json?.line === 'number' && Number.isInteger(json.line) && json.line > 0 ? json.line : undefined;
    return line !== undefined
      ? { kind: 'rejected', status, reason: message, line }
      : { kind: 'rejected', status, reason: message };
  }
  if (status === 401 || status === 403)
    return { kind: 'transient', status, reason: `QuestDB refused the credentials (HTTP ${status}): ${message}` };
  return { kind: 'transient', status, reason: `HTTP ${status}: ${message}` };
}
