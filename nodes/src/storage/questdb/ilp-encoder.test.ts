import { SenderBufferV1, SenderBufferV2, SenderOptions, type SenderBuffer } from '@questdb/nodejs-client';
import { describe, expect, it } from 'vitest';
import { createIlpEncoder, RowEncodeError } from './ilp-encoder.js';
import { prepareRow, type PreparedRow, type Row } from './row.js';

const at = Date.UTC(2025, 0, 1);
const rows: Row[] = [
  { table: 'meter', symbols: { device: 'd1' }, columns: { power: 12.5, energy: 1e21, count: 7, on: true }, ts: at },
  {
    table: 'meter',
    symbols: { device: 'a b,c=d\\e\nf', site: 'Zürich 🌍' },
    columns: { power: -0.1, on: false, note: 'say "hi", \\ ok\r\nnext = 1', tiny: 5e-324 },
    types: { power: 'double' },
    ts: at + 0.25,
  },
  { table: 'other_t', symbols: { device: 'only symbols' }, ts: at + 1 },
  { table: 'other_t', columns: { when: new Date(at), big: 2n ** 52n, nan: Number.NaN }, ts: at + 2 },
];

/** What @questdb/nodejs-client writes for the same rows: the reference the encoder must match byte for byte. */
function libraryBytes(buffer: SenderBuffer, prepared: readonly PreparedRow[]): Buffer {
  for (const row of prepared) {
    buffer.table(row.table);
    for (const [name, value] of row.symbols) buffer.symbol(name, value);
    for (const f of row.fields) {
      if (f.kind === 'float') buffer.floatColumn(f.name, f.value);
      else if (f.kind === 'int') buffer.intColumn(f.name, f.value);
      else if (f.kind === 'boolean') buffer.booleanColumn(f.name, f.value);
      else if (f.kind === 'string') buffer.stringColumn(f.name, f.value);
      else buffer.timestampColumn(f.name, f.value, 'us');
    }
    buffer.at(row.tsMicros, 'us');
  }
  return buffer.toBufferNew() ?? Buffer.alloc(0);
}

describe('createIlpEncoder', () => {
  const prepared = rows.map((r) => prepareRow(r));

  it('writes the same bytes as the client library for protocol 1 (text doubles, nanosecond times)', () => {
    const expected = libraryBytes(
      new SenderBufferV1(new SenderOptions('http::addr=localhost:9000;protocol_version=1')),
      prepared,
    );
    expect(createIlpEncoder(1).encode(prepared).equals(expected)).toBe(true);
    expect(expected.toString()).toContain('power=12.5');
  });

  it('writes the same bytes as the client library for protocol 2 (binary doubles, microsecond times)', () => {
    const expected = libraryBytes(
      new SenderBufferV2(new SenderOptions('http::addr=localhost:9000;protocol_version=2')),
      prepared,
    );
    const encoder = createIlpEncoder(2);
    expect(encoder.encode(prepared).equals(expected)).toBe(true);
    // Encoding again (a retry) gives the same body, and a large batch grows the buffer.
    expect(encoder.encode(prepared).equals(expected)).toBe(true);
    const many = Array.from({ length: 5000 }, () => prepared).flat();
    const big = encoder.encode(many);
    expect(big.length).toBe(expected.length * 5000);
    expect(big.subarray(big.length - expected.length).equals(expected)).toBe(true);
  });

  it('names the row it cannot write', () => {
    const bad = { ...prepared[0], fields: [{ name: 'n', kind: 'int', value: 1.5 }] } as PreparedRow;
    const attempt = () => createIlpEncoder(2).encode([prepared[0] as PreparedRow, bad]);
    expect(attempt).toThrow(RowEncodeError);
    expect(attempt).toThrow(expect.objectContaining({ line: 2, message: expect.stringMatching(/"n".*1\.5/) }));
  });
});
