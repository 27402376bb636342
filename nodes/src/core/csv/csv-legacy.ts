/**
 * Node-RED's legacy (pre-RFC 4180) CSV parser, for csv nodes without `spec: "rfc"`. It is kept
 * character for character in behaviour, quirks included, because flows written for the legacy
 * mode depend on them: a line break ends a row only outside quotes, a cell with nothing between
 * two separators is null, a trailing line break leaves an empty last cell (an `{a: ""}` row when
 * empty strings are kept), and numbers are recognised by Node-RED's own pattern.
 */

export interface LegacyTemplate {
  /** Column names; mutated as Node-RED does (missing names become col1, col2, ...). */
  columns: string[];
  /** False when the template was blank: then every column is named colN. */
  good: boolean;
}

export interface LegacyOptions {
  separator: string;
  skip: number;
  hdrin: boolean;
  parseNumbers: boolean;
  includeEmptyStrings: boolean;
  includeNullValues: boolean;
}

export interface LegacyParts {
  index: number;
  count?: number;
}

const QUOTE = '"';
const NUMBER = /^[-]?(?!E)(?!0\d)\d*\.?\d*(E-?\+?)?\d+$/i;
const escapeRe = (s: string) => s.replace(/[-[\]{}()*+!<=:?./\\^$|#\s,]/g, '\\$&');

/** Node-RED's clean(): splits a header or template line outside quotes, drops quotes, trims. */
export function cleanTemplate(text: string, separator = ','): LegacyTemplate {
  const re = new RegExp(`${escapeRe(separator)}(?=(?:(?:[^"]*"){2})*[^"]*$)`, 'g');
  const columns = text
    .trim()
    .split(re)
    .map((x) => x.replace(/"/g, '').trim());
  return { columns, good: !(columns.length === 1 && columns[0] === '') };
}

export interface LegacyResult {
  rows: Record<string, unknown>[];
  /** The row still being built when the text ended (Node-RED stores it in multi-part mode). */
  lastRow: Record<string, unknown>;
  /** Line breaks in the text. */
  breaks: number;
  /** The text ended inside quotes (Node-RED warns "Malformed CSV data"). */
  unclosed: boolean;
  /** This message is the last part of a sequence. */
  last: boolean;
}

/** Parses one message's text, updating `tpl` as Node-RED updates its template. */
export function parseLegacy(line: string, parts: LegacyParts | undefined, multiMode: boolean, tpl: LegacyTemplate, o: LegacyOptions): LegacyResult {
  let outside = true;
  let j = 0;
  let k: (string | number | null)[] = [''];
  let row: Record<string, unknown> = {};
  const rows: Record<string, unknown>[] = [];
  let first = true;
  let last = false;
  let linecount = 0;
  let tmp = '';
  if (parts) {
    linecount = parts.index;
    if (parts.index > o.skip) first = false;
    if (parts.count !== undefined && parts.index + 1 >= parts.count) last = true;
  }
  const breaks = (line.match(/[\r\n]/g) ?? []).length;
  if (parts && multiMode && breaks > 1) {
    tmp = '';
    first = true;
  }
  const name = (i: number) => {
    if (!tpl.good) tpl.columns[i] = `col${i + 1}`;
    return tpl.columns[i];
  };
  const store = (column: string, cell: string | number | null) => {
    let v = cell;
    if (v !== null && o.parseNumbers && typeof v === 'string' && NUMBER.test(v.trim())) v = parseFloat(v.trim());
    if (o.includeNullValues && v === null) row[column] = v;
    if (o.includeEmptyStrings && v === '') row[column] = v;
    if (v !== null && v !== '') row[column] = v;
  };
  const pushRow = () => {
    if (JSON.stringify(row) !== '{}') rows.push(row);
  };

  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (first && linecount < o.skip) {
      if (ch === '\n') linecount += 1;
      continue;
    }
    if (o.hdrin && first) {
      if (ch === '\n' || ch === '\r' || line.length - i === 1) {
        if (line.length - i === 1) tmp += ch;
        const cleaned = cleanTemplate(tmp, o.separator);
        tpl.columns = cleaned.columns;
        tpl.good = cleaned.good;
        first = false;
      } else tmp += ch;
      continue;
    }
    if (ch === QUOTE) {
      outside = !outside;
      // A doubled quote is a quote character.
      if (line[i - 1] === QUOTE && !outside) k[j] = `${String(k[j])}"`;
    } else if (ch === o.separator && outside) {
      const column = name(j);
      if (column) {
        const prev = line[i - 1] as string;
        // Nothing between separators, or a separator first on a line: null. A separator as the
        // text's first character fails here with a TypeError, as it does in Node-RED.
        if (prev === o.separator || prev.includes('\n')) k[j] = null;
        store(column, k[j] ?? null);
      }
      j += 1;
      // A separator as the very last character leaves a null last cell.
      k[j] = line.length - 1 === i ? null : '';
    } else if ((ch === '\n' || ch === '\r') && outside) {
      const column = name(j);
      if (column) {
        if (line[i - 1] === o.separator) k[j] = null;
        store(column, k[j] ?? null);
      }
      pushRow();
      j = 0;
      k = [''];
      row = {};
      outside = true;
    } else {
      k[j] = `${k[j] === null || k[j] === undefined ? '' : String(k[j])}${ch}`;
    }
  }
  const column = name(j);
  if (column) store(column, k[j] ?? null);
  pushRow();
  return { rows, lastRow: row, breaks, unclosed: !outside, last };
}

/** Node-RED's legacy msg.columns: names holding a comma quoted, blanks left out. */
export function legacyColumns(columns: string[]): string {
  return columns
    .map((v) => (v.includes(',') ? `"${v}"` : v))
    .filter((v) => v)
    .join(',');
}
