import { z } from 'zod';
import { cloneMessage, defineNode, generateId, type Msg } from '@gridflow/runtime';
import { nrUtil } from '../../shared/node-red-util.js';
import { boolish, numberish, stringish } from '../../shared/typed-value.js';
import { cleanTemplate, legacyColumns, parseLegacy } from './csv-legacy.js';
import { parseCsv, quoteCell } from './csv-parse.js';

/** Column names; empty ones (null or '') leave their column out. */
type Columns = (string | null)[];

const unescape = (s: string) => s.replace(/\\t/g, '\t').replace(/\\n/g, '\n').replace(/\\r/g, '\r');
const QUOTE = '"';

/** Column names from a template string ("a,b,\"c,d\""), parsed strictly; undefined when it is not one record. */
function templateColumns(text: string, separator = ','): Columns | undefined {
  const parsed = parseCsv(text, { separator, quote: QUOTE, outputStyle: 'array', strict: true });
  const rows = parsed.data as Columns[];
  return rows.length === 1 ? rows[0] : undefined;
}

function templateProblem(text: string): string | undefined {
  try {
    return templateColumns(text) || text === '' ? undefined : 'invalid column template: it must be one line of names';
  } catch (err) {
    return `invalid column template: ${(err as Error).message}`;
  }
}

const configSchema = z.object({
  name: stringish(),
  /** 'rfc' for RFC 4180 mode; older nodes without it default to "\n" line ends. */
  spec: stringish(''),
  sep: stringish(',').refine((s) => unescape(s).length === 1, 'the separator must be a single character'),
  hdrin: boolish(false),
  hdrout: z.preprocess(
    (v) => (v === true || v === 'true' ? 'all' : v === false || v === 'false' || v === '' || v === undefined || v === null ? 'none' : v),
    z.enum(['none', 'all', 'once']),
  ),
  multi: stringish('one').pipe(z.enum(['one', 'mult'])),
  ret: stringish(''),
  temp: stringish('').superRefine((t, c) => {
    const problem = templateProblem(t);
    if (problem) c.addIssue({ code: 'custom', message: problem });
  }),
  skip: numberish(0).pipe(z.number().int().min(0)),
  strings: boolish(true),
  include_empty_strings: boolish(false),
  include_null_values: boolish(false),
});

const hasTemplate = (t: Columns | undefined): t is Columns => !!t && t.length > 0 && !(t.length === 1 && t[0] === '');
const hasOwn = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);

interface Parts {
  id?: unknown;
  index: number;
  count?: number;
}

export const csvNode = defineNode({
  type: 'csv',
  category: 'core',
  inputs: 1,
  outputs: 1,
  config: configSchema,
  label: 'csv',
  icon: 'parser-csv.svg',
  color: '#DEBD5C',
  help: [
    'Converts between CSV text (RFC 4180) and objects.',
    '',
    'A string becomes one message per row (`msg.parts` set), or one message with an array of rows; columns are named by the *columns* template, the first line (*first row contains column names*), or `col1`, `col2`, .... *Parse numerical values* turns numbers into numbers.',
    '',
    'An object, an array of objects or an array of arrays becomes CSV text, with a header line never, always, or once (until a message with `msg.reset`). Cells holding the separator, quotes or line breaks are quoted.',
    '',
    '`msg.columns` lists the columns used.',
  ].join('\n'),
  create(ctx, config) {
    const sep = unescape(config.sep);
    const ret = unescape(config.ret || (config.spec === 'rfc' ? '\r\n' : '\n'));
    const quoteables = [sep, QUOTE, '\n', '\r'];
    const sendHeadersOnce = config.hdrout === 'once';
    const noTemplate = !hasTemplate(templateColumns(config.temp));
    let template: Columns = templateColumns(config.temp) ?? [''];
    let hdrSent = false;
    let store: Record<string, unknown>[] = [];
    let errorShown = false;
    let warnedNoTemplate = false;

    const columnString = (cols: Columns, keepEmpty: boolean, separator = ',', quotables = [',', QUOTE, '\n', '\r']) =>
      keepEmpty
        ? cols.map((c) => quoteCell(c || '', { separator, quoteables: quotables })).join(separator)
        : cols
            .filter((c): c is string => !!c)
            .map((c) => quoteCell(c, { separator: ',' }))
            .join(',');
    const cellOut = (v: unknown) => quoteCell(nrUtil.ensureString(v), { separator: sep, quoteables });

    const toCsv = (msg: Msg) => {
      let input: unknown = msg.payload;
      let rowsAreArrays = Array.isArray(input) && input.length > 0 && Array.isArray(input[0]);
      if (!Array.isArray(input)) input = [input];
      else if (input.length > 0 && typeof input[0] !== 'object') {
        input = [input];
        rowsAreArrays = true;
      }
      const rows = input as unknown[];
      const parts = msg['parts'] as Parts | undefined;
      if (!(noTemplate && parts && typeof parts.index === 'number' && parts.index > 0)) template = templateColumns(config.temp) ?? [''];
      const lines: string[] = [];
      if (config.hdrout !== 'none' && !hdrSent) {
        if (!hasTemplate(template)) {
          template = hasOwn(msg, 'columns')
            ? (templateColumns(String(msg['columns'] ?? '')) ?? [''])
            : Object.keys(rows[0] as object);
        }
        lines.push(columnString(template, true, sep, quoteables));
        if (sendHeadersOnce) hdrSent = true;
      }
      for (const row of rows) {
        if (rowsAreArrays) {
          const cells = row as unknown[];
          const withTemplate = hasTemplate(template);
          const len = withTemplate ? template.length : cells.length;
          const out: string[] = [];
          for (let t = 0; t < len; t++) {
            if (!withTemplate || template[t]) out[t] = cellOut(cells[t] === undefined ? '' : cells[t]);
          }
          lines.push(Array.from(out, (c) => c ?? '').join(sep));
          continue;
        }
        const obj = row as Record<string, unknown>;
        if (!hasTemplate(template) && hasOwn(msg, 'columns')) template = templateColumns(String(msg['columns'] ?? '')) ?? [''];
        if (!hasTemplate(template)) {
          if (!warnedNoTemplate) ctx.warn('No columns template specified, using the keys of the first object');
          warnedNoTemplate = true;
          template = Object.keys(obj);
          const cells: string[] = [];
          for (const key of Object.keys(rows[0] as object)) {
            if (!hasOwn(obj, key) || typeof obj[key] === 'object') continue;
            cells.push(quoteCell(obj[key] === undefined ? '' : String(obj[key]), { separator: sep, quoteables }));
          }
          lines.push(cells.join(sep));
        } else {
          lines.push(template.map((col) => (col ? cellOut(obj[col] === undefined ? '' : obj[col]) : '')).join(sep));
        }
      }
      msg.payload = lines.join(ret) + ret;
      msg['columns'] = columnString(template, false);
      ctx.send(msg);
    };

    // Node-RED's legacy mode keeps its own parser and template state (see csv-legacy.ts).
    const legacyTpl = cleanTemplate(config.temp, ',');
    const legacyOptions = {
      separator: sep,
      skip: config.skip,
      hdrin: config.hdrin,
      parseNumbers: config.strings,
      includeEmptyStrings: config.include_empty_strings,
      includeNullValues: config.include_null_values,
    };
    const fromLegacyCsv = (msg: Msg, text: string) => {
      const parts = hasOwn(msg, 'parts') ? (msg['parts'] as Parts) : undefined;
      const r = parseLegacy(text, parts, config.multi === 'mult', legacyTpl, legacyOptions);
      if (r.unclosed) ctx.warn('Malformed CSV data - output probably corrupt.');
      const columns = legacyColumns(legacyTpl.columns);
      if (config.multi !== 'one') {
        msg.payload = r.rows;
        if (parts && r.breaks <= 1) {
          if (JSON.stringify(r.lastRow) !== '{}') store.push(r.lastRow);
          if (parts.index + 1 === parts.count) {
            msg.payload = store;
            msg['columns'] = columns;
            delete msg['parts'];
            ctx.send(msg);
            store = [];
          }
        } else {
          msg['columns'] = columns;
          ctx.send(msg);
        }
        return;
      }
      r.rows.forEach((row, index) => {
        const out = cloneMessage(msg);
        out['columns'] = columns;
        out.payload = row;
        if (!parts) out['parts'] = { id: msg._msgid, index, count: r.rows.length };
        else {
          const p = out['parts'] as Parts;
          const shift = config.skip + (config.hdrin ? 1 : 0);
          p.index -= shift;
          p.count = (p.count as number) - shift;
        }
        if (r.last) out['complete'] = true;
        ctx.send(out);
      });
      if (parts && r.last && r.rows.length === 0) ctx.send({ _msgid: generateId(), complete: true });
    };

    const fromCsv = (msg: Msg, text: string) => {
      if (config.spec !== 'rfc') return fromLegacyCsv(msg, text);
      const parts = hasOwn(msg, 'parts') ? (msg['parts'] as Parts) : undefined;
      let firstLine = true;
      let last = false;
      let linecount = 0;
      if (parts) {
        linecount = parts.index;
        if (parts.index > config.skip) firstLine = false;
        if (typeof parts.count === 'number' && parts.index + 1 >= parts.count) last = true;
      }
      let cursor = 0;
      if (config.skip > 0 && linecount < config.skip) {
        for (; cursor < text.length && linecount < config.skip; cursor++) {
          if (text[cursor] === '\n' || (text[cursor] === '\r' && text[cursor + 1] !== '\n')) linecount++;
        }
        if (cursor >= text.length) return;
      }
      const breaks = ((cursor ? text.slice(cursor) : text).match(/[\r\n]/g) ?? []).length;
      if (parts && config.multi === 'mult' && breaks > 1) firstLine = true;
      if (firstLine && config.hdrin) {
        const head = parseCsv(text, { cursor, separator: sep, quote: QUOTE, dataHasHeaderRow: true, headersOnly: true, outputStyle: 'array', strict: true });
        template = head.headers;
        cursor = head.cursor;
      }
      const result = parseCsv(text, {
        cursor,
        separator: sep,
        quote: QUOTE,
        dataHasHeaderRow: false,
        headers: hasTemplate(template) ? template : null,
        outputStyle: 'object',
        includeNullValues: config.include_null_values,
        includeEmptyStrings: config.include_empty_strings,
        parseNumeric: config.strings,
      });
      const data = result.data as Record<string, unknown>[];
      const columns = columnString(result.headers, false);
      if (config.multi !== 'one') {
        if (parts && breaks <= 1) {
          store.push(...data);
          if (parts.index + 1 === parts.count) {
            msg.payload = store;
            msg['columns'] = columns;
            delete msg['parts'];
            ctx.send(msg);
            store = [];
          }
        } else {
          msg['columns'] = columns;
          msg.payload = data;
          ctx.send(msg);
        }
        return;
      }
      data.forEach((row, index) => {
        const out = cloneMessage(msg);
        out['columns'] = columns;
        out.payload = row;
        if (!parts) out['parts'] = { id: msg._msgid, index, count: data.length };
        else {
          const p = out['parts'] as Parts;
          const shift = config.skip + (config.hdrin ? 1 : 0);
          p.index -= shift;
          if (typeof p.count === 'number') p.count -= shift;
        }
        if (last) out['complete'] = true;
        ctx.send(out);
      });
      if (parts && last && data.length === 0) ctx.send({ _msgid: msg._msgid, complete: true });
    };

    return {
      input(msg) {
        if (errorShown) {
          errorShown = false;
          ctx.status({});
        }
        if (hasOwn(msg, 'reset')) hdrSent = false;
        if (!hasOwn(msg, 'payload')) {
          if (!hasOwn(msg, 'reset')) ctx.send(msg);
          return;
        }
        try {
          if (typeof msg.payload === 'object') return toCsv(msg);
          if (typeof msg.payload === 'string') return fromCsv(msg, msg.payload);
          throw new Error('This node only handles CSV strings or js objects.');
        } catch (err) {
          errorShown = true;
          ctx.status({ fill: 'red', shape: 'dot', text: (err as Error).message });
          throw err;
        }
      },
    };
  },
});
