/**
 * The forward sweep: the primal statements, plus what the reverse sweep needs recorded on the
 * tape (old values of overwritten variables, trip counts, exit codes). A callee's active call
 * becomes a call of its forward routine `g_forward`, which records for `g_reverse`.
 */
import type { Expr, Stmt, Var } from "../../ir/nodes.js";
import { isArrayType } from "../../ir/nodes.js";
import { rootVar } from "../../ir/walk.js";
import type { ExitStmt, LoopStmt } from "../../analysis/loops.js";
import { lit } from "../../ir/build.js";
import { withPrintableInit } from "../common.js";
import type { ReversePlan } from "./plan.js";
import { assign, exprStmt, pushValue, ref, tape } from "./tape.js";

const ZERO = lit(0);

export class ForwardSweep {
  constructor(
    private readonly plan: ReversePlan,
    /** An internal forward routine (`g_forward`), not a public entry point. */
    private readonly internal: boolean,
  ) {}

  /** Inside a loop the reverse sweep skips (see ReversePlan.silent). */
  private silentDepth = 0;

  sweep(body: readonly Stmt[]): Stmt[] {
    const out: Stmt[] = [];
    for (const s of body) out.push(...this.statement(s));
    return out;
  }

  private push(s: Stmt): Stmt[] {
    if (!this.plan.pushes.has(s)) return [];
    if (s.k === "assign") return [pushValue(s.target)];
    if (s.k === "store") return [exprStmt(tape("push", { k: "index", array: s.array, index: s.index }))];
    return [];
  }

  private statement(s: Stmt): Stmt[] {
    switch (s.k) {
      case "assign": {
        let value = s.value;
        // (A function with a declared derivative is called as it is: its vjp needs no record.)
        if (value.k === "call" && this.plan.activity.isActive(s.target) && !this.plan.program.functions.get(value.fn)?.custom) {
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

}
