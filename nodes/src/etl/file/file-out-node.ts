import { appendFile, mkdir, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { defineNode, type Done, type Msg, type NodeContext, type NodeHandlers, type Send } from '@gridflow/runtime';
import { boolish, compileTypedValue, stringish, typedValueProblem } from '../../shared/typed-value.js';
import { jobHandle } from '../services.js';

const fileOutConfig = z
  .object({
    name: stringish(),
    filename: stringish(''),
    filenameType: stringish('str'),
    /** raw: msg.payload as Node-RED's file node writes it; csv / jsonl: the rows of msg.payload. */
    format: z.enum(['raw', 'csv', 'jsonl']).default('raw'),
    /** Node-RED's: "false" appends, "true" overwrites, "delete" deletes the file. */
    overwriteFile: z.preprocess((v) => (v === true ? 'true' : v === false || v === undefined || v === '' ? 'false' : v), z.enum(['true', 'false', 'delete'])),
    /** raw: add a newline after each payload. */
    appendNewline: boolish(true),
    createDir: boolish(false),
    encoding: z.enum(['none', 'utf8', 'utf-8', 'latin1', 'ascii', 'utf16le', 'ucs2', 'base64', 'hex', 'binary']).default('none'),
    separator: stringish(',').pipe(z.string().length(1, 'the separator must be one character')),
    /** csv: write a header row when the file is new or empty. */
    header: boolish(true),
    /** csv: columns in order, comma separated; blank: the keys of the first row. */
    columns: stringish(''),
  })
  .superRefine((c, issue) => {
    const problem = typedValueProblem(c.filename, c.filenameType);
    if (problem) issue.addIssue({ code: 'custom', path: ['filename'], message: problem });
  });
type FileOutConfig = z.infer<typeof fileOutConfig>;

/** One CSV field: quoted when it holds the separator, a quote or a line break. */
export function csvField(value: unknown, sep: string): string {
  if (value === null || value === undefined) return '';
  const text = value instanceof Date ? value.toISOString() : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return text.includes(sep) || /["\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const rowsOf = (payload: unknown): unknown[] => (Array.isArray(payload) ? payload : payload === undefined || payload === null ? [] : [payload]);

function createFileOut(ctx: NodeContext, c: FileOutConfig): NodeHandlers {
  const where = `file out ${ctx.id}`;
  const filename = compileTypedValue(ctx, c.filename, c.filenameType);
  const encoding: BufferEncoding = c.encoding === 'none' || c.encoding === 'utf-8' ? 'utf8' : c.encoding;
  const fixedColumns = c.columns.split(',').map((s) => s.trim()).filter(Boolean);
  // Writes happen one after another, in the order messages arrive.
  let queue: Promise<void> = Promise.resolve();

  async function isEmpty(file: string): Promise<boolean> {
    try {
      return (await stat(file)).size === 0;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return true;
      throw err;
    }
  }

  async function text(msg: Msg, file: string, fresh: boolean): Promise<{ data: string | Buffer; rows: number }> {
    if (c.format === 'raw') {
      const p = msg.payload;
      if (Buffer.isBuffer(p)) return { data: c.appendNewline ? Buffer.concat([p, Buffer.from('\n')]) : p, rows: 1 };
      const s = typeof p === 'object' && p !== null ? JSON.stringify(p) : String(p ?? '');
      return { data: c.appendNewline ? `${s}\n` : s, rows: 1 };
    }
    const rows = rowsOf(msg.payload);
    if (c.format === 'jsonl') return { data: rows.map((r) => `${JSON.stringify(r)}\n`).join(''), rows: rows.length };
    const first = rows[0];
    const columns = fixedColumns.length ? fixedColumns : first !== null && typeof first === 'object' && !Array.isArray(first) ? Object.keys(first) : [];
    const lines: string[] = [];
    if (c.header && columns.length && (fresh || (await isEmpty(file)))) lines.push(columns.map((k) => csvField(k, c.separator)).join(c.separator));
    rows.forEach((r, i) => {
      if (Array.isArray(r)) lines.push(r.map((v) => csvField(v, c.separator)).join(c.separator));
      else if (r !== null && typeof r === 'object') lines.push(columns.map((k) => csvField((r as Record<string, unknown>)[k], c.separator)).join(c.separator));
      else throw new Error(`row ${i} is a ${typeof r}, not an object or an array`);
    });
    return { data: lines.map((l) => `${l}\n`).join(''), rows: rows.length };
  }

  async function write(msg: Msg): Promise<number> {
    const name = c.filename ? await filename.getAsync(msg) : msg['filename'];
    if (typeof name !== 'string' || !name) throw new Error('no file name: set the node\'s filename or msg.filename');
    if (c.overwriteFile === 'delete') {
      await unlink(name).catch((err: NodeJS.ErrnoException) => {
        if (err.code !== 'ENOENT') throw err;
      });
      return 0;
    }
    if (c.createDir) await mkdir(dirname(name), { recursive: true });
    const overwrite = c.overwriteFile === 'true';
    const { data, rows } = await text(msg, name, overwrite);
    if (overwrite) await writeFile(name, data, { encoding });
    else await appendFile(name, data, { encoding });
    return rows;
  }

  return {
    input(msg: Msg, send: Send, done: Done) {
      const job = jobHandle(ctx, msg);
      queue = queue.then(async () => {
        try {
          const rows = await write(msg);
          if (c.format !== 'raw') job.written(rows);
          send(msg);
          done();
        } catch (err) {
          const error = new Error(`${where}: ${(err as Error).message}`, { cause: err });
          job.problem(error.message);
          ctx.status({ fill: 'red', shape: 'ring', text: (err as NodeJS.ErrnoException).code ?? 'error' });
          done(error);
        }
      });
      return queue;
    },
  };
}

export const fileOutNode = defineNode({
  type: 'file out',
  version: 1,
  category: 'etl',
  inputs: 1,
  outputs: 1,
  config: fileOutConfig,
  label: 'file out',
  paletteLabel: 'file out',
  icon: 'file-out.svg',
  color: 'BurlyWood',
  outputLabels: ['written'],
  create: createFileOut,
  help: `Writes messages to a file (the node's filename or \`msg.filename\`), as Node-RED's **file**
node does: *raw* writes \`msg.payload\` (objects as JSON) with an optional newline; *csv* and *jsonl*
write the rows of \`msg.payload\` (an object or an array of them), CSV with a header row when the
file is new. Append, overwrite, or delete the file; create its folder when asked. The message goes
on once written, so it can end a job run.`,
});

/**
 * Node-RED's name for the same node ("write file"): a Node-RED export holding `type: 'file'` opens
 * and runs as it did there (format raw, its default).
 */
export const fileNodeRedNode = defineNode({
  ...fileOutNode,
  type: 'file',
  label: 'write file',
  paletteLabel: 'write file',
});
