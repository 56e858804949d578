/**
 * The derivative rule of every primitive, in one table each for Math functions and operators.
 *
 * A rule gives the partial derivatives of one primitive with respect to each operand, from the
 * operands and the result; both modes use it (forward: tangent = sum of partial * operand
 * tangent; reverse: operand adjoint += adjoint * partial). `null` means a partial that is zero
 * everywhere. The mapped types make a missing rule a type error.
 *
 * Conventions at non-differentiable points (README, "Conventions"): abs'(0) = 0; sign, floor,
 * ceil, round, trunc have derivative 0; ties of min/max split the adjoint evenly; sqrt'(0) and
 * cbrt'(0) are Infinity as IEEE arithmetic gives; hypot'(0, ..., 0) = 0.
 */
import type { BinaryOp, Expr, MathFn } from "../ir/nodes.js";
import { type MaybeExpr, add, div, isNum, lit, mul, negate, sub } from "../ir/build.js";

/** Partial derivatives of a primitive at `args`, whose value is `result`. */
export type Partials = (args: Expr[], result: Expr) => MaybeExpr[];

const m = (fn: MathFn, ...args: Expr[]): Expr => ({ k: "math", fn, args });
const sq = (x: Expr): Expr => mul(x, x)!;
const one = lit(1);
const zero: Partials = (args) => args.map(() => null);

/** 1 / sqrt(1 - x^2) */
const invSqrtOneMinusSquare = (x: Expr): Expr => div(one, m("sqrt", sub(one, sq(x))!))!;

/** Ties split evenly: the share of argument i in max/min is [a_i === r] / #{j : a_j === r}. */
const evenSplit: Partials = (args, result) => {
  if (args.length === 1) return [one];
  if (args.length === 2) {
    const [a, b] = args as [Expr, Expr];
    // For max: a > b -> (1, 0); a < b -> (0, 1); a === b -> (1/2, 1/2). min is the same with r.
    const share = (x: Expr, y: Expr): Expr => ({
      k: "cond",
      test: { k: "compare", op: "===", a: x, b: result },
      a: { k: "cond", test: { k: "compare", op: "===", a: y, b: result }, a: lit(0.5), b: one },
      b: lit(0),
    });
    return [share(a, b), share(b, a)];
  }
  const indicator = (x: Expr): Expr => ({ k: "cond", test: { k: "compare", op: "===", a: x, b: result }, a: one, b: lit(0) });
  let count: Expr = indicator(args[0]!);
  for (const x of args.slice(1)) count = add(count, indicator(x))!;
  return args.map((x) => ({ k: "cond", test: { k: "compare", op: "===", a: x, b: result }, a: div(one, count)!, b: lit(0) }));
};

/** d/dx x^y = y x^(y-1), d/dy x^y = x^y log x. A constant exponent keeps the power rule simple. */
const power: Partials = ([x, y], result) => {
  const base = x!;
  const exponent = y!;
  let dx: MaybeExpr;
  if (exponent.k === "num" && exponent.text === undefined) {
    if (exponent.value === 0) dx = null;
    else if (exponent.value === 1) dx = one;
    else if (exponent.value === 2) dx = mul(lit(2), base);
    else dx = mul(lit(exponent.value), { k: "binary", op: "**", a: base, b: lit(exponent.value - 1) });
    return [dx, null];
  }
  dx = mul(exponent, { k: "binary", op: "**", a: base, b: sub(exponent, one)! });
  return [dx, mul(result, m("log", base))];
};

export const mathRules: { [F in MathFn]: Partials } = {
  sin: ([x]) => [m("cos", x!)],
  cos: ([x]) => [negate(m("sin", x!))],
  tan: (_, r) => [add(one, sq(r))],
  asin: ([x]) => [invSqrtOneMinusSquare(x!)],
  acos: ([x]) => [negate(invSqrtOneMinusSquare(x!))],
  atan: ([x]) => [div(one, add(one, sq(x!))!)],
  atan2: ([y, x]) => {
    const r2 = add(sq(x!), sq(y!))!;
    return [div(x!, r2), negate(div(y!, r2))];
  },
  sinh: ([x]) => [m("cosh", x!)],
  cosh: ([x]) => [m("sinh", x!)],
  tanh: (_, r) => [sub(one, sq(r))],
  exp: (_, r) => [r],
  expm1: (_, r) => [add(r, one)],
  log: ([x]) => [div(one, x!)],
  log1p: ([x]) => [div(one, add(one, x!)!)],
  log2: ([x]) => [div(one, mul(x!, { k: "num", value: Math.LN2, text: "Math.LN2" })!)],
  log10: ([x]) => [div(one, mul(x!, { k: "num", value: Math.LN10, text: "Math.LN10" })!)],
  sqrt: (_, r) => [div(lit(0.5), r)],
  cbrt: (_, r) => [div(one, mul(lit(3), sq(r))!)],
  pow: power,
  hypot: (args, r) =>
    args.map((x) => ({ k: "cond", test: { k: "compare", op: "===", a: r, b: lit(0) }, a: lit(0), b: div(x, r)! }) as Expr),
  abs: ([x]) => [m("sign", x!)],
  min: evenSplit,
  max: evenSplit,
  sign: zero,
  floor: zero,
  ceil: zero,
  round: zero,
  trunc: zero,
};

export const binaryRules: { [O in BinaryOp]: Partials } = {
  "+": () => [one, one],
  "-": () => [one, lit(-1)],
  "*": ([a, b]) => [b!, a!],
  "/": ([, b], r) => [div(one, b!), negate(div(r, b!))],
  "**": power,
  // a % b = a - trunc(a / b) * b
  "%": ([a, b]) => [one, negate(m("trunc", div(a!, b!)!))],
};

/** Whether a rule reads the primitive's result (then the transforms reuse the assigned variable). */
export function usesResult(e: Expr): boolean {
  if (e.k === "math") return ["tan", "tanh", "exp", "expm1", "sqrt", "cbrt", "hypot", "min", "max"].includes(e.fn) || (e.fn === "pow" && !isConstant(e.args[1]!));
  if (e.k === "binary") return e.op === "/" || (e.op === "**" && !isConstant(e.b));
  return false;
}

function isConstant(e: Expr): boolean {
  return e.k === "num";
}

export { isNum };
