/**
 * Reads an index array's element once per loop iteration. A loop over springs writes
 * `forces_x[springs_i[q]!]`, `forces_y[springs_i[q]!]`, ... (the lowering reads `sp.i` where the
 * source does, and the reverse sweep rematerializes `const a_index = springs_i[q]!` where it is
 * used); V8 reads and converts `springs_i[q]` again each time, as stores into other typed arrays
 * may have changed it. When the loop writes no array that may be that one and never changes the
 * index, the element is read once at the top of the body:
 *
 *     const a_index = springs_i[q]!;
 *     ... dforces_x[a_index]! ...
 *
 * named like the constant the rest of the function already reads it into, if there is one
 * (measured: bench/particles' gradient 0.9x the time). Only elements used as an index somewhere
 * in the loop are read this way, and only those read at least twice (outside nested loops).
 */
import type { GenFunction } from "../ad/common.js";
import { NUMBER, type Expr, type Stmt, Var } from "../ir/nodes.js";
import { exprChildren, forEachStmt, mapExpr, mapStmtParts, rootVar, sameExpr, stmtExprs, varsOf } from "../ir/walk.js";
import { unaliasedLocalArrays } from "./tape-groups.js";

export function readIndicesOnce(f: GenFunction): GenFunction {
  const local = unaliasedLocalArrays(f.body);
  // `const a_index = springs_i[q]!` anywhere in the function: a name for that element.
  const named: { v: Var; e: Expr }[] = [];
  forEachStmt(f.body, (s) => {
    if (s.k === "assign" && s.declare === "const" && s.value.k === "index") named.push({ v: s.target, e: s.value });
  });
  const visitList = (list: readonly Stmt[]): Stmt[] =>
    list.map((s) => {
      const inner = mapStmtParts(s, (e) => e, visitList);
      if (inner.k === "loop" || inner.k === "rawFor") return { ...inner, body: hoist(inner.body, local, named) } as Stmt;
      return inner;
    });
  return { ...f, body: visitList(f.body) };
}

function hoist(body: Stmt[], local: ReadonlySet<Var>, named: readonly { v: Var; e: Expr }[]): Stmt[] {
  // The body must not call anything (a call may write arrays) and must write arrays by name.
  const assigned = new Set<Var>();
  const written = new Set<Var>();
  let unknown = false;
  forEachStmt(body, (s) => {
    if (s.k === "assign" || s.k === "accumulate") assigned.add(s.target);
    if (s.k === "declare") assigned.add(s.v);
    if (s.k === "store" || s.k === "accumulateElement") {
      const root = rootVar(s.array);
      if (root) written.add(root);
      else unknown = true;
    }
    if (s.k === "accumulateField") written.add(s.object);
    for (const e of stmtExprs(s)) if (hasCall(e)) unknown = true;
  });
  if (unknown) return body;
  const invariant = (e: Expr): boolean => {
    switch (e.k) {
      case "num":
        return true;
      case "var":
        return e.v.type.kind === "number" && !assigned.has(e.v);
      case "neg":
      case "binary":
        return exprChildren(e).every(invariant);
      default:
        return false;
    }
  };
  const unchanged = (a: Var): boolean => !assigned.has(a) && [...written].every((w) => w !== a && (local.has(w) || local.has(a)));
  const isCandidate = (e: Expr): boolean =>
    e.k === "index" && e.array.k === "var" && (e.array.v.type.kind === "vector" || e.array.v.type.kind === "indexArray") && unchanged(e.array.v) && invariant(e.index);

  // Candidates read as an index, with their counts (statements of the body and its ifs, not of nested loops).
  const found: { e: Expr; count: number }[] = [];
  const count = (e: Expr, asIndex: boolean): void => {
    if (isCandidate(e)) {
      const known = found.find((c) => sameExpr(c.e, e));
      if (known) known.count++;
      else if (asIndex) found.push({ e, count: 1 });
    }
    if (e.k === "index") {
      count(e.array, false);
      count(e.index, true);
    } else for (const c of exprChildren(e)) count(c, asIndex && (e.k === "binary" || e.k === "neg"));
  };
  const countList = (list: readonly Stmt[]): void => {
    for (const s of list) {
      if (s.k === "store" || s.k === "accumulateElement") {
        count(s.array, false);
        count(s.index, true);
        count(s.value, false);
      } else for (const e of stmtExprs(s)) count(e, false);
      if (s.k === "if") {
        countList(s.then);
        countList(s.else);
      }
    }
  };
  // Index candidates seen first only as a plain read are counted from their first use as an index:
  // count twice, so that every read is counted once the candidate is known.
  countList(body);
  for (const c of found) c.count = 0;
  countList(body);
  // (In the order of the constants that name them, as in the source.)
  const rank = (e: Expr) => {
    const i = named.findIndex((n) => sameExpr(n.e, e));
    return i < 0 ? named.length : i;
  };
  const chosen = found.filter((c) => c.count > 1).sort((a, b) => rank(a.e) - rank(b.e));
  if (chosen.length === 0) return body;

  let out = body;
  const declarations: Stmt[] = [];
  for (const { e } of chosen) {
    // Already named at the top level of the body: later reads use that name.
    const at = out.findIndex((s) => s.k === "assign" && s.declare === "const" && sameExpr(s.value, e));
    if (at >= 0) {
      const v = (out[at] as Extract<Stmt, { k: "assign" }>).target;
      out = out.map((s, i) => (i > at ? replaceList([s], e, v)[0]! : s));
      continue;
    }
    const mentioned = new Set<Var>();
    forEachStmt(out, (s) => {
      for (const x of stmtExprs(s)) varsOf(x, mentioned);
      if (s.k === "assign") mentioned.add(s.target);
      if (s.k === "declare") mentioned.add(s.v);
    });
    const name = named.find((n) => sameExpr(n.e, e) && !mentioned.has(n.v));
    const array = rootVar(e)!;
    const v = name?.v ?? new Var(`${array.name}_element`, NUMBER, "generated");
    declarations.push({ k: "assign", target: v, value: e, declare: "const" });
    out = replaceList(out, e, v);
  }
  return [...declarations, ...out];
}

/** The statements with every read of `e` (outside nested loops) replaced by `v`. */
function replaceList(list: readonly Stmt[], e: Expr, v: Var): Stmt[] {
  const by: Expr = { k: "var", v };
  const replace = (x: Expr): Expr => mapExpr(x, (y) => (sameExpr(y, e) ? by : y));
  return list.map((s) => {
    if (s.k === "loop" || s.k === "rawFor") return s;
    return mapStmtParts(s, replace, (l) => replaceList(l, e, v));
  });
}

function hasCall(e: Expr): boolean {
  if (e.k === "call") return true;
  if (e.k === "runtime" && !e.fn.startsWith("tape.push") && e.fn !== "tape.pop") return true;
  return exprChildren(e).some(hasCall);
}

/**
 * A column of an array of objects that is only read, and read as an index (`springs_i` in
 * `ps_pos_x[springs_i[q]!]`), is gathered into a plain array, `Array.from(springs, (item) => item.i)`:
 * V8 keeps small integers there as they are, where a Float64Array's double has to be checked and
 * converted at every read (measured: bench/particles' gradient 0.96x the time). Its values are
 * the objects' own numbers either way.
 */
export function plainIndexColumns(f: GenFunction): GenFunction {
  const columns = new Set<Var>();
  forEachStmt(f.body, (s) => {
    if (s.k === "declare" && s.init?.k === "column" && !s.init.inactive) columns.add(s.v);
  });
  if (columns.size === 0) return f;
  const local = unaliasedLocalArrays(f.body);
  const asIndex = new Set<Var>();
  const visit = (e: Expr, inIndex: boolean): void => {
    if (e.k === "index") {
      if (inIndex && e.array.k === "var") asIndex.add(e.array.v);
      visit(e.array, false);
      visit(e.index, true);
      return;
    }
    for (const c of exprChildren(e)) visit(c, inIndex && (e.k === "binary" || e.k === "neg"));
  };
  forEachStmt(f.body, (s) => {
    if (s.k === "store" || s.k === "accumulateElement") {
      const root = rootVar(s.array);
      if (root) columns.delete(root);
      visit(s.array, false);
      visit(s.index, true);
      visit(s.value, false);
    } else for (const e of stmtExprs(s)) visit(e, false);
  });
  const plain = [...columns].filter((v) => local.has(v) && asIndex.has(v));
  if (plain.length === 0) return f;
  const rewrite = (list: readonly Stmt[]): Stmt[] =>
    list.map((s) => {
      if (s.k === "declare" && s.init?.k === "column" && plain.includes(s.v)) return { ...s, init: { ...s.init, inactive: true } };
      return mapStmtParts(s, (e) => e, rewrite);
    });
  return { ...f, body: rewrite(f.body) };
}
