/** Small traversals of the IR shared by the analyses and the transforms. */
import type { Expr, Stmt, Var } from "../ir/nodes.js";

/** Every variable an expression reads, in any position. */
export function varsOf(e: Expr, out: Set<Var> = new Set()): Set<Var> {
  switch (e.k) {
    case "var":
      out.add(e.v);
      break;
    case "neg":
    case "not":
      varsOf(e.a, out);
      break;
    case "binary":
    case "compare":
    case "logical":
    case "coalesce":
      varsOf(e.a, out);
      varsOf(e.b, out);
      break;
    case "cond":
      varsOf(e.test, out);
      varsOf(e.a, out);
      varsOf(e.b, out);
      break;
    case "math":
    case "call":
    case "runtime":
      for (const a of e.args) varsOf(a, out);
      break;
    case "index":
      varsOf(e.array, out);
      varsOf(e.index, out);
      break;
    case "length":
      varsOf(e.array, out);
      break;
    case "zerosLike":
    case "copy":
      varsOf(e.of, out);
      break;
    case "alloc":
      varsOf(e.length, out);
      if (e.inner) varsOf(e.inner, out);
      break;
    case "arrayLit":
      for (const a of e.elements) varsOf(a, out);
      break;
    case "object":
      for (const f of e.fields) varsOf(f.value, out);
      break;
    case "field":
      varsOf(e.object, out);
      break;
    case "num":
    case "bool":
    case "raw":
      break;
  }
  return out;
}

const ZERO_DERIVATIVE = new Set(["sign", "floor", "ceil", "round", "trunc"]);

/**
 * Variables whose value an expression's value depends on differentiably: not through
 * conditions, indices, lengths or piecewise-constant functions.
 */
export function differentiableVars(e: Expr, out: Set<Var> = new Set()): Set<Var> {
  switch (e.k) {
    case "var":
      out.add(e.v);
      break;
    case "neg":
      differentiableVars(e.a, out);
      break;
    case "binary":
      differentiableVars(e.a, out);
      differentiableVars(e.b, out);
      break;
    case "cond":
      differentiableVars(e.a, out);
      differentiableVars(e.b, out);
      break;
    case "math":
      if (!ZERO_DERIVATIVE.has(e.fn)) for (const a of e.args) differentiableVars(a, out);
      break;
    case "call":
    case "runtime":
      for (const a of e.args) differentiableVars(a, out);
      break;
    case "index":
      differentiableVars(e.array, out);
      break;
    case "arrayLit":
      for (const a of e.elements) differentiableVars(a, out);
      break;
    default:
      break;
  }
  return out;
}

/** The variable an array expression (`a`, `m[i]`) is rooted at. */
export function rootVar(e: Expr): Var | undefined {
  if (e.k === "var") return e.v;
  if (e.k === "index") return rootVar(e.array);
  return undefined;
}

/** Visits every statement, nested ones included, in source order. */
export function forEachStmt(body: readonly Stmt[], visit: (s: Stmt) => void): void {
  for (const s of body) {
    visit(s);
    if (s.k === "if") {
      forEachStmt(s.then, visit);
      forEachStmt(s.else, visit);
    } else if (s.k === "loop") {
      forEachStmt(s.init, visit);
      forEachStmt(s.body, visit);
      forEachStmt(s.update, visit);
    } else if (s.k === "block") {
      forEachStmt(s.body, visit);
    }
  }
}

/** Variables assigned (or whose elements are written) anywhere in the statements. */
export function assignedVars(body: readonly Stmt[], out: Set<Var> = new Set()): Set<Var> {
  forEachStmt(body, (s) => {
    if (s.k === "assign") out.add(s.target);
    else if (s.k === "store") {
      const root = rootVar(s.array);
      if (root) out.add(root);
    }
  });
  return out;
}
