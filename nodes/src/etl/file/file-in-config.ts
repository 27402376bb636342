import { z } from 'zod';
import { boolish, numberish, stringish, typedValueProblem } from '../../shared/typed-value.js';

const encodings = ['none', 'utf8', 'utf-8', 'latin1', 'ascii', 'utf16le', 'ucs2', 'base64', 'hex', 'binary'] as const;

export const fileInConfig = z
  .object({
    name: stringish(),
    /** file: one file (the name below, or msg.filename); folder: every matching file of a folder. */
    source: z.enum(['file', 'folder']).default('file'),
    /** Node-RED's typed filename: str (a path), msg, env, jsonata, ...; blank: msg.filename. */
    filename: stringish(''),
    filenameType: stringish('str'),
    /**
     * Node-RED's: utf8 (the file as one string), lines (a message per line), '' (one Buffer),
     * stream (Buffer chunks); Gridflow's: csv, jsonl (JSON lines), json (a JSON array, streamed).
     */
    format: z.enum(['utf8', 'lines', '', 'stream', 'csv', 'jsonl', 'json']).default('utf8'),
    encoding: z.enum(encodings).default('none'),
    /** csv / jsonl / json: a message per page of rows, or per row. */
    output: z.enum(['page', 'row']).default('page'),
    pageSize: numberish(1000).pipe(z.number().int().min(1, 'page size must be at least 1').max(100_000, 'page size must be at most 100000')),
    separator: stringish(',').pipe(z.string().length(1, 'the separator must be one character')),
    /** The first CSV record names the columns. */
    header: boolish(true),
    /** Column names (comma separated) when the file has no header row. */
    columns: stringish(''),
    skipEmpty: boolish(true),
    parseNumbers: boolish(true),
    /** A record that cannot be read: skip it (a warning, a problem of the job run), or fail the message. */
    onError: z.enum(['skip', 'fail']).default('skip'),
    folder: stringish(''),
    pattern: stringish('*'),
    /** What happens to a file of a folder once read. */
    after: z.enum(['keep', 'move', 'delete']).default('keep'),
    moveTo: stringish(''),
    /** Watch the folder: read each new file without waiting for a message. */
    watch: boolish(false),
    /** Seconds between looks at the folder. */
    pollInterval: numberish(5).pipe(z.number().min(0.05, 'poll interval must be at least 0.05 seconds')),
    /** A file is read once it has not changed for this many seconds (so a file still being written is left alone). */
    settle: numberish(1).pipe(z.number().min(0)),
    /** Inside a job run: stop reading while the writers downstream hold this many rows not yet stored. */
    holdLimit: numberish(20_000).pipe(z.number().int().min(1)),
  })
  .superRefine((c, issue) => {
    if (c.source === 'folder' && !c.folder.trim()) issue.addIssue({ code: 'custom', path: ['folder'], message: 'the folder is required when reading a folder' });
    if (c.watch && c.source !== 'folder') issue.addIssue({ code: 'custom', path: ['watch'], message: 'watching needs source "folder"' });
    if (c.after === 'move' && !c.moveTo.trim()) issue.addIssue({ code: 'custom', path: ['moveTo'], message: 'the folder to move read files to is required' });
    const problem = typedValueProblem(c.filename, c.filenameType);
    if (problem) issue.addIssue({ code: 'custom', path: ['filename'], message: problem });
  });
export type FileInConfig = z.infer<typeof fileInConfig>;
