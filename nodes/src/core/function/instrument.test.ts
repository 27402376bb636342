import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { instrument, needsAst, syntaxProblem } from './instrument.js';

/** Runs instrumented body code with a counting guard; returns its result and the guard hits. */
function run(code: string, msg: unknown = {}): { result: unknown; hits: number } {
  const { code: out } = instrument(code, 'body');
  let hits = 0;
  const factory = new Function('__gf$g', `return function(msg){\n${out}\n}`) as (
    g: () => void,
  ) => (m: unknown) => unknown;
  const result = factory(() => hits++)(msg);
  return { result, hits };
}

describe('instrument', () => {
  it('guards every loop iteration and every function call', () => {
    expect(run('let s = 0; for (let i = 0; i < 5; i++) s += i; return s;')).toEqual({ result: 10, hits: 5 });
    expect(run('let i = 0; while (i < 3) { i++ } do i--; while (i > 0); return i;')).toEqual({ result: 0, hits: 6 });
    expect(run('let n = 0; for (const k in { a: 1, b: 2 }) for (const v of [1, 2, 3]) n += v; return n;')).toEqual({
      result: 12,
      hits: 8,
    });
    expect(run('function f(n) { return n ? f(n - 1) : 0 } return f(3);')).toEqual({ result: 0, hits: 4 });
  });

  it('keeps arrow bodies, object literals, directives and labels working', () => {
    expect(run('const f = (a) => ({ a }); const g = a => b => a + b; return [f(1), g(1)(2)];')).toEqual({
      result: [{ a: 1 }, 3],
      hits: 3,
    });
    expect(run('function s() { "use strict"; return this; } return s();').result).toBeUndefined();
    expect(run('outer: for (let i = 0; i < 3; i++) { for (;;) continue outer; } return 1;')).toEqual({
      result: 1,
      hits: 6,
    });
    expect(
      run('class A { constructor() { this.x = 1 } get y() { return 2 } } const a = new A(); return a.x + a.y;'),
    ).toEqual({
      result: 3,
      hits: 2,
    });
    expect(run('if (msg.a) while (false) ; else for (;false;) ; return `${(() => 1)()}`;').result).toBe('1');
  });

  it('keeps line numbers and reports await and node.done()', () => {
    const src = 'const a = 1;\nwhile (false) {}\nreturn a;';
    expect(instrument(src, 'body').code.split('\n')).toHaveLength(3);
    expect(instrument('await x; return 1', 'body').usesAwait).toBe(true);
    expect(instrument('async function f() { await x } return 1', 'body').usesAwait).toBe(false);
    expect(instrument('for await (const x of y) {}', 'body').usesAwait).toBe(true);
    expect(instrument('node.done();', 'body').callsNodeDone).toBe(true);
    expect(instrument('// node.done()\nreturn msg;', 'body').callsNodeDone).toBe(false);
  });

  it('maps columns of the instrumented code back to the user code', () => {
    const src = 'let t = 0;\nfor (let i = 0; i < 2; i++) { t += missing; }\nreturn t;';
    const inst = instrument(src, 'body');
    const line2 = inst.code.split('\n')[1] as string;
    const userCol = src.split('\n')[1]!.indexOf('missing') + 1;
    const generatedCol = line2.indexOf('missing') + 1;
    expect(generatedCol).toBeGreaterThan(userCol);
    expect(inst.originalColumn(2, generatedCol)).toBe(userCol);
    // Before any insertion, and on lines without one, columns are unchanged.
    expect(inst.originalColumn(2, 1)).toBe(1);
    expect(inst.originalColumn(3, 5)).toBe(5);
    // A column inside inserted text maps to where it was inserted.
    const guardAt = line2.indexOf('__gf$g') + 1;
    expect(inst.originalColumn(2, guardAt)).toBe(src.split('\n')[1]!.indexOf('{') + 2);
  });

  it('reports syntax errors with the user line and column', () => {
    expect(syntaxProblem('return msg;', 'body')).toBeUndefined();
    expect(syntaxProblem('let a = 1;\n  let b = ;', 'body')).toBe('SyntaxError: Unexpected token (line 2, col 11)');
    expect(syntaxProblem('await x', 'cleanup')).toMatch(/cleanup line 1/);
    expect(syntaxProblem('await x', 'setup')).toBeUndefined();
  });

  it('asks for an AST whenever code may hold a loop, a function, an await or node.done()', () => {
    const needing = [
      'for (;;) {}',
      'while (x) x--;',
      'do x--; while (x)',
      'function f() {}',
      'const f = () => 1;',
      'const o = { m() { return 1 } };',
      'const o = { m(a) /* c */\n// d\n { return a } };',
      'const o = { get v() { return 1 } };',
      'class A {}',
      'await x;',
      'node.done();',
      'node . done ()',
    ];
    for (const code of needing) expect(needsAst(code), code).toBe(true);
    const plain = [
      "console.log('x ' + Date.now()); return null;",
      'msg.payload = { a: [1, 2], b: msg.x ? 1 : 2 };\nreturn msg;',
    ];
    for (const code of plain) {
      expect(needsAst(code), code).toBe(false);
      expect(instrument(code, 'body').code).toBe(code);
    }
    expect(run(plain[1] as string, { x: 1 })).toEqual({ result: { x: 1, payload: { a: [1, 2], b: 1 } }, hits: 0 });
    // Plain code with a syntax error is still worded by acorn, with the user's line and column.
    expect(syntaxProblem('msg.a = ;', 'body')).toBe('SyntaxError: Unexpected token (line 1, col 9)');
    expect(() => instrument('msg.a = ;', 'body')).toThrow(/Unexpected token/);
  });

  it('does not load acorn for code that needs no AST', () => {
    const dist = fileURLToPath(new URL('../../../dist/core/function/instrument.js', import.meta.url));
    const probe = (code: string) =>
      execFileSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `import { createRequire } from 'node:module';
const m = await import(${JSON.stringify(dist)});
m.syntaxProblem(${JSON.stringify(code)}, 'body'); m.instrument(${JSON.stringify(code)}, 'body');
console.log(Object.keys(createRequire(${JSON.stringify(dist)}).cache).some((f) => /node_modules.acorn/.test(f)));`,
        ],
        { encoding: 'utf8' },
      ).trim();
    expect(probe("console.log('x'); return null;")).toBe('false');
    expect(probe('for (;;) break; return null;')).toBe('true');
  });
});
