/**
 * Names the results of expensive calls nested in statements inside loops, for the reverse sweep.
 *
 * The derivative of `exp`, `tanh`, `pow` or the logistic `1 / (1 + exp(-z))` is computed from
 * its result. Where the call is the whole value of an assignment, the target holds that result
 * and the reverse code reads it (see the snippets in adjoints.ts). Nested in a larger expression,
 * `s += Math.exp(v[i] - mx)`, the reverse code would compute exp again in every iteration; named,
 *
 *     const exp_result = Math.exp(v[i] - mx);
 *     s += exp_result;
 *
 * the value is recorded once per iteration instead (a push and a pop, cheaper than exp). Outside
 * loops the reverse sweep runs each statement once: recomputing is as cheap as recording there,
 * and the code stays as written.
 */
import { NUMBER, Var, type Expr, type Stmt } from "../../ir/nodes.js";
import { usesResult } from "../../ir/primitives.js";
import { containsCall, mapExprChildren, mapStmtParts, varsOf } from "../../ir/walk.js";
import { logisticArgument } from "./adjoints.js";

/** Math functions slower than a tape push and pop whose derivatives read their result. */
const EXPENSIVE = new Set<string>(["exp", "expm1", "tanh", "pow", "cbrt", "hypot"]);

/**
 * `body` with the expensive result-reusing calls nested in assignments and stores inside loops
 * named by `const` temporaries just before their statement, where `isActive` says the call
 * needs a derivative.
 */
export function nameNestedResults(body: readonly Stmt[], isActive: (e: Expr) => boolean): Stmt[] {
  // (A call of a named result, `exp(exp_result)`, is active too.)
  const named = new Set<Var>();
  const needsDerivative = (e: Expr) => isActive(e) || [...varsOf(e)].some((v) => named.has(v));
  const visit = (list: readonly Stmt[], inLoop: boolean): Stmt[] => {
    const out: Stmt[] = [];
    for (const s of list) {
      if (s.k === "loop") out.push({ ...s, body: visit(s.body, true) });
      else if (inLoop && (s.k === "assign" || s.k === "store") && !containsCall(s.value)) {
        const declarations: Stmt[] = [];
        const value = nameInside(s.value, true, needsDerivative, (call) => {
          const v = new Var(`${resultName(call)}_result`, NUMBER, "temp", true);
          named.add(v);
          declarations.push({ k: "assign", target: v, value: call, declare: "const", node: s.node });
          return v;
        });
        out.push(...declarations, declarations.length > 0 ? { ...s, value } : s);
      } else out.push(mapStmtParts(s, (e) => e, (block) => visit(block, inLoop)));
    }
    return out;
  };
  return visit(body, false);
}

function nameInside(e: Expr, isRoot: boolean, isActive: (e: Expr) => boolean, name: (call: Expr) => Var): Expr {
  // Operands of ?:, && and || are evaluated only sometimes: named, they would be always.
  if (e.k === "cond" || e.k === "logical") return e;
  const z = logisticArgument(e);
  let inner: Expr;
  if (z) {
    // The logistic as a whole (its rule reads r), not the exp inside it.
    const named = nameInside(z, false, isActive, name);
    inner = named === z ? e : logisticOf(named);
  } else {
    inner = mapExprChildren(e, (c) => nameInside(c, false, isActive, name));
  }
  if (isRoot || !isActive(inner)) return inner;
  const expensive = z !== undefined || (inner.k === "math" && EXPENSIVE.has(inner.fn) && usesResult(inner)) || (inner.k === "binary" && inner.op === "**" && usesResult(inner));
  return expensive ? { k: "var", v: name(inner) } : inner;
}

function resultName(call: Expr): string {
  if (logisticArgument(call)) return "logistic";
  if (call.k === "math") return call.fn;
  return "pow";
}

/** `1 / (1 + exp(-z))`. */
function logisticOf(z: Expr): Expr {
  const minusZ: Expr = { k: "neg", a: z };
  const exp: Expr = { k: "math", fn: "exp", args: [minusZ] };
  return { k: "binary", op: "/", a: { k: "num", value: 1 }, b: { k: "binary", op: "+", a: { k: "num", value: 1 }, b: exp } };
}
