/**
 * `f_jacobian_into` (entry.ts `jacobianInto`): the vector-mode reverse entry point of a function
 * whose number of result elements is known at compile time, rewritten so that it writes each row
 * of the Jacobian straight into a caller's array, with nothing to zero or copy before or after.
 *
 * The entry point is built as `f_vjp<K>_into` is, with K = the number of rows, and then:
 *
 * - the cotangents are the unit vectors: each read `cotangent_k[i]` is the literal 1 or 0, and
 *   the zeros are folded away (`foldConstants`), so that row k runs only the adjoint code its
 *   own element of the result needs;
 * - an array parameter's adjoint `dp_k` is no buffer of its own but the Jacobian's columns for
 *   `p` in row k: `dp_k[i]` is `jacobian[base + i]` (`writeArrayAdjoints`). The first write of
 *   each element becomes an assignment, and the elements nothing writes are set to zero once;
 * - the result is not returned, and a local array that only held it is not filled
 *   (`dropUnreadResult`).
 */
import type { Expr, Stmt, Type, Var } from "../../ir/nodes.js";
import { NUMBER, Var as VarClass } from "../../ir/nodes.js";
import { add, div, isNum, lit, mul, negate, sub } from "../../ir/build.js";
import { exprChildren, forEachStmt, mapExprChildren, mapStmtParts, mapStmts, someExpr, stmtBlocks, stmtExprs, varsOf } from "../../ir/walk.js";

/** Where the adjoint of an array parameter lives in the Jacobian: `jacobian[base + i]` for `i < length`. */
export interface RowColumns {
  adjoint: Var;
  base: Expr;
  length: Expr;
}

/** The function's code does not allow f_jacobian_into (an array adjoint used whole): f_jacobian remains. */
export class NoRowsInPlace extends Error {}

/** `base + i`, a literal `i` added into a literal last term of `base` (`row_0 + 3` + 2 -> `row_0 + 5`). */
export function plus(base: Expr, i: Expr): Expr {
  if (i.k === "num" && i.text === undefined) {
    if (i.value === 0) return base;
    if (base.k === "num" && base.text === undefined) return lit(base.value + i.value);
    if (base.k === "binary" && base.op === "+" && base.b.k === "num" && base.b.text === undefined) return { k: "binary", op: "+", a: base.a, b: lit(base.b.value + i.value) };
  }
  if (isNum(base, 0)) return i;
  return { k: "binary", op: "+", a: base, b: i };
}

/** `for (let j = from; j < to; j++) array[j] = 0;` */
export function zeroLoop(array: Expr, from: Expr, to: Expr): Stmt {
  const j = new VarClass("j", NUMBER, "generated");
  return {
    k: "rawFor",
    init: { k: "declare", v: j, init: from, mutable: true },
    test: { k: "compare", op: "<", a: { k: "var", v: j }, b: to },
    update: { k: "assign", target: j, value: { k: "binary", op: "+", a: { k: "var", v: j }, b: lit(1) } },
    body: [{ k: "store", array, index: { k: "var", v: j }, value: lit(0) }],
  };
}

/**
 * The reads `cotangent_k[i]` (also through a `const` copy of the cotangent: `derr_0 = cotangent_0`)
 * replaced by variables standing for the unit vectors' elements, 1 for i = k and 0 otherwise
 * (`known`, for foldConstants). A cotangent used in another way (read at a computed index,
 * passed on) is declared a local unit vector of `rows` elements.
 */
export function unitCotangents(body: readonly Stmt[], cotangents: readonly Var[], rows: number, resultType: Type, known: Map<Var, number>): Stmt[] {
  const row = new Map<Var, number>(cotangents.map((c, k) => [c, k]));
  forEachStmt(body, (s) => {
    if (s.k === "declare" && !s.mutable && s.init?.k === "var" && row.has(s.init.v)) row.set(s.v, row.get(s.init.v)!);
  });
  const out = mapStmts(body, (e) => {
    if (e.k !== "index" || e.array.k !== "var" || e.index.k !== "num") return e;
    const k = row.get(e.array.v);
    if (k === undefined) return e;
    const element = new VarClass(`unit_${k}_${e.index.value}`, NUMBER, "generated");
    known.set(element, e.index.value === k ? 1 : 0);
    return { k: "var", v: element };
  });
  // What is left of each cotangent's uses, other than the copies.
  const used = new Set<number>();
  forEachStmt(out, (s) => {
    for (const e of stmtExprs(s)) {
      if (s.k === "declare" && !s.mutable && e.k === "var" && row.has(e.v) && row.has(s.v)) continue;
      for (const v of varsOf(e)) if (row.has(v)) used.add(row.get(v)!);
    }
  });
  const prologue: Stmt[] = [];
  for (const k of [...used].sort((a, b) => a - b)) {
    const c = cotangents[k]!;
    prologue.push({ k: "declare", v: c, init: { k: "alloc", type: resultType, length: lit(rows) }, mutable: false });
    prologue.push({ k: "store", array: { k: "var", v: c }, index: lit(k), value: lit(1) });
  }
  return [...prologue, ...out];
}

/**
 * Constant propagation of the literals the unit cotangents put into the derivative code: the
 * variables of `known` (never declared: a structure's unit cotangent, leaf by leaf) and every
 * generated variable declared with a literal and never assigned again are replaced by them, operations
 * on a literal 0 or 1 are folded as the IR's smart constructors fold them (`0 * e` is 0, `1 * e` is
 * e: a zero cotangent contributes nothing, as in a sweep that never ran for it), and accumulations
 * of 0 are dropped; until nothing changes (a dropped accumulation can leave an adjoint never
 * assigned, so a constant in turn). Expressions with nothing substituted in them (the user's
 * statements) are left as they are.
 */
export function foldConstants(body: readonly Stmt[], known: ReadonlyMap<Var, number> = new Map()): Stmt[] {
  let out = [...body];
  for (let round = 0; round < 50; round++) {
    // Variables assigned other than with a literal (a reset `d = 0` keeps a zero adjoint zero: it
    // is a constant when its declaration has that literal too, and the resets go with it).
    const assigned = new Set<Var>();
    const resetTo = new Map<Var, number>();
    forEachStmt(out, (s) => {
      if (s.k === "accumulate") assigned.add(s.target);
      if (s.k !== "assign") return;
      const value = s.value.k === "num" && s.value.text === undefined ? s.value.value : undefined;
      if (value === undefined || (resetTo.has(s.target) && resetTo.get(s.target) !== value)) assigned.add(s.target);
      else resetTo.set(s.target, value);
    });
    const constants = new Map<Var, number>(known);
    let changed = false;
    const fold = (e: Expr): Expr => {
      if (e.k === "var") {
        const c = constants.get(e.v);
        if (c === undefined) return e;
        changed = true;
        return lit(c);
      }
      const before = exprChildren(e);
      if (before.length === 0) return e;
      const after = before.map(fold);
      if (after.every((x, i) => x === before[i])) return e;
      changed = true;
      let i = 0;
      const x = mapExprChildren(e, () => after[i++]!);
      const orZero = (m: Expr | null): Expr => m ?? lit(0);
      if (x.k === "binary") {
        if (x.op === "*") return orZero(mul(x.a, x.b));
        if (x.op === "+") return orZero(add(x.a, x.b));
        if (x.op === "-") return orZero(sub(x.a, x.b));
        if (x.op === "/") return orZero(div(x.a, x.b));
      }
      if (x.k === "neg") return orZero(negate(x.a));
      return x;
    };
    const visit = (list: readonly Stmt[]): Stmt[] =>
      list.flatMap((s): Stmt[] => {
        if (s.k === "declare") {
          const init = s.init ? fold(s.init) : undefined;
          if (init?.k === "num" && init.text === undefined && s.v.origin === "generated" && s.v.type.kind === "number" && !assigned.has(s.v) && (resetTo.get(s.v) ?? init.value) === init.value) {
            // (The declaration goes: every read after it gets the literal.)
            constants.set(s.v, init.value);
            changed = true;
            return [];
          }
          return [init === s.init ? s : { ...s, ...(init ? { init } : {}) }];
        }
        if (s.k === "assign" && constants.has(s.target)) {
          changed = true;
          return [];
        }
        if (s.k === "accumulate" || s.k === "accumulateField" || s.k === "accumulateElement") {
          const mapped = mapStmtParts(s, fold, visit) as typeof s;
          if (isNum(mapped.value, 0) && (mapped.k !== "accumulateElement" || (!effects(mapped.array) && !effects(mapped.index)))) {
            changed = true;
            return [];
          }
          return [mapped];
        }
        return [mapStmtParts(s, fold, visit)];
      });
    out = visit(out);
    if (!changed) return out;
  }
  return out;
}

const effects = (e: Expr): boolean => someExpr(e, (x) => x.k === "call" || x.k === "runtime");

/**
 * Without the local array the result was returned in (`const err = new Float64Array(2); err[0] =
 * ...; err[1] = ...; value = err`), when nothing else reads it: no statement then fills it.
 */
export function dropUnreadResult(body: readonly Stmt[], value: Var): Stmt[] {
  const candidates = new Set<Var>();
  forEachStmt(body, (s) => {
    const init = s.k === "assign" && s.target === value ? s.value : s.k === "declare" && s.v === value ? s.init : undefined;
    if (init?.k === "var" && init.v.origin !== "param") candidates.add(init.v);
  });
  let out = [...body];
  for (const x of candidates) {
    const fresh = (e: Expr | undefined) => e !== undefined && (e.k === "alloc" || e.k === "zerosLike" || e.k === "arrayLit") && !effects(e);
    let ok = true;
    const drop = new Set<Stmt>();
    forEachStmt(out, (s) => {
      if ((s.k === "assign" && s.target === x) || (s.k === "declare" && s.v === x)) {
        if (fresh(s.k === "assign" ? s.value : s.init)) drop.add(s);
        else ok = false;
        return;
      }
      if ((s.k === "assign" && s.target === value) || (s.k === "declare" && s.v === value)) {
        const init = s.k === "assign" ? s.value : s.init;
        if (init?.k === "var" && init.v === x) drop.add(s);
        else if (init && someExpr(init, (e) => e.k === "var" && e.v === x)) ok = false;
        return;
      }
      if (s.k === "store" && s.array.k === "var" && s.array.v === x) {
        if (effects(s.index) || effects(s.value) || mentions(s.index, x) || mentions(s.value, x)) ok = false;
        else drop.add(s);
        return;
      }
      if (s.k === "accumulate" && s.target === x) ok = false;
      for (const e of stmtExprs(s)) if (mentions(e, x)) ok = false;
    });
    if (!ok) continue;
    const filter = (list: readonly Stmt[]): Stmt[] => list.filter((s) => !drop.has(s)).map((s) => mapStmtParts(s, (e) => e, filter));
    out = filter(out);
  }
  return out;
}

const mentions = (e: Expr, v: Var): boolean => someExpr(e, (x) => x.k === "var" && x.v === v);

/**
 * Each array adjoint of `columns` written into `jacobian` in place: its element reads and writes
 * become the Jacobian's (`dp_k[i]` -> `jacobian[base + i]`), and every element is written once
 * before anything adds into it or reads it. When the adjoint's elements are all taken at literal
 * indices, the first top-level statement touching an element, when it adds into it, becomes an
 * assignment, or a zero is written just before it; the elements no statement touches are set to
 * zero ahead (those past the last literal index by a loop up to the parameter's length, which
 * runs no iteration when the code covers them all). Otherwise the whole span is zeroed ahead.
 * Zeros and loops go at position `at` of `body` (the start of the reverse sweep). An adjoint
 * used other than element by element (passed to a helper's routine or a kernel) throws NoRowsInPlace: there is
 * no view into the Jacobian to give it.
 */
export function writeArrayAdjoints(body: readonly Stmt[], jacobian: Var, columns: readonly RowColumns[], at: number): Stmt[] {
  let out = [...body];
  const ahead: Stmt[] = [];
  for (const { adjoint, length } of columns) {
    const indices = elementIndices(out, adjoint);
    const literal = indices.every((i) => i.k === "num" && Number.isInteger(i.value) && i.value >= 0);
    const self: Expr = { k: "var", v: adjoint };
    if (!literal) {
      ahead.push(zeroLoop(self, lit(0), length));
      continue;
    }
    const covered = [...new Set(indices.map((i) => (i as Extract<Expr, { k: "num" }>).value))].sort((a, b) => a - b);
    const end = covered.length > 0 ? covered[covered.length - 1]! + 1 : 0;
    for (let c = 0; c < end; c++) if (!covered.includes(c)) ahead.push({ k: "store", array: self, index: lit(c), value: lit(0) });
    ahead.push(zeroLoop(self, lit(end), length));
    for (const c of covered) {
      const first = out.findIndex((s) => touches(s, adjoint, c));
      if (first < 0) continue;
      const s = out[first]!;
      if (s.k === "accumulateElement" && s.array.k === "var" && s.array.v === adjoint && s.index.k === "num" && s.index.value === c && !touchesExpr(s.value, adjoint, c)) {
        out[first] = { k: "store", array: s.array, index: s.index, value: s.value };
      } else {
        out.splice(first, 0, { k: "store", array: self, index: lit(c), value: lit(0) });
      }
    }
  }
  const insertAt = Math.min(at, out.length);
  out = [...out.slice(0, insertAt), ...ahead, ...out.slice(insertAt)];
  // Every element access of an adjoint becomes one of the Jacobian's.
  const place = new Map(columns.map((c) => [c.adjoint, c.base]));
  const target: Expr = { k: "var", v: jacobian };
  const rewrite = (list: readonly Stmt[]): Stmt[] =>
    list.map((s) => {
      const mapped = mapStmtParts(s, (e) => rewriteExpr(e, place, target), rewrite);
      if ((mapped.k === "store" || mapped.k === "accumulateElement") && mapped.array.k === "var" && place.has(mapped.array.v)) {
        return { ...mapped, array: target, index: plus(place.get(mapped.array.v)!, mapped.index) };
      }
      return mapped;
    });
  out = rewrite(out);
  // (Any other use of an adjoint is left: it has no declaration now.)
  forEachStmt(out, (s) => {
    for (const e of stmtExprs(s)) if (someExpr(e, (x) => x.k === "var" && place.has(x.v))) throw new NoRowsInPlace("an array adjoint is used whole: no f_jacobian_into");
  });
  return out;
}

function rewriteExpr(e: Expr, place: Map<Var, Expr>, target: Expr): Expr {
  if (e.k === "index" && e.array.k === "var" && place.has(e.array.v)) return { k: "index", array: target, index: plus(place.get(e.array.v)!, rewriteExpr(e.index, place, target)) };
  return mapExprChildren(e, (c) => rewriteExpr(c, place, target));
}

/** The index expressions at which the statements read or write elements of `v`. */
function elementIndices(body: readonly Stmt[], v: Var): Expr[] {
  const out: Expr[] = [];
  const visit = (e: Expr): void => {
    if (e.k === "index" && e.array.k === "var" && e.array.v === v) out.push(e.index);
    for (const c of exprChildren(e)) visit(c);
  };
  forEachStmt(body, (s) => {
    if ((s.k === "store" || s.k === "accumulateElement") && s.array.k === "var" && s.array.v === v) out.push(s.index);
    for (const e of stmtExprs(s)) visit(e);
  });
  return out;
}

/** Whether a statement (or one nested in it) reads or writes element `c` of `v`. */
function touches(s: Stmt, v: Var, c: number): boolean {
  if ((s.k === "store" || s.k === "accumulateElement") && s.array.k === "var" && s.array.v === v && s.index.k === "num" && s.index.value === c) return true;
  if (stmtExprs(s).some((e) => touchesExpr(e, v, c))) return true;
  return stmtBlocks(s).some((list) => list.some((x) => touches(x, v, c)));
}

function touchesExpr(e: Expr, v: Var, c: number): boolean {
  return someExpr(e, (x) => x.k === "index" && x.array.k === "var" && x.array.v === v && x.index.k === "num" && x.index.value === c);
}

/**
 * The elements of array parameters at literal indices that the function reads more than once
 * (`cam[6]` in the residual and again in several adjoints), each read once into a `const` at the
 * top (`cam_6`): V8 reads a typed array's element again after every store into another one (it
 * cannot tell that `jacobian` is not `cam`), and f_jacobian_into stores into `jacobian` all
 * along (measured on bench/ba's block: 0.94x the time). Only for parameters the function never
 * writes, changes or passes on whole; `jacobian` must not share memory with them (as documented).
 */
export function readParameterElementsOnce(body: readonly Stmt[], params: readonly Var[]): Stmt[] {
  const arrays = new Set(params.filter((p) => p.type.kind === "vector"));
  const counts = new Map<Var, Map<number, number>>();
  const visit = (e: Expr): void => {
    if (e.k === "index" && e.array.k === "var" && arrays.has(e.array.v)) {
      if (e.index.k === "num" && e.index.text === undefined && Number.isInteger(e.index.value) && e.index.value >= 0) {
        const perIndex = counts.get(e.array.v) ?? new Map<number, number>();
        perIndex.set(e.index.value, (perIndex.get(e.index.value) ?? 0) + 1);
        counts.set(e.array.v, perIndex);
      } else visit(e.index);
      return;
    }
    if (e.k === "length" && e.array.k === "var") return;
    if (e.k === "var") arrays.delete(e.v); // passed on, or aliased
    for (const c of exprChildren(e)) visit(c);
  };
  forEachStmt(body, (s) => {
    if ((s.k === "store" || s.k === "accumulateElement") && s.array.k === "var") arrays.delete(s.array.v);
    if ((s.k === "assign" || s.k === "accumulate") && arrays.has(s.target)) arrays.delete(s.target);
    for (const e of stmtExprs(s)) visit(e);
  });
  const names = new Map<string, Var>();
  const declarations: Stmt[] = [];
  for (const p of params) {
    if (!arrays.has(p)) continue;
    const perIndex = [...(counts.get(p) ?? new Map<number, number>())].filter(([, n]) => n > 1).sort((a, b) => a[0] - b[0]);
    for (const [i] of perIndex) {
      const v = new VarClass(`${p.name}_${i}`, NUMBER, "generated");
      names.set(`${p.id}:${i}`, v);
      declarations.push({ k: "declare", v, init: { k: "index", array: { k: "var", v: p }, index: lit(i) }, mutable: false });
    }
  }
  if (declarations.length === 0) return [...body];
  const out = mapStmts(body, (e) => {
    if (e.k !== "index" || e.array.k !== "var" || e.index.k !== "num") return e;
    const v = names.get(`${e.array.v.id}:${e.index.value}`);
    return v ? { k: "var", v } : e;
  });
  return [...declarations, ...out];
}
