/**
 * Rematerialization: numbers the reverse sweep can compute again instead of recording them.
 *
 * `const l = icf[k * size + i]` inside a loop is a cheap expression of values that never change
 * while `l` is in scope: parameters (inputs are never written), variables assigned once at the
 * top of the function, and indices of the counted loops around it (the reverse sweep runs those
 * loops backwards, so the index has the same value when it reverses the statements that use
 * `l`). The reverse code then reads the expression instead of `l`, and `l` needs no tape.
 */
import type { Expr, IrFunction, LoopInfo, Stmt, Var } from "../ir/nodes.js";
import { assignedVars, forEachStmt, mapExpr } from "../ir/walk.js";
import type { LoopFacts } from "./loops.js";

export function rematerializable(fn: IrFunction, body: readonly Stmt[], loops: Map<LoopInfo, LoopFacts>): Map<Var, Expr> {
  const assigned = assignedVars(body);
  const counts = new Map<Var, number>();
  forEachStmt(body, (s) => {
    if (s.k === "assign") counts.set(s.target, (counts.get(s.target) ?? 0) + 1);
  });
  const params = new Set(fn.params.map((p) => p.v));
  const topLevelOnce = new Set<Var>();
  for (const s of body) if (s.k === "assign" && counts.get(s.target) === 1) topLevelOnce.add(s.target);

  const out = new Map<Var, Expr>();
  const cheap = (e: Expr, indices: Set<Var>): boolean => {
    switch (e.k) {
      case "num":
        return true;
      case "var":
        return (
          e.v.type.kind === "number" &&
          ((params.has(e.v) && !assigned.has(e.v)) || topLevelOnce.has(e.v) || indices.has(e.v) || out.has(e.v))
        );
      case "neg":
        return cheap(e.a, indices);
      case "binary":
        return cheap(e.a, indices) && cheap(e.b, indices);
      case "index":
        return isParamArray(e.array) && cheap(e.index, indices);
      case "length":
        return isParamArray(e.array);
      default:
        return false;
    }
  };
  const isParamArray = (e: Expr): boolean =>
    (e.k === "var" && params.has(e.v)) || (e.k === "index" && isParamArray(e.array) && e.index.k !== "call");

  const visit = (list: readonly Stmt[], indices: Set<Var>, inLoop: boolean): void => {
    for (const s of list) {
      if (s.k === "assign" && inLoop && s.declare && counts.get(s.target) === 1 && s.target.type.kind === "number" && cheap(s.value, indices)) {
        // Store the expression with earlier rematerialized variables already substituted.
        out.set(s.target, mapExpr(s.value, (x) => (x.k === "var" && out.has(x.v) ? out.get(x.v)! : x)));
      } else if (s.k === "if") {
        visit(s.then, indices, inLoop);
        visit(s.else, indices, inLoop);
      } else if (s.k === "loop") {
        const counted = loops.get(s.loop)?.counted;
        const inner = counted ? new Set([...indices, counted.index]) : indices;
        visit(s.body, inner, true);
      }
    }
  };
  visit(body, new Set(), false);
  return out;
}
