/**
 * Checkpointed loops: a loop marked `// tsgrad: checkpoint` on the line above it is
 * differentiated in bounded memory. The forward sweep runs it without recording anything but
 * the loop's state (the variables declared before it that it writes) at the start of every
 * `stride`-th iteration; the reverse sweep takes the stretches last first, restores the state
 * saved at its start, runs it again recording as usual, and reverses it at once. With the
 * default stride ceil(sqrt(T)) a T-step loop holds about sqrt(T) states and one stretch of tape
 * instead of T steps of tape, for one more primal run of the loop (the sqrt(T) scheme, rather
 * than Griewank's binomial one, which saves more memory for more recomputation).
 *
 * This file reads the directive and works out what must be saved; the sweeps emit the code.
 */
import ts from "typescript";
import type { Stmt, Var } from "../ir/nodes.js";
import { assignedVars, forEachStmt, rootVar, varsOfStmts } from "../ir/walk.js";
import { integerStep } from "./indices.js";
import { CompileError, diagAtOffset } from "../diagnostics.js";
import type { LoopStmt } from "./loops.js";

export interface Checkpointing {
  /** Iterations between two checkpoints, or undefined for ceil(sqrt(trip count)). */
  every: number | undefined;
  /** Variables declared before the loop that it writes: saved at every checkpoint. */
  state: Var[];
  /** State arrays the loop assigns whole (`state = next`): their identity is saved as well. */
  reassigned: Set<Var>;
  /**
   * Variables the loop reads but does not write, which code after it writes: saved once after
   * the loop, restored before the reverse sweep runs its stretches again.
   */
  constants: Var[];
  /** Every variable declared outside the loop that the loop reads or writes (the runs again need them). */
  outside: Var[];
  /**
   * Automatic checkpointing (`--tape-budget`): the bytes of tape the loop may record, iteration
   * after iteration as usual, before it switches to checkpoints for the iterations left.
   * Undefined for a loop marked by a directive: checkpoints from the first iteration.
   */
  budget?: number;
}

const DIRECTIVE = /^\s*tsgrad\s*:\s*(.*?)\s*$/;

/**
 * The `// tsgrad: ...` directive in the comments just above a loop: `checkpoint` (every =
 * undefined) or `checkpoint every N`. Undefined when there is none; a located error for a
 * directive tsgrad does not know.
 */
export function checkpointDirective(node: ts.Node | undefined): { every: number | undefined } | undefined {
  if (!node) return undefined;
  // A labelled loop's comment sits above its label.
  const at = ts.isLabeledStatement(node.parent) ? node.parent : node;
  const sf = at.getSourceFile();
  let found: { every: number | undefined } | undefined;
  for (const range of ts.getLeadingCommentRanges(sf.text, at.getFullStart()) ?? []) {
    const raw = sf.text.slice(range.pos, range.end);
    const text = range.kind === ts.SyntaxKind.SingleLineCommentTrivia ? raw.slice(2) : raw.slice(2, -2).replace(/^\s*\*/gm, "");
    const match = DIRECTIVE.exec(text.trim());
    if (!match) continue;
    const words = match[1]!.split(/\s+/);
    if (words[0] === "checkpoint" && words.length === 1) {
      found = { every: undefined };
    } else if (words[0] === "checkpoint" && words[1] === "every" && words.length === 3 && /^[1-9][0-9]*$/.test(words[2]!)) {
      found = { every: Number(words[2]) };
    } else {
      throw new CompileError(diagAtOffset(sf, range.pos, range.end - range.pos, "TSG1100", [raw.trim()]));
    }
  }
  return found;
}

/** A located error: the loop marked for checkpointing cannot be, and why. */
export function notCheckpointable(loop: LoopStmt, why: string): CompileError {
  const node = loop.node!;
  const sf = node.getSourceFile();
  const start = node.getStart(sf);
  return new CompileError(diagAtOffset(sf, start, node.getEnd() - start, "TSG1101", [why]));
}

/**
 * Arrays the loop only appends to (`xs.push(v)`, lowered to `xs[n] = v; n = n + 1`): every
 * write is at index `n`, a variable the loop only increases. The elements before `n` at a
 * checkpoint are never written again, and the run again writes the others: saving `n` (part
 * of the state) is enough, so a trajectory recorded step by step is not copied at each
 * checkpoint.
 */
function appendOnly(inside: readonly Stmt[]): Set<Var> {
  const indexOf = new Map<Var, Var | null>();
  const steps = new Map<Var, boolean>();
  forEachStmt(inside, (s) => {
    if (s.k === "store") {
      const root = rootVar(s.array);
      if (!root) return;
      const index = s.array.k === "var" && s.index.k === "var" ? s.index.v : null;
      const seen = indexOf.get(root);
      indexOf.set(root, seen === undefined || seen === index ? index : null);
    } else if (s.k === "assign") {
      const step = integerStep(s);
      steps.set(s.target, (steps.get(s.target) ?? true) && step !== undefined && step > 0);
      if (s.target.type.kind === "vector" || s.target.type.kind === "matrix") indexOf.set(s.target, null);
    }
  });
  const out = new Set<Var>();
  for (const [array, index] of indexOf) if (index && array.type.kind === "vector" && steps.get(index) === true) out.add(array);
  return out;
}

/**
 * What a checkpointed loop saves. `after`: the statements that run after the loop (the rest
 * of each block around it), whose writes make a value the loop read change before the
 * reverse sweep runs it again. Throws a located error for state tsgrad cannot save.
 */
export function checkpointPlan(loop: LoopStmt, every: number | undefined, after: readonly Stmt[]): Checkpointing {
  const inside = [...loop.init, ...loop.body, ...loop.update];
  const declaredInside = new Set<Var>();
  forEachStmt(inside, (s) => {
    if (s.k === "assign" && s.declare) declaredInside.add(s.target);
  });
  const written = assignedVars(inside);
  const touched = varsOfStmts([loop]);
  const outside = [...touched].filter((v) => !declaredInside.has(v));
  const appended = appendOnly(inside);
  const state = outside.filter((v) => written.has(v) && !appended.has(v));
  for (const v of state) {
    if (v.type.kind === "inactiveArray" || v.type.kind === "indexArray") {
      throw notCheckpointable(loop, `it changes '${v.name}', an array of ${v.type.kind === "indexArray" ? "indices" : "flags or labels"}, which checkpoints do not save yet; compute it before the loop`);
    }
  }
  const reassigned = new Set<Var>();
  forEachStmt(inside, (s) => {
    if (s.k === "assign" && !s.declare && (s.target.type.kind === "vector" || s.target.type.kind === "matrix")) reassigned.add(s.target);
  });
  const writtenAfter = assignedVars(after);
  const constants = outside.filter((v) => !written.has(v) && writtenAfter.has(v) && v.type.kind !== "inactiveArray" && v.type.kind !== "indexArray");
  for (const v of outside) {
    if (!written.has(v) && writtenAfter.has(v) && (v.type.kind === "inactiveArray" || v.type.kind === "indexArray")) {
      throw notCheckpointable(loop, `code after it changes '${v.name}', which the loop reads; leave '${v.name}' as the loop saw it (write into a new array)`);
    }
  }
  return { every, state, reassigned, constants, outside };
}
