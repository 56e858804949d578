/**
 * Control-flow facts the reverse sweep needs: which exits (break, continue, return) leave
 * which statements, which loops must record exit codes, and which loops are counted loops
 * (`for (let i = A; i < B; i++)` with `i` untouched in the body) whose index the reverse sweep
 * can run backwards instead of recording a trip count and every index.
 */
import type { Expr, LoopInfo, Stmt, Var } from "../ir/nodes.js";
import { assignedVars, forEachStmt } from "../ir/walk.js";

export type ExitStmt = Extract<Stmt, { k: "break" | "continue" | "return" }>;
export type LoopStmt = Extract<Stmt, { k: "loop" }>;

export interface CountedLoop {
  index: Var;
  start: Expr;
}

export interface LoopFacts {
  /** Some `continue` targets the loop: every iteration records how it ended. */
  perIteration: boolean;
  /** Some exit ends an iteration early, and only the last iteration can: record its exit once. */
  lastIteration: boolean;
  counted: CountedLoop | undefined;
  /** Ids of the `continue`s that target this loop (after which the update runs). */
  continueIds: number[];
}

export interface ControlFacts {
  loops: Map<LoopInfo, LoopFacts>;
  /** For each exit, the loops it is nested in, innermost first. */
  enclosing: Map<ExitStmt, LoopStmt[]>;
  /** Exit ids that leave a statement (their target is outside it), per statement. */
  escaping: Map<Stmt, number[]>;
  /** The function needs the `exit` code variable. */
  usesExitCodes: boolean;
  /** The forward sweep must be a labeled block that early returns leave. */
  hasEarlyReturn: boolean;
}

export function analyzeControl(body: readonly Stmt[]): ControlFacts {
  const loops = new Map<LoopInfo, LoopFacts>();
  const enclosing = new Map<ExitStmt, LoopStmt[]>();
  const escaping = new Map<Stmt, number[]>();
  const loopStack: LoopStmt[] = [];
  let usesExitCodes = false;

  /** Returns the exits inside `s` with their target loop (undefined for return). */
  const visit = (s: Stmt): { id: number; target: LoopInfo | undefined }[] => {
    let exits: { id: number; target: LoopInfo | undefined }[] = [];
    switch (s.k) {
      case "break":
      case "continue":
        enclosing.set(s, [...loopStack].reverse());
        exits = [{ id: s.exitId, target: s.loop }];
        usesExitCodes = true;
        break;
      case "return":
        enclosing.set(s, [...loopStack].reverse());
        exits = [{ id: s.exitId, target: undefined }];
        break;
      case "if":
        exits = [...s.then.flatMap(visit), ...s.else.flatMap(visit)];
        break;
      case "loop": {
        loopStack.push(s);
        const inner = s.body.flatMap(visit);
        loopStack.pop();
        const continueIds: number[] = [];
        forEachStmt(s.body, (x) => {
          if (x.k === "continue" && x.loop === s.loop) continueIds.push(x.exitId);
        });
        // Exits that end an iteration of this loop: everything inside except what targets inner loops.
        const endingIteration = inner.filter((e) => e.target === s.loop || !isInnerTarget(e.target, s));
        const perIteration = continueIds.length > 0;
        loops.set(s.loop, {
          perIteration,
          lastIteration: endingIteration.length > 0 && !perIteration,
          counted: countedLoop(s),
          continueIds,
        });
        exits = inner.filter((e) => e.target !== s.loop && !isInnerTarget(e.target, s));
        break;
      }
      default:
        break;
    }
    escaping.set(
      s,
      exits.map((e) => e.id),
    );
    return exits;
  };
  const top = body.flatMap(visit);
  const returns = top.filter((e) => e.target === undefined).map((e) => e.id);
  const last = body[body.length - 1];
  const hasEarlyReturn = returns.length > 1 || (returns.length === 1 && !(last?.k === "return"));
  if (hasEarlyReturn) usesExitCodes = true;
  return { loops, enclosing, escaping, usesExitCodes, hasEarlyReturn };
}

/** Whether `target` is a loop strictly inside `loop` (then its exits stay inside `loop`). */
function isInnerTarget(target: LoopInfo | undefined, loop: LoopStmt): boolean {
  if (!target) return false;
  let found = false;
  forEachStmt(loop.body, (s) => {
    if (s.k === "loop" && s.loop === target) found = true;
  });
  return found;
}

function countedLoop(s: LoopStmt): CountedLoop | undefined {
  if (s.kind !== "for" || s.init.length !== 1 || s.update.length !== 1 || !s.test) return undefined;
  const init = s.init[0]!;
  const update = s.update[0]!;
  if (init.k !== "assign" || init.declare !== "let" || init.target.type.kind !== "number") return undefined;
  const index = init.target;
  if (s.test.k !== "compare" || (s.test.op !== "<" && s.test.op !== "<=")) return undefined;
  if (s.test.a.k !== "var" || s.test.a.v !== index) return undefined;
  if (update.k !== "assign" || update.target !== index) return undefined;
  const u = update.value;
  const isIncrement = u.k === "binary" && u.op === "+" && u.a.k === "var" && u.a.v === index && u.b.k === "num" && u.b.value === 1;
  if (!isIncrement) return undefined;
  if (assignedVars(s.body).has(index)) return undefined;
  return { index, start: init.value };
}
