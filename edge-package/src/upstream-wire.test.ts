import { describe, expect, it } from 'vitest';
import { upstreamBatchSchema } from '@gridflow/runtime/contract';
import { encodeBatch } from './upstream-wire.js';

describe('upstream wire format', () => {
  it('is the JSON text of an UpstreamBatch, messages included as stored', () => {
    const text = encodeBatch({
      floor: 7,
      items: [
        {
          seq: 7,
          time: 1000,
          channel: 'a "quoted" channel',
          json: '{"payload":{"v":1.5,"s":"x\\ny"},"topic":"t"}',
          backfill: true,
        },
        { seq: 9, time: 1001, channel: 'c', json: '{"payload":null}', backfill: false },
      ],
    });
    expect(upstreamBatchSchema.parse(JSON.parse(text))).toEqual({
      floor: 7,
      items: [
        {
          seq: 7,
          time: 1000,
          channel: 'a "quoted" channel',
          backfill: true,
          msg: { payload: { v: 1.5, s: 'x\ny' }, topic: 't' },
        },
        { seq: 9, time: 1001, channel: 'c', backfill: false, msg: { payload: null } },
      ],
    });
  });
});
