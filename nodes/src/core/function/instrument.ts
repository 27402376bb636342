import { createRequire } from 'node:module';
import vm from 'node:vm';
import type * as acorn from 'acorn';
import type * as AcornWalk from 'acorn-walk';

/**
 * Compile-time treatment of function node code: syntax checks with line numbers, and a guard call
 * inserted at every loop back-edge and function entry so that a runaway loop can be stopped.
 * No newline is ever inserted, so line numbers in stack traces stay those of the user's code.
 */
export type CodeKind = 'body' | 'setup' | 'cleanup';

/** How each kind of code is wrapped for parsing; the user's line 1 is the wrapper's line 2. */
const PARSE_PREFIX: Record<CodeKind, string> = {
  body: '(async function(msg,__send__,__done__){\n',
  setup: '(async function(__initSend__){\n',
  cleanup: '(function(){\n',
};
const PARSE_SUFFIX = '\n})';

export const GUARD_CALL = '__gf$g()';

let parser: { acorn: typeof acorn; walk: typeof AcornWalk } | undefined;
/**
 * acorn is required on first use, not imported: code without loops, functions, awaits or
 * `node.done()` needs no AST (see `needsAst`), and an idle edge agent should not hold a JS parser
 * it never called (issue 6).
 */
const lib = () => {
  if (parser) return parser;
  const require = createRequire(import.meta.url);
  return (parser = { acorn: require('acorn') as typeof acorn, walk: require('acorn-walk') as typeof AcornWalk });
};

/**
 * Whether the code may hold something that instrumenting changes or reports: a loop, a function
 * (keyword, arrow, or a method: `)` then `{`, with comments between), an await, or `node.done`.
 * A plain text test, so words inside strings and comments answer yes too; that only costs a parse.
 */
const NEEDS_AST =
  /\b(?:for|while|do|function|class|await|async)\b|=>|node\s*\.\s*done|<!--|-->|\)(?:\s|\/\*[\s\S]*?\*\/|\/\/[^\n]*(?:\n|$))*\{/;
export const needsAst = (code: string): boolean => NEEDS_AST.test(code);

export interface InstrumentedCode {
  /** The user's code with guard calls inserted. */
  code: string;
  /** The code awaits at its top level, so it must run as an async function. */
  usesAwait: boolean;
  /** The code calls `node.done()` itself (Node-RED's rule: then the node does not). */
  callsNodeDone: boolean;
  /**
   * The user's column (1-based) for a column (1-based) of the instrumented code on user line
   * `line` (1-based): inserted guard calls shift columns, never lines.
   */
  originalColumn(line: number, column: number): number;
}

/** Where insertions landed, per user line: original column (0-based) and inserted length. */
function columnMapper(code: string, insertions: { pos: number; length: number }[]): InstrumentedCode['originalColumn'] {
  const lineStarts = [0];
  for (let i = 0; i < code.length; i++) if (code[i] === '\n') lineStarts.push(i + 1);
  const byLine = new Map<number, { col: number; length: number }[]>();
  for (const ins of insertions) {
    let line = lineStarts.length - 1;
    while (line > 0 && (lineStarts[line] as number) > ins.pos) line--;
    const list = byLine.get(line + 1) ?? [];
    list.push({ col: ins.pos - (lineStarts[line] as number), length: ins.length });
    byLine.set(line + 1, list);
  }
  return (line, column) => {
    let shift = 0;
    const at = column - 1;
    for (const ins of byLine.get(line) ?? []) {
      const start = ins.col + shift;
      if (at < start) break;
      if (at < start + ins.length) return ins.col + 1;
      shift += ins.length;
    }
    return column - shift;
  };
}

function parse(code: string, kind: CodeKind): acorn.Program {
  return lib().acorn.parse(PARSE_PREFIX[kind] + code + PARSE_SUFFIX, { ecmaVersion: 'latest', sourceType: 'script' });
}

/** A readable syntax error with the user's line and column, or undefined when the code parses. */
export function syntaxProblem(code: string, kind: CodeKind): string | undefined {
  // V8 checks code that needs no AST (the common short body); acorn is asked only to word an error.
  if (!needsAst(code) && compiles(code, kind)) return undefined;
  try {
    parse(code, kind);
    return undefined;
  } catch (err) {
    const e = err as { message?: string; loc?: { line: number; column: number } };
    const message = String(e.message ?? err).replace(/\s*\(\d+:\d+\)$/, '');
    const where = e.loc ? ` (${kind === 'body' ? '' : `${kind} `}line ${e.loc.line - 1}, col ${e.loc.column + 1})` : '';
    return `SyntaxError: ${message}${where}`;
  }
}

function compiles(code: string, kind: CodeKind): boolean {
  try {
    new vm.Script(PARSE_PREFIX[kind] + code + PARSE_SUFFIX);
    return true;
  } catch {
    return false;
  }
}

interface Insertion {
  pos: number;
  text: string;
  closer: boolean;
  /** Span of the node that asked for it, to order insertions that share a position. */
  start: number;
  end: number;
}

function wrapperOf(program: acorn.Program): acorn.Function {
  const stmt = program.body[0];
  if (stmt?.type !== 'ExpressionStatement') throw new Error('unexpected wrapper shape');
  const fn = stmt.expression;
  if (fn.type !== 'FunctionExpression') throw new Error('unexpected wrapper shape');
  return fn;
}

function topLevelAwait(body: acorn.Node): boolean {
  let found = false;
  lib().walk.recursive(body, undefined, {
    Function() {
      // Awaits inside nested functions belong to those functions.
    },
    AwaitExpression() {
      found = true;
    },
    ForOfStatement(node, state, c) {
      if (node.await) found = true;
      lib().walk.base.ForOfStatement?.(node, state, c);
    },
  });
  return found;
}

function callsNodeDone(program: acorn.Program, text: string): boolean {
  // Node-RED's own test: a cheap text match first, then the AST to ignore comments and strings.
  if (!/node\.done\s*\(\s*\)/.test(text)) return false;
  let found = false;
  lib().walk.simple(program, {
    CallExpression(node) {
      const callee = node.callee;
      if (
        callee.type === 'MemberExpression' &&
        callee.object.type === 'Identifier' &&
        callee.object.name === 'node' &&
        callee.property.type === 'Identifier' &&
        callee.property.name === 'done'
      ) {
        found = true;
      }
    },
  });
  return found;
}

export function instrument(code: string, kind: CodeKind): InstrumentedCode {
  // Nothing to guard, await or detect: the code runs as written (V8 reports its syntax errors).
  if (!needsAst(code) && compiles(code, kind))
    return { code, usesAwait: false, callsNodeDone: false, originalColumn: (_line, column) => column };
  const prefix = PARSE_PREFIX[kind];
  const text = prefix + code + PARSE_SUFFIX;
  const program = parse(code, kind);
  const wrapper = wrapperOf(program);
  const insertions: Insertion[] = [];
  const add = (node: acorn.Node, pos: number, text: string, closer: boolean) =>
    insertions.push({ pos, text, closer, start: node.start, end: node.end });

  const guardBody = (owner: acorn.Node, body: acorn.Node) => {
    if (body.type === 'BlockStatement') add(owner, body.start + 1, `${GUARD_CALL};`, false);
    else {
      add(owner, body.start, `{${GUARD_CALL};`, false);
      add(owner, body.end, '}', true);
    }
  };
  const loop = (node: acorn.Node & { body: acorn.Node }) => guardBody(node, node.body);

  lib().walk.simple(program, {
    WhileStatement: loop,
    DoWhileStatement: loop,
    ForStatement: loop,
    ForInStatement: loop,
    ForOfStatement: loop,
    Function(node) {
      if (node === wrapper) return;
      const body = node.body;
      if (body.type === 'BlockStatement') {
        // After the directive prologue, so "use strict" keeps its meaning.
        let pos = body.start + 1;
        for (const stmt of body.body) {
          if (stmt.type === 'ExpressionStatement' && stmt.directive !== undefined) pos = stmt.end;
          else break;
        }
        add(node, pos, `;${GUARD_CALL};`, false);
      } else {
        add(node, body.start, `(${GUARD_CALL},`, false);
        add(node, body.end, ')', true);
      }
    },
  });

  // Same position: closers of inner nodes first, then openers of outer nodes first.
  insertions.sort((a, b) => {
    if (a.pos !== b.pos) return a.pos - b.pos;
    if (a.closer !== b.closer) return a.closer ? -1 : 1;
    return a.closer ? b.start - a.start : b.end - a.end;
  });
  let out = '';
  let last = 0;
  for (const ins of insertions) {
    out += text.slice(last, ins.pos) + ins.text;
    last = ins.pos;
  }
  out += text.slice(last);
  const placed = insertions.map((ins) => ({ pos: ins.pos - prefix.length, length: ins.text.length }));
  return {
    code: out.slice(prefix.length, out.length - PARSE_SUFFIX.length),
    originalColumn: columnMapper(code, placed),
    usesAwait: kind === 'cleanup' ? false : topLevelAwait(wrapper.body),
    callsNodeDone: kind === 'body' && callsNodeDone(program, text),
  };
}
