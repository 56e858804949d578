/**
 * The control-flow graph of a generated function's body and the data-flow facts the tidy pass
 * needs: which variables are live (read later), which are known to hold zero, and which named
 * values are still available (their operands unchanged since the definition).
 *
 * One node per simple statement and one per condition of an `if` or a loop; `break`,
 * `continue`, leaving a labeled block and returning are edges. Statements are keys (the tidy
 * pass clones the body first, so every position has its own object).
 */
import type { Expr, LoopInfo, Stmt, Var } from "../../ir/nodes.js";
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
  /** Every variable the nodes read or write, numbered in node order: the bits of the analyses' sets. */
  vars: Var[];
  index: Map<Var, number>;
}


/**
 * What an expression reads and whether it calls anything, found once per expression object:
 * the graph is built again after every change of the body, and most expressions are the same
 * objects as before (the pass never changes an expression, it puts a new one in its place).
 */
const exprFacts = new WeakMap<Expr, { vars: Var[]; effects: boolean }>();

function factsOf(e: Expr): { vars: Var[]; effects: boolean } {
  let facts = exprFacts.get(e);
  if (!facts) {
    facts = { vars: [...varsOf(e)], effects: hasSideEffects(e) };
    exprFacts.set(e, facts);
  }
  return facts;
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
    const facts = factsOf(e);
    for (const v of facts.vars) node.reads.add(v);
    if (facts.effects) node.effects = true;
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
  const vars: Var[] = [];
  const index = new Map<Var, number>();
  const number = (v: Var): void => {
    if (!index.has(v)) index.set(v, vars.push(v) - 1);
  };
  for (const n of nodes) {
    for (const s of n.succ) nodes[s]!.pred.push(n.id);
    n.reads.forEach(number);
    if (n.write) number(n.write);
    if (n.elementWrite) number(n.elementWrite);
  }
  return { nodes, entry, exit, nodeOf, listEntry, vars, index };
}

/** Which variables are live at one point (a view of the bit sets liveness computes). */
export interface LiveSet {
  has(v: Var): boolean;
}

/**
 * Strong liveness: a variable is live where a later statement that matters reads it. A
 * statement that `removable` allows to drop and whose result is dead does not make its
 * operands live (so `d += d * 2` in a loop keeps nothing alive when `d` is never read).
 * Sets are bit sets over the function's variables.
 */
export function liveness(flow: Flow, removable: (n: FlowNode) => boolean): { liveIn: LiveSet[]; liveOut: LiveSet[] } {
  const { index } = flow;
  const number = (v: Var): number => index.get(v)!;
  const words = Math.max(1, Math.ceil(index.size / 32));
  const count = flow.nodes.length;
  const liveIn = new Uint32Array(count * words);
  const liveOut = new Uint32Array(count * words);
  const reads = new Uint32Array(count * words);
  const kill = new Int32Array(count).fill(-1);
  const target = new Int32Array(count).fill(-1);
  const canDrop = new Uint8Array(count);
  for (const n of flow.nodes) {
    for (const v of n.reads) {
      const k = number(v);
      reads[n.id * words + (k >>> 5)]! |= 1 << (k & 31);
    }
    if (n.write && n.kills) kill[n.id] = number(n.write);
    const t = n.write ?? n.elementWrite;
    if (t) target[n.id] = number(t);
    canDrop[n.id] = removable(n) ? 1 : 0;
  }
  const has = (bits: Uint32Array, id: number, k: number): boolean => (bits[id * words + (k >>> 5)]! & (1 << (k & 31))) !== 0;
  // Nodes are numbered from the end of the function backwards: visit the low numbers first.
  const worklist = flow.nodes.map((n) => n.id).reverse();
  const queued = new Uint8Array(count).fill(1);
  const next = new Uint32Array(words);
  while (worklist.length > 0) {
    const id = worklist.pop()!;
    queued[id] = 0;
    const n = flow.nodes[id]!;
    const base = id * words;
    for (let w = 0; w < words; w++) liveOut[base + w] = 0;
    for (const s of n.succ) for (let w = 0; w < words; w++) liveOut[base + w]! |= liveIn[s * words + w]!;
    for (let w = 0; w < words; w++) next[w] = liveOut[base + w]!;
    if (kill[id]! >= 0) next[kill[id]! >>> 5]! &= ~(1 << (kill[id]! & 31));
    if (!canDrop[id] || (target[id]! >= 0 && has(liveOut, id, target[id]!))) for (let w = 0; w < words; w++) next[w]! |= reads[base + w]!;
    let changed = false;
    for (let w = 0; w < words; w++) {
      if (next[w] !== liveIn[base + w]) {
        liveIn[base + w] = next[w]!;
        changed = true;
      }
    }
    if (!changed) continue;
    for (const p of n.pred) {
      if (!queued[p]) {
        queued[p] = 1;
        worklist.push(p);
      }
    }
  }
  const view = (bits: Uint32Array, id: number): LiveSet => ({
    has: (v) => {
      const k = index.get(v);
      return k !== undefined && has(bits, id, k);
    },
  });
  return { liveIn: flow.nodes.map((n) => view(liveIn, n.id)), liveOut: flow.nodes.map((n) => view(liveOut, n.id)) };
}

/** A set of variables of one flow graph, as bits over a fixed numbering. */
export class VarSet {
  constructor(
    private readonly index: Map<Var, number>,
    private readonly vars: Var[],
    readonly bits: Uint32Array,
  ) {}

  has(v: Var): boolean {
    const k = this.index.get(v);
    return k !== undefined && (this.bits[k >>> 5]! & (1 << (k & 31))) !== 0;
  }

  add(v: Var): void {
    const k = this.index.get(v);
    if (k !== undefined) this.bits[k >>> 5]! |= 1 << (k & 31);
  }

  delete(v: Var): void {
    const k = this.index.get(v);
    if (k !== undefined) this.bits[k >>> 5]! &= ~(1 << (k & 31));
  }

  *[Symbol.iterator](): IterableIterator<Var> {
    for (let k = 0; k < this.vars.length; k++) if ((this.bits[k >>> 5]! & (1 << (k & 31))) !== 0) yield this.vars[k]!;
  }
}

/**
 * A forward "must" analysis over sets of variables: the facts at a node's entry are those that
 * hold on every path reaching it (none at the function's entry); null where no path reaches.
 * `transfer` may change the set it is given and returns the facts after the node. The facts
 * of all nodes live in two flat bit buffers (one row per node), so a visit copies words, not sets.
 */
export function forwardMust(flow: Flow, transfer: (n: FlowNode, facts: VarSet) => VarSet): (VarSet | null)[] {
  const { index, vars } = flow;
  const words = Math.max(1, Math.ceil(vars.length / 32));
  const count = flow.nodes.length;
  const factsIn = new Uint32Array(count * words);
  const factsOut = new Uint32Array(count * words);
  const reachedIn = new Uint8Array(count);
  const reachedOut = new Uint8Array(count);
  const work = new VarSet(index, vars, new Uint32Array(words));
  const worklist = [flow.entry];
  const queued = new Uint8Array(count);
  queued[flow.entry] = 1;
  for (let head = 0; head < worklist.length; head++) {
    const id = worklist[head]!;
    queued[id] = 0;
    const n = flow.nodes[id]!;
    const base = id * words;
    // The meet: the facts after every predecessor reached so far (none at the entry).
    let reached = id === flow.entry;
    if (reached) factsIn.fill(0, base, base + words);
    // (Word by word: a typed array view per copy would cost more than the copy.)
    for (const p of n.pred) {
      if (!reachedOut[p]) continue;
      const from = p * words;
      if (!reached) for (let w = 0; w < words; w++) factsIn[base + w] = factsOut[from + w]!;
      else for (let w = 0; w < words; w++) factsIn[base + w]! &= factsOut[from + w]!;
      reached = true;
    }
    if (!reached) continue;
    reachedIn[id] = 1;
    const bits = work.bits;
    for (let w = 0; w < words; w++) bits[w] = factsIn[base + w]!;
    const out = transfer(n, work).bits;
    if (reachedOut[id]) {
      let same = true;
      for (let w = 0; w < words && same; w++) same = factsOut[base + w] === out[w];
      if (same) continue;
    }
    for (let w = 0; w < words; w++) factsOut[base + w] = out[w]!;
    reachedOut[id] = 1;
    for (const s of n.succ) {
      if (!queued[s]) {
        queued[s] = 1;
        worklist.push(s);
      }
    }
  }
  return flow.nodes.map((n) => (reachedIn[n.id] ? new VarSet(index, vars, factsIn.subarray(n.id * words, (n.id + 1) * words)) : null));
}
