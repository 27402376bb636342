import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { etlNodes } from '@gridflow/nodes/etl';
import { harnessCatch, runFlow } from '../flow-harness.js';
import { countingSink, heapSampler } from './support.js';

const nodes = [...etlNodes, harnessCatch];
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gridflow-file-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('file in', () => {
  it('reads a CSV file as pages of typed rows, skipping a malformed line with a warning naming it', async () => {
    const file = join(dir, 'orders.csv');
    writeFileSync(file, 'id,item,qty\n1,"bolt, M6",10\n2,nut"s,5\n3,washer,7\n4,extra,1,1\n5,"screw ""XL""",2\n');
    const h = await runFlow([{ id: 'f', type: 'file in', filename: file, format: 'csv', pageSize: 2, wires: [['out']] }], { nodes });
    try {
      h.send('f', {});
      const pages = await h.outputs('out', 2);
      expect(pages.map((p) => p.payload)).toEqual([
        [
          { id: 1, item: 'bolt, M6', qty: 10 },
          { id: 3, item: 'washer', qty: 7 },
        ],
        [{ id: 5, item: 'screw "XL"', qty: 2 }],
      ]);
      expect(pages[1]?.['parts']).toMatchObject({ index: 1, count: 2 });
      expect(pages[0]?.['filename']).toBe(file);
      const warnings = h.logs.filter((l) => l.level === 'warn').map((l) => l.message);
      expect(warnings).toEqual([
        expect.stringContaining('orders.csv line 3: a quote inside the unquoted field 2 (skipped)'),
        expect.stringContaining('orders.csv line 5: 4 fields where the header has 3 (skipped)'),
      ]);
    } finally {
      await h.close();
    }
  });

  it('fails the message on a malformed line when told to', async () => {
    const file = join(dir, 'bad.jsonl');
    writeFileSync(file, '{"a":1}\n{"a":\n');
    const h = await runFlow(
      [
        { id: 'f', type: 'file in', filename: file, format: 'jsonl', onError: 'fail', wires: [['out']] },
        { id: 'c', type: 'harness-catch', wires: [['caught']] },
      ],
      { nodes },
    );
    try {
      h.send('f', {});
      const [caught] = await h.outputs('caught', 1);
      expect((caught?.['error'] as { message: string }).message).toMatch(/^(Error: )?file in f: bad\.jsonl line 2: invalid JSON/);
    } finally {
      await h.close();
    }
  });

  it('reads a file whole as Node-RED does (utf8, buffer) and line by line, with the name from msg.filename', async () => {
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'one\ntwo\nthree');
    const h = await runFlow(
      [
        { id: 'u', type: 'file in', filename: '', format: 'utf8', wires: [['whole']] },
        { id: 'b', type: 'file in', filename: file, format: '', wires: [['buf']] },
        { id: 'l', type: 'file in', filename: 'name', filenameType: 'msg', format: 'lines', wires: [['lines']] },
      ],
      { nodes },
    );
    try {
      h.send('u', { filename: file } as never);
      h.send('b', {});
      h.send('l', { name: file } as never);
      expect((await h.outputs('whole', 1))[0]?.payload).toBe('one\ntwo\nthree');
      expect(Buffer.isBuffer((await h.outputs('buf', 1))[0]?.payload)).toBe(true);
      const lines = await h.outputs('lines', 3);
      expect(lines.map((m) => m.payload)).toEqual(['one', 'two', 'three']);
      expect(lines[2]?.['parts']).toMatchObject({ index: 2, count: 3, type: 'string', ch: '\n' });
    } finally {
      await h.close();
    }
  });

  it('streams a large JSON array in bounded memory', async () => {
    const file = join(dir, 'big.json');
    const row = (i: number) => JSON.stringify({ id: i, text: 'y'.repeat(200), nested: { a: [i, i + 1] } });
    const parts: string[] = ['['];
    for (let i = 0; i < 300_000; i++) parts.push(i ? `,${row(i)}` : row(i));
    parts.push(']');
    writeFileSync(file, parts.join('\n'));
    parts.length = 0;
    const sink = countingSink();
    const h = await runFlow([{ id: 'f', type: 'file in', filename: file, format: 'json', pageSize: 1000, wires: [['sink']] }, { id: 'sink', type: 'count-sink', wires: [] }], {
      nodes: [...nodes, sink.node],
      timeoutMs: 60_000,
    });
    try {
      global.gc?.();
      const before = process.memoryUsage().heapUsed;
      const sampler = heapSampler();
      h.send('f', {});
      const started = Date.now();
      while (!sink.counts.done && Date.now() - started < 60_000) await new Promise((r) => setTimeout(r, 20));
      const grown = (sampler.stop() - before) / 1024 / 1024;
      expect(sink.counts.rows).toBe(300_000);
      console.log(`file in: 300,000 JSON rows (${(statSync(file).size / 1024 / 1024).toFixed(0)} MB file) in ${Date.now() - started} ms, heap grew by at most ${grown.toFixed(1)} MB`);
      // The parsed array would take well over 150 MB.
      expect(grown).toBeLessThan(100);
    } finally {
      await h.close();
    }
  }, 90_000);

  it('reads every matching file of a folder in name order, moving each once read', async () => {
    const inbox = join(dir, 'in');
    mkdirSync(inbox);
    writeFileSync(join(inbox, 'b.jsonl'), '{"n":3}\n');
    writeFileSync(join(inbox, 'a.jsonl'), '{"n":1}\n{"n":2}\n');
    writeFileSync(join(inbox, 'skip.txt'), 'x');
    const h = await runFlow([{ id: 'f', type: 'file in', source: 'folder', folder: inbox, pattern: '*.jsonl', format: 'jsonl', output: 'row', after: 'move', moveTo: join(dir, 'done'), wires: [['out']] }], { nodes });
    try {
      h.send('f', {});
      const rows = await h.outputs('out', 3);
      expect(rows.map((r) => r.payload)).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
      expect(rows[2]?.['parts']).toMatchObject({ index: 2, count: 3 });
      await h.settle();
      expect(readdirSync(inbox)).toEqual(['skip.txt']);
      expect(readdirSync(join(dir, 'done')).sort()).toEqual(['a.jsonl', 'b.jsonl']);
    } finally {
      await h.close();
    }
  });

  it('watches a folder: reads each new file once it has settled, then deletes it', async () => {
    const inbox = join(dir, 'watch');
    mkdirSync(inbox);
    const h = await runFlow(
      [{ id: 'f', type: 'file in', source: 'folder', folder: inbox, pattern: '*.csv', format: 'csv', watch: true, pollInterval: 0.05, settle: 0.1, after: 'delete', wires: [['out']] }],
      { nodes, timeoutMs: 5000 },
    );
    try {
      writeFileSync(join(inbox, 'first.csv'), 'a,b\n1,2\n');
      const [first] = await h.outputs('out', 1);
      expect(first?.payload).toEqual([{ a: 1, b: 2 }]);
      expect(first?.['filename']).toBe(join(inbox, 'first.csv'));
      writeFileSync(join(inbox, 'second.csv'), 'a,b\n3,4\n');
      const both = await h.outputs('out', 2);
      expect(both[1]?.payload).toEqual([{ a: 3, b: 4 }]);
      await h.settle(50);
      expect(readdirSync(inbox)).toEqual([]);
    } finally {
      await h.close();
    }
  });

  it('fails a missing file with its name and the system error', async () => {
    const h = await runFlow([{ id: 'f', type: 'file in', filename: join(dir, 'nope.csv'), format: 'csv', wires: [['out']] }, { id: 'c', type: 'harness-catch', wires: [['caught']] }], { nodes });
    try {
      h.send('f', {});
      const [caught] = await h.outputs('caught', 1);
      expect((caught?.['error'] as { message: string }).message).toMatch(/^(Error: )?file in f: .*ENOENT.*nope\.csv/);
    } finally {
      await h.close();
    }
  });

  it('refuses a folder source without a folder at deploy', async () => {
    await expect(runFlow([{ id: 'f', type: 'file in', source: 'folder', wires: [] }], { nodes })).rejects.toThrow(/folder is required/);
  });
});

describe('file out', () => {
  it('appends CSV rows with one header, JSON lines, and raw payloads as Node-RED does', async () => {
    const csvFile = join(dir, 'sub', 'out.csv');
    const h = await runFlow(
      [
        { id: 'c', type: 'file out', filename: csvFile, format: 'csv', createDir: true, wires: [['done']] },
        { id: 'j', type: 'file out', filename: join(dir, 'out.jsonl'), format: 'jsonl', wires: [['done']] },
        { id: 'r', type: 'file out', filename: join(dir, 'out.txt'), format: 'raw', overwriteFile: 'false', wires: [['done']] },
      ],
      { nodes },
    );
    try {
      h.send('c', { payload: [{ id: 1, note: 'a, "quoted"' }, { id: 2, note: 'multi\nline' }] });
      h.send('c', { payload: { id: 3, note: null } });
      h.send('j', { payload: [{ a: 1 }, { b: [2] }] });
      h.send('r', { payload: 'text' });
      h.send('r', { payload: { k: 1 } });
      await h.outputs('done', 5);
      expect(readFileSync(csvFile, 'utf8')).toBe('id,note\n1,"a, ""quoted"""\n2,"multi\nline"\n3,\n');
      expect(readFileSync(join(dir, 'out.jsonl'), 'utf8')).toBe('{"a":1}\n{"b":[2]}\n');
      expect(readFileSync(join(dir, 'out.txt'), 'utf8')).toBe('text\n{"k":1}\n');
    } finally {
      await h.close();
    }
  });

  it('runs the "write file" and "read file" nodes of a Node-RED export as Node-RED does', async () => {
    const file = join(dir, 'nr.txt');
    const h = await runFlow(
      [
        { id: 'w', type: 'file', name: '', filename: file, filenameType: 'str', appendNewline: true, createDir: false, overwriteFile: 'false', encoding: 'none', wires: [['r']] },
        { id: 'r', type: 'file in', name: '', filename: file, filenameType: 'str', format: 'utf8', chunk: false, sendError: false, encoding: 'none', allProps: false, wires: [['read']] },
      ],
      { nodes },
    );
    try {
      h.send('w', { payload: 'from node-red' });
      const [read] = await h.outputs('read', 1);
      expect(read?.payload).toBe('from node-red\n');
      expect(read?.['filename']).toBe(file);
    } finally {
      await h.close();
    }
  });

  it('overwrites and deletes, and fails a missing folder with the path', async () => {
    const file = join(dir, 'state.txt');
    const h = await runFlow(
      [
        { id: 'w', type: 'file out', filename: file, overwriteFile: 'true', appendNewline: false, wires: [['done']] },
        { id: 'd', type: 'file out', filename: file, overwriteFile: 'delete', wires: [['done']] },
        { id: 'x', type: 'file out', filename: join(dir, 'no', 'such', 'f.txt'), wires: [['done']] },
        { id: 'c', type: 'harness-catch', wires: [['caught']] },
      ],
      { nodes },
    );
    try {
      h.send('w', { payload: 'one' });
      h.send('w', { payload: 'two' });
      await h.outputs('done', 2);
      expect(readFileSync(file, 'utf8')).toBe('two');
      h.send('d', {});
      await h.outputs('done', 3);
      expect(existsSync(file)).toBe(false);
      h.send('x', { payload: 1 });
      const [caught] = await h.outputs('caught', 1);
      expect((caught?.['error'] as { message: string }).message).toMatch(/^(Error: )?file out x: ENOENT.*f\.txt/);
    } finally {
      await h.close();
    }
  });
});
