import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { defineNode, generateId, type Done, type Msg, type NodeContext, type NodeHandlers, type Send } from '@gridflow/runtime';
import { compileTypedValue } from '../../shared/typed-value.js';
import { partsIdOf, pieceOf } from '../messages.js';
import { jobHandle, type JobHandle } from '../services.js';
import { fileInConfig, type FileInConfig } from './file-in-config.js';
import { afterRead, globToRegExp, listFolder, type FolderFile } from './folder.js';
import { readPages, type ReadOptions } from './read-pages.js';

const MAX_WARNINGS_PER_FILE = 5;

function createFileIn(ctx: NodeContext, c: FileInConfig): NodeHandlers {
  const where = `file in ${ctx.id}`;
  const filename = compileTypedValue(ctx, c.filename, c.filenameType);
  const pattern = globToRegExp(c.pattern.trim() || '*');
  const encoding: BufferEncoding = c.encoding === 'none' ? 'utf8' : c.encoding === 'utf-8' ? 'utf8' : c.encoding;
  const readOptions: ReadOptions | undefined =
    c.format === 'csv' || c.format === 'jsonl' || c.format === 'json' || c.format === 'lines'
      ? {
          format: c.format,
          encoding,
          pageSize: c.format === 'lines' ? 1000 : c.pageSize,
          csv: {
            separator: c.separator,
            header: c.header,
            columns: c.columns.split(',').map((s) => s.trim()).filter(Boolean),
            skipEmpty: c.skipEmpty,
            parseNumbers: c.parseNumbers,
          },
        }
      : undefined;
  let closed = false;

  async function filesOf(msg: Msg, source: 'file' | 'folder'): Promise<FolderFile[] | string[]> {
    if (source === 'folder') return listFolder(c.folder.trim(), pattern);
    const name = c.filename ? await filename.getAsync(msg) : msg['filename'];
    if (typeof name !== 'string' || !name) throw new Error(`${where}: no file name: set the node's filename or msg.filename`);
    return [name];
  }

  /** Sends the pieces of one message's files: every piece carries msg.parts, the last one its count. */
  function pieces(msg: Msg, send: Send) {
    const id = partsIdOf(msg);
    let held: { payload: unknown; index: number; filename: string } | undefined;
    let index = 0;
    const emit = (last: boolean) => {
      if (!held) return;
      const out = pieceOf(msg, held.payload, id, held.index, last, { filename: held.filename });
      // Node-RED's lines mode: string parts joined by newlines.
      if (c.format === 'lines') Object.assign(out['parts'] as object, { type: 'string', ch: '\n' });
      send(out);
    };
    return {
      add(payload: unknown, file: string) {
        emit(false);
        held = { payload, index: index++, filename: file };
      },
      end(file: string) {
        if (!held) held = { payload: c.format === 'lines' || c.format === 'stream' ? '' : [], index: index++, filename: file };
        emit(true);
      },
    };
  }

  async function pause(job: JobHandle): Promise<boolean> {
    if (closed || !job.running) return false;
    if (ctx.flowControl.paused) await ctx.flowControl.ready();
    return job.room(c.holdLimit);
  }

  async function readRecords(file: string, out: ReturnType<typeof pieces>, job: JobHandle, progress: (bytes: number, size: number) => void): Promise<boolean> {
    let warned = 0;
    for await (const page of readPages(file, readOptions as ReadOptions)) {
      for (const p of page.problems) {
        const text = `${where}: ${basename(file)} line ${p.line}: ${p.message}`;
        if (c.onError === 'fail') throw new Error(text);
        job.problem(text);
        if (warned++ < MAX_WARNINGS_PER_FILE) ctx.warn(`${text} (skipped)`);
      }
      job.read(page.rows.length);
      progress(page.bytesRead, page.size);
      for (const row of c.output === 'row' || c.format === 'lines' ? page.rows : page.rows.length ? [page.rows] : []) out.add(row, file);
      if (!(await pause(job))) return false;
    }
    if (warned > MAX_WARNINGS_PER_FILE) ctx.warn(`${where}: ${basename(file)}: ${warned} records skipped in all`);
    return true;
  }

  async function readChunks(file: string, out: ReturnType<typeof pieces>, job: JobHandle): Promise<boolean> {
    const stream = createReadStream(file, { highWaterMark: 64 * 1024 });
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        out.add(chunk, file);
        if (!(await pause(job))) return false;
      }
    } finally {
      stream.destroy();
    }
    return true;
  }

  async function run(msg: Msg, send: Send, job: JobHandle, source: 'file' | 'folder'): Promise<number> {
    const files = await filesOf(msg, source);
    const whole = c.format === 'utf8' || c.format === '';
    // One file read whole: one message without parts, as Node-RED sends it.
    if (whole && source === 'file') {
      const file = files[0] as string;
      const data = await readFile(file);
      job.read(1, { message: basename(file) });
      send({ ...msg, payload: c.format === '' ? data : data.toString(encoding), filename: file });
      return 1;
    }
    const out = pieces(msg, send);
    let last = source === 'folder' ? c.folder : '';
    for (let i = 0; i < files.length; i++) {
      const f = files[i] as FolderFile | string;
      const file = typeof f === 'string' ? f : f.path;
      last = file;
      const progress = (bytes: number, size: number) => job.progress((i + (size ? bytes / size : 1)) / files.length, basename(file));
      let complete = true;
      if (whole) {
        const data = await readFile(file);
        job.read(1);
        out.add(c.format === '' ? data : data.toString(encoding), file);
      } else if (c.format === 'stream') complete = await readChunks(file, out, job);
      else complete = await readRecords(file, out, job, progress);
      if (!complete) break;
      if (source === 'folder') await afterRead(file, c.after, c.moveTo.trim());
    }
    out.end(last);
    return files.length;
  }

  // Watch mode: each new (or changed) file that has settled is read as a message of its own.
  const seen = new Map<string, string>();
  let busy = false;
  async function poll(): Promise<void> {
    if (busy || closed) return;
    busy = true;
    try {
      const files = await listFolder(c.folder.trim(), pattern);
      const present = new Set(files.map((f) => f.name));
      for (const name of seen.keys()) if (!present.has(name)) seen.delete(name);
      for (const f of files) {
        if (closed) break;
        const key = `${f.size}:${f.mtimeMs}`;
        if (seen.get(f.name) === key || Date.now() - f.mtimeMs < c.settle * 1000) continue;
        const msg: Msg = { _msgid: generateId(), topic: f.name, filename: f.path };
        await new Promise<void>((resolve) => {
          // input() reports its own failures through done; the promise itself never rejects.
          void handlers.input?.(msg, (m) => ctx.send(m), (err?: unknown) => {
            if (err) ctx.error(err, msg);
            resolve();
          });
        });
        seen.set(f.name, key);
      }
    } catch (err) {
      ctx.status({ fill: 'red', shape: 'ring', text: (err as Error).message.slice(0, 60) });
      ctx.warn(`${where}: watching ${c.folder}: ${(err as Error).message}`);
    } finally {
      busy = false;
    }
  }

  const handlers: NodeHandlers = {
    async input(msg: Msg, send: Send, done: Done) {
      const job = jobHandle(ctx, msg);
      try {
        const count = c.watch && typeof msg['filename'] === 'string' ? await readWatched(msg, send, job) : await run(msg, send, job, c.source);
        ctx.status({ fill: 'green', shape: 'dot', text: `${count} file${count === 1 ? '' : 's'} read` });
        done();
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        const error = e.message.startsWith(where) ? e : new Error(`${where}: ${e.message}`, { cause: err });
        ctx.status({ fill: 'red', shape: 'ring', text: e.code ?? 'error' });
        job.problem(error.message);
        done(error);
      }
    },
    close() {
      closed = true;
    },
  };

  /** One watched file: read as a single file, then kept, moved or deleted. */
  async function readWatched(msg: Msg, send: Send, job: JobHandle): Promise<number> {
    const file = msg['filename'] as string;
    await run(msg, send, job, 'file');
    await afterRead(file, c.after, c.moveTo.trim());
    return 1;
  }

  if (c.watch) {
    ctx.timers.setInterval(() => void poll(), c.pollInterval * 1000);
    ctx.timers.setTimeout(() => void poll(), 0);
  }
  return handlers;
}

export const fileInNode = defineNode({
  type: 'file in',
  version: 1,
  category: 'etl',
  inputs: 1,
  outputs: 1,
  config: fileInConfig,
  label: 'file in',
  paletteLabel: 'file in',
  icon: 'file-in.svg',
  color: 'BurlyWood',
  outputLabels: ['contents'],
  create: createFileIn,
  help: `Reads a file, or every matching file of a folder, as Node-RED's **file in** does, plus record
formats for ETL.

**Formats**: *utf8* (the file as one string), *lines* (a message per line), *buffer*, *stream*
(Buffer chunks), and streamed records: *csv* (RFC 4180, header row or named columns, numbers
parsed), *jsonl* (a JSON value per line) and *json* (the elements of a JSON array). Records go out
as pages of *page size* rows or one per row, with \`msg.parts\` (the last one counted) and
\`msg.filename\`; the next chunk of the file is read only when the flows downstream keep up.

**Malformed records** (a stray quote, a wrong number of fields, bad JSON) are skipped with a
warning naming the file and line, and counted as problems of the job run; or, with *on error*
*fail*, fail the message.

**Folder**: on each message, reads every file of *folder* matching *pattern* (\`*.csv\`) in name
order, then keeps, moves or deletes it. **Watch**: looks at the folder every *poll interval*
seconds and reads each new file once it has not changed for *settle* seconds.`,
});
