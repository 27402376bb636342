import { describe, expect, it } from 'vitest';
import { parseEdgeArgs } from './options.js';

describe('gridflow-edge flags', () => {
  it('parses flags with defaults', () => {
    const o = parseEdgeArgs(['--server', 'http://localhost:1880', '--token', 'x'.repeat(32), '--data=/tmp/e']);
    expect(o).toMatchObject({ server: 'http://localhost:1880', dataDir: '/tmp/e', backfillRate: 10_000 });
  });
  it.each([
    [['--token', 'x'.repeat(32)], /--server is required/],
    [['--server', 'ftp://x'], /--server/],
    [['--server', 'http://x', '--bogus', '1'], /unknown flag --bogus/],
    [['--server', 'http://x', '--backfill-rate', 'fast'], /--backfill-rate must be a number/],
    [['--server', 'http://x', '--token', 'short'], /--token/],
    [['--server'], /--server needs a value/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseEdgeArgs(argv)).toThrow(message);
  });
});
