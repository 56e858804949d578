/** Small traversals of the IR shared by the analyses and the transforms. */
import type { Expr, Stmt, Var } from "../ir/nodes.js";
import { MATH } from "../ir/primitives.js";

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
      if (!MATH[e.fn].piecewiseConstant) for (const a of e.args) differentiableVars(a, out);
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

/** Rebuilds an expression bottom-up, letting `f` replace any node (after its children). */
export function mapExpr(e: Expr, f: (e: Expr) => Expr): Expr {
  const m = (x: Expr) => mapExpr(x, f);
  let out: Expr;
  switch (e.k) {
    case "neg":
    case "not":
      out = { ...e, a: m(e.a) };
      break;
    case "binary":
    case "compare":
    case "logical":
    case "coalesce":
      out = { ...e, a: m(e.a), b: m(e.b) } as Expr;
      break;
    case "cond":
      out = { ...e, test: m(e.test), a: m(e.a), b: m(e.b) };
      break;
    case "math":
    case "call":
    case "runtime":
      out = { ...e, args: e.args.map(m) } as Expr;
      break;
    case "index":
      out = { ...e, array: m(e.array), index: m(e.index) };
      break;
    case "length":
      out = { ...e, array: m(e.array) };
      break;
    case "alloc":
      out = { ...e, length: m(e.length), inner: e.inner ? m(e.inner) : undefined };
      break;
    case "arrayLit":
      out = { ...e, elements: e.elements.map(m) };
      break;
    case "zerosLike":
    case "copy":
      out = { ...e, of: m(e.of) };
      break;
    case "object":
      out = { ...e, fields: e.fields.map((x) => ({ name: x.name, value: m(x.value) })) };
      break;
    case "field":
      out = { ...e, object: m(e.object) };
      break;
    default:
      out = e;
  }
  return f(out);
}

/** Applies `f` (see mapExpr) to every expression of a statement list, nested ones included. */
export function mapStmts(list: readonly Stmt[], f: (e: Expr) => Expr): Stmt[] {
  const m = (e: Expr) => mapExpr(e, f);
  return list.map((s): Stmt => {
    switch (s.k) {
      case "assign":
        return { ...s, value: m(s.value) };
      case "store":
      case "accumulateElement":
        return { ...s, array: m(s.array), index: m(s.index), value: m(s.value) };
      case "accumulate":
      case "accumulateField":
        return { ...s, value: m(s.value) };
      case "expr":
        return { ...s, e: m(s.e) };
      case "declare":
        return s.init ? { ...s, init: m(s.init) } : s;
      case "if":
        return { ...s, test: m(s.test), then: mapStmts(s.then, f), else: mapStmts(s.else, f) };
      case "rawFor":
        return {
          ...s,
          init: s.init ? mapStmts([s.init], f)[0]! : null,
          test: s.test ? m(s.test) : null,
          update: s.update ? mapStmts([s.update], f)[0]! : null,
          body: mapStmts(s.body, f),
        };
      case "return":
        return { ...s, value: m(s.value) };
      case "genReturn":
        return s.value ? { ...s, value: m(s.value) } : s;
      default:
        return s;
    }
  });
}

/** The direct operands of an expression node (those the analyses and rewrites descend into). */
export function childExprs(e: Expr): Expr[] {
  switch (e.k) {
    case "neg":
    case "not":
      return [e.a];
    case "binary":
    case "compare":
    case "logical":
      return [e.a, e.b];
    case "cond":
      return [e.test, e.a, e.b];
    case "math":
    case "call":
    case "runtime":
      return e.args;
    case "index":
      return [e.array, e.index];
    case "length":
      return [e.array];
    case "arrayLit":
      return e.elements;
    case "alloc":
      return [e.length];
    default:
      return [];
  }
}
