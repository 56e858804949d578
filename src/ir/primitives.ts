/**
 * The primitive table: every `Math` function the language accepts and every arithmetic operator,
 * with everything the compiler knows about it, in one entry. The rest derives from here: the
 * `MathFn` type (ir/nodes.ts), the functions lowering accepts and their arity (lower/lower.ts), the
 * derivative rules both modes apply (ad/forward.ts, ad/reverse.ts), which functions carry no
 * derivative (analysis/activity.ts), and the tests, which check every entry's partials against
 * finite differences on the entry's domain. Adding a `Math` function is one entry here plus a
 * line of a fixture (fixtures/math.ts).
 *
 * A rule gives the partial derivatives of one primitive with respect to each operand, from the
 * operands and the result: forward mode sums partial * operand tangent, reverse mode adds
 * adjoint * partial to each operand's adjoint. `null` is a partial that is zero everywhere.
 *
 * Conventions at non-differentiable points (README, "Conventions"; test/conventions.test.ts):
 * abs'(0) = 0; piecewise-constant functions have derivative 0, at their jumps too; ties of
 * min/max split the derivative evenly; sqrt'(0), cbrt'(0) and the like are Infinity, as IEEE
 * arithmetic gives; hypot'(0, ..., 0) = 0; d/dy x^y = x^y log x is NaN for a negative base
 * (and for a base of 0 with a positive exponent); fround' = 1.
 *
 * This module sits in the IR stage: it must not import from ad/, analysis/ or emit/.
 */
import { type MaybeExpr, add, div, lit, mul, negate, sub } from "./build.js";
import type { BinaryOp, Expr, MathFn } from "./nodes.js";

/** Partial derivatives of a primitive at `args`, whose value is `result` (an expression). */
export type Partials = (args: readonly Expr[], result: Expr) => MaybeExpr[];

/** Number of operands: exactly that many, or any number from `atLeast` on. */
export type Arity = number | { atLeast: number };

/** Argument lists where a primitive is differentiable, for the tests of its rule. */
export interface Domain {
  /**
   * One argument list (its length is the number of arguments; variadic entries vary it), at
   * least 0.05 away from any point where the function is not differentiable.
   */
  sample(r: () => number): number[];
  /**
   * Finite-difference step relative to max(1, |x|) (default 1e-3). fround, a step function
   * everywhere that stands for the identity, needs a step far wider than its steps.
   */
  step?: number;
}

export interface Primitive {
  arity: Arity;
  partials: Partials;
  /**
   * Derivative 0 wherever it exists, as for sign and floor (constant between jumps): no
   * variable is differentiably reached through the operands, and every partial is null.
   */
  piecewiseConstant: boolean;
  /**
   * Whether the rule reads `result`; then the transforms hand it the variable the value was
   * assigned to instead of the expression. A function of the operands when it depends on them.
   */
  readsResult: boolean | ((args: readonly Expr[]) => boolean);
  /** Every value is an integer (`Math.ceil(n)` of an integer n is n). */
  integerValued: boolean;
  domain: Domain;
}

interface Entry {
  arity?: Arity;
  partials: Partials;
  readsResult?: Primitive["readsResult"];
  domain: Domain;
}

/** A primitive with a derivative rule (one operand unless `arity` says otherwise). */
function differentiable(e: Entry): Primitive {
  return { arity: e.arity ?? 1, partials: e.partials, piecewiseConstant: false, readsResult: e.readsResult ?? false, integerValued: false, domain: e.domain };
}

/** A piecewise-constant primitive: all partials null. */
function piecewiseConstant(arity: number, integerValued: boolean, domain: Domain): Primitive {
  return { arity, partials: (args) => args.map(() => null), piecewiseConstant: true, readsResult: false, integerValued, domain };
}

// ---- expressions the rules build ----

// The table's own type defines MathFn, so its rules call Math functions through these helpers,
// whose types are written out (a rule calling `call` directly would make the type circular).
const call = (fn: MathFn, x: Expr): Expr => ({ k: "math", fn, args: [x] });
const sin = (x: Expr): Expr => call("sin", x);
const cos = (x: Expr): Expr => call("cos", x);
const sinh = (x: Expr): Expr => call("sinh", x);
const cosh = (x: Expr): Expr => call("cosh", x);
const sqrt = (x: Expr): Expr => call("sqrt", x);
const log = (x: Expr): Expr => call("log", x);
const sign = (x: Expr): Expr => call("sign", x);
const trunc = (x: Expr): Expr => call("trunc", x);
const sq = (x: Expr): Expr => mul(x, x)!;
const one = lit(1);
const isResult = (x: Expr, result: Expr): Expr => ({ k: "compare", op: "===", a: x, b: result });
const ifElse = (test: Expr, a: Expr, b: Expr): Expr => ({ k: "cond", test, a, b });

/** 1 / sqrt(1 - x^2) */
const invSqrtOneMinusSquare = (x: Expr): Expr => div(one, sqrt(sub(one, sq(x))!))!;

/**
 * max and min: ties split evenly. The share of argument i is [a_i === r] / #{j : a_j === r};
 * for max, a > b gives (1, 0), a < b gives (0, 1) and a === b gives (1/2, 1/2).
 */
const evenSplit: Partials = (args, result) => {
  if (args.length === 1) return [one];
  if (args.length === 2) {
    const [a, b] = args as [Expr, Expr];
    const share = (x: Expr, y: Expr): Expr => ifElse(isResult(x, result), ifElse(isResult(y, result), lit(0.5), one), lit(0));
    return [share(a, b), share(b, a)];
  }
  const indicator = (x: Expr): Expr => ifElse(isResult(x, result), one, lit(0));
  let count: Expr = indicator(args[0]!);
  for (const x of args.slice(1)) count = add(count, indicator(x))!;
  return args.map((x) => ifElse(isResult(x, result), div(one, count)!, lit(0)));
};

/**
 * d/dx x^y = y x^(y-1), d/dy x^y = x^y log x (NaN for x < 0, where the real derivative does not
 * exist, and for x = 0 < y). A constant exponent keeps the power rule simple and has no d/dy.
 */
const power: Partials = ([x, y], result) => {
  const base = x!;
  const exponent = y!;
  if (exponent.k === "num" && exponent.text === undefined) {
    const n = exponent.value;
    const dx = n === 0 ? null : n === 1 ? one : n === 2 ? mul(lit(2), base) : mul(lit(n), { k: "binary", op: "**", a: base, b: lit(n - 1) });
    return [dx, null];
  }
  return [mul(exponent, { k: "binary", op: "**", a: base, b: sub(exponent, one)! }), mul(result, log(base))];
};

/** The exponent of pow and ** is not a constant: d/dy reads the result. */
const variableExponent = (args: readonly Expr[]): boolean => args[1]!.k !== "num";

/** min and max of one argument are the argument: no result to compare with. */
const severalArgs = (args: readonly Expr[]): boolean => args.length > 1;

// ---- domains ----

/** x uniform in [lo, hi]. */
const uniform = (r: () => number, lo: number, hi: number): number => lo + (hi - lo) * r();
/** Each argument in [lo, hi]. */
const box = (lo: number, hi: number, count = 1): Domain => ({ sample: (r) => Array.from({ length: count }, () => uniform(r, lo, hi)) });
/** A real number at least 0.1 away from every integer, in (-limit, limit). */
const offInteger = (r: () => number, limit = 5): number => Math.floor(uniform(r, -limit, limit)) + uniform(r, 0.1, 0.9);
/** A number of random sign with magnitude in [least, limit]. */
const offZero = (r: () => number, limit = 3, least = 0.1): number => (r() < 0.5 ? -1 : 1) * uniform(r, least, limit);
/** One to four arguments in [lo, hi], at least 0.1 apart (no ties). */
const distinctArgs = (lo: number, hi: number): Domain => ({
  sample: (r) => {
    const out: number[] = [];
    const count = 1 + Math.floor(r() * 4);
    while (out.length < count) {
      const x = uniform(r, lo, hi);
      if (out.every((y) => Math.abs(x - y) >= 0.1)) out.push(x);
    }
    return out;
  },
});

// ---- the table ----

/** Every accepted `Math` function, by name. */
export const MATH = {
  sin: differentiable({ partials: ([x]) => [cos(x!)], domain: box(-4, 4) }),
  cos: differentiable({ partials: ([x]) => [negate(sin(x!))], domain: box(-4, 4) }),
  tan: differentiable({ partials: (_, r) => [add(one, sq(r))], readsResult: true, domain: box(-1.4, 1.4) }),
  asin: differentiable({ partials: ([x]) => [invSqrtOneMinusSquare(x!)], domain: box(-0.95, 0.95) }),
  acos: differentiable({ partials: ([x]) => [negate(invSqrtOneMinusSquare(x!))], domain: box(-0.95, 0.95) }),
  atan: differentiable({ partials: ([x]) => [div(one, add(one, sq(x!))!)], domain: box(-4, 4) }),
  atan2: differentiable({
    arity: 2,
    partials: ([y, x]) => {
      const r2 = add(sq(x!), sq(y!))!;
      return [div(x!, r2), negate(div(y!, r2))];
    },
    // Away from the origin and from the cut of atan2 along the negative x axis.
    domain: { sample: (r) => [offZero(r), uniform(r, -3, 3)] },
  }),
  sinh: differentiable({ partials: ([x]) => [cosh(x!)], domain: box(-3, 3) }),
  cosh: differentiable({ partials: ([x]) => [sinh(x!)], domain: box(-3, 3) }),
  tanh: differentiable({ partials: (_, r) => [sub(one, sq(r))], readsResult: true, domain: box(-3, 3) }),
  asinh: differentiable({ partials: ([x]) => [div(one, sqrt(add(sq(x!), one)!))], domain: box(-4, 4) }),
  acosh: differentiable({ partials: ([x]) => [div(one, sqrt(sub(sq(x!), one)!))], domain: box(1.1, 10) }),
  atanh: differentiable({ partials: ([x]) => [div(one, sub(one, sq(x!))!)], domain: box(-0.9, 0.9) }),
  exp: differentiable({ partials: (_, r) => [r], readsResult: true, domain: box(-3, 3) }),
  expm1: differentiable({ partials: (_, r) => [add(r, one)], readsResult: true, domain: box(-3, 3) }),
  log: differentiable({ partials: ([x]) => [div(one, x!)], domain: box(0.1, 10) }),
  log1p: differentiable({ partials: ([x]) => [div(one, add(one, x!)!)], domain: box(-0.9, 10) }),
  log2: differentiable({ partials: ([x]) => [div(one, mul(x!, { k: "num", value: Math.LN2, text: "Math.LN2" })!)], domain: box(0.1, 10) }),
  log10: differentiable({ partials: ([x]) => [div(one, mul(x!, { k: "num", value: Math.LN10, text: "Math.LN10" })!)], domain: box(0.1, 10) }),
  // sqrt'(0) = 0.5 / 0 = Infinity and cbrt'(0) = Infinity, as IEEE arithmetic gives.
  sqrt: differentiable({ partials: (_, r) => [div(lit(0.5), r)], readsResult: true, domain: box(0.1, 10) }),
  cbrt: differentiable({ partials: (_, r) => [div(one, mul(lit(3), sq(r))!)], readsResult: true, domain: { sample: (r) => [offZero(r, 10)] } }),
  pow: differentiable({ arity: 2, partials: power, readsResult: variableExponent, domain: { sample: (r) => [uniform(r, 0.1, 3), uniform(r, -2.5, 2.5)] } }),
  // At the origin the gradient is 0 (x / r would be 0 / 0).
  hypot: differentiable({
    arity: { atLeast: 1 },
    partials: (args, r) => args.map((x) => ifElse({ k: "compare", op: "===", a: r, b: lit(0) }, lit(0), div(x, r)!)),
    readsResult: true,
    domain: { sample: (r) => Array.from({ length: 1 + Math.floor(r() * 4) }, () => offZero(r)) },
  }),
  // abs'(0) = sign(0) = 0.
  abs: differentiable({ partials: ([x]) => [sign(x!)], domain: { sample: (r) => [offZero(r)] } }),
  min: differentiable({ arity: { atLeast: 1 }, partials: evenSplit, readsResult: severalArgs, domain: distinctArgs(-3, 3) }),
  max: differentiable({ arity: { atLeast: 1 }, partials: evenSplit, readsResult: severalArgs, domain: distinctArgs(-3, 3) }),
  // Derivative 0, also at the jumps.
  sign: piecewiseConstant(1, true, { sample: (r) => [offZero(r)] }),
  floor: piecewiseConstant(1, true, { sample: (r) => [offInteger(r)] }),
  ceil: piecewiseConstant(1, true, { sample: (r) => [offInteger(r)] }),
  round: piecewiseConstant(1, true, { sample: (r) => [offInteger(r) + 0.5] }),
  trunc: piecewiseConstant(1, true, { sample: (r) => [offInteger(r)] }),
  // Rounding to the nearest float32: a step function (derivative 0 between steps 2^-23 |x| wide),
  // but one that stands for the identity it approximates, so its derivative is taken as 1. The
  // test's finite differences step over many float32 steps to see that identity.
  fround: differentiable({ partials: () => [one], domain: { sample: (r) => [uniform(r, -3, 3)], step: 1 } }),
  // Integer results of the truncated (uint32 / int32) operands: constant between integers.
  clz32: piecewiseConstant(1, true, { sample: (r) => [offInteger(r)] }),
  imul: piecewiseConstant(2, true, { sample: (r) => [offInteger(r), offInteger(r)] }),
} satisfies Record<string, Primitive>;

/** The binary arithmetic operators. */
export const OPERATORS: { readonly [O in BinaryOp]: Primitive } = {
  "+": differentiable({ arity: 2, partials: () => [one, one], domain: box(-3, 3, 2) }),
  "-": differentiable({ arity: 2, partials: () => [one, lit(-1)], domain: box(-3, 3, 2) }),
  "*": differentiable({ arity: 2, partials: ([a, b]) => [b!, a!], domain: box(-3, 3, 2) }),
  "/": differentiable({ arity: 2, partials: ([, b], r) => [div(one, b!), negate(div(r, b!))], readsResult: true, domain: { sample: (r) => [uniform(r, -3, 3), offZero(r)] } }),
  "**": differentiable({ arity: 2, partials: power, readsResult: variableExponent, domain: { sample: (r) => [uniform(r, 0.1, 3), uniform(r, -2.5, 2.5)] } }),
  // a % b = a - trunc(a / b) * b, away from the jumps where a / b is an integer.
  "%": differentiable({
    arity: 2,
    partials: ([a, b]) => [one, negate(trunc(div(a!, b!)!))],
    domain: {
      sample: (r) => {
        const b = offZero(r, 3, 0.5);
        return [b * offInteger(r, 3), b];
      },
    },
  }),
};

/** Names of the accepted `Math` functions, in table order. */
export const MATH_FUNCTIONS = Object.keys(MATH) as MathFn[];

export function isMathFunction(name: string): name is MathFn {
  return Object.prototype.hasOwnProperty.call(MATH, name);
}

/** The entry of a `math` or `binary` expression's primitive. */
export function primitiveOf(e: Extract<Expr, { k: "math" | "binary" }>): Primitive {
  return e.k === "math" ? MATH[e.fn] : OPERATORS[e.op];
}

/** Whether the rule of an expression's primitive reads its result (then the transforms reuse the assigned variable). */
export function usesResult(e: Expr): boolean {
  if (e.k !== "math" && e.k !== "binary") return false;
  const reads = primitiveOf(e).readsResult;
  return typeof reads === "boolean" ? reads : reads(e.k === "math" ? e.args : [e.a, e.b]);
}
