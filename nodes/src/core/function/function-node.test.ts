import { afterEach, describe, expect, it } from 'vitest';
import type { Msg } from '@gridflow/runtime';
import { harnessCatch, runFlow, type FlowHarness } from '../../../test/flow-harness.js';
import { transformNodes } from '../transform-nodes.js';

const nodes = [...transformNodes, harnessCatch];
let h: FlowHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const fn = (func: string, extra: Record<string, unknown> = {}, wires: string[][] = [['out']]) => ({
  id: 'f',
  type: 'function',
  func,
  outputs: wires.length,
  wires,
  ...extra,
});
const catcher = { id: 'c', type: 'harness-catch', wires: [['caught']] };
const errorOf = (m: Msg) => m['error'] as { message: string; source: { id: string } };

describe('function node', () => {
  it('runs the body and passes on what it returns', async () => {
    h = await runFlow([fn('msg.payload = msg.payload * 2; msg.topic = node.id; return msg;')], { nodes });
    h.send('f', { payload: 21 });
    const [out] = await h.outputs('out', 1);
    expect(out?.payload).toBe(42);
    expect(out?.topic).toBe('f');
  });

  it('sends an array per output, arrays of arrays, and nothing for null', async () => {
    h = await runFlow(
      [
        fn('if (msg.payload === 0) return null; return [msg, null, [{payload: "a"}, {payload: "b"}]];', {}, [
          ['o1'],
          ['o2'],
          ['o3'],
        ]),
      ],
      { nodes },
    );
    h.send('f', { payload: 0 });
    h.send('f', { payload: 1, _msgid: 'm1' });
    const o3 = await h.outputs('o3', 2);
    const [o1] = await h.outputs('o1', 1);
    expect(o1?.payload).toBe(1);
    expect(o3.map((m) => m.payload)).toEqual(['a', 'b']);
    expect(o3.every((m) => m._msgid === 'm1')).toBe(true);
    await h.settle();
    expect(h.received('o2')).toHaveLength(0);
    expect(h.received('o1')).toHaveLength(1);
  });

  it('supports await in the body and node.send from async code', async () => {
    h = await runFlow(
      [
        fn(`
          await new Promise((resolve) => setTimeout(resolve, 5));
          node.send({ payload: 'early' });
          const later = await Promise.resolve(msg.payload + 1);
          return { payload: later };
        `),
      ],
      { nodes },
    );
    h.send('f', { payload: 1 });
    const out = await h.outputs('out', 2);
    expect(out.map((m) => m.payload)).toEqual(['early', 2]);
  });

  it('waits for a returned promise, as an async function would', async () => {
    h = await runFlow([fn('return new Promise((resolve) => setTimeout(() => resolve({ payload: "p" }), 5));')], {
      nodes,
    });
    h.send('f', {});
    expect((await h.outputs('out', 1))[0]?.payload).toBe('p');
  });

  it('gives node, flow and global context, env and RED.util', async () => {
    h = await runFlow(
      [
        { id: 't1', type: 'tab', label: 'T', env: [{ name: 'TAB_VAR', value: 'tab', type: 'str' }] },
        {
          ...fn(`
            const n = (context.get('n') || 0) + 1;
            context.set('n', n);
            flow.set('f', n * 10);
            global.set('g', n * 100);
            const copy = RED.util.cloneMessage(msg);
            copy.payload = 'changed';
            RED.util.setMessageProperty(msg, 'deep.value', RED.util.getMessageProperty(msg, 'payload'));
            msg.env = [env.get('TAB_VAR'), env.get('FROM_SETTINGS'), env.get('NR_NODE_ID')];
            msg.ctx = [n, flow.get('f'), global.get('g'), context.global.get('preset')];
            msg.copyPayload = copy.payload;
            msg.id = RED.util.generateId().length;
            return msg;
          `),
          z: 't1',
        },
      ],
      { nodes, settings: { env: { FROM_SETTINGS: 'settings' }, functionGlobalContext: { preset: 'p' } } },
    );
    h.send('f', { payload: 'x' });
    h.send('f', { payload: 'y' });
    const out = await h.outputs('out', 2);
    expect(out[1]?.['ctx']).toEqual([2, 20, 200, 'p']);
    expect(out[0]?.['env']).toEqual(['tab', 'settings', 'f']);
    expect(out[0]?.payload).toBe('x');
    expect(out[0]?.['copyPayload']).toBe('changed');
    expect(out[0]?.['deep']).toEqual({ value: 'x' });
    expect(out[0]?.['id']).toBe(16);
  });

  it('routes thrown errors to catch nodes with line and column (as Node-RED words them), and keeps working', async () => {
    h = await runFlow([fn('if (msg.payload === "bad") {\n  undefinedFn();\n}\nreturn msg;'), catcher], { nodes });
    h.send('f', { payload: 'bad' });
    h.send('f', { payload: 'good' });
    const [caught] = await h.outputs('caught', 1);
    // Node-RED rewrites a ReferenceError's message to its stack line, hence the doubled name.
    expect(errorOf(caught as Msg).message).toBe(
      'ReferenceError: ReferenceError: undefinedFn is not defined (line 2, col 3)',
    );
    // Node-RED stores the thrown error as msg.error first, so the catch node has it as msg._error.
    expect(String((caught as Msg)['_error'])).toContain('undefinedFn is not defined');
    expect(errorOf(caught as Msg).source.id).toBe('f');
    expect(caught?.payload).toBe('bad');
    expect((await h.outputs('out', 1))[0]?.payload).toBe('good');
  });

  it('stops a while(true) at the time limit, stays responsive and handles the next message', async () => {
    h = await runFlow([fn('if (msg.payload === "loop") { while (true) {} }\nreturn msg;'), catcher], {
      nodes,
      settings: { functionTimeoutMs: 150 },
    });
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    const started = Date.now();
    h.send('f', { payload: 'loop' });
    h.send('f', { payload: 'after' });
    const [caught] = await h.outputs('caught', 1);
    const elapsed = Date.now() - started;
    expect(errorOf(caught as Msg).message).toBe('Error: Script execution timed out after 150ms');
    expect((errorOf(caught as Msg) as { code?: unknown }).code).toBe('ERR_SCRIPT_EXECUTION_TIMEOUT');
    expect(elapsed).toBeGreaterThanOrEqual(140);
    expect(elapsed).toBeLessThan(1500);
    expect((await h.outputs('out', 1))[0]?.payload).toBe('after');
    const before = ticks;
    await new Promise((r) => setTimeout(r, 50));
    clearInterval(ticker);
    expect(ticks).toBeGreaterThan(before);
    h.send('f', { payload: 'again' });
    expect((await h.outputs('out', 2))[1]?.payload).toBe('again');
  });

  it('stops runaway code in every shape: nested loops that catch, recursion, async loops, labels', async () => {
    const bodies = [
      'for (;;) { try { while (true) {} } catch (e) {} }',
      'let i = 0; do { i++ } while (i >= 0)',
      'function spin(n) { return n > 1e9 ? 0 : spin2(n + 1) } function spin2(n) { try { return spin(n) } catch (e) { return spin(0) } } spin(0)',
      'await null; for (const x of (function* () { while (true) yield 1 })()) {}',
      'outer: for (;;) { for (const k in { a: 1 }) { continue outer; } }',
      'const fib = (n) => (n < 2 ? n : fib(n - 1) + fib(n - 2)); msg.payload = fib(60);',
    ];
    h = await runFlow([...bodies.map((b, i) => ({ ...fn(b), id: `f${i}`, wires: [[]] })), catcher], {
      nodes,
      settings: { functionTimeoutMs: 100 },
    });
    bodies.forEach((_b, i) => h?.send(`f${i}`, { payload: i }));
    const caught = await h.outputs('caught', bodies.length, 10_000);
    const messages = caught.map((m) => `${errorOf(m).source.id}: ${errorOf(m).message}`);
    for (let i = 0; i < bodies.length; i++) {
      const message = messages.find((m) => m.startsWith(`f${i}: `));
      expect(message, `body ${i}: ${messages.join(' | ')}`).toBe(
        `f${i}: Error: Script execution timed out after 100ms`,
      );
    }
  }, 15_000);

  it('stops a runaway loop inside a setTimeout callback', async () => {
    h = await runFlow([fn('setTimeout(() => { while (true) {} }, 1); return msg;'), catcher], {
      nodes,
      settings: { functionTimeoutMs: 100 },
    });
    h.send('f', {});
    const [caught] = await h.outputs('caught', 1);
    expect(errorOf(caught as Msg).message).toContain('timed out after 100ms');
  });

  it('honours the per-node timeout property (seconds)', async () => {
    h = await runFlow([fn('while (true) {}', { timeout: '0.05' }), catcher], { nodes });
    h.send('f', {});
    const [caught] = await h.outputs('caught', 1);
    expect(errorOf(caught as Msg).message).toContain('timed out after 50ms');
  });

  it('does not time out long but finished work spread over many messages', async () => {
    // The limit is wall-clock time, as Node-RED's: it is set well above one message's work (under
    // a millisecond) so that a machine busy with other processes does not stop a message, and
    // below the total.
    const limitMs = 500;
    h = await runFlow([fn('let s = 0; for (let i = 0; i < 20000; i++) s += i; msg.payload = s; return msg;')], {
      nodes,
      settings: { functionTimeoutMs: limitMs },
    });
    // Keep sending until the work together has taken twice the limit, however fast the machine is.
    const started = performance.now();
    let sent = 0;
    while (performance.now() - started < limitMs * 2) {
      for (let i = 0; i < 1000; i++) h.send('f', {});
      sent += 1000;
      await h.outputs('out', sent, 40_000);
    }
    expect(h.received('out')[sent - 1]?.payload).toBe(199990000);
    expect(h.errors).toHaveLength(0);
  }, 45_000);

  it('fails the deploy on a syntax error, naming node, property and line', async () => {
    await expect(runFlow([fn('const a = 1;\nconst b = ;\nreturn msg;')], { nodes })).rejects.toThrow(
      /node f \(function\) property "func": SyntaxError: Unexpected token \(line 2, col 11\)/,
    );
    await expect(runFlow([fn('return msg;', { initialize: 'const = 5' })], { nodes })).rejects.toThrow(
      /property "initialize": SyntaxError: .*\(setup line 1/,
    );
    await expect(runFlow([fn('return msg;', { libs: [{ var: 'fs', module: 'fs' }] })], { nodes })).rejects.toThrow(
      /property "libs": external modules \(libs\) are not supported/,
    );
    await expect(runFlow([fn('return msg;', { outputs: 'two' })], { nodes })).rejects.toThrow(/property "outputs"/);
  });

  it('runs setup before the first message and close code on stop', async () => {
    h = await runFlow(
      [
        fn('msg.payload = context.get("ready"); return msg;', {
          initialize:
            'await new Promise((r) => setTimeout(r, 20));\ncontext.set("ready", "yes");\nnode.send({ payload: "from setup" });',
          finalize: 'global.set("closed", node.id);',
        }),
      ],
      { nodes },
    );
    h.send('f', {});
    const out = await h.outputs('out', 2);
    expect(out.map((m) => m.payload)).toEqual(['from setup', 'yes']);
    // Redeploying without f closes it; its close code leaves a mark in global context.
    await h.runtime.deploy([
      { id: 'harness-tab', type: 'tab', label: 'x' },
      {
        id: 'g',
        type: 'function',
        z: 'harness-tab',
        func: 'msg.payload = global.get("closed"); return msg;',
        wires: [['out2']],
      },
      { id: 'out2', type: 'harness-probe', z: 'harness-tab' },
    ]);
    h.send('g', {});
    expect((await h.outputs('out2', 1))[0]?.payload).toBe('f');
  });

  it('passes node.on("close") listeners removed/done, and clears a status it set', async () => {
    h = await runFlow(
      [
        fn(
          'node.status({ fill: "green", text: "hi" }); node.on("close", (removed, done) => { global.set("removed", removed); done(); }); return msg;',
        ),
      ],
      { nodes },
    );
    h.send('f', {});
    await h.outputs('out', 1);
    await h.runtime.stop();
    expect(h.statuses('f')).toEqual([{ fill: 'green', text: 'hi' }, {}]);
  });

  it('lets node.done() complete the message when the code calls it', async () => {
    h = await runFlow([fn('setTimeout(() => { node.send(msg); node.done(); }, 5); return null;')], { nodes });
    h.send('f', { payload: 'late' });
    expect((await h.outputs('out', 1))[0]?.payload).toBe('late');
  });

  it('copies messages built in the vm context on fan-out', async () => {
    h = await runFlow([fn('return { payload: { n: 1, list: [1, 2] } };', {}, [['a', 'b']])], { nodes });
    h.send('f', {});
    const [a] = await h.outputs('a', 1);
    const [b] = await h.outputs('b', 1);
    expect(a?.payload).toEqual(b?.payload);
    expect(a?.payload).not.toBe(b?.payload);
  });

  it('clears its timers when the node stops', async () => {
    h = await runFlow([fn('setInterval(() => node.send({ payload: "tick" }), 5); return null;')], { nodes });
    h.send('f', {});
    await h.outputs('out', 2);
    await h.runtime.stop();
    const count = h.received('out').length;
    await new Promise((r) => setTimeout(r, 30));
    expect(h.received('out').length).toBe(count);
  });

  it('reports a non-message return value', async () => {
    h = await runFlow([fn('return [5];')], { nodes });
    h.send('f', {});
    const [err] = await h.waitErrors(1, 'f');
    expect(err?.message).toBe('Function tried to send a message of type number');
  });
});

describe('function node under back-pressure', () => {
  it('holds its timers while the runtime is past its high-water mark, so a generator stays bounded', async () => {
    const gen = fn(
      'for (let r = 0; r < 12; r++) { for (let i = 0; i < 500; i++) node.send({ payload: r * 500 + i }); await new Promise((res) => setTimeout(res, 0)); } return null;',
      {},
      [['slow']],
    );
    // A sink that costs real time per message, so the generator outruns it.
    const slow = {
      id: 'slow',
      type: 'function',
      func: 'const t = Date.now(); while (Date.now() - t < 0.05) {} return msg;',
      outputs: 1,
      wires: [['out']],
    };
    h = await runFlow([gen, slow], { nodes, scheduler: { highWater: 1000, lowWater: 500 }, timeoutMs: 30_000 });
    const harness = h;
    let deepest = 0;
    const poll = setInterval(() => (deepest = Math.max(deepest, harness.runtime.metrics().queueDepth)), 1);
    h.send('f', { payload: 'go' });
    const out = await h.outputs('out', 6_000, 30_000);
    clearInterval(poll);
    expect(out.map((m) => m.payload)).toEqual(Array.from({ length: 6_000 }, (_, i) => i));
    // One round (500) past the high-water mark at most, give or take the poll's resolution.
    expect(deepest).toBeLessThan(2_500);
  });
});
