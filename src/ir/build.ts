/**
 * Smart constructors of IR expressions, used by the primitive table's derivative rules and by
 * the transforms. They fold constants and drop zeros and ones, so that a rule written in full
 * (`g * cos(x)`) prints as the code a person would write, and a zero tangent (null) vanishes
 * instead of turning into `0 * ...`.
 */
import type { Expr } from "./nodes.js";

export type MaybeExpr = Expr | null;

export const isNum = (e: Expr, value: number): boolean => e.k === "num" && e.text === undefined && e.value === value;

export function lit(value: number): Expr {
  return { k: "num", value };
}

export function add(a: MaybeExpr, b: MaybeExpr): MaybeExpr {
  if (a === null || isNum(a, 0)) return b;
  if (b === null || isNum(b, 0)) return a;
  if (b.k === "neg") return { k: "binary", op: "-", a, b: b.a };
  if (b.k === "num" && b.text === undefined && b.value < 0) return { k: "binary", op: "-", a, b: lit(-b.value) };
  return { k: "binary", op: "+", a, b };
}

export function sub(a: MaybeExpr, b: MaybeExpr): MaybeExpr {
  if (b === null || isNum(b, 0)) return a;
  if (a === null || isNum(a, 0)) return negate(b);
  if (b.k === "neg") return add(a, b.a);
  return { k: "binary", op: "-", a, b };
}

export function negate(a: MaybeExpr): MaybeExpr {
  if (a === null) return null;
  if (a.k === "num" && a.text === undefined) return lit(-a.value);
  if (a.k === "neg") return a.a;
  return { k: "neg", a };
}

export function mul(a: MaybeExpr, b: MaybeExpr): MaybeExpr {
  if (a === null || b === null) return null;
  if (isNum(a, 0) || isNum(b, 0)) return null;
  if (isNum(a, 1)) return b;
  if (isNum(b, 1)) return a;
  if (isNum(a, -1)) return negate(b);
  if (isNum(b, -1)) return negate(a);
  if (a.k === "neg") return negate(mul(a.a, b));
  if (b.k === "neg") return negate(mul(a, b.a));
  return { k: "binary", op: "*", a, b };
}

export function div(a: MaybeExpr, b: Expr): MaybeExpr {
  if (a === null) return null;
  if (isNum(b, 1)) return a;
  if (a.k === "neg") return negate(div(a.a, b));
  return { k: "binary", op: "/", a, b };
}

/** Sum of possibly-zero terms. */
export function sum(terms: MaybeExpr[]): MaybeExpr {
  let total: MaybeExpr = null;
  for (const t of terms) total = add(total, t);
  return total;
}

/** True when an expression is cheap and pure enough to repeat instead of binding it to a name. */
export function isTrivial(e: Expr): boolean {
  return e.k === "num" || e.k === "var" || (e.k === "neg" && isTrivial(e.a));
}

/**
 * A value of a tag's type for a declaration ahead of the real value: 0, "", or the first
 * member of a literal union (`"call"` for `"call" | "put"`), so that the declaration type-checks.
 */
export function tagPlaceholder(text: string): Expr {
  if (text === "number") return { k: "num", value: 0 };
  const first = text.split(" | ")[0]!;
  if (/^"([^"\\]|\\.)*"$/.test(first)) return { k: "str", value: JSON.parse(first) as string };
  return { k: "str", value: "" };
}

