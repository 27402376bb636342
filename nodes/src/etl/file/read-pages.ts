import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createCsvStream, type CsvEvent } from './csv-stream.js';
import { createJsonArrayStream, createJsonLinesStream, type JsonEvent } from './json-stream.js';

export type RecordFormat = 'csv' | 'jsonl' | 'json' | 'lines';

export interface CsvOptions {
  separator: string;
  /** The first record names the columns. */
  header: boolean;
  /** Column names when there is no header row (blank: col1, col2, ...). */
  columns: string[];
  skipEmpty: boolean;
  /** Numeric text becomes a number. */
  parseNumbers: boolean;
}

export interface ReadOptions {
  format: RecordFormat;
  encoding: BufferEncoding;
  pageSize: number;
  csv: CsvOptions;
}

export interface LineProblem {
  line: number;
  message: string;
}

export interface ReadPage {
  rows: unknown[];
  /** Records that could not be read, with their line. */
  problems: LineProblem[];
  bytesRead: number;
  size: number;
}

const NUMBER = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** Turns CSV records into row objects named by the header (or the configured columns). */
function csvRows(o: CsvOptions) {
  let columns: string[] | undefined = o.header ? undefined : o.columns.length ? o.columns : undefined;
  const value = (text: string) => (o.parseNumbers && NUMBER.test(text.trim()) ? Number(text) : text);
  return (e: CsvEvent, rows: unknown[], problems: LineProblem[]) => {
    if ('error' in e) return void problems.push({ line: e.line, message: e.error });
    if (!columns) {
      if (o.header) return void (columns = e.fields.map((f, i) => f.trim() || `col${i + 1}`));
      columns = e.fields.map((_, i) => `col${i + 1}`);
    }
    if (e.fields.length !== columns.length) {
      return void problems.push({ line: e.line, message: `${e.fields.length} fields where the header has ${columns.length}` });
    }
    const row: Record<string, unknown> = {};
    columns.forEach((c, i) => (row[c] = value(e.fields[i] as string)));
    rows.push(row);
  };
}

function jsonRows(e: JsonEvent, rows: unknown[], problems: LineProblem[]): void {
  if ('error' in e) problems.push({ line: e.line, message: e.error });
  else rows.push(e.value);
}

/** Text lines, Node-RED's "a message per line": split on \n. */
function createLineStream() {
  let rest = '';
  return {
    push(chunk: string): string[] {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      return lines;
    },
    end: (): string[] => (rest ? [rest] : []),
  };
}

/**
 * The records of a file, a page at a time: the file is read in 64 KiB chunks and the next chunk
 * is read only when the caller asks for the next page, so memory holds about a page.
 */
export async function* readPages(path: string, o: ReadOptions): AsyncGenerator<ReadPage, void, undefined> {
  const size = (await stat(path)).size;
  const stream = createReadStream(path, { encoding: o.encoding, highWaterMark: 64 * 1024 });
  let rows: unknown[] = [];
  let problems: LineProblem[] = [];
  let bytesRead = 0;
  let feed: (chunk: string) => void;
  let flush: () => void;
  if (o.format === 'csv') {
    const parser = createCsvStream({ separator: o.csv.separator, skipEmpty: o.csv.skipEmpty });
    const add = csvRows(o.csv);
    feed = (chunk) => parser.push(chunk).forEach((e) => add(e, rows, problems));
    flush = () => parser.end().forEach((e) => add(e, rows, problems));
  } else if (o.format === 'lines') {
    const parser = createLineStream();
    feed = (chunk) => {
      for (const l of parser.push(chunk)) rows.push(l);
    };
    flush = () => {
      for (const l of parser.end()) rows.push(l);
    };
  } else {
    const parser = o.format === 'json' ? createJsonArrayStream() : createJsonLinesStream();
    feed = (chunk) => parser.push(chunk).forEach((e) => jsonRows(e, rows, problems));
    flush = () => parser.end().forEach((e) => jsonRows(e, rows, problems));
  }
  const take = (): ReadPage => {
    const page = { rows: rows.slice(0, o.pageSize), problems, bytesRead: Math.min(bytesRead, size), size };
    rows = rows.slice(o.pageSize);
    problems = [];
    return page;
  };
  try {
    for await (const chunk of stream as AsyncIterable<string>) {
      bytesRead = stream.bytesRead;
      feed(chunk);
      while (rows.length >= o.pageSize) yield take();
    }
    flush();
    bytesRead = size;
    while (rows.length >= o.pageSize) yield take();
    if (rows.length || problems.length) yield take();
  } finally {
    stream.destroy();
  }
}
