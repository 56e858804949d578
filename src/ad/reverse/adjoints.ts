/**
 * The adjoint code of each statement (a Snippet): the adjoint of the assigned value is
 * propagated through the expression tree by the rules of the primitive table, adding
 * `g * d e / d x` to the adjoint of every active variable x, split around the point where the
 * reverse sweep restores the target's old value.
 */
import type { Expr, IrFunction, Stmt, Var } from "../../ir/nodes.js";
import { NUMBER, Var as VarClass, isArrayType, isDifferentiableType } from "../../ir/nodes.js";
import { InternalError, forEachStmt, mapStmts, rootVar, sameExpr, stmtExprs, varsOf, writtenVar } from "../../ir/walk.js";
import { KERNELS } from "../../ir/kernels.js";
import { isTrivial, lit, mul, negate, sub } from "../../ir/build.js";
import { shareSubexpressions } from "../cse.js";
import { zeroLike } from "../common.js";
import { primitiveOf, usesResult } from "../../ir/primitives.js";
import type { ReversePlan } from "./plan.js";
import { assign, exprStmt, ref, tape } from "./tape.js";

const ZERO = lit(0);

/** The reverse-sweep code of one assignment, split around the restoration of the old value. */
export interface Snippet {
  /** Runs before the target's old value is popped back (may read the new value). */
  beforeRestore: Stmt[];
  /** Runs after it (reads the operands' values as the statement saw them). */
  afterRestore: Stmt[];
  /** The statement's reverse code reads the value it assigned. */
  readsResult: boolean;
}

/** The snippet of every assignment, element write and return of the plan's body. */
export function buildSnippets(plan: ReversePlan): Map<Stmt, Snippet> {
  const builder = new StatementAdjoints(plan);
  const out = new Map<Stmt, Snippet>();
  forEachStmt(plan.body, (s) => {
    const snippet = builder.snippet(s);
    if (snippet) out.set(s, snippet);
  });
  return out;
}

class StatementAdjoints {
  constructor(private readonly plan: ReversePlan) {}

  /** In vector mode, the cotangent whose adjoint code is being written (its adjoints `dx_<copy>`). */
  private copy = 0;

  // ------------------------------------------------------------ adjoint propagation

  private adj(v: Var): Var {
    return this.plan.adjointSets[this.copy]!.of(v);
  }

  private adjArray(e: Expr): Expr {
    if (e.k === "var") return ref(this.adj(e.v));
    if (e.k === "index") return { k: "index", array: this.adjArray(e.array), index: e.index };
    throw new InternalError(`array expression ${e.k} has no adjoint`);
  }

  private temp(name: string, value: Expr, out: Stmt[]): Expr {
    const v = new VarClass(this.plan.copies > 1 ? `${name}_${this.copy}` : name, NUMBER, "generated");
    out.push({ k: "declare", v, init: value, mutable: false });
    return ref(v);
  }

  /**
   * Appends to `out` the code that adds `g * d e / d x` to the adjoint of every active variable x
   * in `e`. `result` names a variable holding e's value, for rules that reuse it.
   */
  propagate(e: Expr, g: Expr, out: Stmt[], result?: Expr): void {
    switch (e.k) {
      case "var":
        if (this.plan.activity.isActive(e.v)) out.push({ k: "accumulate", target: this.adj(e.v), value: g });
        return;
      case "neg":
        this.propagate(e.a, negate(g)!, out);
        return;
      case "binary":
      case "math": {
        const logistic = result ? logisticArgument(e) : undefined;
        if (logistic) {
          // 1 / (1 + exp(-z)), the logistic sigmoid: its derivative r (1 - r) from its value r,
          // instead of computing exp(-z) again for the rule of the division.
          this.propagate(logistic, mul(g, mul(result!, sub(lit(1), result!)))!, out);
          return;
        }
        if (e.k === "binary" && e.op === "*" && (e.a.k === "var" || e.a.k === "index") && sameExpr(e.a, e.b)) {
          // x * x: one contribution 2 x g instead of two of x g.
          this.propagate(e.a, mul(g, mul(lit(2), e.a))!, out);
          return;
        }
        const args = e.k === "binary" ? [e.a, e.b] : e.args;
        const active = args.map((a) => this.plan.activity.isActiveExpr(a));
        const count = active.filter(Boolean).length;
        if (count === 0) return;
        // An adjoint used by several operands is computed once.
        if (count > 1 && !isTrivial(g)) g = this.temp("adjoint", g, out);
        const partials = primitiveOf(e).partials(args, result ?? e);
        args.forEach((a, i) => {
          if (!active[i]) return;
          const contribution = mul(g, partials[i] ?? null);
          if (contribution !== null) this.propagate(a, contribution, out);
        });
        return;
      }
      case "cond": {
        const thenCode: Stmt[] = [];
        const elseCode: Stmt[] = [];
        if (!isTrivial(g)) g = this.temp("adjoint", g, out);
        this.propagate(e.a, g, thenCode);
        this.propagate(e.b, g, elseCode);
        if (thenCode.length + elseCode.length > 0) out.push({ k: "if", test: e.test, then: thenCode, else: elseCode });
        return;
      }
      case "index":
        if (this.plan.activity.isActiveExpr(e.array)) {
          out.push({ k: "accumulateElement", array: this.adjArray(e.array), index: e.index, value: g });
        }
        return;
      case "arrayLit":
        // g is an array adjoint here (the cotangent of a returned literal; a literal itself when
        // the cotangent is a structure's leaves, `[cotangent.x, cotangent.y]`, read without an array).
        e.elements.forEach((x, i) => this.propagate(x, g.k === "arrayLit" ? g.elements[i]! : { k: "index", array: g, index: lit(i) }, out));
        return;
      case "num":
      case "bool":
      case "str":
      case "length":
      case "compare":
      case "logical":
      case "not":
      case "alloc":
        return;
      default:
        throw new InternalError(`no adjoint for expression ${e.k}`);
    }
  }

  // ------------------------------------------------------------ per-statement adjoint code

  /**
   * The reverse code of one assignment, element write or return. In vector mode, the code of
   * each cotangent one after the other (the restoration between the two halves is shared), its
   * repeated primal subexpressions computed once for all of them.
   */
  snippet(s: Stmt): Snippet | undefined {
    if (s.k !== "assign" && s.k !== "store" && s.k !== "return") return undefined;
    // (A callee's reverse routine takes every cotangent in one call: it pops the callee's records once.)
    if (this.plan.copies === 1 || this.isRoutineCall(s)) return this.shared(this.ownSnippet(s));
    const parts: Snippet[] = [];
    for (let k = 0; k < this.plan.copies; k++) {
      this.copy = k;
      parts.push(this.ownSnippet(s));
    }
    this.copy = 0;
    return this.shared({ beforeRestore: parts.flatMap((p) => p.beforeRestore), afterRestore: parts.flatMap((p) => p.afterRestore), readsResult: parts.some((p) => p.readsResult) });
  }

  private ownSnippet(s: Extract<Stmt, { k: "assign" | "store" | "return" }>): Snippet {
    if (s.k === "assign") return this.assignSnippet(s);
    if (s.k === "store") return this.storeSnippet(s);
    return this.returnSnippet(s);
  }

  /** An active call of a function of the program (not one with a declared derivative): callSnippet. */
  private isRoutineCall(s: Stmt): boolean {
    return s.k === "assign" && s.value.k === "call" && this.plan.activity.isActive(s.target) && !this.plan.program.functions.get(s.value.fn)?.custom;
  }

  /** Computes repeated subexpressions of a snippet once (see cse.ts). */
  private shared(snippet: Snippet): Snippet {
    const remat = (list: Stmt[]) => (this.plan.remat.size === 0 ? list : mapStmts(list, (x) => this.plan.rematerialized(x)));
    return {
      ...snippet,
      beforeRestore: shareSubexpressions(remat(snippet.beforeRestore)),
      afterRestore: shareSubexpressions(remat(snippet.afterRestore)),
    };
  }

  private assignSnippet(s: Extract<Stmt, { k: "assign" }>): Snippet {
    const target = s.target;
    const empty: Snippet = { beforeRestore: [], afterRestore: [], readsResult: false };
    if (!this.plan.activity.isActive(target)) return empty;
    const dt = this.adj(target);
    const value = s.value;
    if (value.k === "call") return this.callSnippet(s, value, dt);
    if (value.k === "runtime") return this.kernelSnippet(s, value, dt);
    if (isArrayType(target.type)) return this.arrayInitSnippet(s, dt);
    const resets = this.plan.reassigned.has(s);
    const selfReferencing = varsOf(value).has(target);
    if (selfReferencing) {
      // `s = s + e`: the adjoint of the old s is the adjoint of the new one; only e needs code.
      if (value.k === "binary" && (value.op === "+" || value.op === "-") && value.a.k === "var" && value.a.v === target && !varsOf(value.b).has(target)) {
        const code: Stmt[] = [];
        this.propagate(value.b, value.op === "+" ? ref(dt) : negate(ref(dt))!, code);
        return { beforeRestore: [], afterRestore: code, readsResult: false };
      }
      // `s = f(s, e)`: the adjoint of the new s is taken (g), the old s's adjoint starts at 0
      // and receives g * df/ds. When that is the only contribution, it reads as `ds *= df/ds`.
      const g = new VarClass(`${this.plan.namer.of(dt)}_new`, NUMBER, "generated");
      const after: Stmt[] = [];
      this.propagate(value, ref(g), after);
      const inPlace = scaledInPlace(after, g, dt);
      if (inPlace) return { beforeRestore: [], afterRestore: inPlace, readsResult: false };
      const before: Stmt[] = [{ k: "declare", v: g, init: ref(dt), mutable: false }, assign(dt, ZERO)];
      return { beforeRestore: before, afterRestore: after, readsResult: false };
    }
    const resultRule = usesResult(value);
    const code: Stmt[] = [];
    this.propagate(value, ref(dt), code, resultRule ? ref(target) : undefined);
    // (No active operand, no derivative: the result is not read after all.)
    const read = new Set<Var>();
    for (const x of code) collectPrimalVars(x, read);
    const readsResult = resultRule && read.has(target);
    if (resets) code.push(assign(dt, ZERO));
    return { beforeRestore: code, afterRestore: [], readsResult };
  }

  /** A local array created by a literal: its elements' adjoints flow to the literal's operands. */
  private arrayInitSnippet(s: Extract<Stmt, { k: "assign" }>, dt: Var): Snippet {
    const code: Stmt[] = [];
    if (s.value.k === "arrayLit") this.propagate(s.value, ref(dt), code);
    return { beforeRestore: code, afterRestore: this.resetArrayAdjoint(s, dt), readsResult: false };
  }

  /** After an array created again in a loop is restored, its adjoint starts again from zeros. */
  private resetArrayAdjoint(s: Extract<Stmt, { k: "assign" }>, dt: Var): Stmt[] {
    if (!this.plan.reassigned.has(s)) return [];
    return [assign(dt, zeroLike(s.target.type, ref(s.target)))];
  }

  private storeSnippet(s: Extract<Stmt, { k: "store" }>): Snippet {
    if (!this.plan.activity.isActiveExpr(s.array) && !this.plan.activity.isActive(rootVar(s.array)!)) {
      return { beforeRestore: [], afterRestore: [], readsResult: false };
    }
    const element: Expr = { k: "index", array: s.array, index: s.index };
    const v = s.value;
    if (v.k === "binary" && (v.op === "+" || v.op === "-") && sameExpr(v.a, element) && !usesArray(v.b, rootVar(s.array)!)) {
      // a[i] += e: the old element's adjoint is the new one's; only e needs code.
      const code: Stmt[] = [];
      const g: Expr = { k: "index", array: this.adjArray(s.array), index: s.index };
      this.propagate(v.b, v.op === "+" ? g : negate(g)!, code);
      return { beforeRestore: [], afterRestore: code, readsResult: false };
    }
    // a[i] = e: the adjoint of the new element goes to e; the old element's adjoint starts at 0.
    const reset: Stmt = { k: "store", array: this.adjArray(s.array), index: s.index, value: ZERO };
    if (!this.plan.activity.isActiveExpr(s.value)) return { beforeRestore: [reset], afterRestore: [], readsResult: false };
    const before: Stmt[] = [];
    const g = this.temp("delement", { k: "index", array: this.adjArray(s.array), index: s.index }, before);
    before.push(reset);
    // A function whose derivative reuses its result (tanh, exp, sqrt) reads the stored element,
    // still in the array before the old one is restored: `delement * (1 - h[j] * h[j])` instead
    // of computing tanh again, at the price of recording the element it overwrites when the
    // reverse code needs it (a push and a pop, cheaper than tanh). Not for a division (cheap to
    // redo), min and max (a comparison), a Float32Array (its elements are rounded), or a value
    // reading the array itself (the old elements are needed then).
    const root = rootVar(s.array)!;
    const worthReusing = ((v.k === "math" && v.fn !== "min" && v.fn !== "max") || logisticArgument(v) !== undefined) && !(root.type.kind === "vector" && root.type.repr === "f32");
    if (worthReusing && usesResult(v) && !usesArray(v, root)) {
      const code: Stmt[] = [];
      this.propagate(v, g, code, element);
      const read = new Set<Var>();
      for (const x of code) collectPrimalVars(x, read);
      if (read.has(root)) return { beforeRestore: [...before, ...code], afterRestore: [], readsResult: true };
    }
    const after: Stmt[] = [];
    this.propagate(s.value, g, after);
    return { beforeRestore: before, afterRestore: after, readsResult: false };
  }

  private returnSnippet(s: Extract<Stmt, { k: "return" }>): Snippet {
    const code: Stmt[] = [];
    const seed = this.plan.seeds[this.copy]!;
    if (isArrayType(this.plan.fn.returnType)) this.propagateArray(s.value, seed, code);
    // The returned value is in `value` (nothing runs after a return), for rules that reuse it.
    else this.propagate(s.value, seed, code, this.plan.oneFunction && usesResult(s.value) ? ref(this.plan.valueVar) : undefined);
    return { beforeRestore: code, afterRestore: [], readsResult: false };
  }

  /** Adds an array adjoint `g` to the adjoint of the array expression `e`. */
  private propagateArray(e: Expr, g: Expr, out: Stmt[]): void {
    if (e.k === "arrayLit") {
      this.propagate(e, g, out);
      return;
    }
    if ((e.k === "var" || e.k === "index") && this.plan.activity.isActiveExpr(e)) {
      const k = new VarClass("k", NUMBER, "generated");
      const dv = this.adjArray(e);
      out.push({
        k: "rawFor",
        init: { k: "declare", v: k, init: ZERO, mutable: true },
        test: { k: "compare", op: "<", a: ref(k), b: { k: "length", array: dv } },
        update: assign(k, { k: "binary", op: "+", a: ref(k), b: lit(1) }),
        body: [{ k: "accumulateElement", array: dv, index: ref(k), value: { k: "index", array: g, index: ref(k) } }],
      });
      return;
    }
    if (this.plan.activity.isActiveExpr(e)) throw new InternalError(`cannot return array expression ${e.k}`);
  }

  /**
   * `t = g(args)`: `g_reverse(args, dt)`, then the argument adjoints come back from the tape.
   * In vector mode, one call of `g_reverse_x2(args, da_0, da_1, dt_0, dt_1)` for every
   * cotangent (array adjoints of each cotangent in turn, then each one's seed), which pushes the
   * scalar adjoints of cotangent 0, then of cotangent 1, ...: popped here in the reverse order.
   */
  private callSnippet(s: Extract<Stmt, { k: "assign" }>, call: Extract<Expr, { k: "call" }>, dt: Var): Snippet {
    const callee = this.plan.program.functions.get(call.fn);
    if (!callee) throw new InternalError(`unknown callee ${call.fn}`);
    if (callee.custom) return this.declaredSnippet(s, call, callee, dt);
    const code: Stmt[] = [];
    const args: Expr[] = [...call.args];
    const scalarArgs: { arg: Expr; index: number }[] = [];
    const copies = Array.from({ length: this.plan.copies }, (_, k) => k);
    // The routine pair for this pattern of active arguments takes (arrays) or gives back (numbers,
    // on the tape) adjoints of the active ones only.
    callee.params.forEach((p, i) => {
      const arg = call.args[i]!;
      if (!isDifferentiableType(p.v.type) || !this.plan.activity.isActiveExpr(arg)) return;
      if (!isArrayType(p.v.type)) scalarArgs.push({ arg, index: i });
    });
    for (const k of copies) {
      this.copy = k;
      callee.params.forEach((p, i) => {
        const arg = call.args[i]!;
        if (isDifferentiableType(p.v.type) && this.plan.activity.isActiveExpr(arg) && isArrayType(p.v.type)) args.push(this.adjArray(arg));
      });
    }
    for (const k of copies) {
      this.copy = k;
      args.push(ref(this.adj(s.target)));
    }
    code.push(exprStmt({ k: "call", fn: this.plan.calleeRoutines(call).reverse, args }));
    // The callee pushed its scalar adjoints in parameter order: pop them in reverse.
    for (const k of [...copies].reverse()) {
      this.copy = k;
      for (const { arg } of [...scalarArgs].reverse()) {
        const popped = tape("pop");
        if (arg.k === "var") {
          this.propagate(arg, popped, code);
        } else {
          const g = this.temp("dargument", popped, code);
          this.propagate(arg, g, code);
        }
      }
    }
    const after: Stmt[] = [];
    for (const k of copies) {
      this.copy = k;
      const dtk = this.adj(s.target);
      if (!isArrayType(s.target.type) && this.plan.reassigned.has(s)) code.push(assign(dtk, ZERO));
      if (isArrayType(s.target.type)) after.push(...this.resetArrayAdjoint(s, dtk));
    }
    this.copy = 0;
    return { beforeRestore: code, afterRestore: after, readsResult: false };
  }

  /**
   * `t = f(args)` of a function whose derivative the user declared: `const r = f_vjp(args, dt)`,
   * then each active argument's adjoint gets `r.grad.<parameter>`.
   */
  private declaredSnippet(s: Extract<Stmt, { k: "assign" }>, call: Extract<Expr, { k: "call" }>, callee: IrFunction, dt: Var): Snippet {
    const code: Stmt[] = [];
    const result = new VarClass("vjp", NUMBER, "generated");
    if (!callee.custom?.vjp) throw new InternalError(`no declared vjp for ${callee.sourceName}`);
    code.push({ k: "declare", v: result, init: { k: "call", fn: callee.custom.vjp, args: [...call.args, ref(dt)] }, mutable: false });
    const grad: Expr = { k: "field", object: ref(result), name: "grad", optional: false };
    callee.params.forEach((p, i) => {
      const arg = call.args[i]!;
      if (!isDifferentiableType(p.v.type) || !this.plan.activity.isActiveExpr(arg)) return;
      const g: Expr = { k: "field", object: grad, name: p.v.name, optional: false };
      if (isArrayType(p.v.type)) this.propagateArray(arg, g, code);
      else this.propagate(arg, g, code);
    });
    if (!isArrayType(s.target.type) && this.plan.reassigned.has(s)) code.push(assign(dt, ZERO));
    return { beforeRestore: code, afterRestore: isArrayType(s.target.type) ? this.resetArrayAdjoint(s, dt) : [], readsResult: false };
  }

  /** `t = kernel(args)`: `kernel_vjp(args, dt, adjoint buffers)`; scalar adjoints are returned. */
  private kernelSnippet(s: Extract<Stmt, { k: "assign" }>, call: Extract<Expr, { k: "runtime" }>, dt: Var): Snippet {
    const spec = KERNELS[call.fn];
    if (!spec) throw new InternalError(`unknown kernel ${call.fn}`);
    const code: Stmt[] = [];
    const args: Expr[] = [...call.args, ref(dt)];
    const scalar = call.args.map((a, i) => ({ a, i })).filter(({ i }) => spec.params[i] === "number");
    call.args.forEach((a, i) => {
      if (spec.params[i] === "number") return;
      args.push(this.plan.activity.isActiveExpr(a) ? this.adjArray(a) : { k: "raw", text: "null" });
    });
    const vjp: Expr = { k: "runtime", fn: `${call.fn}_vjp`, args };
    const activeScalar = scalar.filter(({ a }) => this.plan.activity.isActiveExpr(a));
    if (activeScalar.length === 0) code.push(exprStmt(vjp));
    else if (activeScalar.length === 1) this.propagate(activeScalar[0]!.a, vjp, code);
    else throw new InternalError(`kernel ${call.fn} has several scalar inputs`);
    if (!isArrayType(s.target.type) && this.plan.reassigned.has(s)) code.push(assign(dt, ZERO));
    return { beforeRestore: code, afterRestore: isArrayType(s.target.type) ? this.resetArrayAdjoint(s, dt) : [], readsResult: false };
  }

}

/**
 * The adjoint code `code` of `t = f(t, ...)` written against `g`, the new t's adjoint, when it
 * adds to dt exactly once (`dt += g * p`): the same code reading dt itself, with that one
 * accumulation turned into `dt = dt * p` at the end (after every other use of the old dt).
 * Undefined when the code touches dt otherwise.
 */
function scaledInPlace(code: readonly Stmt[], g: Var, dt: Var): Stmt[] | undefined {
  const own = code.filter((s) => s.k === "accumulate" && s.target === dt);
  let writes = 0;
  forEachStmt(code, (s) => {
    if (writtenVar(s) === dt) writes++;
  });
  if (own.length !== 1 || writes !== 1) return undefined;
  const accumulation = own[0] as Extract<Stmt, { k: "accumulate" }>;
  const factor = factorOf(accumulation.value, g);
  if (!factor || varsOf(factor).has(g) || varsOf(factor).has(dt)) return undefined;
  const rest = mapStmts(
    code.filter((s) => s !== accumulation),
    (e) => (e.k === "var" && e.v === g ? ref(dt) : e),
  );
  const scaled = mul(ref(dt), factor)!;
  return scaled.k === "var" && scaled.v === dt ? rest : [...rest, assign(dt, scaled)];
}

/** p when `e` is `g * p`, `p * g`, `g` (p = 1) or a negation of one of those. */
function factorOf(e: Expr, g: Var): Expr | undefined {
  const isG = (x: Expr) => x.k === "var" && x.v === g;
  if (isG(e)) return lit(1);
  if (e.k === "neg") {
    const inner = factorOf(e.a, g);
    return inner ? negate(inner)! : undefined;
  }
  if (e.k === "binary" && e.op === "*") {
    if (isG(e.a)) return e.b;
    if (isG(e.b)) return e.a;
  }
  return undefined;
}

/** `z` when `e` is the logistic sigmoid `1 / (1 + Math.exp(-z))` (or `1 / (Math.exp(-z) + 1)`). */
export function logisticArgument(e: Expr): Expr | undefined {
  if (e.k !== "binary" || e.op !== "/" || e.a.k !== "num" || e.a.value !== 1) return undefined;
  const b = e.b;
  if (b.k !== "binary" || b.op !== "+") return undefined;
  const exp = b.a.k === "num" && b.a.value === 1 ? b.b : b.b.k === "num" && b.b.value === 1 ? b.a : undefined;
  if (!exp || exp.k !== "math" || exp.fn !== "exp" || exp.args.length !== 1 || exp.args[0]!.k !== "neg") return undefined;
  return exp.args[0]!.a;
}

/** Whether `e` reads elements of the array rooted at `root`. */
function usesArray(e: Expr, root: Var): boolean {
  return varsOf(e).has(root);
}

/** Primal (non-generated) variables a statement reads or assigns, nested statements included. */
export function collectPrimalVars(s: Stmt, out: Set<Var>, reads: (e: Expr) => Set<Var> = (e) => varsOf(e)): void {
  forEachStmt([s], (x) => {
    if (x.k === "assign" && x.target.origin !== "generated") out.add(x.target);
    for (const e of stmtExprs(x)) for (const v of reads(e)) if (v.origin !== "generated") out.add(v);
  });
}
