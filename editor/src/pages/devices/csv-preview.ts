/**
 * A first look at a device CSV before it is sent: the header's columns, the number of data rows,
 * and what is missing. The server parses and checks every row; this only catches the obvious early.
 */
export interface CsvPreview {
  columns: string[];
  rows: number;
  /** Problems that make the import fail for sure. */
  problems: string[];
  /** Columns other than the known ones: attribute identifiers. */
  attributes: string[];
}

const KNOWN = new Set(['productKey', 'deviceKey', 'name', 'deviceSecret', 'description']);

/** Splits one CSV line (RFC 4180 quotes) into fields. */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.map((f) => f.trim());
}

export function previewCsv(text: string, hasProductKey: boolean): CsvPreview {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines[0];
  if (header === undefined) return { columns: [], rows: 0, problems: ['the file is empty'], attributes: [] };
  const columns = splitCsvLine(header.replace(/^\uFEFF/, ''));
  const problems: string[] = [];
  if (!columns.includes('deviceKey')) problems.push('the header has no deviceKey column');
  if (!columns.includes('name')) problems.push('the header has no name column');
  if (!columns.includes('productKey') && !hasProductKey) problems.push('choose a product: the file has no productKey column');
  const dup = columns.find((c, i) => columns.indexOf(c) !== i);
  if (dup) problems.push(`the column ${dup} appears twice`);
  if (lines.length < 2) problems.push('the file has a header but no devices');
  return { columns, rows: Math.max(0, lines.length - 1), problems, attributes: columns.filter((c) => !KNOWN.has(c)) };
}
