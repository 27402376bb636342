/** A record of a CSV file, or why a line could not be read. `line` is the 1-based line the record starts on. */
export type CsvEvent = { fields: string[]; line: number } | { error: string; line: number };

export interface CsvStreamOptions {
  separator: string;
  /** Leave out records that are one empty field (blank lines). */
  skipEmpty: boolean;
}

type State = 'fieldStart' | 'unquoted' | 'quoted' | 'quoteInQuoted' | 'skip';

/**
 * An incremental RFC 4180 parser: text goes in by chunks of any size (a quoted field may span
 * chunks and lines), records come out as they end. A malformed record (a quote inside an
 * unquoted field, text after a closing quote, a quote never closed) becomes one error event for
 * its line, and parsing goes on with the next line.
 */
export function createCsvStream(options: CsvStreamOptions) {
  const sep = options.separator;
  let state: State = 'fieldStart';
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let problem = '';

  function endRecord(out: CsvEvent[]): void {
    if (problem) out.push({ error: problem, line: recordLine });
    else if (!(options.skipEmpty && fields.length === 1 && fields[0] === '')) out.push({ fields, line: recordLine });
    fields = [];
    field = '';
    problem = '';
    state = 'fieldStart';
    recordLine = line;
  }

  const bad = (message: string) => {
    problem = message;
    state = 'skip';
  };

  return {
    /** Parses a chunk; returns the records (and errors) that ended inside it. */
    push(chunk: string): CsvEvent[] {
      const out: CsvEvent[] = [];
      for (let i = 0; i < chunk.length; i++) {
        const ch = chunk[i] as string;
        if (ch === '\r') {
          // CR of CRLF ends nothing by itself; inside quotes it is kept.
          if (state === 'quoted') field += ch;
          continue;
        }
        switch (state) {
          case 'skip':
            if (ch === '\n') {
              line++;
              endRecord(out);
            }
            break;
          case 'fieldStart':
          case 'unquoted':
            if (ch === sep) {
              fields.push(field);
              field = '';
              state = 'fieldStart';
            } else if (ch === '\n') {
              fields.push(field);
              line++;
              endRecord(out);
            } else if (ch === '"') {
              if (state === 'fieldStart') state = 'quoted';
              else bad(`a quote inside the unquoted field ${fields.length + 1}`);
            } else {
              field += ch;
              state = 'unquoted';
            }
            break;
          case 'quoted':
            if (ch === '"') state = 'quoteInQuoted';
            else {
              if (ch === '\n') line++;
              field += ch;
            }
            break;
          case 'quoteInQuoted':
            if (ch === '"') {
              field += '"';
              state = 'quoted';
            } else if (ch === sep) {
              fields.push(field);
              field = '';
              state = 'fieldStart';
            } else if (ch === '\n') {
              fields.push(field);
              line++;
              endRecord(out);
            } else bad(`text after the closing quote of field ${fields.length + 1}`);
            break;
        }
      }
      return out;
    },
    /** The last record, when the text does not end with a newline, or the error of a quote never closed. */
    end(): CsvEvent[] {
      const out: CsvEvent[] = [];
      if (state === 'quoted') out.push({ error: `a quoted field opened on line ${recordLine} is never closed`, line: recordLine });
      else if (state === 'skip') out.push({ error: problem, line: recordLine });
      else if (fields.length || field !== '' || state !== 'fieldStart') {
        fields.push(field);
        endRecord(out);
      }
      return out;
    },
  };
}
