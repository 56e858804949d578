/**
 * Inactive leaves of a structured result (`fixed: boolean`, `kind: "call" | "put"`). An entry
 * point returns its structure as one vector of numbers (lowering), so such a leaf travels there
 * as a number: a boolean as 1 or 0, a string literal union's value as its position in the union.
 * The differentiation stages see a number computed from conditions only (derivative zero), and
 * entry points turn it back into the source's value (signature.ts). Derivatives (cotangents,
 * tangents) have no such leaves.
 */
import type { Expr, Type } from "./nodes.js";
import { InternalError } from "./walk.js";

const num = (value: number): Expr => ({ k: "num", value });

/** `test ? a : b` with number literals a and b. */
function isNum(e: Extract<Expr, { k: "cond" }>, a: number, b: number): boolean {
  return e.a.k === "num" && e.a.value === a && e.b.k === "num" && e.b.value === b;
}

/** Whether a result leaf of type `t` is inactive data carried as a number. */
export function isEncodedLeaf(t: { kind: string }): t is Extract<Type, { kind: "boolean" | "tag" }> {
  return t.kind === "boolean" || t.kind === "tag";
}

/** The number standing for `value` (of type `t`) in a result's vector: `b ? 1 : 0`, `k === "put" ? 1 : 0`. */
export function encodeLeaf(value: Expr, t: Type): Expr {
  if (t.kind === "boolean") return { k: "cond", test: value, a: num(1), b: num(0) };
  if (t.kind !== "tag" || !t.literals) throw new InternalError(`a result leaf of type ${t.kind} carried as a number`);
  const literals = t.literals;
  // The last value needs no test: the value is one of the union's.
  let e: Expr = num(literals.length - 1);
  for (let i = literals.length - 2; i >= 0; i--) e = { k: "cond", test: { k: "compare", op: "===", a: value, b: { k: "str", value: literals[i]! } }, a: num(i), b: e };
  return e;
}

/** The source's value of an encoded leaf read as `number` from a result's vector: `v !== 0`, `v === 0 ? "call" : "put"`. */
export function decodeLeaf(number: Expr, t: Type): Expr {
  // Decoding what encodeLeaf just built gives back the value it encoded (forward mode's results).
  const encoded = number.k === "cond" ? number.test : undefined;
  if (t.kind === "boolean") return number.k === "cond" && isNum(number, 1, 0) ? number.test : { k: "compare", op: "!==", a: number, b: num(0) };
  if (encoded?.k === "compare" && encoded.op === "===" && encoded.b.k === "str" && t.kind === "tag" && encoded.b.value === t.literals?.[0]) return encoded.a;
  if (t.kind !== "tag" || !t.literals) throw new InternalError(`a result leaf of type ${t.kind} carried as a number`);
  const literals = t.literals;
  let e: Expr = { k: "str", value: literals[literals.length - 1]! };
  for (let i = literals.length - 2; i >= 0; i--) e = { k: "cond", test: { k: "compare", op: "===", a: number, b: num(i) }, a: { k: "str", value: literals[i]! }, b: e };
  return e;
}
