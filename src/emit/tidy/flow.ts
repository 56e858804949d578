/**
 * The control-flow graph of a generated function's body and the data-flow facts the tidy pass
 * needs: which variables are live (read later), which are known to hold zero, and which named
 * values are still available (their operands unchanged since the definition).
 *
 * One node per simple statement and one per condition of an `if` or a loop; `break`,
 * `continue`, leaving a labeled block and returning are edges. Statements are keys (the tidy
 * pass clones the body first, so every position has its own object).
 */
import type { LoopInfo, Stmt, Var } from "../../ir/nodes.js";
import { rootVar, stmtExprs, varsOf } from "../../ir/walk.js";
import { hasSideEffects } from "./exprs.js";

export interface FlowNode {
  id: number;
  /** The statement (a simple one, or the `if` or loop whose condition this node evaluates). */
  stmt: Stmt | undefined;
  succ: number[];
  pred: number[];
  /** Variables the node reads, the array an element write goes to included. */
  reads: Set<Var>;
  /** The variable the node writes as a whole (assignment, declaration, accumulation). */
  write: Var | undefined;
  /** The write replaces the old value (not an accumulation). */
  kills: boolean;
  /** Root variable of an element write (`a[i] = e`, `a[i] += e`). */
  elementWrite: Var | undefined;
  /** Writes array elements or object fields, or calls something that may. */
  memoryWrite: boolean;
  /** Calls something (a routine, a kernel, the tape). */
  effects: boolean;
}

export interface Flow {
  nodes: FlowNode[];
  entry: number;
  exit: number;
  /** The node of a simple statement, or the condition node of an `if` or a loop. */
  nodeOf: Map<Stmt, number>;
  /** The first node a statement list runs (the list's successor when it is empty). */
  listEntry: Map<readonly Stmt[], number>;
}


function makeNode(id: number, stmt: Stmt | undefined): FlowNode {
  const node: FlowNode = {
    id,
    stmt,
    succ: [],
    pred: [],
    reads: new Set(),
    write: undefined,
    kills: false,
    elementWrite: undefined,
    memoryWrite: false,
    effects: false,
  };
  if (!stmt) return node;
  for (const e of stmtExprs(stmt)) {
    varsOf(e, node.reads);
    if (hasSideEffects(e)) node.effects = true;
  }
  switch (stmt.k) {
    case "assign":
      node.write = stmt.target;
      node.kills = true;
      break;
    case "declare":
      node.write = stmt.v;
      node.kills = true;
      break;
    case "accumulate":
      node.write = stmt.target;
      node.reads.add(stmt.target);
      break;
    case "accumulateField":
      node.reads.add(stmt.object);
      node.memoryWrite = true;
      break;
    case "store":
    case "accumulateElement":
      node.elementWrite = rootVar(stmt.array);
      node.memoryWrite = true;
      break;
    default:
      break;
  }
  if (node.effects) node.memoryWrite = true;
  return node;
}

export function buildFlow(body: readonly Stmt[]): Flow {
  const nodes: FlowNode[] = [];
  const nodeOf = new Map<Stmt, number>();
  const listEntry = new Map<readonly Stmt[], number>();
  const add = (stmt: Stmt | undefined): FlowNode => {
    const n = makeNode(nodes.length, stmt);
    nodes.push(n);
    if (stmt) nodeOf.set(stmt, n.id);
    return n;
  };
  const exit = add(undefined).id;
  const breakTo = new Map<LoopInfo, number>();
  const continueTo = new Map<LoopInfo, number>();
  const labels = new Map<string, number>();

  const list = (stmts: readonly Stmt[], follow: number): number => {
    let next = follow;
    for (let i = stmts.length - 1; i >= 0; i--) next = stmt(stmts[i]!, next);
    listEntry.set(stmts, next);
    return next;
  };

  const stmt = (s: Stmt, follow: number): number => {
    switch (s.k) {
      case "comment":
        return follow;
      case "break": {
        const n = add(s);
        n.succ.push(breakTo.get(s.loop) ?? follow);
        return n.id;
      }
      case "continue": {
        const n = add(s);
        n.succ.push(continueTo.get(s.loop) ?? follow);
        return n.id;
      }
      case "exitBlock": {
        const n = add(s);
        n.succ.push(labels.get(s.label) ?? follow);
        return n.id;
      }
      case "return":
      case "genReturn": {
        const n = add(s);
        n.succ.push(exit);
        return n.id;
      }
      case "if": {
        const n = add(s);
        n.succ.push(list(s.then, follow), list(s.else, follow));
        return n.id;
      }
      case "block": {
        labels.set(s.label, follow);
        return list(s.body, follow);
      }
      case "loop": {
        const test = add(s);
        breakTo.set(s.loop, follow);
        if (s.kind === "do") {
          continueTo.set(s.loop, test.id);
          const body = list(s.body, test.id);
          test.succ.push(body);
          if (s.test) test.succ.push(follow);
          return list(s.init, body);
        }
        const update = list(s.update, test.id);
        continueTo.set(s.loop, update);
        const body = list(s.body, update);
        test.succ.push(body);
        if (s.test) test.succ.push(follow);
        return list(s.init, test.id);
      }
      case "rawFor": {
        const test = add(s);
        const update = s.update ? stmt(s.update, test.id) : test.id;
        const body = list(s.body, update);
        test.succ.push(body);
        if (s.test) test.succ.push(follow);
        return s.init ? stmt(s.init, test.id) : test.id;
      }
      default: {
        const n = add(s);
        n.succ.push(follow);
        return n.id;
      }
    }
  };

  const entry = list(body, exit);
  for (const n of nodes) for (const s of n.succ) nodes[s]!.pred.push(n.id);
  return { nodes, entry, exit, nodeOf, listEntry };
}

/**
 * Strong liveness: a variable is live where a later statement that matters reads it. A
 * statement that `removable` allows to drop and whose result is dead does not make its
 * operands live (so `d += d * 2` in a loop keeps nothing alive when `d` is never read).
 */
export function liveness(flow: Flow, removable: (n: FlowNode) => boolean): { liveIn: Set<Var>[]; liveOut: Set<Var>[] } {
  const liveIn = flow.nodes.map(() => new Set<Var>());
  const liveOut = flow.nodes.map(() => new Set<Var>());
  const worklist = flow.nodes.map((n) => n.id).reverse();
  const queued = new Set(worklist);
  while (worklist.length > 0) {
    const id = worklist.pop()!;
    queued.delete(id);
    const n = flow.nodes[id]!;
    const out = liveOut[id]!;
    for (const s of n.succ) for (const v of liveIn[s]!) out.add(v);
    const live = new Set(out);
    if (n.write && n.kills) live.delete(n.write);
    const target = n.write ?? n.elementWrite;
    const matters = !removable(n) || (target !== undefined && out.has(target));
    if (matters) for (const v of n.reads) live.add(v);
    if (!sameSet(live, liveIn[id]!)) {
      liveIn[id] = live;
      for (const p of n.pred) {
        if (!queued.has(p)) {
          queued.add(p);
          worklist.push(p);
        }
      }
    }
  }
  return { liveIn, liveOut };
}

/**
 * A forward "must" analysis over sets of variables: the facts at a node's entry are those that
 * hold on every path reaching it (none at the function's entry).
 */
export function forwardMust(flow: Flow, transfer: (n: FlowNode, facts: Set<Var>) => Set<Var>): (Set<Var> | null)[] {
  const factsIn: (Set<Var> | null)[] = flow.nodes.map(() => null);
  const factsOut: (Set<Var> | null)[] = flow.nodes.map(() => null);
  factsIn[flow.entry] = new Set();
  const worklist = [flow.entry];
  const queued = new Set(worklist);
  while (worklist.length > 0) {
    const id = worklist.shift()!;
    queued.delete(id);
    const n = flow.nodes[id]!;
    let facts: Set<Var> | null = id === flow.entry ? new Set() : null;
    for (const p of n.pred) {
      const out = factsOut[p];
      if (out === null || out === undefined) continue;
      facts = facts === null ? new Set(out) : intersect(facts, out);
    }
    if (facts === null) continue;
    factsIn[id] = facts;
    const out = transfer(n, new Set(facts));
    const before = factsOut[id];
    if (before && sameSet(before, out)) continue;
    factsOut[id] = out;
    for (const s of n.succ) {
      if (!queued.has(s)) {
        queued.add(s);
        worklist.push(s);
      }
    }
  }
  return factsIn;
}

function intersect(a: Set<Var>, b: Set<Var>): Set<Var> {
  const out = new Set<Var>();
  for (const v of a) if (b.has(v)) out.add(v);
  return out;
}

function sameSet(a: Set<Var>, b: Set<Var>): boolean {
  if (a.size !== b.size) return false;
  for (const v of a) if (!b.has(v)) return false;
  return true;
}
