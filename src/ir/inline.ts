/**
 * Inlining of small helpers: a call of a function whose body is a single `return` of a short
 * expression of its number parameters (`sigmoid(z)`, `square(u)`) is replaced by that
 * expression. The derivative then costs what the expression costs, without a forward/reverse
 * routine pair and the tape traffic of passing adjoints back; V8 would inline the primal call,
 * but it cannot remove that traffic.
 */
import type { Expr, IrFunction, IrProgram, Stmt, Var } from "./nodes.js";
import { Var as VarClass } from "./nodes.js";
import { forEachExpr, forEachStmtExpr, mapExpr, mapStmtParts, someExpr, varsOf } from "./walk.js";

/** Largest expression (in nodes) inlined. */
const MAX_NODES = 40;

function size(e: Expr): number {
  let n = 0;
  forEachExpr(e, () => n++);
  return n;
}

/** The returned expression of a function that only returns an expression of its parameters. */
function inlineBody(fn: IrFunction): Expr | undefined {
  if (fn.body.length !== 1 || fn.custom) return undefined;
  const only = fn.body[0]!;
  if (only.k !== "return" || fn.returnType.kind !== "number") return undefined;
  if (!fn.params.every((p) => p.v.type.kind === "number")) return undefined;
  const params = new Set(fn.params.map((p) => p.v));
  for (const v of varsOf(only.value)) if (!params.has(v)) return undefined;
  const hasCall = someExpr(only.value, (x) => x.k === "call" || x.k === "runtime");
  if (hasCall || size(only.value) > MAX_NODES) return undefined;
  return only.value;
}

function uses(e: Expr, v: Var): number {
  let n = 0;
  forEachExpr(e, (x) => {
    if (x.k === "var" && x.v === v) n++;
  });
  return n;
}

export function inlineSmallCalls(program: IrProgram): void {
  const bodies = new Map<string, Expr>();
  for (const [name, fn] of program.functions) {
    const body = inlineBody(fn);
    if (body) bodies.set(name, body);
  }
  if (bodies.size === 0) return;
  for (const fn of program.functions.values()) {
    fn.body = inlineIn(fn.body, bodies, program);
    fn.callees = calleesOf(fn.body);
  }
}

function inlineIn(list: readonly Stmt[], bodies: Map<string, Expr>, program: IrProgram): Stmt[] {
  const out: Stmt[] = [];
  for (const s of list) {
    if (s.k === "assign" && s.value.k === "call" && bodies.has(s.value.fn)) {
      const callee = program.functions.get(s.value.fn)!;
      const body = bodies.get(s.value.fn)!;
      const substitution = new Map<Var, Expr>();
      callee.params.forEach((p, i) => {
        const arg = s.value.k === "call" ? s.value.args[i]! : undefined!;
        const trivial = arg.k === "var" || arg.k === "num";
        // (`undefined` for an optional parameter left out stays a variable, read as `b!` where given.)
        if (arg.k !== "raw" && (trivial || uses(body, p.v) <= 1)) {
          substitution.set(p.v, arg);
        } else {
          // An argument used several times is computed once, under the parameter's name.
          const v = new VarClass(p.v.name, p.v.type, "temp", true);
          v.optional = arg.k === "raw";
          out.push({ k: "assign", target: v, value: arg, declare: "const", node: s.node });
          substitution.set(p.v, { k: "var", v });
        }
      });
      const value = mapExpr(body, (x) => (x.k === "var" && substitution.has(x.v) ? substitution.get(x.v)! : x));
      out.push({ ...s, value });
    } else if (s.k === "loop") {
      // A `for` head holds declarations only: when inlining adds temporaries to its initializer,
      // the whole initializer runs just before the loop instead (as it would in the head); an
      // update that would need temporaries keeps its call.
      const init = inlineIn(s.init, bodies, program);
      const grown = init.length > s.init.length;
      const update = inlineIn(s.update, bodies, program);
      if (grown) out.push(...init);
      out.push({
        ...s,
        init: grown ? [] : init,
        update: update.length > s.update.length ? s.update : update,
        body: inlineIn(s.body, bodies, program),
      });
    } else {
      out.push(
        mapStmtParts(
          s,
          (e) => e,
          (inner) => inlineIn(inner, bodies, program),
        ),
      );
    }
  }
  return out;
}

/** Functions still called, in first-call order. */
function calleesOf(body: readonly Stmt[]): string[] {
  const out: string[] = [];
  forEachStmtExpr(body, (root) =>
    forEachExpr(root, (x) => {
      if (x.k === "call" && !out.includes(x.fn)) out.push(x.fn);
    }),
  );
  return out;
}
