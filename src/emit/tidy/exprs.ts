/**
 * Expression-level helpers of the tidy pass: effects, substitution, and the rewrites of
 * derivative expressions. Every rewrite here computes the same IEEE double as the expression it
 * replaces (up to the sign of a zero), except `g * (1 / y)` -> `g / y`, which rounds once
 * instead of twice.
 */
import type { Expr, Var } from "../../ir/nodes.js";
import { exprChildren, mapExprChildren, sameExpr, someExpr } from "../../ir/walk.js";

/** Calls a routine, a kernel or the tape: must run exactly once, in order. */
export function hasSideEffects(e: Expr): boolean {
  return someExpr(e, (x) => x.k === "call" || x.k === "runtime");
}

/** Creates an object (moving or repeating it would change which object a name holds). */
export function allocates(e: Expr): boolean {
  return someExpr(e, (x) => x.k === "alloc" || x.k === "zerosLike" || x.k === "copy" || x.k === "arrayLit" || x.k === "object" || x.k === "raw" || x.k === "column" || x.k === "rowsLike");
}

/** Reads array elements or object fields (which element and field writes change). */
export function readsMemory(e: Expr): boolean {
  return someExpr(e, (x) => x.k === "index" || x.k === "field");
}


/** Number of nodes of an expression (a measure of how much reading it takes). */
export function size(e: Expr): number {
  let n = 1;
  for (const o of exprChildren(e)) n += size(o);
  return n;
}

/** Occurrences of `v` in `e`. */
export function countUses(e: Expr, v: Var): number {
  if (e.k === "var") return e.v === v ? 1 : 0;
  let n = 0;
  for (const o of exprChildren(e)) n += countUses(o, v);
  return n;
}

/**
 * Rebuilds an expression bottom-up, letting `f` replace any node (after its children); nodes
 * whose operands did not change are kept, so callers can tell whether anything changed.
 */
export function rewrite(e: Expr, f: (e: Expr) => Expr): Expr {
  const before = exprChildren(e);
  if (before.length === 0) return f(e);
  const after = before.map((o) => rewrite(o, f));
  if (after.every((o, i) => o === before[i])) return f(e);
  return f(withOperands(e, after));
}

/** A copy of `e` with the given operands (in `exprChildren` order). */
export function withOperands(e: Expr, ops: readonly Expr[]): Expr {
  let i = 0;
  return mapExprChildren(e, () => ops[i++]!);
}

/**
 * `e` with every read of `v` replaced by `by`. A literal is not put into a comparison, where
 * TypeScript would reject comparing two literal types.
 */
export function substitute(e: Expr, v: Var, by: Expr): Expr {
  if (e.k === "var") return e.v === v ? by : e;
  if (e.k === "compare" && (by.k === "num" || by.k === "bool")) return e;
  const before = exprChildren(e);
  const after = before.map((o) => substitute(o, v, by));
  if (after.every((o, i) => o === before[i])) return e;
  // A seed of 1 put into `d * g` leaves `g` (exact), not `1 * g`.
  if (e.k === "binary" && isLiteral(by, 1)) {
    if (e.op === "*" && after[0] === by) return after[1]!;
    if ((e.op === "*" || e.op === "/") && after[1] === by) return after[0]!;
  }
  return withOperands(e, after);
}

/** Structural equality that also equates `a * b` with `b * a` (IEEE products commute exactly). */
export function equalTerms(a: Expr, b: Expr): boolean {
  if (sameExpr(a, b)) return true;
  if (a.k === "binary" && b.k === "binary" && a.op === b.op) {
    if (a.op === "*" || a.op === "+") {
      return (equalTerms(a.a, b.a) && equalTerms(a.b, b.b)) || (equalTerms(a.a, b.b) && equalTerms(a.b, b.a));
    }
    return equalTerms(a.a, b.a) && equalTerms(a.b, b.b);
  }
  if (a.k === "neg" && b.k === "neg") return equalTerms(a.a, b.a);
  return false;
}

const isLiteral = (e: Expr, value: number): boolean => e.k === "num" && e.text === undefined && Object.is(e.value, value);

function isReciprocal(e: Expr): e is Extract<Expr, { k: "binary" }> {
  return e.k === "binary" && e.op === "/" && isLiteral(e.a, 1);
}

/**
 * Rewrites a derivative expression bottom-up:
 * - `g * (1 / y)` and `(1 / y) * g` -> `g / y` when `g` carries a derivative (a primal partial
 *   such as `1 / (1 + v * v)` on its own is left as the rule wrote it);
 * - `t + t` -> `2 * t` (also `a * b + b * a`);
 * - `1 * t` -> `t`, `-(-t)` -> `t`, `-a * b` and `a * -b` -> `-(a * b)` (also for `/`),
 *   `-a + b` -> `b - a`, `a + -b` -> `a - b`, `a - -b` -> `a + b`, `-a - b` -> `-(a + b)`.
 * All but the first are exact: IEEE rounding is symmetric and sums and products commute.
 */
export function simplify(e: Expr, carries: (e: Expr) => boolean, roundingRewrites = true): Expr {
  const neg = (a: Expr): Expr => (a.k === "neg" ? a.a : { k: "neg", a });
  return rewrite(e, (x) => {
    if (x.k === "neg" && x.a.k === "neg") return x.a.a;
    if (x.k !== "binary") return x;
    const { a, b } = x;
    if (x.op === "*" || x.op === "/") {
      if (x.op === "*" && isLiteral(a, 1)) return b;
      if (isLiteral(b, 1)) return a;
      if (a.k === "neg" && !hasSideEffects(b)) return neg({ ...x, a: a.a });
      if (b.k === "neg") return neg({ ...x, b: b.a });
      if (x.op === "/") return x;
      if (roundingRewrites && isReciprocal(b) && carries(a)) return { k: "binary", op: "/", a, b: b.b };
      if (roundingRewrites && isReciprocal(a) && carries(b) && !hasSideEffects(b)) return { k: "binary", op: "/", a: b, b: a.b };
      return x;
    }
    if (x.op === "+") {
      if (equalTerms(a, b) && !hasSideEffects(a)) return { k: "binary", op: "*", a: { k: "num", value: 2 }, b: a };
      if (b.k === "neg") return { k: "binary", op: "-", a, b: b.a };
      if (a.k === "neg" && !hasSideEffects(a) && !hasSideEffects(b)) return { k: "binary", op: "-", a: b, b: a.a };
      return x;
    }
    if (x.op === "-" && b.k === "neg") return { k: "binary", op: "+", a, b: b.a };
    if (x.op === "-" && a.k === "neg") return neg({ k: "binary", op: "+", a: a.a, b });
    return x;
  });
}
