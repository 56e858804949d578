/**
 * Activity analysis: a variable is active when it is varied (depends differentiably on an
 * independent input) and useful (the output depends differentiably on it). Only active
 * variables get tangents or adjoints; statements assigning inactive variables are left alone.
 * Flow-insensitive per variable (each source declaration is its own `Var`), which is exact
 * enough for the straight numeric code this compiler sees and cannot be wrong: a variable
 * that is active somewhere is treated as active everywhere.
 */
import { type Expr, type IrFunction, type Stmt, type Var, isDifferentiableType } from "../ir/nodes.js";
import { MATH } from "../ir/primitives.js";
import { exprChildren, forEachStmt, rootVar } from "../ir/walk.js";

export interface Activity {
  active: Set<Var>;
  isActive(v: Var): boolean;
  /** True when the expression's value depends differentiably on an active variable. */
  isActiveExpr(e: Expr): boolean;
}

interface Flow {
  /** Variables written by the statement (array roots for element writes). */
  target: Var;
  /** Variables its value depends on differentiably. */
  sources: Set<Var>;
}

function flows(body: readonly Stmt[]): { edges: Flow[]; returns: Set<Var> } {
  const edges: Flow[] = [];
  const returns = new Set<Var>();
  forEachStmt(body, (s) => {
    if (s.k === "assign") edges.push({ target: s.target, sources: differentiableVars(s.value) });
    else if (s.k === "store") {
      const root = rootVar(s.array);
      if (root) edges.push({ target: root, sources: differentiableVars(s.value) });
    } else if (s.k === "return") differentiableVars(s.value, returns);
  });
  return { edges, returns };
}

export function analyzeActivity(fn: IrFunction, independents: Iterable<Var>): Activity {
  const { edges, returns } = flows(fn.body);
  const varied = new Set<Var>(independents);
  for (let changed = true; changed; ) {
    changed = false;
    for (const { target, sources } of edges) {
      if (varied.has(target)) continue;
      for (const s of sources) {
        if (varied.has(s)) {
          varied.add(target);
          changed = true;
          break;
        }
      }
    }
  }
  const useful = new Set<Var>(returns);
  for (let changed = true; changed; ) {
    changed = false;
    for (const { target, sources } of edges) {
      if (!useful.has(target)) continue;
      for (const s of sources) {
        if (!useful.has(s)) {
          useful.add(s);
          changed = true;
        }
      }
    }
  }
  const active = new Set<Var>([...varied].filter((v) => useful.has(v) && isDifferentiableType(v.type)));
  return {
    active,
    isActive: (v) => active.has(v),
    isActiveExpr: (e) => {
      for (const v of differentiableVars(e)) if (active.has(v)) return true;
      return false;
    },
  };
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
    case "cond":
      differentiableVars(e.a, out);
      differentiableVars(e.b, out);
      break;
    case "math":
      if (!MATH[e.fn].piecewiseConstant) for (const a of e.args) differentiableVars(a, out);
      break;
    case "index":
      differentiableVars(e.array, out);
      break;
    case "neg":
    case "binary":
    case "call":
    case "runtime":
    case "arrayLit":
      for (const c of exprChildren(e)) differentiableVars(c, out);
      break;
    default:
      // Comparisons, logic, lengths, literals: no derivative flows through them.
      break;
  }
  return out;
}
