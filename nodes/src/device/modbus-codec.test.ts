import { describe, expect, it } from 'vitest';
import { decodeRegisters, encodeRegisters, type RegisterFormat } from './modbus-codec.js';

const fmt = (o: Partial<RegisterFormat>): RegisterFormat => ({ dataType: 'uint16', byteOrder: 'BE', wordOrder: 'BE', scale: 1, offset: 0, ...o });

describe('modbus codec', () => {
  it('reads 16-bit values signed and unsigned', () => {
    expect(decodeRegisters([0xffff, 0x0001], fmt({ dataType: 'int16' }))).toEqual([-1, 1]);
    expect(decodeRegisters([0xffff, 0x0001], fmt({ dataType: 'uint16' }))).toEqual([65535, 1]);
    expect(decodeRegisters([0x0100], fmt({ dataType: 'uint16', byteOrder: 'LE' }))).toEqual([1]);
  });

  it('reads 32-bit values in all four byte and word orders', () => {
    // 0x12345678 as ABCD, CDAB (word swap), BADC (byte swap), DCBA (both).
    expect(decodeRegisters([0x1234, 0x5678], fmt({ dataType: 'uint32' }))).toEqual([0x12345678]);
    expect(decodeRegisters([0x5678, 0x1234], fmt({ dataType: 'uint32', wordOrder: 'LE' }))).toEqual([0x12345678]);
    expect(decodeRegisters([0x3412, 0x7856], fmt({ dataType: 'uint32', byteOrder: 'LE' }))).toEqual([0x12345678]);
    expect(decodeRegisters([0x7856, 0x3412], fmt({ dataType: 'uint32', byteOrder: 'LE', wordOrder: 'LE' }))).toEqual([0x12345678]);
    expect(decodeRegisters([0xffff, 0xfffe], fmt({ dataType: 'int32' }))).toEqual([-2]);
    // 21.5 as float32 is 0x41AC0000.
    expect(decodeRegisters([0x41ac, 0x0000], fmt({ dataType: 'float32' }))).toEqual([21.5]);
    expect(decodeRegisters([0x0000, 0x41ac], fmt({ dataType: 'float32', wordOrder: 'LE' }))).toEqual([21.5]);
  });

  it('applies scale and offset both ways, and round-trips every format', () => {
    expect(decodeRegisters([215, 3], fmt({ dataType: 'int16', scale: 0.1, offset: -1 }))).toEqual([20.5, -0.7]);
    expect(encodeRegisters([20.5], fmt({ dataType: 'int16', scale: 0.1, offset: -1 }))).toEqual([215]);
    for (const dataType of ['int16', 'uint16', 'int32', 'uint32', 'float32'] as const)
      for (const byteOrder of ['BE', 'LE'] as const)
        for (const wordOrder of ['BE', 'LE'] as const) {
          const f = fmt({ dataType, byteOrder, wordOrder });
          const values = dataType.startsWith('u') ? [0, 1, 40000] : dataType === 'float32' ? [-1.5, 0, 1234.25] : [-300, 0, 300];
          expect(decodeRegisters(encodeRegisters(values, f), f)).toEqual(values);
        }
  });

  it('refuses values outside the type and registers that do not fill a value', () => {
    expect(() => encodeRegisters([70000], fmt({ dataType: 'uint16' }))).toThrow(/outside uint16/);
    expect(() => encodeRegisters([-1], fmt({ dataType: 'uint32' }))).toThrow(/outside uint32/);
    expect(() => encodeRegisters([Number.NaN], fmt({}))).toThrow(/not a finite number/);
    expect(() => decodeRegisters([1, 2, 3], fmt({ dataType: 'float32' }))).toThrow(/whole float32/);
  });
});
