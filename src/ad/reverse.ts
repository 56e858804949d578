/**
 * Reverse mode: `f_grad` (scalar result) and `f_vjp` (array result) run a forward sweep, which
 * computes the value and pushes on the tape what the reverse sweep needs, then a reverse sweep,
 * which visits the statements backwards and accumulates adjoints (`dx` for `x`).
 *
 * Store-all with restoration, as Tapenade does: when an assignment destroys a value that the
 * reverse sweep still needs (the to-be-recorded analysis decides), the forward sweep pushes the
 * old value and the reverse sweep pops it back at the same point, so while the reverse sweep
 * runs every variable holds the value it had at the matching point of the forward sweep. The
 * adjoint code of a statement can then read primal variables by name, conditions of `if` are
 * evaluated again instead of being recorded, and counted loops run their index backwards.
 * What cannot be recomputed is recorded: trip counts of other loops, and how iterations ended
 * (break, continue, return) as exit codes.
 *
 * Callees get a pair of routines sharing the tape: `g_forward` (value, records) and
 * `g_reverse` (pops, accumulates adjoints; scalar argument adjoints go back on the tape).
 */
import type { Expr, IrFunction, IrProgram, LoopInfo, Stmt, Type, Var } from "../ir/nodes.js";
import { BOOLEAN, NUMBER, Var as VarClass, isArrayType, isDifferentiableType } from "../ir/nodes.js";
import { type Activity, analyzeActivity } from "../analysis/activity.js";
import { type ControlFacts, type ExitStmt, type LoopStmt, analyzeControl } from "../analysis/loops.js";
import { assignedVars, childExprs, forEachStmt, mapExpr, mapStmts, rootVar, varsOf } from "../analysis/walk.js";
import { rematerializable } from "../analysis/remat.js";
import { toBeRecorded } from "../analysis/tbr.js";
import { typeText } from "../frontend/types.js";
import { isTrivial, lit, mul, negate } from "./build.js";
import { sameExpr } from "../emit/printer.js";
import { shareSubexpressions } from "./cse.js";
import { DerivativeVars, type GenFunction, InternalError, mirrorTypeText, variablesOf, withPrintableInit, zeroLike } from "./common.js";
import { KERNELS } from "./kernels.js";
import { Namer, generatedName } from "./names.js";
import { binaryRules, mathRules, usesResult } from "./rules.js";

const tape = (fn: string, ...args: Expr[]): Expr => ({ k: "runtime", fn: `tape.${fn}`, args });
const exprStmt = (e: Expr): Stmt => ({ k: "expr", e });
const ref = (v: Var): Expr => ({ k: "var", v });
const assign = (target: Var, value: Expr): Stmt => ({ k: "assign", target, value });
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

/** Replaces `if` conditions that the reverse sweep could not evaluate again by a recorded boolean. */
function prepareConditions(body: readonly Stmt[]): Stmt[] {
  const out: Stmt[] = [];
  for (const s of body) {
    if (s.k === "if") {
      const then = prepareConditions(s.then);
      const otherwise = prepareConditions(s.else);
      const written = assignedVars([...then, ...otherwise]);
      const testVars = varsOf(s.test);
      const unstable = [...testVars].some((v) => written.has(v)) || containsCall(s.test);
      if (unstable) {
        const cond = new VarClass("condition", BOOLEAN, "temp", true);
        out.push({ k: "assign", target: cond, value: s.test, declare: "const", node: s.node });
        out.push({ ...s, test: ref(cond), then, else: otherwise });
      } else {
        out.push({ ...s, then, else: otherwise });
      }
    } else if (s.k === "loop") {
      out.push({ ...s, body: prepareConditions(s.body) });
    } else {
      out.push(s);
    }
  }
  return out;
}

function containsCall(e: Expr): boolean {
  switch (e.k) {
    case "call":
      return true;
    case "neg":
    case "not":
      return containsCall(e.a);
    case "binary":
    case "compare":
    case "logical":
      return containsCall(e.a) || containsCall(e.b);
    case "cond":
      return containsCall(e.test) || containsCall(e.a) || containsCall(e.b);
    case "math":
    case "runtime":
      return e.args.some(containsCall);
    case "index":
      return containsCall(e.array) || containsCall(e.index);
    default:
      return false;
  }
}

class ReverseTransform {
  readonly adjoints: DerivativeVars;
  readonly activity: Activity;
  readonly control: ControlFacts;
  readonly body: Stmt[];
  private readonly snippets = new Map<Stmt, Snippet>();
  /** Assignments and element writes whose old value the forward sweep records. */
  private pushes = new Set<Stmt>();
  /** Assignments `i = i + c` the reverse sweep undoes with `i = i - c` (integer indices). */
  private inverted = new Set<Stmt>();
  /** Variables the reverse sweep reads at the end of the forward sweep (internal routines pass them on). */
  liveAtEnd = new Set<Var>();
  /** Trip counters of loops that are not counted loops. */
  private readonly tripCounters = new Map<LoopInfo, Var>();
  readonly exitVar = new VarClass("exit", NUMBER, "generated");
  readonly valueVar: Var;
  readonly sweepLabel = "forward";
  /** Statements assigned more than once or inside a loop: their adjoint is reset after use. */
  private readonly reassigned = new Set<Stmt>();
  private readonly temps: Var[] = [];
  /** Variables the reverse sweep computes again from their definition (see remat.ts). */
  private readonly remat: Map<Var, Expr>;

  /** An expression as the reverse sweep evaluates it: rematerialized variables replaced. */
  private rematerialized(e: Expr): Expr {
    if (this.remat.size === 0) return e;
    return mapExpr(e, (x) => (x.k === "var" && this.remat.has(x.v) ? this.remat.get(x.v)! : x));
  }

  constructor(
    readonly fn: IrFunction,
    readonly program: IrProgram,
    readonly namer: Namer,
    independents: Var[],
    /** The adjoint of the function's result: `1`, the cotangent, or the internal seed parameter. */
    readonly seed: Expr,
    /** Both sweeps in one function (public entry points): the reverse sweep can read `value`. */
    private readonly oneFunction: boolean,
  ) {
    this.body = prepareConditions(fn.body);
    const prepared: IrFunction = { ...fn, body: this.body };
    this.activity = analyzeActivity(prepared, independents);
    this.adjoints = new DerivativeVars(namer);
    this.control = analyzeControl(this.body);
    this.valueVar = new VarClass("value", fn.returnType, "generated");
    this.findReassigned(this.body, false, new Set());
    this.remat = rematerializable(prepared, this.body, this.control.loops);
    const indexLike = indexLikeVars(this.body, this.activity);
    const allocations = new Map<Var, Expr>();
    forEachStmt(this.body, (s) => {
      if (s.k === "assign" && s.declare === "const" && s.value.k === "alloc" && s.value.type.kind === "vector") allocations.set(s.target, s.value.length);
    });
    this.buildSnippets(this.body);
    const tbr = toBeRecorded(this.body, {
      usesBefore: (s) => this.usesBefore(s),
      usesAfter: (s) => (this.snippets.get(s)?.readsResult && s.k === "assign" ? [s.target] : []),
      countedIndices: new Set([...this.control.loops.values()].flatMap((l) => (l.counted ? [l.counted.index] : []))),
      invertible: (s) => s.k === "assign" && indexLike.has(s.target) && integerStep(s) !== undefined,
      overwrites: (loop) => overwrittenArrays(loop, this.control, allocations),
    });
    this.pushes = tbr.pushes;
    this.inverted = tbr.inverted;
    this.liveAtEnd = tbr.liveAtEnd;
    // The adjoint of an active local array is allocated from the array's shape at the start of
    // the reverse sweep, so the array itself is needed there.
    for (const v of variablesOf(prepared)) {
      if (isArrayType(v.type) && v.origin !== "param" && this.activity.isActive(v)) this.liveAtEnd.add(v);
    }
  }

  /**
   * Assignments after which the target's adjoint must be reset in the reverse sweep: all but a
   * declaration outside loops, before which the variable has no adjoint to speak of.
   */
  private findReassigned(body: readonly Stmt[], inLoop: boolean, seen: Set<Var>): void {
    for (const s of body) {
      if (s.k === "assign") {
        if (inLoop || !s.declare) this.reassigned.add(s);
        seen.add(s.target);
      } else if (s.k === "if") {
        this.findReassigned(s.then, inLoop, seen);
        this.findReassigned(s.else, inLoop, seen);
      } else if (s.k === "loop") {
        this.findReassigned(s.init, inLoop, seen);
        this.findReassigned(s.body, true, seen);
        this.findReassigned(s.update, true, seen);
      }
    }
  }

  // ------------------------------------------------------------ adjoint propagation

  private adj(v: Var): Var {
    return this.adjoints.of(v);
  }

  private adjArray(e: Expr): Expr {
    if (e.k === "var") return ref(this.adj(e.v));
    if (e.k === "index") return { k: "index", array: this.adjArray(e.array), index: e.index };
    throw new InternalError(`array expression ${e.k} has no adjoint`);
  }

  private temp(name: string, value: Expr, out: Stmt[]): Expr {
    const v = new VarClass(name, NUMBER, "generated");
    this.temps.push(v);
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
        if (this.activity.isActive(e.v)) out.push({ k: "accumulate", target: this.adj(e.v), value: g });
        return;
      case "neg":
        this.propagate(e.a, negate(g)!, out);
        return;
      case "binary":
      case "math": {
        if (e.k === "binary" && e.op === "*" && (e.a.k === "var" || e.a.k === "index") && sameExpr(e.a, e.b)) {
          // x * x: one contribution 2 x g instead of two of x g.
          this.propagate(e.a, mul(g, mul(lit(2), e.a))!, out);
          return;
        }
        const args = e.k === "binary" ? [e.a, e.b] : e.args;
        const active = args.map((a) => this.activity.isActiveExpr(a));
        const count = active.filter(Boolean).length;
        if (count === 0) return;
        // An adjoint used by several operands is computed once.
        if (count > 1 && !isTrivial(g)) g = this.temp("adjoint", g, out);
        const partials = e.k === "binary" ? binaryRules[e.op](args, result ?? e) : mathRules[e.fn](args, result ?? e);
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
        if (this.activity.isActiveExpr(e.array)) {
          out.push({ k: "accumulateElement", array: this.adjArray(e.array), index: e.index, value: g });
        }
        return;
      case "arrayLit":
        // g is an array adjoint here (the cotangent of a returned literal).
        e.elements.forEach((x, i) => this.propagate(x, { k: "index", array: g, index: lit(i) }, out));
        return;
      case "num":
      case "bool":
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

  private buildSnippets(body: readonly Stmt[]): void {
    for (const s of body) {
      if (s.k === "assign") this.snippets.set(s, this.shared(this.assignSnippet(s)));
      else if (s.k === "store") this.snippets.set(s, this.shared(this.storeSnippet(s)));
      else if (s.k === "return") this.snippets.set(s, this.shared(this.returnSnippet(s)));
      else if (s.k === "if") {
        this.buildSnippets(s.then);
        this.buildSnippets(s.else);
      } else if (s.k === "loop") {
        this.buildSnippets(s.init);
        this.buildSnippets(s.body);
        this.buildSnippets(s.update);
      }
    }
  }

  /** Computes repeated subexpressions of a snippet once (see cse.ts). */
  private shared(snippet: Snippet): Snippet {
    const name = (e: Expr): string => (e.k === "math" ? e.fn : e.k === "index" ? "element" : "quotient");
    const remat = (list: Stmt[]) => (this.remat.size === 0 ? list : mapStmts(list, (x) => (x.k === "var" && this.remat.has(x.v) ? this.remat.get(x.v)! : x)));
    return {
      ...snippet,
      beforeRestore: shareSubexpressions(remat(snippet.beforeRestore), name),
      afterRestore: shareSubexpressions(remat(snippet.afterRestore), name),
    };
  }

  private assignSnippet(s: Extract<Stmt, { k: "assign" }>): Snippet {
    const target = s.target;
    const empty: Snippet = { beforeRestore: [], afterRestore: [], readsResult: false };
    if (!this.activity.isActive(target)) return empty;
    const dt = this.adj(target);
    const value = s.value;
    if (value.k === "call") return this.callSnippet(s, value, dt);
    if (value.k === "runtime") return this.kernelSnippet(s, value, dt);
    if (isArrayType(target.type)) return this.arrayInitSnippet(s, dt);
    const resets = this.reassigned.has(s);
    const selfReferencing = varsOf(value).has(target);
    if (selfReferencing) {
      // `s = s + e`: the adjoint of the old s is the adjoint of the new one; only e needs code.
      if (value.k === "binary" && (value.op === "+" || value.op === "-") && value.a.k === "var" && value.a.v === target && !varsOf(value.b).has(target)) {
        const code: Stmt[] = [];
        this.propagate(value.b, value.op === "+" ? ref(dt) : negate(ref(dt))!, code);
        return { beforeRestore: [], afterRestore: code, readsResult: false };
      }
      const before: Stmt[] = [];
      const g = this.temp(`${this.namer.of(dt)}_new`, ref(dt), before);
      before.push(assign(dt, ZERO));
      const after: Stmt[] = [];
      this.propagate(value, g, after);
      return { beforeRestore: before, afterRestore: after, readsResult: false };
    }
    const readsResult = usesResult(value);
    const code: Stmt[] = [];
    this.propagate(value, ref(dt), code, readsResult ? ref(target) : undefined);
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
    if (!this.reassigned.has(s)) return [];
    return [assign(dt, zeroLike(s.target.type, ref(s.target)))];
  }

  private storeSnippet(s: Extract<Stmt, { k: "store" }>): Snippet {
    if (!this.activity.isActiveExpr(s.array) && !this.activity.isActive(rootVar(s.array)!)) {
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
    if (!this.activity.isActiveExpr(s.value)) return { beforeRestore: [reset], afterRestore: [], readsResult: false };
    const before: Stmt[] = [];
    const g = this.temp("delement", { k: "index", array: this.adjArray(s.array), index: s.index }, before);
    before.push(reset);
    const after: Stmt[] = [];
    this.propagate(s.value, g, after);
    return { beforeRestore: before, afterRestore: after, readsResult: false };
  }

  private returnSnippet(s: Extract<Stmt, { k: "return" }>): Snippet {
    const code: Stmt[] = [];
    if (isArrayType(this.fn.returnType)) this.propagateArray(s.value, this.seed, code);
    // The returned value is in `value` (nothing runs after a return), for rules that reuse it.
    else this.propagate(s.value, this.seed, code, this.oneFunction && usesResult(s.value) ? ref(this.valueVar) : undefined);
    return { beforeRestore: code, afterRestore: [], readsResult: false };
  }

  /** Adds an array adjoint `g` to the adjoint of the array expression `e`. */
  private propagateArray(e: Expr, g: Expr, out: Stmt[]): void {
    if (e.k === "arrayLit") {
      this.propagate(e, g, out);
      return;
    }
    if ((e.k === "var" || e.k === "index") && this.activity.isActiveExpr(e)) {
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
    if (this.activity.isActiveExpr(e)) throw new InternalError(`cannot return array expression ${e.k}`);
  }

  /** `t = g(args)`: `g_reverse(args, dt)`, then the argument adjoints come back from the tape. */
  private callSnippet(s: Extract<Stmt, { k: "assign" }>, call: Extract<Expr, { k: "call" }>, dt: Var): Snippet {
    const callee = this.program.functions.get(call.fn);
    if (!callee) throw new InternalError(`unknown callee ${call.fn}`);
    const code: Stmt[] = [];
    const args: Expr[] = [...call.args];
    const scalarArgs: { arg: Expr; index: number }[] = [];
    callee.params.forEach((p, i) => {
      if (!isDifferentiableType(p.v.type)) return;
      const arg = call.args[i]!;
      if (isArrayType(p.v.type)) {
        args.push(this.activity.isActiveExpr(arg) ? this.adjArray(arg) : zeroLike(p.v.type, arg));
      } else {
        scalarArgs.push({ arg, index: i });
      }
    });
    args.push(ref(dt));
    code.push(exprStmt({ k: "call", fn: generatedName.reverseSweep(call.fn), args }));
    // The callee pushed its scalar adjoints in parameter order: pop them in reverse.
    for (const { arg } of [...scalarArgs].reverse()) {
      const popped = tape("pop");
      if (!this.activity.isActiveExpr(arg)) {
        code.push(exprStmt(popped));
      } else if (arg.k === "var") {
        this.propagate(arg, popped, code);
      } else {
        const g = this.temp("dargument", popped, code);
        this.propagate(arg, g, code);
      }
    }
    if (!isArrayType(s.target.type) && this.reassigned.has(s)) code.push(assign(dt, ZERO));
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
      args.push(this.activity.isActiveExpr(a) ? this.adjArray(a) : { k: "raw", text: "null" });
    });
    const vjp: Expr = { k: "runtime", fn: `${call.fn}_vjp`, args };
    const activeScalar = scalar.filter(({ a }) => this.activity.isActiveExpr(a));
    if (activeScalar.length === 0) code.push(exprStmt(vjp));
    else if (activeScalar.length === 1) this.propagate(activeScalar[0]!.a, vjp, code);
    else throw new InternalError(`kernel ${call.fn} has several scalar inputs`);
    if (!isArrayType(s.target.type) && this.reassigned.has(s)) code.push(assign(dt, ZERO));
    return { beforeRestore: code, afterRestore: isArrayType(s.target.type) ? this.resetArrayAdjoint(s, dt) : [], readsResult: false };
  }

  /** Primal variables the reverse code of `s` reads at the point before `s` runs. */
  private usesBefore(s: Stmt): Var[] {
    const out = new Set<Var>();
    const snippet = this.snippets.get(s);
    if (snippet) {
      for (const x of [...snippet.beforeRestore, ...snippet.afterRestore]) collectPrimalVars(x, out);
      if (snippet.readsResult && s.k === "assign") out.delete(s.target);
      if (s.k === "assign" && s.value.k === "call" && snippet.beforeRestore.length > 0) {
        for (const a of s.value.args) varsOf(this.rematerialized(a), out);
      }
    }
    if (s.k === "store" && (this.pushes.has(s) || snippet)) {
      varsOf(this.rematerialized(s.index), out);
      // Indices of a row (`m[i][j] = ...`), not the array itself: writing needs no old contents.
      if (s.array.k === "index") varsOf(this.rematerialized(s.array.index), out);
    }
    // The reverse sweep evaluates the condition again when the branches have reverse code or
    // may restore overwritten values (which TBR is still deciding): assume so for any write.
    if (s.k === "if" && (this.hasReverseCode(s) || assignedVars([...s.then, ...s.else]).size > 0)) varsOf(this.rematerialized(s.test), out);
    if (s.k === "loop") {
      const counted = this.control.loops.get(s.loop)?.counted;
      if (counted) varsOf(this.rematerialized(counted.start), out);
      // A counted loop whose end the reverse sweep computes from the bound reads the bound.
      if (counted && s.test && s.test.k === "compare") varsOf(this.rematerialized(s.test.b), out);
    }
    return [...out];
  }

  private hasReverseCode(s: Stmt): boolean {
    const snippet = this.snippets.get(s);
    if (snippet) return snippet.beforeRestore.length + snippet.afterRestore.length > 0;
    if (s.k === "if") return [...s.then, ...s.else].some((x) => this.hasReverseCode(x) || this.pushes.has(x));
    if (s.k === "loop") return true;
    return false;
  }

  // ------------------------------------------------------------ forward sweep

  private tripCounter(loop: LoopInfo): Var {
    let v = this.tripCounters.get(loop);
    if (!v) {
      v = new VarClass("iterations", NUMBER, "generated");
      this.tripCounters.set(loop, v);
    }
    return v;
  }

  forward(body: readonly Stmt[], internal: boolean): Stmt[] {
    const out: Stmt[] = [];
    for (const s of body) out.push(...this.forwardStmt(s, internal));
    return out;
  }

  private push(s: Stmt): Stmt[] {
    if (!this.pushes.has(s)) return [];
    if (s.k === "assign") return [pushValue(s.target)];
    if (s.k === "store") return [exprStmt(tape("push", { k: "index", array: s.array, index: s.index }))];
    return [];
  }

  private restore(s: Stmt): Stmt[] {
    if (s.k === "assign" && this.inverted.has(s)) {
      const step = integerStep(s)!;
      return [assign(s.target, { k: "binary", op: step > 0 ? "-" : "+", a: ref(s.target), b: lit(Math.abs(step)) })];
    }
    if (!this.pushes.has(s)) return [];
    if (s.k === "assign") return [popValue(s.target)];
    if (s.k === "store") {
      return [{ k: "store", array: this.rematerialized(s.array), index: this.rematerialized(s.index), value: tape("pop") }];
    }
    return [];
  }

  private forwardStmt(s: Stmt, internal: boolean): Stmt[] {
    switch (s.k) {
      case "assign": {
        let value = s.value;
        if (value.k === "call" && this.activity.isActive(s.target)) {
          value = { k: "call", fn: generatedName.forwardSweep(value.fn), args: value.args };
        }
        return [...this.push(s), { k: "assign", target: s.target, value, declare: this.keepsDeclaration(s) ? s.declare : undefined, node: s.node }];
      }
      case "store":
        return [...this.push(s), s];
      case "if":
        return [{ ...s, then: this.forward(s.then, internal), else: this.forward(s.else, internal) }];
      case "loop":
        return this.forwardLoop(s, internal);
      case "break":
        // Leave the block around the target loop, past its normal-exit records.
        return [...this.exitCodes(s), { k: "exitBlock", label: this.loopBlockLabel(s.loop) }];
      case "continue":
        return [...this.exitCodes(s), s];
      case "return": {
        const isFinal = !this.control.hasEarlyReturn;
        const out: Stmt[] = [...this.exitCodes(s)];
        // When the reverse sweep restores elements of the returned local array (or the array
        // itself), return a copy: the caller must get the values as they were returned.
        const value: Expr = !internal && s.value.k === "var" && this.restoresArray(s.value.v) ? { k: "copy", of: s.value } : s.value;
        if (isFinal) {
          out.push({ k: "declare", v: this.valueVar, init: value, mutable: false, node: s.node });
        } else {
          out.push({ k: "assign", target: this.valueVar, value, node: s.node });
          out.push(assign(this.exitVar, lit(s.exitId)));
          out.push({ k: "exitBlock", label: this.sweepLabel });
        }
        return out;
      }
      default:
        return [s];
    }
  }

  private restoresArray(v: Var): boolean {
    if (!isArrayType(v.type) || v.origin === "param") return false;
    if (v.origin === "temp") return true; // a callee's result: its reverse routine may restore it
    for (const s of this.pushes) {
      if (s.k === "assign" && s.target === v) return true;
      if (s.k === "store" && rootVar(s.array) === v) return true;
    }
    return false;
  }

  /** Codes recorded when an exit leaves iterations and loops (see analyzeControl). */
  private exitCodes(s: ExitStmt): Stmt[] {
    const out: Stmt[] = [];
    const loops = this.control.enclosing.get(s) ?? [];
    for (const l of loops) {
      const facts = this.control.loops.get(l.loop)!;
      if (s.k === "continue" && s.loop === l.loop) {
        if (facts.perIteration) out.push(exprStmt(tape("pushInt", lit(s.exitId))));
        break;
      }
      if (facts.perIteration) out.push(exprStmt(tape("pushInt", lit(s.exitId))));
      if (facts.lastIteration) out.push(exprStmt(tape("pushInt", lit(s.exitId))));
      out.push(this.recordTrip(l, true));
      if (s.k === "break" && s.loop === l.loop) break;
    }
    return out;
  }

  /** Records where a loop stopped: a counted loop's index bound, or its trip count. */
  /**
   * The last index of a counted loop without exits, computed from its bound instead of
   * recorded: `for (let i = A; i < B; i++)` with A an integer ends at ceil(B) - 1 (B - 1 when B
   * is an integer too), `i <= B` at floor(B). The bound's variables are read by the reverse
   * sweep there (usesBefore), so they hold their values.
   */
  private lastIndexFromBound(s: LoopStmt): Expr | undefined {
    const facts = this.control.loops.get(s.loop)!;
    const counted = facts.counted;
    if (!counted || !s.test || s.test.k !== "compare") return undefined;
    if (facts.perIteration || facts.lastIteration || this.broken.has(s.loop) || (this.control.escaping.get(s) ?? []).length > 0) return undefined;
    if (!this.isIntegerExpr(counted.start)) return undefined;
    const bound = this.rematerialized(s.test.b);
    if (containsCall(bound)) return undefined;
    // The bound must be the one the loop saw throughout: nothing in the loop writes it.
    const written = assignedVars([...s.body, ...s.update]);
    for (const v of varsOf(bound)) if (written.has(v)) return undefined;
    if (s.test.op === "<") {
      return this.isIntegerExpr(bound) ? { k: "binary", op: "-", a: bound, b: lit(1) } : { k: "binary", op: "-", a: { k: "math", fn: "ceil", args: [bound] }, b: lit(1) };
    }
    return this.isIntegerExpr(bound) ? bound : { k: "math", fn: "floor", args: [bound] };
  }

  /** Provably an integer: integer literals, lengths, indices of counted loops with integer starts. */
  private isIntegerExpr(e: Expr): boolean {
    switch (e.k) {
      case "num":
        return Number.isInteger(e.value);
      case "length":
        return true;
      case "var": {
        for (const facts of this.control.loops.values()) {
          if (facts.counted?.index === e.v) return this.isIntegerExpr(facts.counted.start);
        }
        return false;
      }
      case "binary":
        return (e.op === "+" || e.op === "-" || e.op === "*") && this.isIntegerExpr(e.a) && this.isIntegerExpr(e.b);
      case "neg":
        return this.isIntegerExpr(e.a);
      default:
        return false;
    }
  }

  private recordTrip(l: LoopStmt, fromInside: boolean): Stmt {
    const counted = this.control.loops.get(l.loop)!.counted;
    if (counted) {
      const end: Expr = fromInside ? { k: "binary", op: "+", a: ref(counted.index), b: lit(1) } : ref(counted.index);
      return exprStmt(tape("push", end));
    }
    return exprStmt(tape("pushInt", ref(this.tripCounter(l.loop))));
  }

  private forwardLoop(s: LoopStmt, internal: boolean): Stmt[] {
    const facts = this.control.loops.get(s.loop)!;
    const out: Stmt[] = [];
    const init = this.forward(s.init, internal);
    const body = this.forward(s.body, internal);
    if (!facts.counted) {
      const counter = this.tripCounter(s.loop);
      out.push(assign(counter, ZERO));
      body.unshift(assign(counter, { k: "binary", op: "+", a: ref(counter), b: lit(1) }));
    }
    if (facts.perIteration) body.push(exprStmt(tape("pushInt", ZERO)));
    if (s.kind === "for") {
      out.push(...withPrintableInit({ ...s, init, body, update: this.forward(s.update, internal) }));
    } else {
      out.push(...init, { ...s, init: [], body });
    }
    if (facts.lastIteration) out.push(exprStmt(tape("pushInt", ZERO)));
    if (!this.lastIndexFromBound(s)) out.push(this.recordTrip(s, false));
    if (!this.broken.has(s.loop)) return out;
    // A break records where the loop stopped itself, then leaves this block.
    return [{ k: "block", label: this.loopBlockLabel(s.loop), body: out }];
  }

  /** Loops some `break` targets. */
  private get broken(): Set<LoopInfo> {
    if (!this.brokenLoops) {
      this.brokenLoops = new Set();
      for (const exit of this.control.enclosing.keys()) if (exit.k === "break") this.brokenLoops.add(exit.loop);
    }
    return this.brokenLoops;
  }

  private brokenLoops: Set<LoopInfo> | undefined;

  private loopBlockLabel(loop: LoopInfo): string {
    return loop.label ? `${loop.label}_loop` : `loop${loop.id}`;
  }

  /** Whether an assignment keeps its `const`/`let` (top-level declarations not wrapped in the sweep block). */
  private keepsDeclaration(s: Extract<Stmt, { k: "assign" }>): boolean {
    return s.declare !== undefined && !this.hoisted.has(s.target);
  }

  /** Variables declared at the top of the function instead of where the source declares them. */
  hoisted = new Set<Var>();

  /** Decides which variables are hoisted: those the reverse sweep reads that are not top-level declarations. */
  decideHoisting(internal: boolean, reverseCode: readonly Stmt[]): void {
    const read = new Set<Var>();
    for (const s of reverseCode) collectPrimalVars(s, read);
    for (const v of this.liveAtEnd) read.add(v);
    const topLevel = new Set<Var>();
    if (!this.control.hasEarlyReturn && !internal) {
      for (const s of this.body) if (s.k === "assign" && s.declare) topLevel.add(s.target);
    }
    const params = new Set(this.fn.params.map((p) => p.v));
    for (const v of read) {
      if (params.has(v) || v.origin === "generated") continue;
      if (!topLevel.has(v)) this.hoisted.add(v);
    }
    // Counted loop indices are set by the reverse loops.
    for (const facts of this.control.loops.values()) if (facts.counted) this.hoisted.add(facts.counted.index);
  }

  // ------------------------------------------------------------ reverse sweep

  reverse(body: readonly Stmt[]): Stmt[] {
    const out: Stmt[] = [];
    // exitsBefore[i]: exits that leave the statements before body[i] (so body[i] may not have run).
    const exitsBefore: number[][] = [];
    let seen: number[] = [];
    for (const s of body) {
      exitsBefore.push(seen);
      const exits = this.control.escaping.get(s) ?? [];
      if (exits.length > 0) seen = [...seen, ...exits];
    }
    for (let i = body.length - 1; i >= 0; i--) {
      const s = body[i]!;
      const code = this.reverseStmt(s);
      if (code.length === 0) continue;
      const earlier = exitsBefore[i]!;
      if (earlier.length === 0) {
        out.push(...code);
      } else {
        // Run only if the forward sweep reached this statement (no earlier exit was taken).
        let test: Expr | undefined;
        for (const id of earlier) {
          const differs: Expr = { k: "compare", op: "!==", a: ref(this.exitVar), b: lit(id) };
          test = test ? { k: "logical", op: "&&", a: test, b: differs } : differs;
        }
        out.push({ k: "if", test: test!, then: code, else: [] });
      }
    }
    return out;
  }

  private reverseStmt(s: Stmt): Stmt[] {
    switch (s.k) {
      case "assign":
      case "store": {
        const snippet = this.snippets.get(s)!;
        return [...snippet.beforeRestore, ...this.restore(s), ...snippet.afterRestore];
      }
      case "return":
        return [...this.snippets.get(s)!.beforeRestore];
      case "break":
      case "continue":
        // Nothing: the statement that contains an exit resets the exit code after its reverse code.
        return [];
      case "if": {
        const then = this.reverse(s.then);
        const otherwise = this.reverse(s.else);
        if (then.length === 0 && otherwise.length === 0) return [];
        const test = this.rematerialized(s.test);
        if (then.length === 0) return [{ k: "if", test: { k: "not", a: test }, then: otherwise, else: [] }];
        return [{ k: "if", test, then, else: otherwise }];
      }
      case "loop":
        return this.reverseLoop(s);
      default:
        return [];
    }
  }

  private reverseLoop(s: LoopStmt): Stmt[] {
    const facts = this.control.loops.get(s.loop)!;
    const body: Stmt[] = [];
    if (facts.perIteration) body.push(assign(this.exitVar, tape("popInt")));
    const update = facts.counted ? [] : this.reverse(s.update);
    if (update.length > 0) {
      if (facts.perIteration || facts.lastIteration) {
        // The update ran after iterations that ended normally or by `continue`.
        let test: Expr = { k: "compare", op: "===", a: ref(this.exitVar), b: ZERO };
        for (const id of facts.continueIds) test = { k: "logical", op: "||", a: test, b: { k: "compare", op: "===", a: ref(this.exitVar), b: lit(id) } };
        body.push({ k: "if", test, then: update, else: [] });
      } else {
        body.push(...update);
      }
    }
    body.push(...this.reverse(s.body));
    // Guards only test exits of earlier statements, so an exit code needs no reset inside the
    // iteration; the iterations before the last one ended normally.
    if (facts.lastIteration) body.push(assign(this.exitVar, ZERO));
    const out: Stmt[] = [];
    const lastCode = facts.lastIteration ? [assign(this.exitVar, tape("popInt"))] : [];
    if (facts.counted) {
      const i = facts.counted.index;
      const minusOne: Expr = this.lastIndexFromBound(s) ?? { k: "binary", op: "-", a: tape("pop"), b: lit(1) };
      const test: Expr = { k: "compare", op: ">=", a: ref(i), b: this.rematerialized(facts.counted.start) };
      const decrement = assign(i, { k: "binary", op: "-", a: ref(i), b: lit(1) });
      if (lastCode.length === 0) {
        out.push({ k: "rawFor", init: assign(i, minusOne), test, update: decrement, body });
      } else {
        out.push(assign(i, minusOne), ...lastCode, { k: "rawFor", init: null, test, update: decrement, body });
      }
    } else {
      const counter = this.tripCounter(s.loop);
      const test: Expr = { k: "compare", op: ">", a: ref(counter), b: ZERO };
      const decrement = assign(counter, { k: "binary", op: "-", a: ref(counter), b: lit(1) });
      if (lastCode.length === 0) {
        out.push({ k: "rawFor", init: assign(counter, tape("popInt")), test, update: decrement, body });
      } else {
        out.push(assign(counter, tape("popInt")), ...lastCode, { k: "rawFor", init: null, test, update: decrement, body });
      }
    }
    out.push(...this.reverse(s.init));
    return out;
  }

  // ------------------------------------------------------------ declarations

  /** `let x = 0;` for hoisted variables, trip counters and the exit code. */
  hoistedDeclarations(extra: Var[] = []): Stmt[] {
    const out: Stmt[] = [];
    const ordered = variablesOf({ ...this.fn, body: this.body }).filter((v) => this.hoisted.has(v));
    for (const v of [...ordered, ...extra]) out.push({ k: "declare", v, init: zeroOf(v.type), mutable: true });
    for (const v of this.tripCounters.values()) out.push({ k: "declare", v, init: ZERO, mutable: true });
    if (this.control.usesExitCodes) out.push({ k: "declare", v: this.exitVar, init: ZERO, mutable: true });
    return out;
  }

  /** `let dx = 0;` for every active local (parameters' adjoints are declared by the caller). */
  adjointDeclarations(skip: Set<Var>): Stmt[] {
    const out: Stmt[] = [];
    for (const v of variablesOf({ ...this.fn, body: this.body })) {
      if (skip.has(v) || !this.activity.isActive(v)) continue;
      const recreated = [...this.reassigned].some((s) => s.k === "assign" && s.target === v);
      out.push({ k: "declare", v: this.adj(v), init: zeroLike(v.type, ref(v)), mutable: !isArrayType(v.type) || recreated });
    }
    return out;
  }
}

/** Records a variable's value: numbers and booleans on the value stack, arrays by reference. */
function pushValue(v: Var): Stmt {
  if (isArrayType(v.type)) return exprStmt(tape("pushObject", ref(v)));
  const value: Expr = v.type.kind === "boolean" ? { k: "cond", test: ref(v), a: lit(1), b: ZERO } : ref(v);
  return exprStmt(tape("push", value));
}

function popValue(v: Var): Stmt {
  if (isArrayType(v.type)) return assign(v, { k: "runtime", fn: `tape.popObject<${typeText(v.type)}>`, args: [] });
  const popped = tape("pop");
  return assign(v, v.type.kind === "boolean" ? { k: "compare", op: "!==", a: popped, b: ZERO } : popped);
}

/**
 * Arrays a loop writes in full: `for (let i = 0; i < n; i++) { ... a[i] = e; ... }` with the
 * write unconditional and `a` a local array allocated with length `n` (or bounded by a.length),
 * and no exit from the loop.
 */
function overwrittenArrays(loop: Extract<Stmt, { k: "loop" }>, control: ControlFacts, allocations: Map<Var, Expr>): Var[] {
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
  const check = (e: Expr | null | undefined) => {
    if (e && varsOf(e).has(a)) found = true;
  };
  forEachStmt(body, (s) => {
    switch (s.k) {
      case "assign":
        check(s.value);
        break;
      case "store":
        check(s.value);
        check(s.index);
        if (s !== write) check(s.array);
        else if (s.array.k !== "var") check(s.array);
        break;
      case "if":
        check(s.test);
        break;
      case "loop":
        check(s.test);
        break;
      case "return":
        check(s.value);
        break;
      default:
        break;
    }
  });
  return found;
}

/** `v = v + c` or `v = v - c` with an integer literal c: the signed step, else undefined. */
function integerStep(s: Stmt): number | undefined {
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
function indexLikeVars(body: readonly Stmt[], activity: Activity): Set<Var> {
  const candidates = new Set<Var>();
  const locals = new Set<Var>();
  const collect = (list: readonly Stmt[]): void => {
    for (const s of list) {
      if (s.k === "assign") locals.add(s.target);
      if (s.k === "if") {
        collect(s.then);
        collect(s.else);
      } else if (s.k === "loop") {
        collect(s.init);
        collect(s.body);
        collect(s.update);
      }
    }
  };
  collect(body);
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
          for (const x of childExprs(e)) scan(x, allowed);
          return;
        case "cond":
          scan(e.test, true);
          scan(e.a, allowed);
          scan(e.b, allowed);
          return;
        case "logical":
        case "not":
          for (const x of childExprs(e)) scan(x, true);
          return;
        case "alloc":
          scan(e.length, true);
          return;
        default:
          // Calls, kernels, literals: their operands are values.
          for (const x of childExprs(e)) scan(x, false);
          return;
      }
    };
    const visit = (list: readonly Stmt[]): void => {
      for (const s of list) {
        switch (s.k) {
          case "assign":
            scan(s.value, candidates.has(s.target));
            break;
          case "store":
            scan(s.array, false);
            scan(s.index, true);
            scan(s.value, false);
            break;
          case "return":
            scan(s.value, false);
            break;
          case "if":
            scan(s.test, true);
            visit(s.then);
            visit(s.else);
            break;
          case "loop":
            if (s.test) scan(s.test, true);
            visit(s.init);
            visit(s.body);
            visit(s.update);
            break;
          default:
            break;
        }
      }
    };
    visit(body);
    for (const v of badReads) {
      if (candidates.delete(v)) changed = true;
    }
  }
  return candidates;
}


/** Whether `e` reads elements of the array rooted at `root`. */
function usesArray(e: Expr, root: Var): boolean {
  return varsOf(e).has(root);
}

function zeroOf(t: Type): Expr {
  switch (t.kind) {
    case "number":
      return ZERO;
    case "boolean":
      return { k: "bool", value: false };
    case "vector":
      return { k: "alloc", type: t, length: ZERO };
    case "matrix":
      return { k: "raw", text: "[]" };
  }
}

/** Primal (non-generated) variables a statement reads or writes. */
function collectPrimalVars(s: Stmt, out: Set<Var>): void {
  const add = (e: Expr | null | undefined) => {
    if (!e) return;
    for (const v of varsOf(e)) if (v.origin !== "generated") out.add(v);
  };
  switch (s.k) {
    case "assign":
      if (s.target.origin !== "generated") out.add(s.target);
      add(s.value);
      return;
    case "store":
    case "accumulateElement":
      add(s.array);
      add(s.index);
      add(s.value);
      return;
    case "accumulate":
      add(s.value);
      return;
    case "expr":
      add(s.e);
      return;
    case "declare":
      add(s.init);
      return;
    case "if":
      add(s.test);
      s.then.forEach((x) => collectPrimalVars(x, out));
      s.else.forEach((x) => collectPrimalVars(x, out));
      return;
    case "rawFor":
      if (s.init) collectPrimalVars(s.init, out);
      add(s.test);
      if (s.update) collectPrimalVars(s.update, out);
      s.body.forEach((x) => collectPrimalVars(x, out));
      return;
    case "genReturn":
      add(s.value);
      return;
    default:
      return;
  }
}

function independentsOf(fn: IrFunction, wrt: Set<string> | undefined): Var[] {
  return fn.params.map((p) => p.v).filter((v) => isDifferentiableType(v.type) && (!wrt || wrt.has(v.name)));
}

/**
 * `f_grad_into(p..., grad)` (or `f_vjp_into(p..., cotangent, grad)`): the whole reverse sweep,
 * adding the gradient into caller-owned buffers (`grad.w` arrays in place, `grad.x += dx` for
 * numbers) and returning the value. Nothing is allocated for the gradient, so an optimiser can
 * call it millions of times. `f_grad` / `f_vjp` wrap it with fresh zero buffers.
 */
export function publicGrad(fn: IrFunction, program: IrProgram, reserved: string[], wrt: Set<string> | undefined): GenFunction[] {
  const namer = new Namer(reserved);
  namer.claim(variablesOf(fn));
  const vectorResult = isArrayType(fn.returnType);
  const cotangent = new VarClass("cotangent", fn.returnType, "generated");
  const gradVar = new VarClass("grad", NUMBER, "generated");
  const seed: Expr = vectorResult ? ref(cotangent) : lit(1);
  const independents = independentsOf(fn, wrt);
  const t = new ReverseTransform(fn, program, namer, independents, seed, true);
  const reverse = t.reverse(t.body);
  t.decideHoisting(false, reverse);
  let forward = t.forward(t.body, false);
  if (t.control.hasEarlyReturn) forward = [{ k: "block", label: t.sweepLabel, body: forward }];
  const declarations = t.hoistedDeclarations(t.control.hasEarlyReturn ? [t.valueVar] : []);
  const paramAdjoints: Stmt[] = [];
  const handBack: Stmt[] = [];
  for (const v of independents) {
    if (!t.activity.isActive(v)) continue;
    const field: Expr = { k: "field", object: ref(gradVar), name: namer.of(v), optional: false };
    if (isArrayType(v.type)) {
      paramAdjoints.push({ k: "declare", v: t.adjoints.of(v), init: field, mutable: false });
    } else {
      paramAdjoints.push({ k: "declare", v: t.adjoints.of(v), init: ZERO, mutable: true });
      handBack.push({ k: "accumulateField", object: gradVar, name: namer.of(v), value: ref(t.adjoints.of(v)) });
    }
  }
  const body: Stmt[] = [
    ...declarations,
    { k: "comment", text: "Forward sweep." },
    ...forward,
    { k: "comment", text: "Reverse sweep." },
    ...paramAdjoints,
    ...t.adjointDeclarations(new Set(independents.filter((v) => t.activity.isActive(v)))),
    ...reverse,
    ...handBack,
    { k: "genReturn", value: ref(t.valueVar) },
  ];
  const gradType = `{ ${independents.map((v) => `${namer.of(v)}: ${mirrorTypeText(v.type)}`).join("; ")} }`;
  const paramsOut = fn.params.map((p) => ({ v: p.v, type: typeText(p.v.type) }));
  if (vectorResult) paramsOut.push({ v: cotangent, type: mirrorTypeText(fn.returnType) });
  const baseName = vectorResult ? generatedName.vjp(fn.name) : generatedName.grad(fn.name);
  const intoName = generatedName.into(baseName);
  const into: GenFunction = {
    name: intoName,
    exported: true,
    doc: [
      vectorResult
        ? `Reverse mode without allocation: adds \`cotangent\` * J of \`${fn.sourceName}\` into \`grad\` and returns the value.`
        : `Reverse mode without allocation: adds the gradient of \`${fn.sourceName}\` into \`grad\` and returns the value.`,
      "Arrays in `grad` are accumulated in place and numbers incremented: zero them first for a plain gradient.",
    ],
    params: [...paramsOut, { v: gradVar, type: gradType }],
    returnType: typeText(fn.returnType),
    body,
    namer,
  };

  // The allocating wrapper.
  const wrapperNamer = new Namer(reserved);
  wrapperNamer.claim(fn.params.map((p) => p.v));
  const wrapperGrad = new VarClass("grad", NUMBER, "generated");
  const value = new VarClass("value", fn.returnType, "generated");
  const fields = independents.map((v) => ({ name: wrapperNamer.of(v), value: zeroLike(v.type, ref(v)) }));
  const args: Expr[] = [...fn.params.map((p) => ref(p.v)), ...(vectorResult ? [ref(cotangent)] : []), ref(wrapperGrad)];
  const wrapper: GenFunction = {
    name: baseName,
    exported: true,
    doc: vectorResult
      ? [`Reverse mode: the value of \`${fn.sourceName}\` and the vector-Jacobian product \`cotangent\` * J for each parameter.`]
      : [`Reverse mode: the value of \`${fn.sourceName}\` and its gradient with respect to each parameter.`],
    params: paramsOut,
    returnType: `{ value: ${typeText(fn.returnType)}; grad: ${gradType} }`,
    body: [
      { k: "declare", v: wrapperGrad, init: { k: "object", fields }, mutable: false },
      { k: "declare", v: value, init: { k: "call", fn: intoName, args }, mutable: false },
      { k: "genReturn", value: { k: "object", fields: [{ name: "value", value: ref(value) }, { name: "grad", value: ref(wrapperGrad) }] } },
    ],
    namer: wrapperNamer,
  };
  return [into, wrapper];
}

/** `g_forward` and `g_reverse` for a callee. */
export function internalReverse(fn: IrFunction, program: IrProgram, reserved: string[]): GenFunction[] {
  const namerForward = new Namer(reserved);
  namerForward.claim(variablesOf(fn));
  const seedVar = new VarClass("dvalue", fn.returnType, "generated");
  const independents = independentsOf(fn, undefined);
  const t = new ReverseTransform(fn, program, namerForward, independents, ref(seedVar), false);
  const reverse = t.reverse(t.body);
  t.decideHoisting(true, reverse);
  let forward = t.forward(t.body, true);
  if (t.control.hasEarlyReturn) forward = [{ k: "block", label: t.sweepLabel, body: forward }];
  const params = new Set(fn.params.map((p) => p.v));
  const assigned = assignedVars(t.body);
  // What the reverse routine needs from the forward one, in a fixed order.
  const passed = variablesOf({ ...fn, body: t.body }).filter((v) => t.liveAtEnd.has(v) && (!params.has(v) || assigned.has(v)));
  const epilogue: Stmt[] = passed.map(pushValue);
  if (t.control.usesExitCodes) epilogue.push(exprStmt(tape("pushInt", ref(t.exitVar))));
  const forwardBody: Stmt[] = [...t.hoistedDeclarations(t.control.hasEarlyReturn ? [t.valueVar] : []), ...forward, ...epilogue, { k: "genReturn", value: ref(t.valueVar) }];

  const prologue: Stmt[] = [];
  if (t.control.usesExitCodes) prologue.push(assign(t.exitVar, tape("popInt")));
  for (const v of [...passed].reverse()) prologue.push(popValue(v));
  const paramAdjoints: Stmt[] = [];
  const adjointParams: { v: Var; type: string }[] = [];
  const scalarAdjoints: Var[] = [];
  for (const v of independents) {
    const dv = t.adjoints.of(v);
    if (isArrayType(v.type)) adjointParams.push({ v: dv, type: mirrorTypeText(v.type) });
    else {
      paramAdjoints.push({ k: "declare", v: dv, init: ZERO, mutable: true });
      scalarAdjoints.push(dv);
    }
  }
  // Variables the reverse routine reads: declared here, set by the prologue and restorations.
  const locals = variablesOf({ ...fn, body: t.body }).filter((v) => !params.has(v) && (t.hoisted.has(v) || passed.includes(v)));
  const localDeclarations: Stmt[] = locals.map((v) => ({ k: "declare", v, init: zeroOf(v.type), mutable: true }));
  const counters = t.hoistedDeclarations().filter((d) => d.k === "declare" && !locals.includes(d.v) && !t.hoisted.has(d.v));
  const reverseBody: Stmt[] = [
    ...localDeclarations,
    ...counters,
    ...prologue,
    ...paramAdjoints,
    ...t.adjointDeclarations(params),
    ...reverse,
    ...scalarAdjoints.map((dv) => exprStmt(tape("push", ref(dv)))),
  ];
  const typedParams = fn.params.map((p) => ({ v: p.v, type: typeText(p.v.type) }));
  const forwardFn: GenFunction = {
    name: generatedName.forwardSweep(fn.name),
    exported: false,
    doc: [`Forward sweep of \`${fn.sourceName}\`: its value, recording on the tape what \`${generatedName.reverseSweep(fn.name)}\` needs.`],
    params: typedParams,
    returnType: typeText(fn.returnType),
    body: forwardBody,
    namer: namerForward,
  };
  const reverseFn: GenFunction = {
    name: generatedName.reverseSweep(fn.name),
    exported: false,
    doc: [
      `Reverse sweep of \`${fn.sourceName}\`: adds \`dvalue\` times its derivative to the adjoints of its arguments`,
      "(arrays in place; numbers pushed on the tape in parameter order).",
    ],
    params: [...typedParams, ...adjointParams, { v: seedVar, type: mirrorTypeText(fn.returnType) }],
    returnType: "void",
    body: reverseBody,
    namer: namerForward,
  };
  return [forwardFn, reverseFn];
}
