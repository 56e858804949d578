/** Statement-level helpers of the tidy pass: cloning, visiting, and reading a statement's variables. */
import type { Expr, Stmt, Var } from "../../ir/nodes.js";
import { exprChildren, stmtExprs, varsOf, writtenVar } from "../../ir/walk.js";

/** A copy of the statement tree (expressions are shared: the pass never mutates them). */
export function cloneStmts(list: readonly Stmt[]): Stmt[] {
  return list.map(cloneStmt);
}

function cloneStmt(s: Stmt): Stmt {
  switch (s.k) {
    case "if":
      return { ...s, then: cloneStmts(s.then), else: cloneStmts(s.else) };
    case "loop":
      return { ...s, init: cloneStmts(s.init), update: cloneStmts(s.update), body: cloneStmts(s.body) };
    case "rawFor":
      return { ...s, init: s.init ? cloneStmt(s.init) : null, update: s.update ? cloneStmt(s.update) : null, body: cloneStmts(s.body) };
    case "block":
      return { ...s, body: cloneStmts(s.body) };
    default:
      return { ...s };
  }
}

/** What childLists and childStmts return for most statements (shared: callers only read it). */
const none: never[] = [];

/** The statement lists directly inside a statement. */
export function childLists(s: Stmt): Stmt[][] {
  switch (s.k) {
    case "if":
      return [s.then, s.else];
    case "loop":
      return [s.init, s.body, s.update];
    case "rawFor":
    case "block":
      return [s.body];
    default:
      return none;
  }
}

/** Statements held in a field rather than a list (a raw loop's initializer and update). */
export function childStmts(s: Stmt): Stmt[] {
  if (s.k !== "rawFor") return none;
  const out: Stmt[] = [];
  if (s.init) out.push(s.init);
  if (s.update) out.push(s.update);
  return out;
}

/** Visits every statement list of the tree, outer lists first. */
export function forEachList(body: Stmt[], visit: (list: Stmt[]) => void): void {
  visit(body);
  for (const s of body) for (const l of childLists(s)) forEachList(l, visit);
}

/** Visits every statement of the tree, nested ones included. */
export function forEachStmt(body: readonly Stmt[], visit: (s: Stmt) => void): void {
  for (const s of body) {
    visit(s);
    for (const c of childStmts(s)) visit(c);
    for (const l of childLists(s)) forEachStmt(l, visit);
  }
}


/** Every variable a statement reads or writes itself (not in nested statements). */
export function ownVars(s: Stmt, out: Set<Var> = new Set()): Set<Var> {
  for (const e of stmtExprs(s)) varsOf(e, out);
  const w = writtenVar(s);
  if (w) out.add(w);
  if (s.k === "accumulateField") out.add(s.object);
  return out;
}

/** Every variable a statement (nested statements included) reads or writes. */
export function varsIn(s: Stmt, out: Set<Var> = new Set()): Set<Var> {
  forEachStmt([s], (x) => ownVars(x, out));
  return out;
}

/** Whether a statement (nested statements included) mentions `v`. */
export function mentions(s: Stmt, v: Var): boolean {
  return varsIn(s).has(v);
}

/** Whether a statement (nested statements included) mentions a variable. */
export type Mentions = (s: Stmt, v: Var) => boolean;

/**
 * `mentions` that computes a statement's variables once, when first asked: for a pass whose
 * rewrites never change which variables a statement (kept as the same object) mentions. A
 * statement put in place of another is a new object, computed when asked.
 */
export function mentionsOnce(): Mentions {
  const sets = new Map<Stmt, Set<Var>>();
  return (s, v) => {
    let vars = sets.get(s);
    if (!vars) sets.set(s, (vars = varsIn(s)));
    return vars.has(v);
  };
}

/** How many times each variable is read (an accumulation reads its target). */
export function readCounts(body: readonly Stmt[]): Map<Var, number> {
  const counts = new Map<Var, number>();
  const count = (e: Expr): void => {
    if (e.k === "var") counts.set(e.v, (counts.get(e.v) ?? 0) + 1);
    for (const o of exprChildren(e)) count(o);
  };
  forEachStmt(body, (s) => {
    for (const e of stmtExprs(s)) count(e);
    if (s.k === "accumulate") counts.set(s.target, (counts.get(s.target) ?? 0) + 1);
    if (s.k === "accumulateField") counts.set(s.object, (counts.get(s.object) ?? 0) + 1);
  });
  return counts;
}

/** The statements that write each variable as a whole. */
export function writers(body: readonly Stmt[]): Map<Var, Stmt[]> {
  const out = new Map<Var, Stmt[]>();
  forEachStmt(body, (s) => {
    const w = writtenVar(s);
    if (!w) return;
    const list = out.get(w);
    if (list) list.push(s);
    else out.set(w, [s]);
  });
  return out;
}

/** Replaces every expression a statement evaluates itself (not nested statements), in place. */
export function rewriteExprs(s: Stmt, f: (e: Expr) => Expr): void {
  switch (s.k) {
    case "assign":
      s.value = f(s.value);
      return;
    case "declare":
      if (s.init) s.init = f(s.init);
      return;
    case "accumulate":
    case "accumulateField":
      s.value = f(s.value);
      return;
    case "store":
    case "accumulateElement":
      s.array = f(s.array);
      s.index = f(s.index);
      s.value = f(s.value);
      return;
    case "expr":
      s.e = f(s.e);
      return;
    case "return":
      s.value = f(s.value);
      return;
    case "genReturn":
      if (s.value) s.value = f(s.value);
      return;
    case "if":
      s.test = f(s.test);
      return;
    case "loop":
    case "rawFor":
      if (s.test) s.test = f(s.test);
      return;
    default:
      return;
  }
}
