/**
 * The reverse sweep: the statements backwards, each statement's adjoint code (adjoints.ts)
 * around the restoration of the value it overwrote, `if`s evaluated again, counted loops run
 * backwards from where they ended, other loops for their recorded trip counts, and statements
 * after an exit skipped when the recorded exit code says they did not run.
 */
import type { Expr, Stmt, Var } from "../../ir/nodes.js";
import { NUMBER, Var as VarClass } from "../../ir/nodes.js";
import type { LoopStmt } from "../../analysis/loops.js";
import { integerStep } from "../../analysis/indices.js";
import { lit } from "../../ir/build.js";
import { sourceLine, withSourceLine } from "../source-line.js";
import type { ReversePlan } from "./plan.js";
import { collectPrimalVars } from "./adjoints.js";
import { forEachStmt } from "../../ir/walk.js";
import { assign, popValue, ref, restoreState, tape } from "./tape.js";

const ZERO = lit(0);

export class ReverseSweep {
  constructor(private readonly plan: ReversePlan) {}

  /** The source line of the loop or if whose branches are being reversed. */
  private enclosingLine: string | undefined;

  sweep(body: readonly Stmt[]): Stmt[] {
    const out: Stmt[] = [];
    // exitsBefore[i]: exits that leave the statements before body[i] (so body[i] may not have run).
    const exitsBefore: number[][] = [];
    let seen: number[] = [];
    for (const s of body) {
      exitsBefore.push(seen);
      const exits = this.plan.control.escaping.get(s) ?? [];
      if (exits.length > 0) seen = [...seen, ...exits];
    }
    // The code of consecutive statements from one source line shares its comment (and a
    // statement on the line of the loop or if around it has no comment of its own).
    const lastComment = { text: this.enclosingLine };
    for (let i = body.length - 1; i >= 0; i--) {
      const s = body[i]!;
      const outer = this.enclosingLine;
      if ((s.k === "loop" || s.k === "if") && s.node) this.enclosingLine = sourceLine(s.node);
      const inner = this.statement(s);
      this.enclosingLine = outer;
      const code = withSourceLine(s, inner, lastComment);
      if (code.length === 0) continue;
      const earlier = exitsBefore[i]!;
      if (earlier.length === 0) {
        out.push(...code);
      } else {
        // Run only if the forward sweep reached this statement (no earlier exit was taken).
        let test: Expr | undefined;
        for (const id of earlier) {
          const differs: Expr = { k: "compare", op: "!==", a: ref(this.plan.exitVar), b: this.plan.exitCode(id) };
          test = test ? { k: "logical", op: "&&", a: test, b: differs } : differs;
        }
        out.push({ k: "if", test: test!, then: code, else: [] });
      }
    }
    return out;
  }

  private statement(s: Stmt): Stmt[] {
    switch (s.k) {
      case "assign":
      case "store": {
        const snippet = this.plan.snippets.get(s)!;
        return [...snippet.beforeRestore, ...this.restore(s), ...snippet.afterRestore];
      }
      case "return":
        return [...this.plan.snippets.get(s)!.beforeRestore];
      case "break":
      case "continue":
        // Nothing: the statement that contains an exit resets the exit code after its reverse code.
        return [];
      case "if": {
        const then = this.sweep(s.then);
        const otherwise = this.sweep(s.else);
        if (then.length === 0 && otherwise.length === 0) return [];
        const test = this.plan.rematerialized(s.test);
        if (then.length === 0) return [{ k: "if", test: { k: "not", a: test }, then: otherwise, else: [] }];
        return [{ k: "if", test, then, else: otherwise }];
      }
      case "loop":
        if (this.plan.silent.has(s.loop)) return [];
        return this.plan.checkpointed.has(s.loop) ? this.checkpointedLoop(s) : this.loop(s);
      default:
        return [];
    }
  }

  private loop(s: LoopStmt): Stmt[] {
    const facts = this.plan.control.loops.get(s.loop)!;
    const body: Stmt[] = [];
    if (facts.perIteration) body.push(assign(this.plan.exitVar, tape("popInt")));
    const update = facts.counted ? [] : this.sweep(s.update);
    if (update.length > 0) {
      if (facts.perIteration || facts.lastIteration) {
        // The update ran after iterations that ended normally or by `continue`.
        let test: Expr = { k: "compare", op: "===", a: ref(this.plan.exitVar), b: ZERO };
        for (const id of facts.continueIds) test = { k: "logical", op: "||", a: test, b: { k: "compare", op: "===", a: ref(this.plan.exitVar), b: this.plan.exitCode(id) } };
        body.push({ k: "if", test, then: update, else: [] });
      } else {
        body.push(...update);
      }
    }
    body.push(...this.sweep(s.body));
    // Guards only test exits of earlier statements, so an exit code needs no reset inside the
    // iteration; the iterations before the last one ended normally.
    if (facts.lastIteration) body.push(assign(this.plan.exitVar, ZERO));
    const out: Stmt[] = [];
    const lastCode = facts.lastIteration ? [assign(this.plan.exitVar, tape("popInt"))] : [];
    if (facts.counted) {
      const i = facts.counted.index;
      const minusOne: Expr = this.plan.lastIndexFromBound(s) ?? { k: "binary", op: "-", a: tape("pop"), b: lit(1) };
      const start = this.plan.rematerialized(facts.counted.start);
      if (lastCode.length === 0) {
        // A block-scoped index is declared by the reverse loop itself.
        out.push(this.countDown(i, minusOne, start, body));
      } else {
        out.push(assign(i, minusOne), ...lastCode, this.countDown(i, null, start, body));
      }
    } else {
      const counter = this.plan.tripCounter(s.loop);
      const test: Expr = { k: "compare", op: ">", a: ref(counter), b: ZERO };
      const decrement = assign(counter, { k: "binary", op: "-", a: ref(counter), b: lit(1) });
      if (lastCode.length === 0) {
        out.push({ k: "rawFor", init: assign(counter, tape("popInt")), test, update: decrement, body });
      } else {
        out.push(assign(counter, tape("popInt")), ...lastCode, { k: "rawFor", init: null, test, update: decrement, body });
      }
    }
    out.push(...this.sweep(s.init));
    return out;
  }

  /**
   * A checkpointed loop (analysis/checkpoint.ts), stretch by stretch from the last: restore the
   * state saved at the stretch's first iteration, run the stretch again recording
   * (ForwardSweep.rerun, filled in later), and reverse it.
   */
  private checkpointedLoop(s: LoopStmt): Stmt[] {
    const plan = this.plan.checkpointed.get(s.loop)!;
    const i = this.plan.control.loops.get(s.loop)!.counted!.index;
    const loopStart = this.plan.rematerialized(this.plan.control.loops.get(s.loop)!.counted!.start);
    const lastIndex = this.plan.lastIndexFromBound(s)!;
    const stride = new VarClass("stride", NUMBER, "generated");
    // With a tape budget the stretches start where the forward sweep began checkpoints; the
    // iterations before were recorded and are reversed as usual after them.
    const from = new VarClass("checkpointsFrom", NUMBER, "generated");
    const start: Expr = plan.budget !== undefined ? ref(from) : loopStart;
    const first = new VarClass("first", NUMBER, "generated");
    const last = new VarClass("last", NUMBER, "generated");
    const stretch: Stmt[] = [
      ...[...plan.state].reverse().flatMap((v) => restoreState(v, plan.reassigned.has(v))),
      {
        k: "declare",
        v: last,
        init: { k: "math", fn: "min", args: [{ k: "binary", op: "-", a: { k: "binary", op: "+", a: ref(first), b: ref(stride) }, b: lit(1) }, lastIndex] },
        mutable: false,
      },
    ];
    const rerunAt = stretch.length;
    stretch.push(this.countDown(i, ref(last), ref(first), this.sweep(s.body)));
    this.plan.reruns.push({ into: stretch, at: rerunAt, loop: s, first, last });
    // The last stretch starts at start + floor((lastIndex - start) / stride) * stride.
    const stepsFromStart: Expr = plan.budget !== undefined ? { k: "binary", op: "-", a: lastIndex, b: ref(from) } : this.plan.stepsFromStart(s, lastIndex);
    const lastFirst: Expr = {
      k: "binary",
      op: "*",
      a: { k: "math", fn: "floor", args: [{ k: "binary", op: "/", a: stepsFromStart, b: ref(stride) }] },
      b: ref(stride),
    };
    const recordedPart = plan.budget !== undefined ? this.recordedIterations(s, from, loopStart) : [];
    return [
      ...[...plan.constants].reverse().flatMap((v) => restoreState(v, false)),
      ...(plan.budget !== undefined
        ? [{ k: "declare", v: from, init: tape("pop"), mutable: false } as Stmt, { k: "declare", v: stride, init: this.plan.strideFrom(s, ref(from)), mutable: false } as Stmt]
        : [this.plan.strideDeclaration(s, stride)]),
      {
        k: "rawFor",
        init: { k: "declare", v: first, init: start.k === "num" && start.value === 0 ? lastFirst : { k: "binary", op: "+", a: start, b: lastFirst }, mutable: true },
        test: { k: "compare", op: ">=", a: ref(first), b: start },
        update: assign(first, { k: "binary", op: "-", a: ref(first), b: ref(stride) }),
        body: stretch,
      },
      ...recordedPart,
      ...this.sweep(s.init),
    ];
  }

  /**
   * With a tape budget, the iterations the forward sweep recorded before it switched to
   * checkpoints, from `from - 1` down to `loopStart`, after taking back the values of the last
   * of them that their reverse code reads (the forward sweep recorded them at the switch).
   */
  private recordedIterations(s: LoopStmt, from: Var, loopStart: Expr): Stmt[] {
    const out: Stmt[] = [];
    const body = this.sweep(s.body);
    const declared = new Set<Var>();
    forEachStmt([...s.body, ...s.update], (x) => {
      if (x.k === "assign" && x.declare) declared.add(x.target);
    });
    const reads = new Set<Var>();
    for (const x of body) collectPrimalVars(x, reads);
    // (An inner loop's index declared in its own head is not one: each reverse loop sets it.)
    const carried = [...reads].filter((v) => declared.has(v) && !this.plan.blockScoped.has(v)).sort((a, b) => a.id - b.id);
    this.plan.carriedAcrossSwitch.set(s.loop, carried);
    if (carried.length > 0) {
      const switched: Expr = { k: "compare", op: "<", a: ref(from), b: this.plan.endIndex(s) };
      out.push({ k: "if", test: switched, then: [...carried].reverse().map((v) => popValue(v)), else: [] });
    }
    const i = this.plan.control.loops.get(s.loop)!.counted!.index;
    out.push(this.countDown(i, { k: "binary", op: "-", a: ref(from), b: lit(1) }, loopStart, body));
    return out;
  }

  /**
   * `for (let i = from; i >= to; i--) body`, the index declared there when it is block-scoped
   * (`from` null: `i` is set before the loop).
   */
  private countDown(i: Var, from: Expr | null, to: Expr, body: Stmt[]): Stmt {
    const init: Stmt | null = from === null ? null : this.plan.blockScoped.has(i) ? { k: "declare", v: i, init: from, mutable: true } : assign(i, from);
    return { k: "rawFor", init, test: { k: "compare", op: ">=", a: ref(i), b: to }, update: assign(i, { k: "binary", op: "-", a: ref(i), b: lit(1) }), body };
  }

  private restore(s: Stmt): Stmt[] {
    if (s.k === "assign" && this.plan.inverted.has(s)) {
      const step = integerStep(s)!;
      return [assign(s.target, { k: "binary", op: step > 0 ? "-" : "+", a: ref(s.target), b: lit(Math.abs(step)) })];
    }
    if (!this.plan.pushes.has(s)) return [];
    if (s.k === "assign") return [popValue(s.target)];
    if (s.k === "store") {
      return [{ k: "store", array: this.plan.rematerialized(s.array), index: this.plan.rematerialized(s.index), value: tape("pop") }];
    }
    return [];
  }
}
