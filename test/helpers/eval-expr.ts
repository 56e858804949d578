/**
 * A small evaluator of scalar IR expressions, for testing derivative rules without compiling:
 * numbers, variables (from `env`), arithmetic, `Math` calls, comparisons, logic and `?:`.
 */
import type { Expr, Var } from "../../src/ir/nodes.js";

export function evaluate(e: Expr, env: ReadonlyMap<Var, number>): number | boolean {
  const num = (x: Expr): number => {
    const v = evaluate(x, env);
    if (typeof v !== "number") throw new Error(`expected a number, got ${String(v)}`);
    return v;
  };
  switch (e.k) {
    case "num":
      return e.value;
    case "bool":
      return e.value;
    case "var": {
      const v = env.get(e.v);
      if (v === undefined) throw new Error(`no value for ${e.v.toString()}`);
      return v;
    }
    case "neg":
      return -num(e.a);
    case "binary": {
      const a = num(e.a);
      const b = num(e.b);
      switch (e.op) {
        case "+":
          return a + b;
        case "-":
          return a - b;
        case "*":
          return a * b;
        case "/":
          return a / b;
        case "**":
          return a ** b;
        case "%":
          return a % b;
      }
      throw new Error("unknown operator");
    }
    case "math": {
      const f = (Math as unknown as Record<string, unknown>)[e.fn];
      if (typeof f !== "function") throw new Error(`Math.${e.fn} is not a function`);
      return (f as (...xs: number[]) => number)(...e.args.map(num));
    }
    case "compare": {
      const a = num(e.a);
      const b = num(e.b);
      switch (e.op) {
        case "<":
          return a < b;
        case "<=":
          return a <= b;
        case ">":
          return a > b;
        case ">=":
          return a >= b;
        case "===":
          return a === b;
        case "!==":
          return a !== b;
      }
      throw new Error("unknown comparison");
    }
    case "logical":
      return e.op === "&&" ? evaluate(e.a, env) === true && evaluate(e.b, env) === true : evaluate(e.a, env) === true || evaluate(e.b, env) === true;
    case "not":
      return evaluate(e.a, env) !== true;
    case "cond":
      return evaluate(e.test, env) === true ? evaluate(e.a, env) : evaluate(e.b, env);
    default:
      throw new Error(`cannot evaluate a '${e.k}' expression`);
  }
}

/** Whether an expression reads variable `v` (over the node kinds `evaluate` knows). */
export function reads(e: Expr, v: Var): boolean {
  switch (e.k) {
    case "num":
    case "bool":
      return false;
    case "var":
      return e.v === v;
    case "neg":
    case "not":
      return reads(e.a, v);
    case "binary":
    case "compare":
    case "logical":
      return reads(e.a, v) || reads(e.b, v);
    case "cond":
      return reads(e.test, v) || reads(e.a, v) || reads(e.b, v);
    case "math":
      return e.args.some((a) => reads(a, v));
    default:
      throw new Error(`cannot look into a '${e.k}' expression`);
  }
}
