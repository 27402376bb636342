/**
 * Values to and from Modbus registers (16-bit words). 32-bit types span two registers; devices
 * disagree on the order of the bytes in a word and of the words in a pair, so both are settings:
 * byte order BE (AB, the Modbus standard) or LE (BA), word order BE (high word first) or LE.
 * `scale` and `offset` turn raw numbers into engineering units: value = raw × scale + offset.
 */

export const modbusDataTypes = ['int16', 'uint16', 'int32', 'uint32', 'float32'] as const;
export type ModbusDataType = (typeof modbusDataTypes)[number];
export type Order = 'BE' | 'LE';

export interface RegisterFormat {
  dataType: ModbusDataType;
  byteOrder: Order;
  wordOrder: Order;
  scale: number;
  offset: number;
}

export const registersPer = (t: ModbusDataType): 1 | 2 => (t === 'int16' || t === 'uint16' ? 1 : 2);

const swap16 = (w: number) => ((w & 0xff) << 8) | ((w >> 8) & 0xff);

/** The big-endian bytes of `count` values starting at register `registers[0]`, with the orders undone. */
function normalised(words: readonly number[], f: RegisterFormat): Buffer {
  const buf = Buffer.alloc(words.length * 2);
  const per = registersPer(f.dataType);
  for (let i = 0; i < words.length; i += per) {
    for (let j = 0; j < per; j++) {
      // With LE word order the low word comes first on the wire.
      const source = per === 2 && f.wordOrder === 'LE' ? words[i + (1 - j)] : words[i + j];
      const w = (source ?? 0) & 0xffff;
      buf.writeUInt16BE(f.byteOrder === 'LE' ? swap16(w) : w, (i + j) * 2);
    }
  }
  return buf;
}

/** Decodes registers into values (`registers.length / registersPer` of them). */
export function decodeRegisters(registers: readonly number[], f: RegisterFormat): number[] {
  const per = registersPer(f.dataType);
  if (registers.length % per !== 0) throw new Error(`${registers.length} registers do not hold whole ${f.dataType} values`);
  const buf = normalised(registers, f);
  const out: number[] = [];
  for (let i = 0; i < registers.length / per; i++) {
    const at = i * per * 2;
    let raw: number;
    switch (f.dataType) {
      case 'int16':
        raw = buf.readInt16BE(at);
        break;
      case 'uint16':
        raw = buf.readUInt16BE(at);
        break;
      case 'int32':
        raw = buf.readInt32BE(at);
        break;
      case 'uint32':
        raw = buf.readUInt32BE(at);
        break;
      case 'float32':
        raw = buf.readFloatBE(at);
        break;
    }
    out.push(applyScale(raw, f));
  }
  return out;
}

function applyScale(raw: number, f: RegisterFormat): number {
  if (f.scale === 1 && f.offset === 0) return raw;
  // Round away binary noise such as 0.1 × 3 = 0.30000000000000004.
  return Number((raw * f.scale + f.offset).toPrecision(12));
}

const ranges: Record<Exclude<ModbusDataType, 'float32'>, [number, number]> = {
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
};

/** Encodes values into registers; a value out of the type's range is an error naming it. */
export function encodeRegisters(values: readonly number[], f: RegisterFormat): number[] {
  const per = registersPer(f.dataType);
  const buf = Buffer.alloc(values.length * per * 2);
  values.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`value ${i} (${String(v)}) is not a finite number`);
    const scaled = (v - f.offset) / f.scale;
    const at = i * per * 2;
    if (f.dataType === 'float32') return buf.writeFloatBE(scaled, at);
    const raw = Math.round(scaled);
    const [min, max] = ranges[f.dataType];
    if (raw < min || raw > max) throw new Error(`value ${v} is ${raw} raw, outside ${f.dataType} (${min}..${max})`);
    if (f.dataType === 'int16') buf.writeInt16BE(raw, at);
    else if (f.dataType === 'uint16') buf.writeUInt16BE(raw, at);
    else if (f.dataType === 'int32') buf.writeInt32BE(raw, at);
    else buf.writeUInt32BE(raw, at);
  });
  const words: number[] = [];
  for (let i = 0; i < buf.length; i += 2) words.push(buf.readUInt16BE(i));
  // Applying the orders is its own inverse: swap bytes, then swap the words of each pair.
  const out: number[] = [];
  for (let i = 0; i < words.length; i += per) {
    for (let j = 0; j < per; j++) {
      const w = (per === 2 && f.wordOrder === 'LE' ? words[i + (1 - j)] : words[i + j]) ?? 0;
      out.push(f.byteOrder === 'LE' ? swap16(w) : w);
    }
  }
  return out;
}
