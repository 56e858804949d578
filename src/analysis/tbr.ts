/**
 * To-be-recorded analysis (Tapenade's TBR): which assignments destroy a value that the reverse
 * sweep will read, so that the forward sweep must push it and the reverse sweep pop it back.
 *
 * A forward data-flow pass over the structured IR. `required` holds the variables whose current
 * value the reverse code of already-executed statements reads. An assignment to such a variable
 * must record the old value; afterwards the variable holds a new value nobody has read yet. An
 * element write records the old element whenever the array is required (the rest of the array
 * is still needed, so the array stays required). Loops iterate to a fixed point; break, continue
 * and return carry their state to where control goes.
 */
import type { LoopInfo, Stmt, Var } from "../ir/nodes.js";
import { rootVar } from "../ir/walk.js";

export interface TbrHooks {
  /** Primal variables the reverse code of `s` reads, as they were before `s`. */
  usesBefore(s: Stmt): Var[];
  /** Variables the reverse code of `s` reads as `s` left them (its result; for an element write, the array). */
  usesAfter(s: Stmt): Var[];
  /** Indices of counted loops: the reverse loops recompute them, never recorded. */
  countedIndices: Set<Var>;
  /** Assignments the reverse sweep undoes by computing backwards (`i = i + 1` -> `i = i - 1`). */
  invertible(s: Stmt): boolean;
  /** Local arrays a loop overwrites completely (every element): afterwards nothing is required of them. */
  overwrites(loop: Extract<Stmt, { k: "loop" }>): Var[];
}

export interface TbrResult {
  pushes: Set<Stmt>;
  /** Assignments undone by their inverse instead of a recorded value. */
  inverted: Set<Stmt>;
  /** Variables the reverse sweep reads as the forward sweep left them at its end. */
  liveAtEnd: Set<Var>;
}

type Req = Set<Var>;

export function toBeRecorded(body: readonly Stmt[], hooks: TbrHooks): TbrResult {
  const pushes = new Set<Stmt>();
  const inverted = new Set<Stmt>();
  const breaks = new Map<LoopInfo, Req>();
  const continues = new Map<LoopInfo, Req>();
  const returns: Req = new Set();

  const union = (into: Req, from: Iterable<Var>): Req => {
    for (const v of from) into.add(v);
    return into;
  };
  const merge = (map: Map<LoopInfo, Req>, loop: LoopInfo, req: Req): void => {
    const known = map.get(loop);
    if (known) union(known, req);
    else map.set(loop, new Set(req));
  };

  const block = (list: readonly Stmt[], req: Req): Req => {
    for (const s of list) req = stmt(s, req);
    return req;
  };

  const stmt = (s: Stmt, req: Req): Req => {
    switch (s.k) {
      case "assign": {
        union(req, hooks.usesBefore(s));
        const v = s.target;
        // (A local array created again in a loop: the old array itself is kept.)
        let undoneByInverse = false;
        if (req.has(v) && !hooks.countedIndices.has(v)) {
          if (hooks.invertible(s)) {
            inverted.add(s);
            undoneByInverse = true;
          } else {
            pushes.add(s);
          }
        }
        req.delete(v);
        // Undoing `v = v + c` by `v = v - c` reads the value the statement left.
        if (undoneByInverse) req.add(v);
        return union(req, hooks.usesAfter(s));
      }
      case "store": {
        union(req, hooks.usesBefore(s));
        const root = rootVar(s.array);
        if (root && req.has(root)) pushes.add(s);
        return union(req, hooks.usesAfter(s));
      }
      case "if": {
        union(req, hooks.usesBefore(s));
        const then = block(s.then, new Set(req));
        const otherwise = block(s.else, new Set(req));
        return union(then, otherwise);
      }
      case "loop": {
        union(req, hooks.usesBefore(s));
        req = block(s.init, req);
        let head = new Set(req);
        for (;;) {
          continues.delete(s.loop);
          const afterBody = block(s.body, new Set(head));
          union(afterBody, continues.get(s.loop) ?? []);
          const afterUpdate = block(s.update, afterBody);
          const next = union(new Set(head), afterUpdate);
          if (next.size === head.size) break;
          head = next;
        }
        const out = union(head, breaks.get(s.loop) ?? []);
        breaks.delete(s.loop);
        // Every element was just written: the reverse sweep restores them all at this loop,
        // so later writes before the next read of the array need not record anything.
        for (const v of hooks.overwrites(s)) out.delete(v);
        return out;
      }
      case "break":
        merge(breaks, s.loop, req);
        return new Set();
      case "continue":
        merge(continues, s.loop, req);
        return new Set();
      case "return":
        union(req, hooks.usesBefore(s));
        union(returns, req);
        return new Set();
      default:
        return req;
    }
  };

  const end = block(body, new Set());
  return { pushes, inverted, liveAtEnd: union(end, returns) };
}
