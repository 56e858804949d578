/**
 * The IR toolkit: the operands of every expression node and the parts of every statement, and
 * the traversals built on them. Every other stage walks the IR through these functions, so a
 * new node kind is added here once; a kind these switches do not know is an internal error at
 * compile time (the `never` checks) and at run time (`unknownKind`), never a silent skip.
 */
import type { Expr, Stmt, Var } from "./nodes.js";

/** A broken invariant of the compiler itself (not a problem of the user's code). */
export class InternalError extends Error {}

function unknownKind(node: never): never {
  throw new InternalError(`unknown IR node kind ${JSON.stringify((node as { k?: unknown }).k)}`);
}

// ------------------------------------------------------------ expressions

/** The direct operands of an expression node, in evaluation order. */
export function exprChildren(e: Expr): Expr[] {
  switch (e.k) {
    case "num":
    case "bool":
    case "str":
    case "var":
    case "raw":
      return [];
    case "neg":
    case "not":
      return [e.a];
    case "binary":
    case "compare":
    case "logical":
    case "coalesce":
      return [e.a, e.b];
    case "cond":
      return [e.test, e.a, e.b];
    case "math":
    case "call":
    case "runtime":
      return e.args;
    case "index":
      return [e.array, e.index];
    case "length":
      return [e.array];
    case "alloc":
      return e.inner ? [e.length, e.inner] : [e.length];
    case "copy":
    case "zerosLike":
      return [e.of];
    case "arrayLit":
      return e.elements;
    case "object":
      return e.fields.map((f) => f.value);
    case "field":
      return [e.object];
    case "column":
      return [e.rows];
    case "rowsLike":
      return [e.of, e.element];
    default:
      return unknownKind(e);
  }
}

/** The node with each direct operand replaced by `f(operand)` (a new node; `e` is unchanged). */
export function mapExprChildren(e: Expr, f: (child: Expr) => Expr): Expr {
  switch (e.k) {
    case "num":
    case "bool":
    case "str":
    case "var":
    case "raw":
      return e;
    case "neg":
    case "not":
      return { ...e, a: f(e.a) };
    case "binary":
    case "compare":
    case "logical":
    case "coalesce":
      return { ...e, a: f(e.a), b: f(e.b) };
    case "cond":
      return { ...e, test: f(e.test), a: f(e.a), b: f(e.b) };
    case "math":
    case "call":
    case "runtime":
      return { ...e, args: e.args.map(f) };
    case "index":
      return { ...e, array: f(e.array), index: f(e.index) };
    case "length":
      return { ...e, array: f(e.array) };
    case "alloc":
      return { ...e, length: f(e.length), inner: e.inner ? f(e.inner) : undefined };
    case "copy":
    case "zerosLike":
      return { ...e, of: f(e.of) };
    case "arrayLit":
      return { ...e, elements: e.elements.map(f) };
    case "object":
      return { ...e, fields: e.fields.map((x) => ({ name: x.name, value: f(x.value) })) };
    case "field":
      return { ...e, object: f(e.object) };
    case "column":
      return { ...e, rows: f(e.rows) };
    case "rowsLike":
      return { ...e, of: f(e.of), element: f(e.element) };
    default:
      return unknownKind(e);
  }
}

/** Rebuilds an expression bottom-up, letting `f` replace any node (after its operands). */
export function mapExpr(e: Expr, f: (e: Expr) => Expr): Expr {
  return f(mapExprChildren(e, (c) => mapExpr(c, f)));
}

/** Visits every node of an expression, operands after the node. */
export function forEachExpr(e: Expr, visit: (e: Expr) => void): void {
  visit(e);
  for (const c of exprChildren(e)) forEachExpr(c, visit);
}

/** Whether some node of the expression satisfies `test` (pre-order, stops at the first). */
export function someExpr(e: Expr, test: (e: Expr) => boolean): boolean {
  return test(e) || exprChildren(e).some((c) => someExpr(c, test));
}

/** Every variable an expression reads, in any position. */
export function varsOf(e: Expr, out: Set<Var> = new Set()): Set<Var> {
  if (e.k === "var") out.add(e.v);
  for (const c of exprChildren(e)) varsOf(c, out);
  return out;
}

/**
 * The variables whose current values an expression reads: as varsOf, but `a.length` of an array
 * variable reads no element of `a` (arrays never change length), so it does not count.
 */
export function valueReadsOf(e: Expr, out: Set<Var> = new Set()): Set<Var> {
  if (e.k === "length" && e.array.k === "var") return out;
  if (e.k === "var") out.add(e.v);
  for (const c of exprChildren(e)) valueReadsOf(c, out);
  return out;
}

/** Whether the expression calls a function of the user's program. */
export function containsCall(e: Expr): boolean {
  return someExpr(e, (x) => x.k === "call");
}

/**
 * The statements without assignments to compiler temporaries (origin "temp") that nothing reads
 * and whose value calls nothing: the leaves of an inlined helper's result the caller never uses.
 */
export function withoutUnreadTemps(body: readonly Stmt[]): Stmt[] {
  // Until nothing changes: dropping a copy (`result_x = t_x`) can leave what it read unread.
  for (;;) {
    const read = new Set<Var>();
    forEachStmtExpr(body, (e) => varsOf(e, read));
    let dropped = false;
    const unread = (s: Stmt): boolean => s.k === "assign" && s.target.origin === "temp" && !read.has(s.target) && !someExpr(s.value, (x) => (x.k === "call" && !x.pure) || x.k === "runtime");
    const filter = (list: readonly Stmt[]): Stmt[] =>
      list
        .filter((s) => {
          const drop = unread(s);
          dropped ||= drop;
          return !drop;
        })
        .map((s) => mapStmtParts(s, (e) => e, filter));
    const next = filter(body);
    if (!dropped) return next;
    body = next;
  }
}

/** The variable an array expression (`a`, `m[i]`) is rooted at. */
export function rootVar(e: Expr): Var | undefined {
  if (e.k === "var") return e.v;
  if (e.k === "index") return rootVar(e.array);
  return undefined;
}

/**
 * Structural equality of pure expressions. Calls (user functions, kernels, tape operations)
 * are never equal to anything: a call's result is not reused, as it may record on the tape.
 */
export function sameExpr(a: Expr, b: Expr): boolean {
  if (a.k !== b.k) return false;
  switch (a.k) {
    case "call":
    case "runtime":
    case "alloc":
    case "copy":
    case "zerosLike":
    case "arrayLit":
    case "object":
    case "rowsLike":
      return false;
    case "num":
      return Object.is(a.value, (b as typeof a).value);
    case "bool":
    case "str":
      return a.value === (b as typeof a).value;
    case "var":
      return a.v === (b as typeof a).v;
    case "raw":
      return a.text === (b as typeof a).text;
    case "binary":
    case "compare":
    case "logical":
      if (a.op !== (b as typeof a).op) return false;
      break;
    case "math":
      if (a.fn !== (b as typeof a).fn) return false;
      break;
    case "field":
      if (a.name !== (b as typeof a).name || a.optional !== (b as typeof a).optional) return false;
      break;
    case "column":
      return false;
    case "neg":
    case "not":
    case "cond":
    case "index":
    case "length":
    case "coalesce":
      break;
    default:
      return unknownKind(a);
  }
  const x = exprChildren(a);
  const y = exprChildren(b);
  return x.length === y.length && x.every((c, i) => sameExpr(c, y[i]!));
}

// ------------------------------------------------------------ statements

/** The expressions a statement evaluates itself (not those of statements nested in it). */
export function stmtExprs(s: Stmt): Expr[] {
  switch (s.k) {
    case "assign":
    case "accumulate":
    case "accumulateField":
      return [s.value];
    case "store":
    case "accumulateElement":
      return [s.array, s.index, s.value];
    case "if":
      return [s.test];
    case "loop":
      return s.test ? [s.test] : [];
    case "rawFor":
      return s.test ? [s.test] : [];
    case "return":
      return [s.value];
    case "genReturn":
      return s.value ? [s.value] : [];
    case "expr":
      return [s.e];
    case "declare":
      return s.init ? [s.init] : [];
    case "break":
    case "continue":
    case "block":
    case "exitBlock":
    case "comment":
      return [];
    default:
      return unknownKind(s);
  }
}

/** The statement lists nested in a statement, in source order (a `for` head's parts count). */
export function stmtBlocks(s: Stmt): (readonly Stmt[])[] {
  switch (s.k) {
    case "if":
      return [s.then, s.else];
    case "loop":
      return [s.init, s.body, s.update];
    case "rawFor":
      return [s.init ? [s.init] : [], s.body, s.update ? [s.update] : []];
    case "block":
      return [s.body];
    case "assign":
    case "store":
    case "return":
    case "genReturn":
    case "expr":
    case "declare":
    case "accumulate":
    case "accumulateField":
    case "accumulateElement":
    case "break":
    case "continue":
    case "exitBlock":
    case "comment":
      return [];
    default:
      return unknownKind(s);
  }
}

/**
 * The statement with its own expressions replaced by `onExpr` and its nested statement lists
 * by `onBlock` (a new node; `s` is unchanged).
 */
export function mapStmtParts(s: Stmt, onExpr: (e: Expr) => Expr, onBlock: (list: readonly Stmt[]) => Stmt[]): Stmt {
  const single = (x: Stmt | null): Stmt | null => {
    if (!x) return null;
    const mapped = onBlock([x]);
    if (mapped.length !== 1) throw new InternalError("a for-loop head part must stay one statement");
    return mapped[0]!;
  };
  switch (s.k) {
    case "assign":
    case "accumulate":
    case "accumulateField":
      return { ...s, value: onExpr(s.value) };
    case "store":
    case "accumulateElement":
      return { ...s, array: onExpr(s.array), index: onExpr(s.index), value: onExpr(s.value) };
    case "if":
      return { ...s, test: onExpr(s.test), then: onBlock(s.then), else: onBlock(s.else) };
    case "loop":
      return { ...s, test: s.test ? onExpr(s.test) : null, init: onBlock(s.init), body: onBlock(s.body), update: onBlock(s.update) };
    case "rawFor":
      return { ...s, init: single(s.init), test: s.test ? onExpr(s.test) : null, update: single(s.update), body: onBlock(s.body) };
    case "block":
      return { ...s, body: onBlock(s.body) };
    case "return":
      return { ...s, value: onExpr(s.value) };
    case "genReturn":
      return s.value ? { ...s, value: onExpr(s.value) } : s;
    case "expr":
      return { ...s, e: onExpr(s.e) };
    case "declare":
      return s.init ? { ...s, init: onExpr(s.init) } : s;
    case "break":
    case "continue":
    case "exitBlock":
    case "comment":
      return s;
    default:
      return unknownKind(s);
  }
}

/** Visits every statement, nested ones included, in source order (a statement before its parts). */
export function forEachStmt(body: readonly Stmt[], visit: (s: Stmt) => void): void {
  for (const s of body) {
    visit(s);
    for (const block of stmtBlocks(s)) forEachStmt(block, visit);
  }
}

/** Visits every expression evaluated by the statements (top-level expressions, not their operands). */
export function forEachStmtExpr(body: readonly Stmt[], visit: (e: Expr, s: Stmt) => void): void {
  forEachStmt(body, (s) => {
    for (const e of stmtExprs(s)) visit(e, s);
  });
}

/** Applies `f` (see mapExpr) to every expression of a statement list, nested ones included. */
export function mapStmts(list: readonly Stmt[], f: (e: Expr) => Expr): Stmt[] {
  return list.map((s) =>
    mapStmtParts(
      s,
      (e) => mapExpr(e, f),
      (inner) => mapStmts(inner, f),
    ),
  );
}

/** The variable a statement writes as a whole (not element writes), if any. */
export function writtenVar(s: Stmt): Var | undefined {
  switch (s.k) {
    case "assign":
    case "accumulate":
      return s.target;
    case "declare":
      return s.v;
    default:
      return undefined;
  }
}

/** Variables assigned (or whose elements are written) anywhere in the statements. */
export function assignedVars(body: readonly Stmt[], out: Set<Var> = new Set()): Set<Var> {
  forEachStmt(body, (s) => {
    if (s.k === "assign") out.add(s.target);
    else if (s.k === "store") {
      const root = rootVar(s.array);
      if (root) out.add(root);
    }
  });
  return out;
}

/** Every variable the statements read or write, nested statements included. */
export function varsOfStmts(body: readonly Stmt[], out: Set<Var> = new Set()): Set<Var> {
  forEachStmt(body, (s) => {
    const written = writtenVar(s);
    if (written) out.add(written);
    if (s.k === "accumulateField") out.add(s.object);
    for (const e of stmtExprs(s)) varsOf(e, out);
  });
  return out;
}

/** Every variable assigned by the source's statements (declarations first seen), in source order. */
export function assignedInOrder(body: readonly Stmt[], out: Var[] = [], seen: Set<Var> = new Set(out)): Var[] {
  forEachStmt(body, (s) => {
    if (s.k === "assign" && !seen.has(s.target)) {
      seen.add(s.target);
      out.push(s.target);
    }
  });
  return out;
}
