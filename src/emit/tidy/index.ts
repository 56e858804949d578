/**
 * The tidy pass: rewrites the body of every generated function so that it reads like code a
 * careful person would write, without changing what it computes.
 *
 * The transforms emit code rule by rule: every adjoint is declared zero and then accumulated
 * (`let db = 0; ... db += b * 100; db += 100 * b;`), reset after use even where nothing reads it
 * again, and temporaries name values that are read once. This pass works on the generated
 * function's IR with a control-flow graph (flow.ts) and repeats, until nothing changes:
 *
 * - an accumulation into a variable known to be zero becomes an assignment (`d += e` -> `d = e`),
 *   and a generated `if` that only chooses one variable's value becomes `?:`;
 * - writes of generated variables that nothing reads are dropped (resets at the end of a
 *   function or overwritten before any read; loops are followed around), as are declarations
 *   nothing mentions and element writes nothing reads: into a generated local array read by
 *   nothing after, zeros into an array still all zeros, resets of `d[i]` in a loop whose index
 *   moves on, or of `d[c]` where only other literal indices are read after;
 * - copies and literals are propagated, and a derivative read once by the next statement is put
 *   there (`const dargument = tape.pop(); dx += dargument;` -> `dx += tape.pop();`);
 * - a declaration whose initial value is never read moves to its first assignment (into the loop
 *   or branch where the variable lives, when it does not carry a value from one iteration to
 *   the next; a loop index into its `for`): `let db = 0; ... db = e;` -> `let db = e;`;
 * - accumulations into a variable just assigned are added to the assignment
 *   (`d = a; d += b;` -> `d = a + b`, also for `d[i] = 0; ... d[i] += b;`), moving past
 *   statements that neither read `d` nor change the accumulated value's operands;
 * - adjacent `if`s with the same condition are joined; a forward routine returns its value
 *   after the tape records instead of naming it first;
 * - derivative expressions are simplified (exprs.ts: `g * (1 / y)` -> `g / y`, `t + t` -> `2 * t`).
 *
 * Then declarations never reassigned become `const`, and (tidyFunctions) parameters internal
 * routines never read are removed with their arguments. Statements of the user's program (primal
 * assignments, element writes, conditions, loops) are never removed or rewritten, except that a
 * declaration the transforms hoisted out of them may go back (`for (let i = ...)`): only
 * generated variables (adjoints, tangents, temporaries) are. Every rewrite but the division
 * one computes the same doubles (up to the sign of a zero adjoint, which an accumulation into
 * the caller's gradient erases), so the numbers the generated code returns do not change.
 */
import type ts from "typescript";
import type { Expr, Stmt, Type, Var } from "../../ir/nodes.js";
import { exprChildren, forEachExpr, forEachStmtExpr, mapStmtParts, rootVar, sameExpr, stmtExprs, varsOf, writtenVar } from "../../ir/walk.js";
import type { GenFunction } from "../../ad/common.js";
import { tagPlaceholder } from "../../ir/build.js";
import { primalOf } from "../../ad/names.js";
import { type Flow, type FlowNode, type LiveSet, buildFlow, forwardMust, liveness } from "./flow.js";
import { allocates, countUses, hasSideEffects, readsMemory, simplify, size, substitute, withOperands } from "./exprs.js";
import { type Mentions, childLists, childStmts, cloneStmts, forEachList, forEachStmt, mentions, mentionsOnce, ownVars, readCounts, rewriteExprs, writers } from "./stmts.js";

export interface TidyOptions {
  /**
   * Rewrites that round differently from the code they replace: `g * (1 / y)` -> `g / y`
   * (one rounding instead of two). On by default; off, every number is bit for bit the same.
   */
  roundingRewrites?: boolean;
  /** Called with the body after each pass that changed it (for debugging the pass). */
  trace?: (pass: string, body: readonly Stmt[]) => void;
}

/** The largest expression (in nodes) put in place of a variable read once. */
const INLINE_SIZE = 12;

/** Tidies every function, then drops parameters internal routines never read (and their arguments). */
export function tidyFunctions(functions: readonly GenFunction[], options: TidyOptions = {}): GenFunction[] {
  const tidied = functions.map((f) => tidyFunction(f, options));
  const dropped = dropUnusedParameters(tidied);
  // A caller that lost arguments may compute values nothing reads now (`const p_flag = p.flag`).
  return dropped.map((f, i) => (f.body === tidied[i]!.body ? f : tidyFunction(f, options)));
}

export function tidyFunction(f: GenFunction, options: TidyOptions = {}): GenFunction {
  const body = withoutUnreachable(cloneStmts(f.body));
  new Tidy(body, f.params.map((p) => p.v), options).run();
  return { ...f, body: withoutEmptySourceLines(body) };
}

/**
 * Statements after a break, continue or return of the same list never run (the source may have
 * them, and the transforms copy them): they are dropped before the passes, which then neither
 * spend time on them nor print them.
 */
function withoutUnreachable(list: readonly Stmt[]): Stmt[] {
  const out: Stmt[] = [];
  for (const s of list) {
    out.push(mapStmtParts(s, (e) => e, withoutUnreachable));
    if (s.k === "break" || s.k === "continue" || s.k === "return" || s.k === "genReturn" || s.k === "exitBlock") break;
  }
  return out;
}

/**
 * Source-line comments left with no code under them (the code they stood above was dropped, or
 * joined into a statement further down): a comment followed by another one, or last in a block.
 */
function withoutEmptySourceLines(list: readonly Stmt[]): Stmt[] {
  const out: Stmt[] = [];
  list.forEach((s, i) => {
    const next = list[i + 1];
    if (s.k === "comment" && s.sourceLine && (!next || (next.k === "comment" && next.sourceLine))) return;
    out.push(mapStmtParts(s, (e) => e, withoutEmptySourceLines));
  });
  return out;
}

class Tidy {
  private readonly params: Set<Var>;
  /** Variables that hold derivatives (adjoints, tangents, seeds and what is computed from them). */
  private readonly derivatives: Set<Var>;
  /** Assignments this pass turned into declarations (`d = e` -> `let d = e`). */
  private readonly declaredHere = new WeakSet<Stmt>();

  constructor(
    private readonly body: Stmt[],
    params: Var[],
    private readonly options: TidyOptions,
  ) {
    this.params = new Set(params);
    this.derivatives = this.findDerivatives();
  }

  /** Facts about the current body, computed when first asked for and forgotten when a pass changes it. */
  private facts = new Map<string, unknown>();

  private memo<T>(key: string, compute: () => T): T {
    if (!this.facts.has(key)) this.facts.set(key, compute());
    return this.facts.get(key) as T;
  }

  private flow(): Flow {
    return this.memo("flow", () => buildFlow(this.body));
  }

  private live(): { liveIn: LiveSet[]; liveOut: LiveSet[] } {
    return this.memo("live", () => {
      const arrays = this.localArrays();
      return liveness(this.flow(), (n) => this.removable(n, arrays));
    });
  }

  private writes(): Map<Var, Stmt[]> {
    return this.memo("writers", () => writers(this.body));
  }

  private readCounts(): Map<Var, number> {
    return this.memo("reads", () => readCounts(this.body));
  }

  run(): void {
    const passes: [string, () => boolean][] = [
      ["foldZeros", () => this.foldZeros()],
      ["dropZeroStores", () => this.dropZeroStores()],
      ["dropElementResets", () => this.dropElementResets()],
      ["dropLiteralResets", () => this.dropLiteralResets()],
      ["mergeElementWrites", () => this.mergeElementWrites()],
      ["removeDead", () => this.removeDead()],
      ["propagate", () => this.propagate()],
      ["returnValues", () => this.returnValues()],
      ["sinkDeclarations", () => this.sinkDeclarations()],
      ["mergeIntoDefinitions", () => this.mergeIntoDefinitions()],
      ["mergeIfs", () => this.mergeIfs()],
      ["simplify", () => this.simplify()],
    ];
    // A pass depends only on the body: one that found nothing to do need not run again until
    // another pass has changed the body (each change counts as a new version of it).
    let version = 0;
    const idleAt = new Map<string, number>();
    for (let round = 0; round < 100; round++) {
      const changed: string[] = [];
      for (const [name, pass] of passes) {
        if (idleAt.get(name) === version) continue;
        if (pass()) {
          this.facts.clear();
          version++;
          changed.push(name);
          this.options.trace?.(name, this.body);
        } else idleAt.set(name, version);
      }
      // Rewriting expressions (the last pass) gives the others nothing new to do.
      if (changed.length === 0 || (changed.length === 1 && changed[0] === "simplify")) break;
    }
    this.constify();
  }

  /** A generated variable of this function other than a parameter: the pass may rewrite its writes. */
  private owned(v: Var): boolean {
    return v.origin === "generated" && !this.params.has(v);
  }

  private findDerivatives(): Set<Var> {
    const out = new Set<Var>();
    for (const p of this.params) if (p.origin === "generated") out.add(p);
    const all = new Set<Var>();
    forEachStmt(this.body, (s) => ownVars(s, all));
    for (const v of all) if (primalOf(v)) out.add(v);
    const w = writers(this.body);
    for (let changed = true; changed; ) {
      changed = false;
      for (const [v, list] of w) {
        if (out.has(v) || !this.owned(v)) continue;
        // Computed from a derivative, or an adjoint handed back on the tape (`dargument`).
        const fromTape = (e: Expr) => e.k === "runtime" && e.fn === "tape.pop";
        if (list.some((s) => stmtExprs(s).some((e) => fromTape(e) || [...varsOf(e)].some((x) => out.has(x))))) {
          out.add(v);
          changed = true;
        }
      }
    }
    return out;
  }

  /** Statements whose only effect is the value they give a generated variable (or local array). */
  private removable(n: FlowNode, localArrays: Set<Var>): boolean {
    const s = n.stmt;
    if (!s || n.effects) return false;
    switch (s.k) {
      case "assign":
      case "accumulate":
        return this.owned(s.target);
      case "declare":
        return this.owned(s.v);
      case "store":
      case "accumulateElement": {
        const root = rootVar(s.array);
        return root !== undefined && localArrays.has(root);
      }
      default:
        return false;
    }
  }

  /**
   * Generated local arrays that only this function sees: every value they get is a new array,
   * and they are only read element by element (or for their length), never passed on.
   */
  private localArrays(): Set<Var> {
    return this.memo("localArrays", () => this.findLocalArrays());
  }

  private findLocalArrays(): Set<Var> {
    const candidates = new Set<Var>();
    for (const [v, list] of this.writes()) {
      if (!this.owned(v) || (v.type.kind !== "vector" && v.type.kind !== "matrix")) continue;
      const fresh = list.every((s) => {
        const value = s.k === "declare" ? s.init : s.k === "assign" ? s.value : undefined;
        return value !== undefined && (value.k === "alloc" || value.k === "zerosLike" || value.k === "arrayLit" || value.k === "copy");
      });
      if (fresh) candidates.add(v);
    }
    const rank = (v: Var): number => (v.type.kind === "matrix" ? 2 : 1);
    const visit = (e: Expr, depth: number, lengthOf: boolean): void => {
      if (e.k === "var") {
        if (candidates.has(e.v) && depth !== rank(e.v) && !(lengthOf && depth < rank(e.v))) candidates.delete(e.v);
        return;
      }
      if (e.k === "index") {
        visit(e.array, depth + 1, lengthOf);
        visit(e.index, 0, false);
        return;
      }
      if (e.k === "length") {
        visit(e.array, 0, true);
        return;
      }
      for (const o of exprChildren(e)) visit(o, 0, false);
    };
    forEachStmt(this.body, (s) => {
      if (s.k === "store" || s.k === "accumulateElement") {
        visit(s.array, 1, false);
        visit(s.index, 0, false);
        visit(s.value, 0, false);
        return;
      }
      for (const e of stmtExprs(s)) visit(e, 0, false);
    });
    return candidates;
  }

  // ------------------------------------------------------------------ known zeros

  /** `d += e` where `d` is known to be zero on every path -> `d = e`. */
  private foldZeros(): boolean {
    let candidates = false;
    forEachStmt(this.body, (s) => (candidates ||= this.accumulation(s) !== undefined || (s.k === "if" && !s.node)));
    if (!candidates) return false;
    const flow = this.flow();
    const zeros = forwardMust(flow, (n, facts) => {
      if (n.write) {
        if (n.kills && isZeroWrite(n.stmt!)) facts.add(n.write);
        else facts.delete(n.write);
      }
      return facts;
    });
    let changed = false;
    forEachList(this.body, (list) => {
      list.forEach((s, i) => {
        if (s.k === "if") {
          const joined = this.joinBranches(s, zeros[flow.nodeOf.get(s)!] ?? new Set());
          if (joined) {
            list[i] = joined;
            changed = true;
          }
          return;
        }
        const acc = this.accumulation(s);
        if (!acc || !zeros[flow.nodeOf.get(s)!]?.has(acc.target)) return;
        list[i] = { ...(s.k === "assign" ? s : { k: "assign", target: acc.target }), value: acc.value } as Stmt;
        changed = true;
      });
    });
    return changed;
  }

  /**
   * A generated `if` that only chooses what one variable gets becomes a conditional expression:
   * `if (c) { d = a; } else { d = b; }` -> `d = c ? a : b`, `if (c) { d += a; } else { d += b; }`
   * -> `d += c ? a : b`, and `if (c) { d = a; }` with `d` known to be zero -> `d = c ? a : 0`.
   */
  private joinBranches(s: Extract<Stmt, { k: "if" }>, zeros: { has(v: Var): boolean }): Stmt | undefined {
    if (s.node || s.then.length !== 1 || s.else.length > 1) return undefined;
    const a = s.then[0]!;
    const b = s.else[0];
    const choose = (x: Expr, y: Expr): Expr => ({ k: "cond", test: s.test, a: x, b: y });
    const plain = (x: Stmt | undefined): x is Extract<Stmt, { k: "assign" }> =>
      x !== undefined && x.k === "assign" && !x.declare && this.owned(x.target) && x.target.type.kind === "number";
    if (!b) {
      if (plain(a) && zeros.has(a.target)) return { k: "assign", target: a.target, value: choose(a.value, { k: "num", value: 0 }) };
      return undefined;
    }
    if (plain(a) && plain(b) && a.target === b.target) return { k: "assign", target: a.target, value: choose(a.value, b.value) };
    if (a.k === "accumulate" && b.k === "accumulate" && a.target === b.target) return { k: "accumulate", target: a.target, value: choose(a.value, b.value) };
    return undefined;
  }

  /**
   * `d += e` or `d = d + e` (`d -= e`, `d = d - e`) on a generated number, with `e` not reading
   * `d`: the target and the signed addend.
   */
  private accumulation(s: Stmt): { target: Var; value: Expr } | undefined {
    let target: Var;
    let value: Expr;
    if (s.k === "accumulate") {
      target = s.target;
      value = s.value;
    } else if (s.k === "assign" && !s.declare && s.value.k === "binary" && (s.value.op === "+" || s.value.op === "-") && s.value.a.k === "var" && s.value.a.v === s.target) {
      target = s.target;
      value = s.value.op === "+" ? s.value.b : { k: "neg", a: s.value.b };
    } else {
      return undefined;
    }
    if (!this.owned(target) || target.type.kind !== "number" || countUses(value, target) > 0) return undefined;
    return { target, value };
  }

  /**
   * Element writes of zero into a generated array that is still all zeros (just allocated,
   * nothing but zeros written since) do nothing: `const dx = new Float64Array(n); dx[0] = 0;`.
   */
  private dropZeroStores(): boolean {
    const fresh = (e: Expr | undefined) => e !== undefined && (e.k === "alloc" || e.k === "zerosLike");
    // The arrays asked about: zeros stored into them, and some write gives them a new array.
    // (Each array's fact is its own, so the analysis follows only these.)
    const targets = new Set<Var>();
    forEachStmt(this.body, (s) => {
      if (s.k === "store" && s.array.k === "var" && isZeroLiteral(s.value) && this.owned(s.array.v)) targets.add(s.array.v);
    });
    for (const v of targets) if (!this.writes().get(v)?.some((w) => (w.k === "assign" || w.k === "declare") && fresh(initOf(w)))) targets.delete(v);
    if (targets.size === 0) return false;
    const flow = this.flow();
    // The target arrays each node's expressions may pass on, found at a node's first visit.
    const passedOn: (Var[] | undefined)[] = [];
    const pristine = forwardMust(flow, (n, facts) => {
      const s = n.stmt;
      if (!s) return facts;
      if (n.write && targets.has(n.write)) {
        if (n.kills && fresh(initOf(s))) facts.add(n.write);
        else facts.delete(n.write);
      }
      if (n.elementWrite && !(s.k === "store" && isZeroLiteral(s.value))) facts.delete(n.elementWrite);
      // An array handed to a call (or aliased) may be written through the other name.
      let escaped = passedOn[n.id];
      if (!escaped) {
        const read = s.k === "store" || s.k === "accumulateElement" ? [{ k: "index", array: s.array, index: s.index } as Expr, s.value] : stmtExprs(s);
        escaped = [];
        for (const e of read) for (const v of escaping(e)) if (targets.has(v)) escaped.push(v);
        passedOn[n.id] = escaped;
      }
      for (const v of escaped) facts.delete(v);
      return facts;
    });
    let changed = false;
    forEachList(this.body, (list) => {
      for (let i = list.length - 1; i >= 0; i--) {
        const s = list[i]!;
        if (s.k !== "store" || !isZeroLiteral(s.value) || hasSideEffects(s.index)) continue;
        const root = rootVar(s.array);
        if (!root || !this.owned(root) || s.array.k !== "var" || !pristine[flow.nodeOf.get(s)!]?.has(root)) continue;
        list.splice(i, 1);
        changed = true;
      }
    });
    return changed;
  }

  // ------------------------------------------------------------------ dead code

  private removeDead(): boolean {
    const flow = this.flow();
    const arrays = this.localArrays();
    const { liveIn, liveOut } = this.live();
    const dead = new Set<Stmt>();
    const deadInit = new Set<Stmt>();
    for (const n of flow.nodes) {
      if (!n.stmt || !this.removable(n, arrays)) continue;
      const target = n.write ?? n.elementWrite!;
      if (liveOut[n.id]!.has(target)) continue;
      if (isDeclaration(n.stmt)) deadInit.add(n.stmt);
      else dead.add(n.stmt);
    }
    let changed = false;
    const prune = (list: Stmt[]): void => {
      for (let i = list.length - 1; i >= 0; i--) {
        const s = list[i]!;
        if (dead.has(s) || (s.k === "assign" && !s.declare && this.owned(s.target) && s.value.k === "var" && s.value.v === s.target)) {
          list.splice(i, 1);
          changed = true;
          continue;
        }
        if (s.k === "rawFor") {
          if (s.init && dead.has(s.init)) s.init = null;
          if (s.update && dead.has(s.update)) s.update = null;
        }
        for (const l of childLists(s)) prune(l);
        if (this.removeEmpty(list, i, flow, liveIn)) changed = true;
      }
    };
    prune(this.body);

    // Declarations: gone when nothing mentions the variable, else without a dead initial value.
    const mentioned = new Map<Var, number>();
    const own = new Set<Var>();
    forEachStmt(this.body, (s) => {
      own.clear();
      for (const v of ownVars(s, own)) mentioned.set(v, (mentioned.get(v) ?? 0) + 1);
    });
    const declarations = (list: Stmt[]): void => {
      for (let i = list.length - 1; i >= 0; i--) {
        const s = list[i]!;
        for (const l of childLists(s)) declarations(l);
        if (!isDeclaration(s)) continue;
        const v = writtenVar(s)!;
        const init = initOf(s);
        if (s.k === "assign" && !this.owned(v)) continue; // the user's declarations stay
        if ((mentioned.get(v) ?? 0) <= 1) {
          if (init && hasSideEffects(init)) list[i] = { k: "expr", e: init, node: sourceNode(s) };
          else list.splice(i, 1);
          changed = true;
        } else if (deadInit.has(s) && init && !isEmptyValue(init)) {
          if (s.k === "declare") s.init = emptyValue(v.type);
          else if (s.k === "assign") s.value = emptyValue(v.type);
          changed = true;
        }
      }
    };
    declarations(this.body);
    return changed;
  }

  /**
   * `d[i] = 0` in a loop whose index `i` moves by one each iteration, in a generated local array
   * that the loop only reads at `d[i]`, before this write, and nothing reads after the loop:
   * the element written is not read again (`const delement = d[i]; d[i] = 0;` in a reversed loop).
   */
  private dropElementResets(): boolean {
    let candidates = false;
    forEachStmt(this.body, (loop) => {
      if (loop.k === "rawFor") candidates ||= loop.body.some((s) => s.k === "store" && s.array.k === "var" && s.index.k === "var" && this.owned(s.array.v));
    });
    if (!candidates) return false;
    const flow = this.flow();
    const { liveIn } = this.live();
    const unaliased = this.unaliasedArrays();
    let changed = false;
    forEachStmt(this.body, (loop) => {
      if (loop.k !== "rawFor" || !loop.test) return;
      const i = loop.update?.k === "assign" && this.step(loop.update);
      if (!i || [...loop.body].some((s) => changesAny(s, new Set([i]), false))) return;
      const follow = flow.nodes[flow.nodeOf.get(loop)!]!.succ[1]!;
      for (let k = loop.body.length - 1; k >= 0; k--) {
        const s = loop.body[k]!;
        if (s.k !== "store" || s.array.k !== "var" || s.index.k !== "var" || s.index.v !== i || hasSideEffects(s.value)) continue;
        const d = s.array.v;
        if (!unaliased.has(d) || d.type.kind !== "vector" || liveIn[follow]!.has(d)) continue;
        if (loop.body.slice(k + 1).some((x) => mentions(x, d)) || !onlyAt(loop, d, i)) continue;
        loop.body.splice(k, 1);
        changed = true;
      }
    });
    return changed;
  }

  /**
   * Generated local arrays (every value a new array) that no other name refers to: they are
   * only indexed, measured, or handed to routines and kernels (which keep no reference).
   */
  private unaliasedArrays(): Set<Var> {
    return this.memo("unaliased", () => this.findUnaliasedArrays());
  }

  private findUnaliasedArrays(): Set<Var> {
    const out = new Set<Var>();
    for (const [v, list] of this.writes()) {
      if (!this.owned(v) || v.type.kind !== "vector") continue;
      if (list.every((s) => ["alloc", "zerosLike", "arrayLit", "copy"].includes(initOf(s)?.k ?? ""))) out.add(v);
    }
    const visit = (e: Expr, allowed: boolean): void => {
      if (e.k === "var") {
        if (!allowed) out.delete(e.v);
        return;
      }
      const passes = e.k === "call" || e.k === "runtime" || e.k === "index" || e.k === "length";
      exprChildren(e).forEach((o, k) => visit(o, passes && !(e.k === "index" && k === 1)));
    };
    forEachStmt(this.body, (s) => {
      if (s.k === "store" || s.k === "accumulateElement") {
        visit({ k: "index", array: s.array, index: s.index }, false);
        visit(s.value, false);
      } else for (const e of stmtExprs(s)) visit(e, false);
    });
    return out;
  }

  /**
   * `d[c] = e` with a literal index `c` into an unaliased generated array, when everything
   * after it reads `d` only at other literal indices: dead (`dx[1] = 0; ... dxy[0] += dx[0];`).
   */
  private dropLiteralResets(): boolean {
    let candidates = false;
    forEachStmt(this.body, (s) => (candidates ||= s.k === "store" && s.array.k === "var" && s.index.k === "num" && this.owned(s.array.v)));
    if (!candidates) return false;
    const flow = this.flow();
    const unaliased = this.unaliasedArrays();
    const dead = new Set<Stmt>();
    for (const n of flow.nodes) {
      const s = n.stmt;
      if (!s || s.k !== "store" || s.array.k !== "var" || s.index.k !== "num" || n.effects || !unaliased.has(s.array.v)) continue;
      const d = s.array.v;
      const c = s.index.value;
      const seen = new Set<number>();
      const queue = [...n.succ];
      let read = false;
      while (queue.length > 0 && !read) {
        const id = queue.pop()!;
        if (seen.has(id)) continue;
        seen.add(id);
        const m = flow.nodes[id]!;
        if (m.stmt && m.reads.has(d)) {
          // Element writes at other literal indices and reads at other literal indices are fine.
          if (!onlyAtLiterals(m.stmt, d, c)) read = true;
        }
        queue.push(...m.succ);
      }
      if (!read) dead.add(s);
    }
    if (dead.size === 0) return false;
    forEachList(this.body, (list) => {
      for (let i = list.length - 1; i >= 0; i--) if (dead.has(list[i]!)) list.splice(i, 1);
    });
    return true;
  }

  /**
   * `d[i] = a; ... d[i] += b;` -> `d[i] = a + b;` (and `d[i] = 0; ... d[i] += b;` -> `d[i] = b;`)
   * when the statements between are simple, leave `d` and `i` alone and read no derivative arrays.
   */
  private mergeElementWrites(): boolean {
    let changed = false;
    const derivativeArray = (e: Expr): boolean => {
      if (e.k === "index") {
        const root = rootVar(e.array);
        if (root && this.derivatives.has(root)) return true;
      }
      return exprChildren(e).some(derivativeArray);
    };
    const calls = (e: Expr): boolean => (e.k === "call" || (e.k === "runtime" && !isTapeRead(e)) ? true : exprChildren(e).some(calls));
    forEachList(this.body, (list) => {
      for (let j = 1; j < list.length; j++) {
        const acc = list[j]!;
        if (acc.k !== "accumulateElement" || hasSideEffects(acc.value) || hasSideEffects(acc.index) || hasSideEffects(acc.array)) continue;
        const root = rootVar(acc.array);
        if (!root || !this.derivatives.has(root) || derivativeArray(acc.value)) continue;
        let i = j - 1;
        while (i >= 0 && !mentions(list[i]!, root)) i--;
        if (i < 0) continue;
        const store = list[i]!;
        if (store.k !== "store" || !sameExpr(store.array, acc.array) || !sameExpr(store.index, acc.index) || hasSideEffects(store.value)) continue;
        // The stored value moves down to the accumulation: nothing between may change what it reads.
        const indexVars = new Set([...varsOf(acc.index), ...varsOf(acc.array), ...varsOf(store.value)]);
        const between = list.slice(i + 1, j);
        // Between them: no other name of the element (a row of a derivative, say) is read or written.
        const writesDerivative = (s: Stmt) => (s.k === "store" || s.k === "accumulateElement") && this.derivatives.has(rootVar(s.array)!);
        const plain = between.every(
          (s) => isSimple(s) && !writesDerivative(s) && !changesAny(s, indexVars, false) && !stmtExprs(s).some((e) => derivativeArray(e) || calls(e)),
        );
        if (!plain) continue;
        const value: Expr = isZeroLiteral(store.value)
          ? acc.value
          : acc.value.k === "neg"
            ? { k: "binary", op: "-", a: store.value, b: acc.value.a }
            : { k: "binary", op: "+", a: store.value, b: acc.value };
        list[j] = { k: "store", array: acc.array, index: acc.index, value };
        list.splice(i, 1);
        j--;
        changed = true;
      }
    });
    return changed;
  }

  /** The variable of `v = v + 1` or `v = v - 1`. */
  private step(s: Extract<Stmt, { k: "assign" }>): Var | undefined {
    const e = s.value;
    if (e.k !== "binary" || (e.op !== "+" && e.op !== "-") || e.a.k !== "var" || e.a.v !== s.target) return undefined;
    return e.b.k === "num" && e.b.value === 1 && e.b.text === undefined ? s.target : undefined;
  }

  /** Drops an `if` or a generated loop at list[i] that has nothing left to do. */
  private removeEmpty(list: Stmt[], i: number, flow: Flow, liveIn: LiveSet[]): boolean {
    const s = list[i]!;
    if (s.k === "if" && !s.node && !hasSideEffects(s.test)) {
      if (s.then.length === 0 && s.else.length === 0) {
        list.splice(i, 1);
        return true;
      }
      if (s.then.length === 0) {
        list[i] = { ...s, test: negation(s.test), then: s.else, else: [] };
        return true;
      }
      return false;
    }
    if (s.k === "rawFor" && s.body.length === 0) {
      const parts = [...(s.test ? [s.test] : []), ...childStmts(s).flatMap(stmtExprs)];
      if (parts.some(hasSideEffects) || !s.test) return false;
      // The loop's variables must not be read after it.
      const follow = flow.nodes[flow.nodeOf.get(s)!]!.succ[1];
      const written = childStmts(s).map(writtenVar);
      if (follow === undefined || written.some((v) => v === undefined || liveIn[follow]!.has(v))) return false;
      list.splice(i, 1);
      return true;
    }
    return false;
  }

  // ------------------------------------------------------------------ propagation

  /**
   * Puts copies and literals where they are read, and a value read once where it is read, when
   * no statement on the way changes what the value is computed from.
   */
  private propagate(): boolean {
    let changed = this.inlineTapeReads();
    if (changed) this.facts.clear();
    const flow = this.flow();
    const w = this.writes();
    const reads = this.readCounts();
    const values = new Map<Var, { value: Expr; def: Stmt; copy: boolean }>();
    // Values read once by the statement right after their definition (temporaries of one step).
    const next = new Map<Stmt, Stmt>();
    forEachList(this.body, (list) => {
      const code = list.filter((s) => s.k !== "comment");
      for (let i = 0; i + 1 < code.length; i++) next.set(code[i]!, code[i + 1]!);
    });
    forEachStmt(this.body, (s) => {
      const v = writtenVar(s);
      if (!v || !this.owned(v) || v.type.kind !== "number" || w.get(v)!.length !== 1) return;
      const value = s.k === "declare" ? s.init : s.k === "assign" && s.declare ? s.value : undefined;
      if (!value || hasSideEffects(value) || allocates(value)) return;
      const copy = isTrivial(value);
      if (!copy) {
        // Only derivatives: the value of the function and the like keep their place and name.
        if (!this.derivatives.has(v) || reads.get(v) !== 1 || size(value) > INLINE_SIZE || readsFields(value)) return;
        const following = next.get(s);
        if (!following || !mentions(following, v)) return;
      }
      values.set(v, { value, def: s, copy });
    });
    if (values.size === 0) return changed;
    const operandsOf = new Map<Var, Set<Var>>();
    for (const [v, { value }] of values) operandsOf.set(v, varsOf(value));
    const available = forwardMust(flow, (n, facts) => {
      for (const v of facts) {
        const { value } = values.get(v)!;
        if ((n.write && operandsOf.get(v)!.has(n.write)) || (n.memoryWrite && readsMemory(value))) facts.delete(v);
      }
      if (n.write && values.get(n.write)?.def === n.stmt) facts.add(n.write);
      return facts;
    });
    const loops = enclosingLoops(this.body);
    for (const n of flow.nodes) {
      const s = n.stmt;
      if (!s) continue;
      const facts = available[n.id];
      if (!facts) continue;
      for (const v of n.reads) {
        const known = values.get(v);
        if (!known || !facts.has(v)) continue;
        // A value computed once outside a loop is not recomputed in every iteration.
        if (!known.copy && loops.get(known.def) !== useLoop(s, loops)) continue;
        // Only a real substitution counts: a literal is not put into a comparison, and a
        // change reported for nothing would make the passes run again until the round limit.
        rewriteExprs(s, (e) => {
          const out = substitute(e, v, known.value);
          if (out !== e) changed = true;
          return out;
        });
      }
    }
    return changed;
  }

  /** `const t = tape.pop(); x += t;` -> `x += tape.pop();` (read once, by the next statement). */
  private inlineTapeReads(): boolean {
    let changed = false;
    const reads = this.readCounts();
    const w = this.writes();
    forEachList(this.body, (list) => {
      for (let i = 0; i + 1 < list.length; i++) {
        const def = list[i]!;
        const use = list[i + 1]!;
        // Only temporaries (`dargument`): a tangent popped after a call keeps its name.
        if (def.k !== "declare" || !def.init || !this.owned(def.v) || w.get(def.v)!.length !== 1 || reads.get(def.v) !== 1) continue;
        const v = def.v;
        const init = def.init;
        if (!isTapeRead(init)) continue;
        if (!isSimple(use) || stmtExprs(use).some(hasSideEffects) || stmtExprs(use).reduce((n, e) => n + countUses(e, v), 0) !== 1) continue;
        // The tape must be read exactly once: not where `?:`, `&&` or `??` may skip it.
        if (!stmtExprs(use).some((e) => readsAlways(e, v))) continue;
        rewriteExprs(use, (e) => substitute(e, v, init));
        list.splice(i, 1);
        changed = true;
      }
    });
    return changed;
  }

  /**
   * `const value = e; tape.push(a); ...; return value;` -> `tape.push(a); ...; return e;` in a
   * forward routine: the value is returned where it is computed, after the records.
   */
  private returnValues(): boolean {
    let changed = false;
    const reads = this.readCounts();
    const w = this.writes();
    forEachList(this.body, (list) => {
      const last = list[list.length - 1];
      if (!last || last.k !== "genReturn" || !last.value || last.value.k !== "var") return;
      const v = last.value.v;
      if (!this.owned(v) || w.get(v)?.length !== 1 || reads.get(v) !== 1) return;
      const i = list.findIndex((s) => s.k === "declare" && s.v === v);
      const def = list[i];
      if (!def || def.k !== "declare" || !def.init || hasSideEffects(def.init)) return;
      const between = list.slice(i + 1, -1);
      const reads_ = varsOf(def.init);
      if (!between.every((s) => isTapePush(s) && !changesAny(s, reads_, readsMemory(def.init!)))) return;
      list[list.length - 1] = { ...last, value: def.init, node: last.node ?? def.node };
      list.splice(i, 1);
      changed = true;
    });
    return changed;
  }

  // ------------------------------------------------------------------ declarations

  /**
   * A declaration whose initial value nothing reads moves to the variable's first assignment:
   * into the one branch or loop body that mentions the variable (a loop body only when the
   * variable carries nothing from one iteration to the next), and onto the assignment itself.
   */
  private sinkDeclarations(): boolean {
    const flow = this.flow();
    const { liveIn, liveOut } = this.live();
    const w = this.writes();
    let changed = false;
    // Moving a declaration into a statement that mentions its variable, or giving an
    // assignment `let`, changes no statement's variables: they are computed once for the pass.
    const mentions = mentionsOnce();
    forEachList(this.body, (list) => {
      for (let i = 0; i < list.length; i++) {
        const d = list[i]!;
        if (!isDeclaration(d) || (d.k === "declare" && !d.mutable) || (d.k === "assign" && d.declare !== "let")) continue;
        const v = writtenVar(d)!;
        const init = initOf(d);
        if (!this.owned(v) && d.k === "assign") continue;
        if (init && !isEmptyValue(init)) continue;
        const node = flow.nodeOf.get(d);
        if (node === undefined || liveOut[node]!.has(v)) continue;
        let j = i + 1;
        while (j < list.length && !mentions(list[j]!, v)) j++;
        const s = list[j];
        if (!s) continue;
        if (s.k === "assign" && s.target === v && !s.declare) {
          if (isArray(v.type) && w.get(v)!.length > 2) {
            // Arrays assigned again keep their declared type (`let a: Float64Array = ...`).
            list[j] = { k: "declare", v, init: s.value, mutable: true, node: s.node };
          } else {
            const declared: Stmt = { ...s, declare: "let" };
            this.declaredHere.add(declared);
            list[j] = declared;
          }
          list.splice(i, 1);
          i--;
          changed = true;
          continue;
        }
        // Loop indices declared ahead of the loops that use them: each loop declares its own
        // (`for (let i = ...)`) when it sets the index first and nothing reads it after the loop.
        const users = list.slice(i + 1).filter((x) => mentions(x, v));
        const inits: Stmt[] = [];
        if (users.every((x) => this.indexLoops(x, v, flow, liveIn, inits, mentions))) {
          for (const init of inits) {
            (init as Extract<Stmt, { k: "assign" }>).declare = "let";
            this.declaredHere.add(init);
          }
          list.splice(i, 1);
          i--;
          changed = true;
          continue;
        }
        if (list.slice(j + 1).some((x) => mentions(x, v))) continue;
        const inner = soleList(s, v, mentions);
        if (!inner) continue;
        if (s.k === "loop" || s.k === "rawFor") {
          const entry = flow.listEntry.get(inner);
          if (entry === undefined || liveIn[entry]!.has(v)) continue;
        }
        inner.unshift(d);
        list.splice(i, 1);
        i--;
        changed = true;
      }
    });
    return changed;
  }

  /**
   * A `for` loop whose initializer is just `v = e` (not reading `v`) and after which nothing
   * reads `v`: the loop can declare `v` itself.
   */
  private ownsIndex(s: Stmt, v: Var, flow: Flow, liveIn: LiveSet[]): Stmt | undefined {
    let init: Stmt | null | undefined;
    if (s.k === "rawFor") init = s.init;
    else if (s.k === "loop" && s.kind === "for" && s.init.length === 1) init = s.init[0];
    if (!init || init.k !== "assign" || init.target !== v || init.declare || countUses(init.value, v) > 0) return undefined;
    const exit = (s.k === "rawFor" || s.k === "loop") && s.test ? flow.nodes[flow.nodeOf.get(s)!]!.succ[1] : undefined;
    return exit !== undefined && !liveIn[exit]!.has(v) ? init : undefined;
  }

  /**
   * Whether every use of `v` in `s` is inside loops that own it (see ownsIndex), also loops
   * nested in other statements; collects their initializers.
   */
  private indexLoops(s: Stmt, v: Var, flow: Flow, liveIn: LiveSet[], inits: Stmt[], mentions: Mentions): boolean {
    const own = this.ownsIndex(s, v, flow, liveIn);
    if (own) {
      inits.push(own);
      return true;
    }
    if (stmtExprs(s).some((e) => varsOf(e).has(v)) || childStmts(s).some((c) => mentions(c, v))) return false;
    if (s.k === "loop" && [...s.init, ...s.update].some((c) => mentions(c, v))) return false;
    const lists = s.k === "loop" ? [s.body] : childLists(s);
    if (lists.length === 0) return false;
    return lists.every((l) => l.filter((x) => mentions(x, v)).every((x) => this.indexLoops(x, v, flow, liveIn, inits, mentions)));
  }

  /**
   * `d = a; ...; d += b;` -> `d = a + b;` when the statements between neither mention `d` nor
   * change what `b` reads. The sum is evaluated in the same order, so it is the same double.
   */
  private mergeIntoDefinitions(): boolean {
    let changed = false;
    forEachList(this.body, (list) => {
      for (let j = 1; j < list.length; j++) {
        const acc = this.accumulation(list[j]!);
        if (!acc || hasSideEffects(acc.value)) continue;
        const v = acc.target;
        let i = j - 1;
        while (i >= 0 && !mentions(list[i]!, v)) i--;
        if (i < 0) continue;
        const def = list[i]!;
        const value = def.k === "declare" && def.v === v ? def.init : def.k === "assign" && def.target === v ? def.value : undefined;
        if (!value) continue;
        const reads = varsOf(acc.value);
        const memory = readsMemory(acc.value);
        const between = list.slice(i + 1, j);
        // Not past a statement that may jump (`if (c) continue;`): the accumulation would then run
        // on paths that never reached it (found by the long --arrays fuzz run, seed 1 program 9610).
        if (between.some((s) => changesAny(s, reads, memory) || mayJump(s))) continue;
        const sum: Expr = acc.value.k === "neg" ? { k: "binary", op: "-", a: value, b: acc.value.a } : { k: "binary", op: "+", a: value, b: acc.value };
        if (def.k === "declare") def.init = sum;
        else if (def.k === "assign") def.value = sum;
        list.splice(j, 1);
        j--;
        changed = true;
      }
    });
    return changed;
  }

  /** `if (c) { A } if (c) { B }` -> `if (c) { A B }` when A does not change what `c` reads. */
  private mergeIfs(): boolean {
    let changed = false;
    forEachList(this.body, (list) => {
      for (let i = 0; i + 1 < list.length; i++) {
        const a = list[i]!;
        const b = list[i + 1]!;
        if (a.k !== "if" || b.k !== "if" || !sameExpr(a.test, b.test) || hasSideEffects(a.test)) continue;
        const reads = varsOf(a.test);
        const memory = readsMemory(a.test);
        if ([...a.then, ...a.else].some((s) => changesAny(s, reads, memory))) continue;
        a.then.push(...b.then);
        a.else.push(...b.else);
        list.splice(i + 1, 1);
        i--;
        changed = true;
      }
    });
    return changed;
  }

  // ------------------------------------------------------------------ expressions

  private simplify(): boolean {
    // A derivative: reads one, or is an adjoint or a tangent handed over on the tape.
    const carries = (e: Expr): boolean => (e.k === "var" ? this.derivatives.has(e.v) : isTapeRead(e) || exprChildren(e).some(carries));
    const rounding = this.options.roundingRewrites !== false;
    // Outside derivative expressions, only the arguments of calls and the fields of results
    // that carry a derivative are rewritten: primal arguments stay as the forward sweep has them.
    const inside = (e: Expr): Expr => {
      const before = exprChildren(e);
      if (before.length === 0) return e;
      const split = e.k === "call" || e.k === "runtime" || e.k === "object";
      const after = before.map((o) => (split && carries(o) ? derivative(o) : inside(o)));
      return after.every((o, i) => o === before[i]) ? e : withOperands(e, after);
    };
    const derivative = (e: Expr): Expr => (e.k === "call" || e.k === "runtime" || e.k === "object" ? inside(e) : simplify(e, carries, rounding));
    let changed = false;
    forEachStmt(this.body, (s) => {
      let eligible: boolean;
      switch (s.k) {
        case "accumulate":
        case "accumulateElement":
        case "accumulateField":
          eligible = true;
          break;
        case "assign":
          eligible = this.derivatives.has(s.target);
          break;
        case "declare":
          eligible = this.derivatives.has(s.v);
          break;
        case "store": {
          const root = rootVar(s.array);
          eligible = root !== undefined && this.derivatives.has(root);
          break;
        }
        default:
          eligible = false;
      }
      rewriteExprs(s, (e) => {
        const out = eligible && e === valueOf(s) ? derivative(e) : inside(e);
        if (out !== e) changed = true;
        return out;
      });
    });
    return changed;
  }

  // ------------------------------------------------------------------ const

  /** Declarations of variables nothing assigns again become `const`. */
  private constify(): void {
    const w = writers(this.body);
    const compared = new Set<Var>();
    const visit = (e: Expr): void => {
      if (e.k === "compare") {
        varsOf(e, compared);
        return;
      }
      for (const o of exprChildren(e)) visit(o);
    };
    forEachStmt(this.body, (s) => stmtExprs(s).forEach(visit));
    // Declarations in a `for` head share one keyword.
    const heads = new Set<Stmt>();
    forEachStmt(this.body, (s) => {
      if (s.k === "loop") s.init.forEach((x) => heads.add(x));
      if (s.k === "rawFor" && s.init) heads.add(s.init);
    });
    forEachStmt(this.body, (s) => {
      const v = writtenVar(s);
      if (!v || w.get(v)!.length !== 1 || heads.has(s)) return;
      const value = s.k === "declare" ? s.init : s.k === "assign" ? s.value : undefined;
      // `const e = 0` has the literal type 0, which TypeScript will not compare with 1.
      if (value && (value.k === "num" || value.k === "bool") && compared.has(v)) return;
      if (s.k === "declare" && s.mutable) s.mutable = false;
      else if (s.k === "assign" && s.declare === "let" && (this.declaredHere.has(s) || this.owned(s.target))) s.declare = "const";
    });
  }
}

// ------------------------------------------------------------------ module level

/**
 * Parameters an internal routine never reads are removed, with the matching argument of every
 * call (when the argument has no effects), so generated modules pass `noUnusedParameters`.
 */
export function dropUnusedParameters(functions: GenFunction[]): GenFunction[] {
  let out = functions;
  // What each body calls and which variables it mentions, found once per body: a body is
  // replaced (not changed in place) when a parameter of a routine it calls is dropped.
  const callsIn = new Map<readonly Stmt[], Extract<Expr, { k: "call" }>[]>();
  const usedIn = new Map<readonly Stmt[], Set<Var>>();
  for (let changed = true; changed; ) {
    changed = false;
    const calls = new Map<string, Extract<Expr, { k: "call" }>[]>();
    // The functions that call each one: only their bodies change when it loses a parameter.
    const callers = new Map<string, Set<GenFunction>>();
    for (const g of out) {
      let found = callsIn.get(g.body);
      if (!found) {
        const list: Extract<Expr, { k: "call" }>[] = [];
        forEachStmtExpr(g.body, (top) => forEachExpr(top, (e) => e.k === "call" && list.push(e)));
        callsIn.set(g.body, (found = list));
      }
      for (const c of found) {
        const list = calls.get(c.fn);
        if (list) list.push(c);
        else calls.set(c.fn, [c]);
        const from = callers.get(c.fn);
        if (from) from.add(g);
        else callers.set(c.fn, new Set([g]));
      }
    }
    for (const f of out) {
      if (f.exported || f.keepParameters) continue;
      let used = usedIn.get(f.body);
      if (!used) {
        const vars = new Set<Var>();
        forEachStmt(f.body, (s) => ownVars(s, vars));
        usedIn.set(f.body, (used = vars));
      }
      const sites = calls.get(f.name) ?? [];
      const drop = f.params
        .map((_, i) => i)
        .filter((i) => !used.has(f.params[i]!.v) && sites.every((c) => c.args.length === f.params.length && !hasSideEffects(c.args[i]!)));
      if (drop.length === 0) continue;
      const keep = (_: unknown, i: number) => !drop.includes(i);
      const renamed = new Map<Extract<Expr, { k: "call" }>, Expr>();
      for (const c of sites) renamed.set(c, { ...c, args: c.args.filter(keep) });
      const calling = callers.get(f.name);
      out = out.map((g) => {
        if (!calling?.has(g)) return g === f ? { ...g, params: g.params.filter(keep) } : g;
        const body = cloneStmts(g.body);
        forEachStmt(body, (s) => rewriteExprs(s, (e) => replaceCalls(e, renamed)));
        return g === f ? { ...g, params: g.params.filter(keep), body } : { ...g, body };
      });
      changed = true;
      break;
    }
  }
  return out;
}

function replaceCalls(e: Expr, renamed: Map<Expr, Expr>): Expr {
  const direct = renamed.get(e);
  if (direct) return direct;
  const before = exprChildren(e);
  const after = before.map((o) => replaceCalls(o, renamed));
  return after.every((o, i) => o === before[i]) ? e : withOperands(e, after);
}

// ------------------------------------------------------------------ helpers

/** The source statement a generated statement reproduces, if any (its comments print above it). */
function sourceNode(s: Stmt): ts.Node | undefined {
  return "node" in s ? s.node : undefined;
}

/** A declaration: generated (`declare`) or the user's kind (`let x = e`, also of tangents). */
function isDeclaration(s: Stmt): boolean {
  return s.k === "declare" || (s.k === "assign" && s.declare !== undefined);
}

function initOf(s: Stmt): Expr | undefined {
  return s.k === "declare" ? s.init : s.k === "assign" ? s.value : undefined;
}

function isZeroLiteral(e: Expr): boolean {
  return e.k === "num" && e.value === 0 && !Object.is(e.value, -0);
}

function isZeroWrite(s: Stmt): boolean {
  if (s.k === "declare") return s.init ? isZeroLiteral(s.init) : s.v.type.kind === "number";
  if (s.k === "assign") return isZeroLiteral(s.value);
  return false;
}

/** A value that reads nothing: what a declaration whose initial value is never read starts with. */
function emptyValue(t: Type): Expr {
  switch (t.kind) {
    case "number":
      return { k: "num", value: 0 };
    case "boolean":
      return { k: "bool", value: false };
    case "vector":
      return { k: "alloc", type: t, length: { k: "num", value: 0 } };
    case "matrix":
    case "inactiveArray":
      return { k: "raw", text: "[]" };
    case "indexArray":
      return { k: "raw", text: `new ${t.text}(0)` };
    case "tag":
      return tagPlaceholder(t.text);
  }
}

function isEmptyValue(e: Expr): boolean {
  return !hasSideEffects(e) && varsOf(e).size === 0;
}

function isArray(t: Type): boolean {
  return t.kind === "vector" || t.kind === "matrix";
}

/**
 * Arrays an expression hands on whole (to a call, into another variable, as a row): they may be
 * written under another name. Element reads and lengths are not.
 */
function escaping(e: Expr, out: Set<Var> = new Set()): Set<Var> {
  if (e.k === "var") out.add(e.v);
  else if (e.k === "index") {
    if (e.array.k !== "var") escaping(e.array, out);
    escaping(e.index, out);
  } else if (e.k === "length") {
    if (e.array.k !== "var") escaping(e.array, out);
  } else for (const o of exprChildren(e)) escaping(o, out);
  return out;
}

/** The value a statement writes (not its target's index). */
function valueOf(s: Stmt): Expr | undefined {
  switch (s.k) {
    case "assign":
    case "accumulate":
    case "accumulateField":
    case "accumulateElement":
    case "store":
      return s.value;
    case "declare":
      return s.init;
    default:
      return undefined;
  }
}

/** Whether evaluating `e` always reads `v` (not only in a branch of `?:`, `&&`, `||` or `??`). */
function readsAlways(e: Expr, v: Var): boolean {
  if (e.k === "var") return e.v === v;
  if (e.k === "cond") return readsAlways(e.test, v);
  if (e.k === "logical" || e.k === "coalesce") return readsAlways(e.a, v);
  return exprChildren(e).some((o) => readsAlways(o, v));
}

function isTapePush(s: Stmt): boolean {
  return s.k === "expr" && s.e.k === "runtime" && s.e.fn.startsWith("tape.push");
}

function isTapeRead(e: Expr): boolean {
  return e.k === "runtime" && e.fn.startsWith("tape.pop") && e.args.length === 0;
}

function readsFields(e: Expr): boolean {
  return e.k === "field" || exprChildren(e).some(readsFields);
}

function isTrivial(e: Expr): boolean {
  if (e.k === "num" || e.k === "var") return true;
  return e.k === "neg" && (e.a.k === "num" || e.a.k === "var");
}

function isSimple(s: Stmt): boolean {
  switch (s.k) {
    case "assign":
    case "declare":
    case "accumulate":
    case "accumulateField":
    case "accumulateElement":
    case "store":
    case "expr":
      return true;
    default:
      return false;
  }
}

/**
 * `!c`, written without `!` for equality tests (`a !== b` -> `a === b`) and their combinations;
 * `!(a < b)` stays as it is (NaN makes it differ from `a >= b`).
 */
function negation(e: Expr): Expr {
  if (e.k === "compare" && (e.op === "===" || e.op === "!==")) return { ...e, op: e.op === "===" ? "!==" : "===" };
  if (e.k === "not") return e.a;
  if (e.k === "logical" && isEquality(e.a) && isEquality(e.b)) return { k: "logical", op: e.op === "&&" ? "||" : "&&", a: negation(e.a), b: negation(e.b) };
  return { k: "not", a: e };
}

function isEquality(e: Expr): boolean {
  return e.k === "compare" && (e.op === "===" || e.op === "!==");
}

/** The one statement list inside `s` that holds every mention of `v` (none in conditions or loop heads). */
function soleList(s: Stmt, v: Var, mentions: Mentions): Stmt[] | undefined {
  if (stmtExprs(s).some((e) => varsOf(e).has(v))) return undefined;
  if (childStmts(s).some((c) => mentions(c, v))) return undefined;
  const lists = s.k === "loop" ? [s.init, s.body, s.update] : childLists(s);
  const holding = lists.filter((l) => l.some((x) => mentions(x, v)));
  if (holding.length !== 1) return undefined;
  if (s.k === "loop" && holding[0] !== s.body) return undefined;
  return holding[0];
}

/** Whether a statement (nested ones included) writes one of `vars`, or memory when `memory`. */
/** Whether a statement contains a break, continue or return (it may leave the list it is in). */
function mayJump(s: Stmt): boolean {
  let found = false;
  forEachStmt([s], (x) => {
    if (x.k === "break" || x.k === "continue" || x.k === "return" || x.k === "genReturn" || x.k === "exitBlock") found = true;
  });
  return found;
}

function changesAny(s: Stmt, vars: Set<Var>, memory: boolean): boolean {
  let found = false;
  forEachStmt([s], (x) => {
    const w = writtenVar(x);
    if (w && vars.has(w)) found = true;
    if (x.k === "store" || x.k === "accumulateElement") {
      const root = rootVar(x.array);
      if (memory || (root && vars.has(root))) found = true;
    }
    if (memory && (x.k === "accumulateField" || stmtExprs(x).some(hasSideEffects))) found = true;
  });
  return found;
}

/** Whether statement `s` (not nested ones) mentions array `d` only as `d[k]` with literal k other than `c`. */
function onlyAtLiterals(s: Stmt, d: Var, c: number): boolean {
  let ok = true;
  const visit = (e: Expr): void => {
    if (e.k === "var") {
      if (e.v === d) ok = false;
      return;
    }
    if (e.k === "index" && e.array.k === "var" && e.array.v === d) {
      if (e.index.k !== "num" || Object.is(e.index.value, c) || e.index.value === c) ok = false;
      return;
    }
    for (const o of exprChildren(e)) visit(o);
  };
  if (s.k === "store" || s.k === "accumulateElement") {
    visit({ k: "index", array: s.array, index: s.index });
    visit(s.value);
  } else stmtExprs(s).forEach(visit);
  return ok;
}

/** Whether every mention of array `d` in statement `s` is an element `d[i]` (or `d.length`). */
function onlyAt(s: Stmt, d: Var, i: Var): boolean {
  let ok = true;
  const visit = (e: Expr, indexed: boolean): void => {
    if (e.k === "var") {
      if (e.v === d && !indexed) ok = false;
      return;
    }
    if (e.k === "index" && e.array.k === "var" && e.array.v === d) {
      if (e.index.k !== "var" || e.index.v !== i) ok = false;
      return;
    }
    if (e.k === "length" && e.array.k === "var") return;
    for (const o of exprChildren(e)) visit(o, false);
  };
  forEachStmt([s], (x) => {
    if (x.k === "store" || x.k === "accumulateElement") {
      visit({ k: "index", array: x.array, index: x.index }, false);
      visit(x.value, false);
      return;
    }
    for (const e of stmtExprs(x)) visit(e, false);
  });
  return ok;
}

/** The innermost loop around each statement (a loop's initializer runs outside it). */
function enclosingLoops(body: Stmt[]): Map<Stmt, Stmt | null> {
  const out = new Map<Stmt, Stmt | null>();
  const visit = (list: readonly Stmt[], loop: Stmt | null): void => {
    for (const s of list) {
      out.set(s, loop);
      if (s.k === "loop") {
        visit(s.init, loop);
        visit(s.body, s);
        visit(s.update, s);
      } else if (s.k === "rawFor") {
        if (s.init) out.set(s.init, loop);
        if (s.update) out.set(s.update, s);
        visit(s.body, s);
      } else {
        for (const l of childLists(s)) visit(l, loop);
      }
    }
  };
  visit(body, null);
  return out;
}

/** The loop in which the expressions of `s` are evaluated (a loop's condition belongs to the loop). */
function useLoop(s: Stmt, loops: Map<Stmt, Stmt | null>): Stmt | null {
  if (s.k === "loop" || s.k === "rawFor") return s;
  return loops.get(s) ?? null;
}
