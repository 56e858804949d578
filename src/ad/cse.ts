/**
 * Common-subexpression elimination for the derivative code of one statement. Rules repeat their
 * operands (d tanh(u) = 1 - tanh(u)^2, a min's tie test, ...), the adjoints of several operands
 * repeat the same partials, and a forward-mode statement's tangents (one per direction in vector
 * mode) repeat the calls of its value (V8 computes `Math.exp(u)` again at each occurrence). Within one straight list of statements, primal variables
 * do not change, so an expression of primal variables that occurs twice can be computed once.
 * Only expressions at the top level of the list are shared (not those inside an `if`, which may
 * be guarding an element read), and never ones that read adjoints, which the list updates.
 */
import type { Expr, Stmt } from "../ir/nodes.js";
import { NUMBER, Var } from "../ir/nodes.js";
import { exprChildren, mapExpr, mapStmtParts, sameExpr, stmtExprs, varsOf } from "../ir/walk.js";

/** Expressions worth a name: calls of Math functions and element reads of arrays of arrays. */
function worthSharing(e: Expr): boolean {
  return e.k === "math" || (e.k === "index" && e.array.k === "index") || (e.k === "binary" && (e.op === "/" || e.op === "**"));
}

/** Reads only primal values: the program's variables, and the names given here to primal subexpressions. */
function isPrimal(e: Expr, named: ReadonlySet<Var>): boolean {
  for (const v of varsOf(e)) if (v.origin === "generated" && !named.has(v)) return false;
  return true;
}

/**
 * Top-level expressions of a statement that are evaluated unconditionally and only read
 * primal values: not nested statements (an `if` may guard an element read), not the array
 * written by an element accumulation.
 */
function rootsOf(s: Stmt): Expr[] {
  switch (s.k) {
    case "accumulate":
    case "accumulateField":
    case "declare":
    case "assign":
    case "store":
    case "expr":
    case "genReturn":
      return stmtExprs(s);
    case "accumulateElement":
      return [s.index, s.value];
    default:
      return [];
  }
}

function replaceInStmt(s: Stmt, target: Expr, by: Expr): Stmt {
  if (rootsOf(s).length === 0) return s;
  const replace = (e: Expr) => mapExpr(e, (x) => (sameExpr(x, target) ? by : x));
  if (s.k === "accumulateElement") return { ...s, index: replace(s.index), value: replace(s.value) };
  return mapStmtParts(s, replace, (list) => [...list]);
}

/** The name of a shared subexpression: the Math function's, `element`, `quotient` or `power`. */
function nameOf(e: Expr): string {
  return e.k === "math" ? e.fn : e.k === "index" ? "element" : e.k === "binary" && e.op === "**" ? "power" : "quotient";
}

/** Names repeated primal subexpressions of `list` once, in `const`s placed before their first use. */
export function shareSubexpressions(list: Stmt[]): Stmt[] {
  let out = list;
  // (A name given in an earlier round stands for a primal value: `Math.min(element, element_2)`
  // over shared element reads is shared in turn.)
  const named = new Set<Var>();
  for (let round = 0; round < 8; round++) {
    // Count structurally equal candidates (largest first, so a whole repeated subtree wins).
    const candidates: { e: Expr; count: number; first: number; length: boolean }[] = [];
    out.forEach((s, position) => {
      const visit = (e: Expr, isLength = false): void => {
        if (worthSharing(e) && isPrimal(e, named)) {
          const known = candidates.find((c) => sameExpr(c.e, e));
          if (known) known.count++;
          else candidates.push({ e, count: 1, first: position, length: isLength });
        }
        // (An allocation's length is named `length`, whatever computes it.)
        if (e.k === "alloc") {
          visit(e.length, true);
          if (e.inner) visit(e.inner, true);
        } else for (const c of exprChildren(e)) visit(c);
      };
      for (const root of rootsOf(s)) visit(root);
    });
    const repeated = candidates.filter((c) => c.count > 1);
    if (repeated.length === 0) return out;
    const chosen = repeated[0]!;
    const v = new Var(chosen.length ? "length" : nameOf(chosen.e), NUMBER, "generated");
    named.add(v);
    const by: Expr = { k: "var", v };
    const rewritten = out.map((s) => replaceInStmt(s, chosen.e, by));
    out = [...rewritten.slice(0, chosen.first), { k: "declare", v, init: chosen.e, mutable: false }, ...rewritten.slice(chosen.first)];
  }
  return out;
}
