import type { FormulaNode } from './parser.js';

export type FormulaValue = number | boolean;

const num = (v: FormulaValue) => (typeof v === 'number' ? v : v ? 1 : 0);
const truthy = (v: FormulaValue) => (typeof v === 'boolean' ? v : v !== 0 && !Number.isNaN(v));

/**
 * Walks the tree. Booleans count as 1/0 in arithmetic and numbers as true when non-zero in logic,
 * as digital points do in SCADA formulas; `&&`, `||` and `if` evaluate only what they need.
 */
export function evaluateFormula(node: FormulaNode, inputs: Readonly<Record<string, FormulaValue>>): FormulaValue {
  switch (node.kind) {
    case 'number':
    case 'bool':
      return node.value;
    case 'name': {
      const v = inputs[node.name];
      if (v === undefined) throw new Error(`input "${node.name}" has no value`);
      return v;
    }
    case 'unary': {
      const v = evaluateFormula(node.arg, inputs);
      return node.op === '!' ? !truthy(v) : -num(v);
    }
    case 'binary': {
      if (node.op === '&&')
        return truthy(evaluateFormula(node.left, inputs)) && truthy(evaluateFormula(node.right, inputs));
      if (node.op === '||')
        return truthy(evaluateFormula(node.left, inputs)) || truthy(evaluateFormula(node.right, inputs));
      const a = num(evaluateFormula(node.left, inputs));
      const b = num(evaluateFormula(node.right, inputs));
      switch (node.op) {
        case '+':
          return a + b;
        case '-':
          return a - b;
        case '*':
          return a * b;
        case '/':
          return a / b;
        case '<':
          return a < b;
        case '<=':
          return a <= b;
        case '>':
          return a > b;
        case '>=':
          return a >= b;
        case '==':
          return a === b;
        case '!=':
          return a !== b;
      }
      break;
    }
    case 'call': {
      const args = node.args;
      switch (node.fn) {
        case 'if':
          return truthy(evaluateFormula(args[0] as FormulaNode, inputs))
            ? evaluateFormula(args[1] as FormulaNode, inputs)
            : evaluateFormula(args[2] as FormulaNode, inputs);
        case 'abs':
          return Math.abs(num(evaluateFormula(args[0] as FormulaNode, inputs)));
        case 'round': {
          const v = num(evaluateFormula(args[0] as FormulaNode, inputs));
          if (args.length === 1) return Math.round(v);
          const f = 10 ** num(evaluateFormula(args[1] as FormulaNode, inputs));
          return Math.round(v * f) / f;
        }
        case 'min':
        case 'max': {
          let r = num(evaluateFormula(args[0] as FormulaNode, inputs));
          for (let k = 1; k < args.length; k++) {
            const v = num(evaluateFormula(args[k] as FormulaNode, inputs));
            r = node.fn === 'min' ? Math.min(r, v) : Math.max(r, v);
          }
          return r;
        }
      }
    }
  }
  throw new Error('unreachable formula node');
}
