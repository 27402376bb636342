/**
 * CSV parsing and quoting as Node-RED 4's csv node does them in RFC 4180 mode (its lib/csv):
 * any single-character separator and quote; `\r`, `\n` or `\r\n` end a record; quoted cells may
 * hold separators, quotes (doubled) and line breaks; an empty unquoted cell reads as null.
 */
export interface CsvParseOptions {
  /** Index to start parsing from. */
  cursor?: number;
  separator?: string;
  quote?: string;
  /** Parse only the first record, as the header. */
  headersOnly?: boolean;
  /** Column names to use instead of a header row; empty (or null) names leave a column out. */
  headers?: (string | null)[] | null;
  /** When no headers are given: the first record is the header (else col1, col2, ...). */
  dataHasHeaderRow?: boolean;
  /** For array output: include the header as the first row. */
  outputHeader?: boolean;
  parseNumeric?: boolean;
  includeNullValues?: boolean;
  includeEmptyStrings?: boolean;
  outputStyle?: 'array' | 'object';
  /** Throw on a stray quote, data after a closing quote, or an unclosed quote. */
  strict?: boolean;
}

export type Cell = string | null;

export interface CsvParseResult {
  /** Column names; a header row's empty cells are null, as in Node-RED. */
  headers: (string | null)[];
  /** The headers quoted as needed and joined with commas, empty ones left out. */
  header: string;
  data: Cell[][] | Record<string, unknown>[];
  firstRowIsHeader?: boolean;
  cursor: number;
}

export class CsvParseError extends Error {
  constructor(
    message: string,
    readonly cursor: number,
  ) {
    super(message);
    this.name = 'ParseError';
  }
}

/** Quotes a cell when it holds any of `quoteables`, doubling the quotes inside (RFC 4180 2.6). */
export function quoteCell(cell: string, options: { quote?: string; separator?: string; quoteables?: string[] } = {}): string {
  const quote = options.quote ?? '"';
  const separator = options.separator ?? ',';
  const quoteables = options.quoteables ?? [quote, separator, '\r', '\n'];
  const wrap = quoteables.some((q) => cell.includes(q)) ? quote : '';
  return wrap + (cell.includes(quote) ? cell.split(quote).join(quote + quote) : cell) + wrap;
}

// Node-RED's number test, inverted: leading + or 0-padded values stay strings; `+v` does the rest.
const SKIP_NUMBER_CONVERSION = /^ *(\+|-0\d|0\d)/;

export function parseCsv(input: string, options: CsvParseOptions = {}): CsvParseResult {
  const separator = options.separator ?? ',';
  const quote = options.quote ?? '"';
  const headersOnly = options.headersOnly ?? false;
  const headers: (string | null)[] = Array.isArray(options.headers) ? [...options.headers] : [];
  const headersSupplied = headers.length > 0;
  const strict = options.strict ?? false;
  const end = input.length;

  let cursor = options.cursor ?? 0;
  let output: Cell[][] = [];
  let row: Cell[] = [];
  let cell = '';
  let cellChars = 0;
  let newCell = true;
  let inQuote = false;
  let closed = false;

  const finaliseCell = () => {
    // A cell with no characters at all is null; a quoted empty cell is an empty string.
    row.push(cell || (newCell ? null : ''));
    cell = '';
    cellChars = 0;
  };
  const finaliseRow = () => {
    if (cellChars) finaliseCell();
    if (row.length) {
      output.push(row);
      row = [];
    }
  };
  const addChar = (ch: string) => {
    cell += ch;
    cellChars++;
  };

  while (cursor < end) {
    const ch = input[cursor] as string;
    if (inQuote) {
      if (ch === quote && input[cursor + 1] === quote) {
        addChar(quote);
        cursor += 2;
        newCell = false;
        closed = false;
      } else if (ch === quote) {
        inQuote = false;
        cursor++;
        newCell = false;
        closed = true;
      } else {
        addChar(ch);
        newCell = false;
        closed = false;
        cursor++;
      }
    } else if (ch === separator) {
      finaliseCell();
      cursor++;
      newCell = true;
      closed = false;
    } else if (ch === quote) {
      if (newCell) {
        inQuote = true;
        cursor++;
        newCell = false;
        closed = false;
      } else if (strict) {
        throw new CsvParseError('Quote found in the middle of an unquoted field', cursor);
      } else {
        // Lenient: keep one quote unless a cell or record ends right after it.
        cursor++;
        const next = input[cursor];
        if (next && next !== '\n' && next !== '\r' && next !== separator) {
          addChar(ch);
          if (next === quote) cursor++;
        }
      }
    } else if (ch === '\n' || ch === '\r') {
      finaliseRow();
      cursor += input[cursor + 1] === '\n' ? 2 : 1;
      newCell = true;
      closed = false;
      if (headersOnly) break;
    } else if (closed) {
      if (strict) throw new CsvParseError('Data found after closing quote', cursor);
      cursor--; // lenient: take the discarded character again
      closed = false;
    } else {
      addChar(ch);
      newCell = false;
      cursor++;
    }
  }
  if (strict && inQuote) throw new CsvParseError('Missing quote, unclosed cell', cursor);
  finaliseRow();

  let firstRowIsHeader = false;
  const first = output[0];
  if (first && !headersSupplied) {
    if (options.dataHasHeaderRow ?? true) {
      headers.push(...first);
      firstRowIsHeader = true;
    } else for (let i = 0; i < first.length; i++) headers.push(`col${i + 1}`);
  }
  const header = headers
    .filter((h): h is string => !!h)
    .map((h) => quoteCell(h, { quote, separator: ',' }))
    .join(',');
  const result: CsvParseResult = { headers, header, data: [], cursor };

  if (options.outputStyle === 'array' || headersOnly) {
    if (!firstRowIsHeader && !headersOnly && (options.outputHeader ?? true) && headers.length > 0) {
      output = [headers, ...output];
      firstRowIsHeader = true;
    }
    if (headersOnly) return result;
    result.firstRowIsHeader = firstRowIsHeader;
    result.data = firstRowIsHeader && options.outputHeader === false ? output.slice(1) : output;
    return result;
  }

  const includeNull = options.includeNullValues ?? false;
  const includeEmpty = options.includeEmptyStrings ?? true;
  const objects: Record<string, unknown>[] = [];
  for (let i = firstRowIsHeader ? 1 : 0; i < output.length; i++) {
    const record = output[i] as Cell[];
    const obj: Record<string, unknown> = {};
    let empty = true;
    for (let j = 0; j < headers.length; j++) {
      const name = headers[j];
      if (!name) continue;
      let v: unknown = record[j] === undefined ? null : record[j];
      if (v === null && !includeNull) continue;
      if (v === '' && !includeEmpty) continue;
      if (options.parseNumeric === true && typeof v === 'string' && v && !SKIP_NUMBER_CONVERSION.test(v)) {
        const n = +v;
        if (!isNaN(n)) v = n;
      }
      obj[name] = v;
      empty = false;
    }
    if (!empty) objects.push(obj);
  }
  result.data = objects;
  return result;
}
