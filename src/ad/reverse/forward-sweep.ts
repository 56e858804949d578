/**
 * The forward sweep: the primal statements, plus what the reverse sweep needs recorded on the
 * tape (old values of overwritten variables, trip counts, exit codes). A callee's active call
 * becomes a call of its forward routine `g_forward`, which records for `g_reverse`.
 */
import type { Expr, Stmt, Var } from "../../ir/nodes.js";
import { NUMBER, Var as VarClass, isArrayType } from "../../ir/nodes.js";
import { rootVar } from "../../ir/walk.js";
import type { ExitStmt, LoopStmt } from "../../analysis/loops.js";
import { lit } from "../../ir/build.js";
import { withPrintableInit } from "../common.js";
import type { ReversePlan } from "./plan.js";
import { assign, exprStmt, pushValue, ref, saveState, tape } from "./tape.js";

const ZERO = lit(0);

export class ForwardSweep {
  constructor(
    private readonly plan: ReversePlan,
    /** An internal forward routine (`g_forward`), not a public entry point. */
    private readonly internal: boolean,
  ) {}

  /** Inside a loop the reverse sweep skips (see ReversePlan.silent). */
  private silentDepth = 0;
  /** Inside the first run of a checkpointed loop: the primal alone, nothing recorded. */
  private primalDepth = 0;

  sweep(body: readonly Stmt[]): Stmt[] {
    const out: Stmt[] = [];
    for (const s of body) out.push(...this.statement(s));
    return out;
  }

  private push(s: Stmt): Stmt[] {
    if (this.primalDepth > 0 || !this.plan.pushes.has(s)) return [];
    if (s.k === "assign") return [pushValue(s.target)];
    if (s.k === "store") return [exprStmt(tape("push", { k: "index", array: s.array, index: s.index }))];
    return [];
  }

  private statement(s: Stmt): Stmt[] {
    switch (s.k) {
      case "assign": {
        let value = s.value;
        // (A function with a declared derivative is called as it is: its vjp needs no record.)
        if (value.k === "call" && this.primalDepth === 0 && this.plan.activity.isActive(s.target) && !this.plan.program.functions.get(value.fn)?.custom) {
          value = { k: "call", fn: this.plan.calleeRoutines(value).forward, args: value.args };
        }
        return [...this.push(s), { k: "assign", target: s.target, value, declare: this.plan.keepsDeclaration(s) ? s.declare : undefined, node: s.node }];
      }
      case "store":
        return [...this.push(s), s];
      case "if":
        return [{ ...s, then: this.sweep(s.then), else: this.sweep(s.else) }];
      case "loop":
        return this.loop(s);
      case "break":
        if (this.silentDepth > 0) return [s];
        // Leave the block around the target loop, past its normal-exit records.
        return [...this.exitCodes(s), { k: "exitBlock", label: this.plan.loopBlockLabel(s.loop) }];
      case "continue":
        return this.silentDepth > 0 ? [s] : [...this.exitCodes(s), s];
      case "return": {
        const isFinal = !this.plan.control.hasEarlyReturn;
        const out: Stmt[] = [...this.exitCodes(s)];
        // When the reverse sweep restores elements of the returned local array (or the array
        // itself), return a copy: the caller must get the values as they were returned.
        const value: Expr = !this.internal && s.value.k === "var" && this.restoresArray(s.value.v) ? { k: "copy", of: s.value } : s.value;
        if (isFinal) {
          out.push({ k: "declare", v: this.plan.valueVar, init: value, mutable: false, node: s.node });
        } else {
          out.push({ k: "assign", target: this.plan.valueVar, value, node: s.node });
          out.push(assign(this.plan.exitVar, this.plan.exitCode(s.exitId)));
          out.push({ k: "exitBlock", label: this.plan.sweepLabel });
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
    for (const c of this.plan.checkpointed.values()) if (c.state.includes(v) || c.constants.includes(v)) return true;
    for (const s of this.plan.pushes) {
      if (s.k === "assign" && s.target === v) return true;
      if (s.k === "store" && rootVar(s.array) === v) return true;
    }
    return false;
  }

  /** Codes recorded when an exit leaves iterations and loops (see analyzeControl). */
  private exitCodes(s: ExitStmt): Stmt[] {
    const out: Stmt[] = [];
    const loops = this.plan.control.enclosing.get(s) ?? [];
    for (const l of loops) {
      const facts = this.plan.control.loops.get(l.loop)!;
      if (s.k === "continue" && s.loop === l.loop) {
        if (facts.perIteration) out.push(exprStmt(tape("pushInt", this.plan.exitCode(s.exitId))));
        break;
      }
      if (facts.perIteration) out.push(exprStmt(tape("pushInt", this.plan.exitCode(s.exitId))));
      if (facts.lastIteration) out.push(exprStmt(tape("pushInt", this.plan.exitCode(s.exitId))));
      out.push(this.recordTrip(l, true));
      if (s.k === "break" && s.loop === l.loop) break;
    }
    return out;
  }

  private recordTrip(l: LoopStmt, fromInside: boolean): Stmt {
    const counted = this.plan.control.loops.get(l.loop)!.counted;
    if (counted) {
      const end: Expr = fromInside ? { k: "binary", op: "+", a: ref(counted.index), b: lit(1) } : ref(counted.index);
      return exprStmt(tape("push", end));
    }
    return exprStmt(tape("pushInt", ref(this.plan.tripCounter(l.loop))));
  }

  private loop(s: LoopStmt): Stmt[] {
    // A loop the reverse sweep skips runs as it is, its exits plain breaks and continues.
    if (this.silentDepth > 0 || this.plan.silent.has(s.loop)) {
      this.silentDepth++;
      const plain = { ...s, init: this.sweep(s.init), body: this.sweep(s.body), update: this.sweep(s.update) };
      this.silentDepth--;
      return withPrintableInit(plain);
    }
    if (this.plan.checkpointed.has(s.loop)) return this.checkpointedLoop(s);
    return this.recordedLoop(s);
  }

  private recordedLoop(s: LoopStmt): Stmt[] {
    const facts = this.plan.control.loops.get(s.loop)!;
    const out: Stmt[] = [];
    const init = this.sweep(s.init);
    const body = this.sweep(s.body);
    if (!facts.counted) {
      const counter = this.plan.tripCounter(s.loop);
      out.push(assign(counter, ZERO));
      body.unshift(assign(counter, { k: "binary", op: "+", a: ref(counter), b: lit(1) }));
    }
    if (facts.perIteration) body.push(exprStmt(tape("pushInt", ZERO)));
    if (s.kind === "for") {
      out.push(...withPrintableInit({ ...s, init, body, update: this.sweep(s.update) }));
    } else {
      out.push(...init, { ...s, init: [], body });
    }
    if (facts.lastIteration) out.push(exprStmt(tape("pushInt", ZERO)));
    if (!this.plan.lastIndexFromBound(s)) out.push(this.recordTrip(s, false));
    if (!this.plan.broken.has(s.loop)) return out;
    // A break records where the loop stopped itself, then leaves this block.
    return [{ k: "block", label: this.plan.loopBlockLabel(s.loop), body: out }];
  }

  // ------------------------------------------------------------ checkpointed loops

  /**
   * The first run of a checkpointed loop (analysis/checkpoint.ts): the primal statements,
   * recording only the loop's state every `stride` iterations, and after the loop the values
   * it read that later code changes.
   */
  private checkpointedLoop(s: LoopStmt): Stmt[] {
    const plan = this.plan.checkpointed.get(s.loop)!;
    if (plan.budget !== undefined) return this.budgetedLoop(s, plan.budget);
    const index = this.plan.control.loops.get(s.loop)!.counted!.index;
    const stride = new VarClass("stride", NUMBER, "generated");
    const primal = this.primalRun(s);
    const loop = { ...s, ...primal, body: [this.saveAtCheckpoint(s, this.plan.stepsFromStart(s, ref(index)), stride), ...primal.body] };
    const names = plan.state.map((v) => v.name).join(", ");
    return [
      { k: "comment", text: `Checkpointed loop: only its state (${names}) is recorded, every \`stride\` iterations.` },
      this.plan.strideDeclaration(s, stride),
      ...withPrintableInit(loop),
      ...plan.constants.flatMap((v) => saveState(v, false)),
    ];
  }

  /**
   * `--tape-budget`: the loop records as usual until it has used `budget` bytes of tape, then
   * runs the iterations left as the first run of a checkpointed loop does, from `checkpointsFrom`;
   * that index is recorded after the loop for the reverse sweep.
   */
  private budgetedLoop(s: LoopStmt, budget: number): Stmt[] {
    const plan = this.plan.checkpointed.get(s.loop)!;
    const index = this.plan.control.loops.get(s.loop)!.counted!.index;
    const stride = new VarClass("stride", NUMBER, "generated");
    const from = new VarClass("checkpointsFrom", NUMBER, "generated");
    const limit = new VarClass("tapeLimit", NUMBER, "generated");
    const recorded = this.sweep(s.body);
    recorded.push({
      k: "if",
      // (Only with iterations left: a switch after the last one would leave nothing for the reverse sweep to tell apart.)
      test: { k: "logical", op: "&&", a: { k: "compare", op: ">", a: tape("bytesUsed"), b: ref(limit) }, b: { k: "compare", op: "<", a: ref(index), b: this.plan.lastIndexFromBound(s)! } },
      then: [
        assign(from, { k: "binary", op: "+", a: ref(index), b: lit(1) }),
        assign(stride, this.plan.strideFrom(s, ref(from))),
        ...(this.plan.carriedAcrossSwitch.get(s.loop) ?? []).map(pushValue),
      ],
      else: [],
    });
    const { init, body: primal, update } = this.primalRun(s);
    const body: Stmt[] = [
      {
        k: "if",
        test: { k: "compare", op: "<", a: ref(index), b: ref(from) },
        then: recorded,
        else: [this.saveAtCheckpoint(s, { k: "binary", op: "-", a: ref(index), b: ref(from) }, stride), ...primal],
      },
    ];
    const names = plan.state.map((v) => v.name).join(", ");
    return [
      { k: "comment", text: `Tape budget: the loop records as usual until it has used ${budget} bytes of tape, then only its state` },
      { k: "comment", text: `(${names}) every \`stride\` iterations; the reverse sweep runs those iterations again.` },
      { k: "declare", v: limit, init: { k: "binary", op: "+", a: tape("bytesUsed"), b: lit(budget) }, mutable: false },
      { k: "declare", v: from, init: this.plan.endIndex(s), mutable: true },
      { k: "declare", v: stride, init: lit(1), mutable: true },
      ...withPrintableInit({ ...s, init, body, update }),
      exprStmt(tape("push", ref(from))),
      ...plan.constants.flatMap((v) => saveState(v, false)),
    ];
  }

  /** The loop's init, body and update as the primal alone: nothing recorded, calls of the functions themselves. */
  private primalRun(s: LoopStmt): { init: Stmt[]; body: Stmt[]; update: Stmt[] } {
    this.silentDepth++;
    this.primalDepth++;
    const run = { init: this.sweep(s.init), body: this.sweep(s.body), update: this.sweep(s.update) };
    this.primalDepth--;
    this.silentDepth--;
    return run;
  }

  /** `if (steps % stride === 0) { save the state }`, `steps` the iterations since checkpoints began. */
  private saveAtCheckpoint(s: LoopStmt, steps: Expr, stride: Var): Stmt {
    const plan = this.plan.checkpointed.get(s.loop)!;
    const atCheckpoint: Expr = { k: "compare", op: "===", a: { k: "binary", op: "%", a: steps, b: ref(stride) }, b: ZERO };
    return { k: "if", test: atCheckpoint, then: plan.state.flatMap((v) => saveState(v, plan.reassigned.has(v))), else: [] };
  }

  /**
   * Iterations `first` to `last` of a checkpointed loop, run again by the reverse sweep from
   * the state restored at `first`, recording as an ordinary loop does.
   */
  rerun(s: LoopStmt, first: Var, last: Var): Stmt[] {
    const index = this.plan.control.loops.get(s.loop)!.counted!.index;
    const init = s.init.map((x) => (x.k === "assign" && x.target === index ? { ...x, value: ref(first) } : x));
    return this.recordedLoop({ ...s, init, test: { k: "compare", op: "<=", a: ref(index), b: ref(last) } });
  }

  /** Fills in the stretches the reverse sweep runs again (after hoisting is decided: they declare what the forward sweep declares). */
  fillReruns(): void {
    for (const r of this.plan.reruns) r.into.splice(r.at, 0, ...this.rerun(r.loop, r.first, r.last));
    this.plan.reruns.length = 0;
  }

}
