/**
 * Overwritten arrays: a loop that writes every element of a local array ends what the reverse
 * sweep requires of the array's old contents, so later writes need not record old elements
 * (the to-be-recorded analysis asks through its `overwrites` hook).
 */
import type { Expr, Stmt, Var } from "../ir/nodes.js";
import { forEachStmt, sameExpr, stmtExprs, varsOf } from "../ir/walk.js";
import type { ControlFacts } from "./loops.js";

/**
 * Arrays a loop writes in full: `for (let i = 0; i < n; i++) { ... a[i] = e; ... }` with the
 * write unconditional and `a` a local array allocated with length `n` (or bounded by a.length),
 * and no exit from the loop.
 */
export function overwrittenArrays(loop: Extract<Stmt, { k: "loop" }>, control: ControlFacts, allocations: Map<Var, Expr>): Var[] {
  const counted = control.loops.get(loop.loop)?.counted;
  if (!counted || counted.start.k !== "num" || counted.start.value !== 0 || !loop.test || loop.test.k !== "compare" || loop.test.op !== "<") return [];
  if ((control.escaping.get(loop) ?? []).length > 0 || control.loops.get(loop.loop)!.perIteration || control.loops.get(loop.loop)!.lastIteration) return [];
  const bound = loop.test.b;
  const out: Var[] = [];
  for (const s of loop.body) {
    if (s.k !== "store" || s.array.k !== "var" || s.index.k !== "var" || s.index.v !== counted.index) continue;
    const a = s.array.v;
    const length = allocations.get(a);
    const covers = (length !== undefined && sameExpr(length, bound)) || (bound.k === "length" && bound.array.k === "var" && bound.array.v === a && length !== undefined);
    if (covers && !readsInside(loop.body, a, s)) out.push(a);
  }
  return out;
}

/**
 * Whether statements read array `a` anywhere but as the target of `write`. A read inside the
 * rewriting loop (`a[i] = x; x = f(a[i])`) is reversed after later writes, so it still needs
 * the elements recorded: no kill then.
 */
function readsInside(body: readonly Stmt[], a: Var, write: Stmt): boolean {
  let found = false;
  forEachStmt(body, (s) => {
    // The written array itself is not a read, unless it is a row of a matrix (`m[i][j] = ...`).
    const reads = s === write && s.k === "store" && s.array.k === "var" ? [s.index, s.value] : stmtExprs(s);
    if (reads.some((e: Expr) => varsOf(e).has(a))) found = true;
  });
  return found;
}
