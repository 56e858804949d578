/**
 * Joins the tape pushes of a run of straight-line statements into one call:
 *
 *     tape.push(dx);                 tape.push4(dx, dy, len, f);
 *     dx = b_x - a_x;                dx = b_x - a_x;
 *     tape.push(dy);           ->    dy = b_y - a_y;
 *     dy = b_y - a_y;                ...
 *     ...
 *
 * Each `tape.push` checks the stack's capacity and updates its top; `push2`..`push4` do it once
 * for two to four values (measured: bench/particles' gradient 0.87x the time). A push moves up
 * to an earlier one only over plain assignments and element writes that change nothing the
 * pushed value reads and touch no tape, so the same values go onto the tape in the same order:
 * the reverse sweep's pops are unchanged.
 */
import type { GenFunction } from "../ad/common.js";
import type { Expr, Stmt, Var } from "../ir/nodes.js";
import { exprChildren, mapStmtParts, rootVar, stmtExprs, varsOf } from "../ir/walk.js";

/** The largest group: `tape.push2` .. `tape.push4` (runtime/tape.ts). */
const MAX_GROUP = 4;

export function groupTapePushes(f: GenFunction): GenFunction {
  const local = unaliasedLocalArrays(f.body);
  return { ...f, body: groupList(f.body, local) };
}

function groupList(list: readonly Stmt[], local: ReadonlySet<Var>): Stmt[] {
  const out: Stmt[] = list.map((s) => mapStmtParts(s, (e) => e, (l) => groupList(l, local)));
  /** The group being built: where its first push is, its values, and what the statements since it write. */
  let group: { at: number; values: Expr[]; vars: Set<Var>; arrays: Set<Var | undefined> } | undefined;
  const close = (): void => {
    if (group && group.values.length > 1) {
      const fn = `tape.push${group.values.length}`;
      out[group.at] = { k: "expr", e: { k: "runtime", fn, args: group.values } };
    }
    group = undefined;
  };
  const removed = new Set<number>();
  out.forEach((s, i) => {
    const value = pushedValue(s);
    if (value !== undefined) {
      if (group && group.values.length < MAX_GROUP && !changedBetween(value, group.vars, group.arrays, local)) {
        group.values.push(value);
        removed.add(i);
        return;
      }
      close();
      if (movable(value)) group = { at: i, values: [value], vars: new Set(), arrays: new Set() };
      return;
    }
    if (!group) return;
    if (!plain(s)) {
      close();
      return;
    }
    // What the statement changes: a variable, or elements of an array (undefined: any array).
    switch (s.k) {
      case "assign":
      case "accumulate":
        group.vars.add(s.target);
        break;
      case "declare":
        group.vars.add(s.v);
        break;
      case "store":
      case "accumulateElement":
        group.arrays.add(rootVar(s.array));
        break;
      case "accumulateField":
        group.arrays.add(s.object);
        break;
    }
  });
  close();
  return removed.size === 0 ? out : out.filter((_, i) => !removed.has(i));
}

/** The value of a one-value `tape.push`. */
function pushedValue(s: Stmt): Expr | undefined {
  if (s.k !== "expr" || s.e.k !== "runtime" || s.e.fn !== "tape.push" || s.e.args.length !== 1) return undefined;
  return s.e.args[0];
}

/** No calls in the expression (a call may use the tape or change arrays). */
function movable(e: Expr): boolean {
  if (e.k === "call" || e.k === "runtime" || e.k === "raw") return false;
  return exprChildren(e).every(movable);
}

/** A statement a push may move over: an assignment or element write without calls. */
function plain(s: Stmt): boolean {
  switch (s.k) {
    case "assign":
    case "accumulate":
    case "declare":
    case "store":
    case "accumulateElement":
    case "accumulateField":
      return stmtExprs(s).every(movable);
    case "comment":
      return true;
    default:
      return false;
  }
}

/**
 * Whether statements that wrote `vars` and elements of `arrays` may have changed `value`: it
 * reads one of the variables, or reads an element of an array that may be one of those written
 * (the same variable, or two arrays of which neither is an unaliased local one).
 */
function changedBetween(value: Expr, vars: ReadonlySet<Var>, arrays: ReadonlySet<Var | undefined>, local: ReadonlySet<Var>): boolean {
  for (const v of varsOf(value)) if (vars.has(v)) return true;
  if (arrays.size === 0) return false;
  const read = readArrays(value);
  for (const r of read) {
    for (const w of arrays) {
      if (r === undefined || w === undefined || r === w) return true;
      if (!local.has(r) && !local.has(w)) return true;
    }
  }
  return false;
}

/**
 * The arrays (and objects) whose elements, length (an element write may grow an array) or fields
 * an expression reads (undefined: not a variable).
 */
function readArrays(e: Expr, out: Set<Var | undefined> = new Set()): Set<Var | undefined> {
  if (e.k === "index" || e.k === "length") out.add(rootVar(e.array));
  if (e.k === "field") out.add(e.object.k === "var" ? e.object.v : undefined);
  for (const c of exprChildren(e)) readArrays(c, out);
  return out;
}

/**
 * Vectors the function creates itself (every value they get is a new array) and uses only by
 * element or length: no other variable can refer to the same array.
 */
export function unaliasedLocalArrays(body: readonly Stmt[]): Set<Var> {
  const fresh = new Map<Var, boolean>();
  const aliased = new Set<Var>();
  const isNew = (e: Expr | undefined) =>
    e !== undefined && (e.k === "alloc" || e.k === "zerosLike" || e.k === "copy" || e.k === "arrayLit" || e.k === "column");
  const visit = (e: Expr, asArray: boolean): void => {
    if (e.k === "var") {
      if (!asArray) aliased.add(e.v);
      return;
    }
    // (A copy, a zero array of the same length, a column of rows do not refer to the array.)
    if (e.k === "column") {
      visit(e.rows, e.rows.k === "var");
      return;
    }
    if (e.k === "zerosLike" || e.k === "copy") {
      visit(e.of, e.of.k === "var");
      return;
    }
    if (e.k === "index" || e.k === "length") {
      visit(e.array, e.array.k === "var");
      if (e.k === "index") visit(e.index, false);
      return;
    }
    for (const c of exprChildren(e)) visit(c, false);
  };
  const walk = (list: readonly Stmt[]): void => {
    for (const s of list) {
      if (s.k === "assign") fresh.set(s.target, (fresh.get(s.target) ?? true) && isNew(s.value));
      if (s.k === "declare") fresh.set(s.v, (fresh.get(s.v) ?? true) && isNew(s.init));
      if (s.k === "store" || s.k === "accumulateElement") {
        visit(s.array, s.array.k === "var");
        visit(s.index, false);
        visit(s.value, false);
      } else for (const e of stmtExprs(s)) visit(e, false);
      mapStmtParts(s, (e) => e, (l) => (walk(l), [...l]));
    }
  };
  walk(body);
  const out = new Set<Var>();
  for (const [v, isFresh] of fresh) if (isFresh && !aliased.has(v) && v.type.kind === "vector") out.add(v);
  return out;
}
