/**
 * What the reverse transform of one function decides before it writes any code: the analyses
 * (activity, control facts, rematerialization, to-be-recorded), each statement's adjoint code,
 * and the bookkeeping both sweeps share (trip counters, exit codes, hoisted variables, where a
 * counted loop ends). The forward sweep (forward-sweep.ts) and the reverse sweep
 * (reverse-sweep.ts) read the plan; entry.ts assembles them into functions.
 */
import type { Expr, IrFunction, IrProgram, LoopInfo, Stmt, Var } from "../../ir/nodes.js";
import { BOOLEAN, NUMBER, Var as VarClass, isArrayType, isDifferentiableType } from "../../ir/nodes.js";
import { assignedVars, containsCall, forEachStmt, mapExpr, rootVar, valueReadsOf, varsOf, varsOfStmts, writtenVar } from "../../ir/walk.js";
import { type Activity, analyzeActivity } from "../../analysis/activity.js";
import { type ControlFacts, type LoopStmt, analyzeControl } from "../../analysis/loops.js";
import { indexLikeVars, integerStep } from "../../analysis/indices.js";
import { overwrittenArrays } from "../../analysis/overwrites.js";
import { rematerializable } from "../../analysis/remat.js";
import { nameNestedResults } from "./named-results.js";
import { type Checkpointing, checkpointDirective, checkpointPlan, notCheckpointable } from "../../analysis/checkpoint.js";
import { toBeRecorded } from "../../analysis/tbr.js";
import { lit } from "../../ir/build.js";
import { InternalError } from "../../ir/walk.js";
import { MATH } from "../../ir/primitives.js";
import { DerivativeVars, variablesOf, zeroLike } from "../common.js";
import { type Namer, generatedName } from "../names.js";
import type { ReverseRoutines } from "./routines.js";
import { type Snippet, buildSnippets, collectPrimalVars } from "./adjoints.js";
import { zeroOf } from "./tape.js";

export class ReversePlan {
  /** The function's body with unstable `if` conditions saved first (prepareConditions). */
  readonly body: Stmt[];
  readonly activity: Activity;
  readonly control: ControlFacts;
  /** The adjoints (of the first cotangent, in vector mode). */
  readonly adjoints: DerivativeVars;
  /**
   * Vector mode (several cotangents in one reverse sweep): one set of adjoints per cotangent,
   * `dx_0`, `dx_1`, ...; the forward sweep, the tape and the restorations are shared. A single
   * set (`dx`) otherwise.
   */
  readonly adjointSets: DerivativeVars[];
  /** The adjoint of the function's result for each cotangent (one outside vector mode). */
  readonly seeds: readonly Expr[];
  /** Variables the reverse sweep computes again from their definition (see remat.ts). */
  readonly remat: Map<Var, Expr>;
  /** Assignments after which the target's adjoint must be reset in the reverse sweep. */
  readonly reassigned = new Set<Stmt>();
  /** The reverse code of each assignment, element write and return. */
  readonly snippets: Map<Stmt, Snippet>;
  /** Assignments and element writes whose old value the forward sweep records. */
  readonly pushes: Set<Stmt>;
  /** Assignments `i = i + c` the reverse sweep undoes with `i = i - c` (integer indices). */
  readonly inverted: Set<Stmt>;
  /** Variables the reverse sweep reads at the end of the forward sweep (internal routines pass them on). */
  readonly liveAtEnd: Set<Var>;
  /** Variables declared at the top of the function instead of where the source declares them. */
  readonly hoisted = new Set<Var>();
  /**
   * Counted loop indices declared in the `for` heads of both sweeps: those of loops whose last
   * index the reverse sweep computes from the bound (nothing reads the index after the loop).
   */
  readonly blockScoped = new Set<Var>();
  readonly exitVar = new VarClass("exit", NUMBER, "generated");
  readonly valueVar: Var;
  readonly sweepLabel = "forward";
  /** Named constants of the exit codes (`BREAK_AT_12 = 2`), by exit id. */
  private readonly exitCodeVars = new Map<number, Var>();
  /** Trip counters of loops that are not counted loops. */
  private readonly tripCounters = new Map<LoopInfo, Var>();
  private brokenLoops: Set<LoopInfo> | undefined;

  /**
   * The forward and reverse routines of an active call `t = g(args)`: the pair with adjoints for
   * the parameters whose arguments are active here (`g_forward` / `g_reverse` when all are).
   */
  calleeRoutines(call: Extract<Expr, { k: "call" }>): { forward: string; reverse: string } {
    const callee = this.program.functions.get(call.fn);
    if (!callee) throw new InternalError(`unknown callee ${call.fn}`);
    const active = callee.params.filter((p, i) => isDifferentiableType(p.v.type) && this.activity.isActiveExpr(call.args[i]!)).map((p) => p.v);
    const suffix = this.routines.request(callee, active);
    // (In vector mode the callee's reverse routine carries every cotangent; its forward routine is the plain one.)
    const reverseSuffix = this.copies > 1 ? this.routines.request(callee, active, this.copies) : suffix;
    return { forward: generatedName.forwardSweep(call.fn) + suffix, reverse: generatedName.reverseSweep(call.fn) + reverseSuffix };
  }

  constructor(
    readonly fn: IrFunction,
    readonly program: IrProgram,
    readonly namer: Namer,
    independents: Var[],
    /**
     * The adjoint of the function's result: `1`, the cotangent, or the internal seed parameter;
     * in vector mode one per cotangent.
     */
    seed: Expr | readonly Expr[],
    /** Both sweeps in one function (public entry points): the reverse sweep can read `value`. */
    readonly oneFunction: boolean,
    /** The callees' routine pairs, one per pattern of active arguments (entry.ts). */
    readonly routines: ReverseRoutines,
  ) {
    const conditioned = prepareConditions(fn.body);
    const activeBefore = analyzeActivity({ ...fn, body: conditioned }, independents);
    // Where the user bounds the tape (a checkpoint directive, --tape-budget), calls are computed
    // again instead: a named result is one more value recorded per iteration.
    let boundedTape = routines.tapeBudget !== undefined;
    forEachStmt(conditioned, (s) => {
      if (s.k === "loop" && checkpointDirective(s.node)) boundedTape = true;
    });
    this.body = boundedTape ? conditioned : nameNestedResults(conditioned, (e) => activeBefore.isActiveExpr(e));
    const prepared: IrFunction = { ...fn, body: this.body };
    // (Analysed again only when names were added: their activity is not known yet.)
    this.activity = this.body === conditioned ? activeBefore : analyzeActivity(prepared, independents);
    this.seeds = Array.isArray(seed) ? seed : [seed as Expr];
    this.adjointSets = this.seeds.length === 1 ? [new DerivativeVars(namer)] : this.seeds.map((_, k) => new DerivativeVars(namer, k));
    this.adjoints = this.adjointSets[0]!;
    this.control = analyzeControl(this.body);
    this.valueVar = new VarClass("value", fn.returnType, "generated");
    this.findReassigned(this.body, false);
    this.remat = rematerializable(prepared, this.body, this.control.loops);
    this.snippets = buildSnippets(this);
    const indexLike = indexLikeVars(this.body, this.activity);
    const allocations = new Map<Var, Expr>();
    forEachStmt(this.body, (s) => {
      if (s.k === "assign" && s.declare === "const" && s.value.k === "alloc" && s.value.type.kind === "vector") allocations.set(s.target, s.value.length);
    });
    const tbr = toBeRecorded(this.body, {
      usesBefore: (s) => this.usesBefore(s, valueReadsOf),
      usesAfter: (s) => (this.snippets.get(s)?.readsResult ? (s.k === "assign" ? [s.target] : s.k === "store" ? [rootVar(s.array)!] : []) : []),
      countedIndices: new Set([...this.control.loops.values()].flatMap((l) => (l.counted ? [l.counted.index] : []))),
      invertible: (s) => s.k === "assign" && indexLike.has(s.target) && integerStep(s) !== undefined,
      // (Not an array whose stored elements the reverse code reads back: see storeSnippet.)
      overwrites: (loop) => overwrittenArrays(loop, this.control, allocations).filter((v) => !this.readsStoredElements(loop, v)),
    });
    this.pushes = tbr.pushes;
    this.inverted = tbr.inverted;
    this.liveAtEnd = tbr.liveAtEnd;
    // The adjoint of an active local array is allocated from the array's shape at the start of
    // the reverse sweep, so the array itself is needed there.
    for (const v of variablesOf(prepared)) {
      if (isArrayType(v.type) && v.origin !== "param" && this.activity.isActive(v)) this.liveAtEnd.add(v);
    }
    // So is a local array whose length alone the reverse code reads (no element of it is recorded).
    forEachStmt(this.body, (s) => {
      for (const v of this.usesBefore(s, varsOf)) if (isArrayType(v.type) && v.origin !== "param") this.liveAtEnd.add(v);
    });
    forEachStmt(this.body, (s) => {
      if (s.k !== "loop") return;
      const counted = this.control.loops.get(s.loop)!.counted;
      if (this.isSilent(s)) this.silent.add(s.loop);
      if (counted && (this.silent.has(s.loop) || this.lastIndexFromBound(s))) this.blockScoped.add(counted.index);
      // (A silent loop's index lives in its `for` head: nothing after it reads it, routines do not pass it on.)
      if (counted && this.silent.has(s.loop)) this.liveAtEnd.delete(counted.index);
    });
    this.findCheckpointed(this.body, () => [], false);
  }

  // ------------------------------------------------------------ checkpointed loops

  /** Loops marked `// tsgrad: checkpoint`, with what they save (analysis/checkpoint.ts). */
  readonly checkpointed = new Map<LoopInfo, Checkpointing>();
  /**
   * Where the reverse sweep runs stretches of checkpointed loops again: forward code, written
   * once hoisting is decided (ForwardSweep.fillReruns) and spliced into `into` at `at`.
   */
  readonly reruns: { into: Stmt[]; at: number; loop: LoopStmt; first: Var; last: Var }[] = [];
  /**
   * For a loop with a tape budget: the variables declared inside it that the reverse code of
   * an iteration reads. The reverse sweep of the first stretch leaves them as its own run
   * again set them, not as the last recorded iteration did, so the forward sweep records them
   * where it switches to checkpoints (set by the reverse sweep, read by the forward sweep).
   */
  readonly carriedAcrossSwitch = new Map<LoopInfo, Var[]>();

  /**
   * `--tape-budget`: a loop at the top of the function that records on the tape and allows
   * checkpoints gets them once it has recorded `budget` bytes; other loops stay as they are.
   */
  private checkpointAutomatically(s: LoopStmt, after: () => readonly Stmt[], budget: number): void {
    if (this.silent.has(s.loop) || !this.control.loops.get(s.loop)!.counted || !this.lastIndexFromBound(s)) return;
    let records = false;
    forEachStmt([...s.body, ...s.update], (x) => {
      if (this.pushes.has(x) || (x.k === "assign" && x.value.k === "call" && this.activity.isActive(x.target))) records = true;
      if (x.k === "loop" && !this.silent.has(x.loop) && !this.lastIndexFromBound(x)) records = true;
    });
    if (!records) return;
    try {
      this.checkpoint(s, { ...checkpointPlan(s, undefined, after()), budget });
    } catch {
      // (State checkpoints cannot save: the loop is recorded as usual.)
    }
  }

  /** `max(1, ceil(sqrt(end - from)))`: the stride of checkpoints over the iterations from `from` to the end of `s`. */
  strideFrom(s: LoopStmt, from: Expr): Expr {
    const left: Expr = from.k === "num" && from.value === 0 ? this.endIndex(s) : { k: "binary", op: "-", a: this.endIndex(s), b: from };
    return { k: "math", fn: "max", args: [lit(1), { k: "math", fn: "ceil", args: [{ k: "math", fn: "sqrt", args: [left] }] }] };
  }

  /** The index after the last iteration of counted loop `s`: last + 1, `n - 1 + 1` written `n`. */
  endIndex(s: LoopStmt): Expr {
    const last = this.lastIndexFromBound(s)!;
    return last.k === "binary" && last.op === "-" && last.b.k === "num" && last.b.value === 1 ? last.a : { k: "binary", op: "+", a: last, b: lit(1) };
  }

  /**
   * `const stride = ...`: the iterations between two checkpoints of loop `s`, the directive's
   * number or ceil(sqrt(trip count)) (at least 1).
   */
  strideDeclaration(s: LoopStmt, stride: Var): Stmt {
    const every = this.checkpointed.get(s.loop)!.every;
    const init: Expr = every !== undefined ? lit(every) : this.strideFrom(s, this.rematerialized(this.control.loops.get(s.loop)!.counted!.start));
    return { k: "declare", v: stride, init, mutable: false };
  }

  /** `i - start` for the index of counted loop `s` (`i` when it starts at 0). */
  stepsFromStart(s: LoopStmt, i: Expr): Expr {
    const start = this.rematerialized(this.control.loops.get(s.loop)!.counted!.start);
    return start.k === "num" && start.value === 0 ? i : { k: "binary", op: "-", a: i, b: start };
  }

  private checkpoint(s: LoopStmt, plan: Checkpointing): void {
    this.checkpointed.set(s.loop, plan);
    // The reverse sweep runs the loop again: everything it reads must still be there.
    for (const v of plan.outside) this.liveAtEnd.add(v);
  }

  /** `after`: the statements that run after `body` (the rest of the blocks around it), made when asked. */
  private findCheckpointed(body: readonly Stmt[], after: () => readonly Stmt[], inLoop: boolean): void {
    body.forEach((s, i) => {
      if (s.k !== "if" && s.k !== "loop") return;
      const rest = (): readonly Stmt[] => [...body.slice(i + 1), ...after()];
      if (s.k === "if") {
        this.findCheckpointed(s.then, rest, inLoop);
        this.findCheckpointed(s.else, rest, inLoop);
        return;
      }
      if (s.k !== "loop") return;
      const directive = checkpointDirective(s.node);
      if (!directive && !inLoop && this.routines.tapeBudget !== undefined) this.checkpointAutomatically(s, rest, this.routines.tapeBudget);
      if (directive) {
        if (inLoop) throw notCheckpointable(s, "it is inside another loop; mark the outermost loop instead");
        const facts = this.control.loops.get(s.loop)!;
        if (!facts.counted) throw notCheckpointable(s, "it is not a counted loop (for (let i = a; i < b; i++) with i and b unchanged in the body)");
        if (!this.lastIndexFromBound(s)) {
          throw notCheckpointable(s, "it is left early (break, continue or return) or its bound changes inside it; the stretches run again must have a trip count known before the loop starts");
        }
        if (!this.silent.has(s.loop)) {
          this.checkpoint(s, checkpointPlan(s, directive.every, rest()));
        }
      }
      this.findCheckpointed(s.init, rest, inLoop);
      this.findCheckpointed(s.body, rest, true);
    });
  }

  /** An expression as the reverse sweep evaluates it: rematerialized variables replaced. */
  rematerialized(e: Expr): Expr {
    if (this.remat.size === 0) return e;
    return mapExpr(e, (x) => (x.k === "var" && this.remat.has(x.v) ? this.remat.get(x.v)! : x));
  }

  /**
   * Assignments after which the target's adjoint must be reset in the reverse sweep: all but a
   * declaration outside loops, before which the variable has no adjoint to speak of.
   */
  private findReassigned(body: readonly Stmt[], inLoop: boolean): void {
    for (const s of body) {
      if (s.k === "assign") {
        if (inLoop || !s.declare) this.reassigned.add(s);
      } else if (s.k === "if") {
        this.findReassigned(s.then, inLoop);
        this.findReassigned(s.else, inLoop);
      } else if (s.k === "loop") {
        this.findReassigned(s.init, inLoop);
        this.findReassigned(s.body, true);
        this.findReassigned(s.update, true);
      }
    }
  }

  // ------------------------------------------------------------ what the reverse code reads

  /** Whether the loop stores elements of `v` whose reverse code reads them back (storeSnippet). */
  private readsStoredElements(loop: Stmt, v: Var): boolean {
    let found = false;
    forEachStmt([loop], (s) => {
      if (s.k === "store" && rootVar(s.array) === v && this.snippets.get(s)?.readsResult) found = true;
    });
    return found;
  }

  /**
   * Primal variables the reverse code of `s` reads at the point before `s` runs (asked by the
   * to-be-recorded analysis, so what it records is not known yet).
   */
  private usesBefore(s: Stmt, reads: (e: Expr, out?: Set<Var>) => Set<Var>): Var[] {
    const out = new Set<Var>();
    const snippet = this.snippets.get(s);
    if (snippet) {
      // (With valueReadsOf, `a.length` reads no element: an array whose length alone is read needs no recording.)
      for (const x of [...snippet.beforeRestore, ...snippet.afterRestore]) collectPrimalVars(x, out, (e) => reads(e));
      if (snippet.readsResult && s.k === "assign") out.delete(s.target);
      // (The stored element is read as the store left it: usesAfter.)
      if (snippet.readsResult && s.k === "store") out.delete(rootVar(s.array)!);
      if (s.k === "assign" && s.value.k === "call" && snippet.beforeRestore.length > 0) {
        for (const a of s.value.args) varsOf(this.rematerialized(a), out);
      }
    }
    if (s.k === "store" && snippet) {
      reads(this.rematerialized(s.index), out);
      // Indices of a row (`m[i][j] = ...`), not the array itself: writing needs no old contents.
      if (s.array.k === "index") reads(this.rematerialized(s.array.index), out);
    }
    // The reverse sweep evaluates the condition again when the branches have reverse code or
    // may restore overwritten values (which TBR is still deciding): assume so for any write.
    if (s.k === "if" && (this.hasReverseCode(s) || assignedVars([...s.then, ...s.else]).size > 0)) reads(this.rematerialized(s.test), out);
    if (s.k === "loop") {
      const counted = this.control.loops.get(s.loop)?.counted;
      if (counted) reads(this.rematerialized(counted.start), out);
      // A counted loop whose end the reverse sweep computes from the bound reads the bound.
      if (counted && s.test && s.test.k === "compare") reads(this.rematerialized(s.test.b), out);
    }
    return [...out];
  }

  private hasReverseCode(s: Stmt): boolean {
    const snippet = this.snippets.get(s);
    if (snippet) return snippet.beforeRestore.length + snippet.afterRestore.length > 0;
    if (s.k === "if") return [...s.then, ...s.else].some((x) => this.hasReverseCode(x));
    if (s.k === "loop") return !this.silent.has(s.loop);
    return false;
  }

  // ------------------------------------------------------------ loop bookkeeping

  tripCounter(loop: LoopInfo): Var {
    let v = this.tripCounters.get(loop);
    if (!v) {
      v = new VarClass("iterations", NUMBER, "generated");
      this.tripCounters.set(loop, v);
    }
    return v;
  }

  /**
   * Loops the reverse sweep skips, and the forward sweep runs as they are, recording nothing:
   * no statement in them has reverse code or an old value to record, and no exit leaves them
   * (a search, `xs.some((x) => x > t)`, `xs.findIndex(...)`, a loop counting inactive values).
   */
  readonly silent = new Set<LoopInfo>();

  private isSilent(loop: LoopStmt): boolean {
    if ((this.control.escaping.get(loop) ?? []).length > 0) return false;
    let silent = true;
    // (A break or continue is printed as it is: it must target the loop around it, or a labelled one.)
    const visit = (body: readonly Stmt[], innermost: LoopInfo): void => {
      for (const s of body) {
        if (s.k === "return") silent = false;
        if ((s.k === "break" || s.k === "continue") && s.loop !== innermost && !s.loop.label) silent = false;
        if (this.pushes.has(s) || this.inverted.has(s) || this.hasReverseCode(s)) silent = false;
        if (s.k === "assign" && s.value.k === "call" && this.activity.isActive(s.target)) silent = false;
        if (s.k === "loop") {
          visit(s.init, innermost);
          visit([...s.body, ...s.update], s.loop);
        } else if (s.k === "if") {
          visit(s.then, innermost);
          visit(s.else, innermost);
        }
      }
    };
    visit(loop.init, loop.loop);
    visit([...loop.body, ...loop.update], loop.loop);
    return silent;
  }

  /** Loops some `break` targets. */
  get broken(): Set<LoopInfo> {
    if (!this.brokenLoops) {
      this.brokenLoops = new Set();
      for (const exit of this.control.enclosing.keys()) if (exit.k === "break") this.brokenLoops.add(exit.loop);
    }
    return this.brokenLoops;
  }

  loopBlockLabel(loop: LoopInfo): string {
    return loop.label ? `${loop.label}_loop` : `loop${loop.id}`;
  }

  /**
   * The last index of a counted loop without exits, computed from its bound instead of
   * recorded: `for (let i = A; i < B; i++)` with A an integer ends at ceil(B) - 1 (B - 1 when B
   * is an integer too), `i <= B` at floor(B). The bound's variables are read by the reverse
   * sweep there (usesBefore), so they hold their values.
   */
  lastIndexFromBound(s: LoopStmt): Expr | undefined {
    // Asked by the plan and by both sweeps: decided once per loop.
    if (!this.lastIndices.has(s.loop)) this.lastIndices.set(s.loop, this.computeLastIndex(s));
    return this.lastIndices.get(s.loop);
  }

  private readonly lastIndices = new Map<LoopInfo, Expr | undefined>();

  private computeLastIndex(s: LoopStmt): Expr | undefined {
    const facts = this.control.loops.get(s.loop)!;
    const counted = facts.counted;
    if (!counted || !s.test || s.test.k !== "compare") return undefined;
    if (facts.perIteration || facts.lastIteration || this.broken.has(s.loop) || (this.control.escaping.get(s) ?? []).length > 0) return undefined;
    if (!this.isIntegerExpr(counted.start)) return undefined;
    const bound = this.rematerialized(s.test.b);
    if (containsCall(bound)) return undefined;
    // The bound must be the one the loop saw throughout: nothing in the loop writes it. (Storing
    // into a typed array keeps its length: only assigning the variable changes `a.length`.)
    const written = assignedVars([...s.body, ...s.update]);
    const reassigned = new Set<Var>();
    forEachStmt([...s.body, ...s.update], (x) => {
      const v = writtenVar(x);
      if (v) reassigned.add(v);
    });
    const typed = (v: Var) => v.type.kind === "vector" && v.type.repr !== "array";
    const readsValue = valueReadsOf(bound);
    for (const v of varsOf(bound)) if (written.has(v) && (reassigned.has(v) || !typed(v) || readsValue.has(v))) return undefined;
    if (s.test.op === "<") {
      return this.isIntegerExpr(bound) ? { k: "binary", op: "-", a: bound, b: lit(1) } : { k: "binary", op: "-", a: { k: "math", fn: "ceil", args: [bound] }, b: lit(1) };
    }
    return this.isIntegerExpr(bound) ? bound : { k: "math", fn: "floor", args: [bound] };
  }

  /** Provably an integer: integer literals, lengths, integer-valued Math functions, indices of counted loops with integer starts. */
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
      case "math":
        return MATH[e.fn].integerValued;
      default:
        return false;
    }
  }

  // ------------------------------------------------------------ exit codes

  /**
   * The code recorded when the forward sweep leaves by exit `id`, as a named constant: the
   * exit's keyword and source line (`CONTINUE_AT_36`). 0 stays the code of no exit.
   */
  exitCode(id: number): Expr {
    let v = this.exitCodeVars.get(id);
    if (!v) {
      let exit: Stmt | undefined;
      forEachStmt(this.body, (s) => {
        if ((s.k === "break" || s.k === "continue" || s.k === "return") && s.exitId === id) exit = s;
      });
      const node = exit && "node" in exit ? exit.node : undefined;
      const line = node ? node.getSourceFile().getLineAndCharacterOfPosition(node.getStart()).line + 1 : undefined;
      v = new VarClass(line !== undefined && exit ? `${exit.k.toUpperCase()}_AT_${line}` : `EXIT_${id}`, NUMBER, "generated", true);
      this.exitCodeVars.set(id, v);
    }
    return { k: "var", v };
  }

  /** `const BREAK_AT_12 = 2;` for the exit codes `body` reads, in the order of their codes. */
  exitCodeDeclarations(body: readonly Stmt[]): Stmt[] {
    const used = varsOfStmts(body);
    return [...this.exitCodeVars]
      .sort(([a], [b]) => a - b)
      .filter(([, v]) => used.has(v))
      .map(([id, v]) => ({ k: "declare", v, init: lit(id), mutable: false }));
  }

  // ------------------------------------------------------------ declarations

  /** Whether an assignment keeps its `const`/`let` (top-level declarations not wrapped in the sweep block). */
  keepsDeclaration(s: Extract<Stmt, { k: "assign" }>): boolean {
    return s.declare !== undefined && !this.hoisted.has(s.target);
  }

  /**
   * Decides where variables are declared. The reverse code reads (or restores) `reverseReads`;
   * those of them that the source declares at the top level keep their declaration in the
   * forward sweep, the others are hoisted (declared at the top of the function). Counted loop
   * indices stay in their `for` heads, each sweep's loop declaring its own, unless the forward
   * sweep records where the loop stopped after it (then the index must outlive the loop).
   */
  decideHoisting(reverseCode: readonly Stmt[]): void {
    for (const s of reverseCode) collectPrimalVars(s, this.reverseReads);
    for (const c of this.checkpointed.values()) for (const v of c.outside) this.reverseReads.add(v);
    for (const v of this.liveAtEnd) this.reverseReads.add(v);
    const topLevel = new Set<Var>();
    if (!this.control.hasEarlyReturn) {
      for (const s of this.body) if (s.k === "assign" && s.declare) topLevel.add(s.target);
    }
    const params = new Set(this.fn.params.map((p) => p.v));
    for (const v of this.reverseReads) {
      if (params.has(v) || v.origin === "generated" || this.blockScoped.has(v)) continue;
      if (!topLevel.has(v)) this.hoisted.add(v);
    }
    for (const facts of this.control.loops.values()) {
      if (facts.counted && !this.blockScoped.has(facts.counted.index)) this.hoisted.add(facts.counted.index);
    }
  }

  /** Primal variables the reverse code reads or restores (set by decideHoisting). */
  readonly reverseReads = new Set<Var>();
  /** `let x = 0;` for hoisted variables, trip counters and the exit code. */
  hoistedDeclarations(extra: Var[] = []): Stmt[] {
    const out: Stmt[] = [];
    const ordered = variablesOf({ ...this.fn, body: this.body }).filter((v) => this.hoisted.has(v));
    for (const v of [...ordered, ...extra]) out.push({ k: "declare", v, init: zeroOf(v.type), mutable: true });
    for (const v of this.tripCounters.values()) out.push({ k: "declare", v, init: lit(0), mutable: true });
    if (this.control.usesExitCodes) out.push({ k: "declare", v: this.exitVar, init: lit(0), mutable: true });
    return out;
  }

  /** The number of cotangents one reverse sweep carries (vector mode when more than one). */
  get copies(): number {
    return this.seeds.length;
  }

  /** `let dx = 0;` for every active local (parameters' adjoints are declared by the caller); `dx_0`, `dx_1`, ... in vector mode. */
  adjointDeclarations(skip: Set<Var>): Stmt[] {
    const out: Stmt[] = [];
    for (const v of variablesOf({ ...this.fn, body: this.body })) {
      if (skip.has(v) || !this.activity.isActive(v)) continue;
      const recreated = [...this.reassigned].some((s) => s.k === "assign" && s.target === v);
      for (const adjoints of this.adjointSets) out.push({ k: "declare", v: adjoints.of(v), init: zeroLike(v.type, { k: "var", v }), mutable: !isArrayType(v.type) || recreated });
    }
    return out;
  }
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
        out.push({ ...s, test: { k: "var", v: cond }, then, else: otherwise });
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
