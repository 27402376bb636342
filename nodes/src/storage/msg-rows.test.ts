import { describe, expect, it } from 'vitest';
import type { Msg } from '@gridflow/runtime';
import { MessageShapeError, rowsFromMessage, type MsgRowSettings } from './msg-rows.js';

const base: MsgRowSettings = { table: '', symbols: ['device'], columns: [], timestamp: 'ts' };
const msg = (m: Record<string, unknown>) => ({ _msgid: 'm1', ...m }) as Msg;

describe('rowsFromMessage', () => {
  it('takes the table, symbols, values and time from the message when the node leaves them open', () => {
    const rows = rowsFromMessage(
      msg({ table: 'meter', payload: { device: 'd1', power: 2.5, on: true, ts: 1000 }, symbols: { site: 'north' } }),
      base,
    );
    expect(rows).toEqual([
      { table: 'meter', symbols: { site: 'north', device: 'd1' }, columns: { power: 2.5, on: true }, ts: 1000 },
    ]);
  });

  it('lets the node settings win and keeps only declared columns, with their types', () => {
    const settings: MsgRowSettings = {
      table: 'fixed',
      symbols: ['device'],
      columns: [{ name: 'power', type: 'long' }],
      timestamp: 'time',
    };
    const rows = rowsFromMessage(
      msg({
        table: 'other',
        symbols: { device: 'd2' },
        payload: { power: '7', extra: 1, time: '2025-01-01T00:00:00Z' },
      }),
      settings,
    );
    expect(rows).toEqual([
      {
        table: 'fixed',
        symbols: { device: 'd2' },
        columns: { power: '7' },
        types: { power: 'long' },
        ts: '2025-01-01T00:00:00Z',
      },
    ]);
  });

  it('makes a row per array element, a "value" column for a bare value, and uses msg.timestamp', () => {
    const rows = rowsFromMessage(msg({ table: 't', payload: [{ v: 1 }, { v: 2 }] }), base);
    expect(rows.map((r) => r.columns)).toEqual([{ v: 1 }, { v: 2 }]);
    expect(rowsFromMessage(msg({ table: 't', payload: 21.5, timestamp: 5 }), base)).toEqual([
      { table: 't', symbols: {}, columns: { value: 21.5 }, ts: 5 },
    ]);
  });

  it('explains what is wrong with a message', () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ payload: { v: 1 } }, /no table/],
      [{ table: 't', payload: { v: { nested: 1 } } }, /msg\.payload\.v is object/],
      [{ table: 't', payload: [{ v: 1 }, { v: [1] }] }, /msg\.payload\[1\]\.v is an array/],
      [{ table: 't', symbols: 'd1', payload: { v: 1 } }, /msg\.symbols should be an object/],
      [{ table: 't', payload: { device: { id: 1 }, v: 1 } }, /symbol "device"/],
      [{ table: 't', payload: { v: 1, ts: {} } }, /msg\.payload\.ts should be a Date/],
    ];
    for (const [m, message] of cases) {
      expect(() => rowsFromMessage(msg(m), base)).toThrow(MessageShapeError);
      expect(() => rowsFromMessage(msg(m), base)).toThrow(message);
    }
  });
});
