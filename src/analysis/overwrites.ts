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
 * or interleaved (`a[2 * i] = ...; a[2 * i + 1] = ...` with length `2 * n`), and no exit from
 * the loop.
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
    if (covers && !readsInside(loop.body, a, [s])) out.push(a);
  }
  // Interleaved elements (`a[2 * i] = ...; a[2 * i + 1] = ...` for i < n, a of length 2 * n): the
  // writes at offsets 0..k-1 of stride k together cover the array.
  const strided = new Map<Var, { stride: number; offsets: Set<number>; writes: Stmt[] }>();
  for (const s of loop.body) {
    if (s.k !== "store" || s.array.k !== "var") continue;
    const at = stridedIndex(s.index, counted.index);
    if (!at || at.offset >= at.stride) continue;
    const entry = strided.get(s.array.v) ?? { stride: at.stride, offsets: new Set<number>(), writes: [] };
    if (entry.stride !== at.stride) continue;
    entry.offsets.add(at.offset);
    entry.writes.push(s);
    strided.set(s.array.v, entry);
  }
  for (const [a, { stride, offsets, writes }] of strided) {
    const length = allocations.get(a);
    if (offsets.size !== stride || !length || !isMultiple(length, stride, bound)) continue;
    if (!readsInside(loop.body, a, writes)) out.push(a);
  }
  return out;
}

/** `k * i + c` (or `i * k + c`, `k * i`) with integer literals k >= 2 and c >= 0. */
function stridedIndex(e: Expr, i: Var): { stride: number; offset: number } | undefined {
  const scaled = (x: Expr): number | undefined => {
    if (x.k !== "binary" || x.op !== "*") return undefined;
    const [k, v] = x.a.k === "num" ? [x.a, x.b] : [x.b, x.a];
    return k.k === "num" && Number.isInteger(k.value) && k.value >= 2 && v.k === "var" && v.v === i ? k.value : undefined;
  };
  const plain = scaled(e);
  if (plain !== undefined) return { stride: plain, offset: 0 };
  if (e.k !== "binary" || e.op !== "+" || e.b.k !== "num" || !Number.isInteger(e.b.value) || e.b.value < 0) return undefined;
  const stride = scaled(e.a);
  return stride === undefined ? undefined : { stride, offset: e.b.value };
}

/** Whether `length` is `k * bound` (either way round). */
function isMultiple(length: Expr, k: number, bound: Expr): boolean {
  if (length.k !== "binary" || length.op !== "*") return false;
  const [c, v] = length.a.k === "num" ? [length.a, length.b] : [length.b, length.a];
  return c.k === "num" && c.value === k && sameExpr(v, bound);
}

/**
 * Whether statements read array `a` anywhere but as the target of `write`. A read inside the
 * rewriting loop (`a[i] = x; x = f(a[i])`) is reversed after later writes, so it still needs
 * the elements recorded: no kill then.
 */
function readsInside(body: readonly Stmt[], a: Var, writes: readonly Stmt[]): boolean {
  let found = false;
  forEachStmt(body, (s) => {
    // The written array itself is not a read, unless it is a row of a matrix (`m[i][j] = ...`).
    const reads = writes.includes(s) && s.k === "store" && s.array.k === "var" ? [s.index, s.value] : stmtExprs(s);
    if (reads.some((e: Expr) => varsOf(e).has(a))) found = true;
  });
  return found;
}
