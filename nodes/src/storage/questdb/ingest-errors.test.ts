import { describe, expect, it } from 'vitest';
import { classifyIngestError } from './ingest-errors.js';

// The client's errors, as @questdb/nodejs-client 4 words them.
const http = (status: number, body: string) => new Error(`HTTP request failed, statusCode=${status}, error=${body}`);

describe('classifyIngestError', () => {
  it('reads a 400 as a rejection, with the line and the reason without its batch-relative preamble', () => {
    const body = JSON.stringify({
      code: 'invalid',
      message:
        'failed to parse line protocol:errors encountered on line(s):\nerror in line 3: table: m1, column: temp; cast error from protocol type: STRING to column type: DOUBLE',
      line: 3,
      errorId: 'x-1',
    });
    expect(classifyIngestError(http(400, body))).toEqual({
      kind: 'rejected',
      status: 400,
      line: 3,
      reason: 'table: m1, column: temp; cast error from protocol type: STRING to column type: DOUBLE',
    });
  });

  it('treats a 413 or a 400 without a line as a rejection to split', () => {
    expect(classifyIngestError(http(413, 'too large'))).toEqual({ kind: 'rejected', status: 413, reason: 'too large' });
    expect(classifyIngestError(http(400, '{"message":"bad"}'))).toEqual({
      kind: 'rejected',
      status: 400,
      reason: 'bad',
    });
  });

  it('treats server errors, auth failures and network errors as transient', () => {
    expect(classifyIngestError(http(503, 'busy'))).toMatchObject({ kind: 'transient', status: 503 });
    expect(classifyIngestError(http(401, ''))).toMatchObject({
      kind: 'transient',
      status: 401,
      reason: expect.stringMatching(/credentials/),
    });
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
    expect(classifyIngestError(refused)).toEqual({ kind: 'transient', reason: 'connect ECONNREFUSED 127.0.0.1:1' });
    expect(classifyIngestError('weird')).toEqual({ kind: 'transient', reason: 'weird' });
  });
});
