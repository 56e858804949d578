/**
 * Integer index variables (`li++` walking an index list): the reverse sweep undoes their steps
 * by the inverse step instead of recording every value.
 */
import type { Expr, Stmt, Var } from "../ir/nodes.js";
import { exprChildren, forEachStmt, stmtExprs } from "../ir/walk.js";
import type { Activity } from "./activity.js";

/** `v = v + c` or `v = v - c` with an integer literal c: the signed step, else undefined. */
export function integerStep(s: Stmt): number | undefined {
  if (s.k !== "assign") return undefined;
  const e = s.value;
  if (e.k !== "binary" || (e.op !== "+" && e.op !== "-")) return undefined;
  if (e.a.k !== "var" || e.a.v !== s.target || e.b.k !== "num" || !Number.isInteger(e.b.value) || e.b.text !== undefined) return undefined;
  return e.op === "+" ? e.b.value : -e.b.value;
}

/**
 * Integer-like index variables: inactive numbers whose every read is an array index, a
 * comparison or the definition of another such variable. Undoing `i = i + 1` by `i = i - 1`
 * is exact for integers; a non-integer such variable would only index to undefined anyway.
 */
export function indexLikeVars(body: readonly Stmt[], activity: Activity): Set<Var> {
  const candidates = new Set<Var>();
  const locals = new Set<Var>();
  forEachStmt(body, (s) => {
    if (s.k === "assign") locals.add(s.target);
  });
  for (const v of locals) if (v.type.kind === "number" && v.origin !== "param" && !activity.isActive(v)) candidates.add(v);
  // Remove variables read anywhere other than an index, a comparison or a candidate's definition.
  for (let changed = true; changed; ) {
    changed = false;
    const badReads = new Set<Var>();
    const scan = (e: Expr, allowed: boolean): void => {
      switch (e.k) {
        case "var":
          if (!allowed) badReads.add(e.v);
          return;
        case "index":
          scan(e.array, false);
          scan(e.index, true);
          return;
        case "compare":
          scan(e.a, true);
          scan(e.b, true);
          return;
        case "binary":
        case "neg":
        case "math":
          // Arithmetic on an index is still an index (a[i + 1]); elsewhere it is a value.
          for (const x of exprChildren(e)) scan(x, allowed);
          return;
        case "cond":
          scan(e.test, true);
          scan(e.a, allowed);
          scan(e.b, allowed);
          return;
        case "logical":
        case "not":
          for (const x of exprChildren(e)) scan(x, true);
          return;
        case "alloc":
          // Sizes.
          for (const x of exprChildren(e)) scan(x, true);
          return;
        default:
          // Calls, kernels, literals: their operands are values.
          for (const x of exprChildren(e)) scan(x, false);
          return;
      }
    };
    forEachStmt(body, (s) => {
      switch (s.k) {
        case "assign":
          scan(s.value, candidates.has(s.target));
          break;
        case "store":
          scan(s.array, false);
          scan(s.index, true);
          scan(s.value, false);
          break;
        case "if":
        case "loop":
          // Conditions: comparisons of indices.
          for (const e of stmtExprs(s)) scan(e, true);
          break;
        default:
          for (const e of stmtExprs(s)) scan(e, false);
          break;
      }
    });
    for (const v of badReads) {
      if (candidates.delete(v)) changed = true;
    }
  }
  return candidates;
}

