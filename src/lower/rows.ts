/**
 * Local arrays of structures (`const ps = initial.map((p) => ({ ...p, pos: { ...p.pos } }))`).
 *
 * An array of structures is kept as one column per leaf of its element (structure of arrays):
 * `ps_pos_x[i]` is `ps[i].pos.x`. Reads, writes, `for...of` and element names (`const a = ps[j]`)
 * are lowered where they occur (structures.ts, lower.ts); this file creates new arrays: `map`
 * over an array, `Array.from({ length: n }, (_, i) => ...)`, and an array literal of
 * objects. Each element's callback is inlined into a counted loop that stores the
 * element's leaves into the columns, so no closure or object is created at run time.
 */
import ts from "typescript";
import { skipParens } from "../frontend/functions.js";
import { classifyType } from "../frontend/types.js";
import type { Expr, RowsType, Shape, Stmt, StructType } from "../ir/nodes.js";
import { NUMBER, Var, ref } from "../ir/nodes.js";
import { forEachStmt, sameExpr } from "../ir/walk.js";
import { encodeLeaf } from "../ir/inactive-results.js";
import { freshRows, leavesOf, mapShape, partIndex } from "./shapes.js";
import type { ElementView, RowsShape } from "./scope.js";
import { type CopyTarget, type StructValue, StructLowerer, endsInOnlyReturn } from "./structures.js";
import { boundNames, lengthObject, skipTransparent, truncate } from "./syntax.js";


/** Whether `e` reads `column[index]` itself (a field copied from the same element). */
export function isElementOf(e: Expr, column: Var, index: Expr): boolean {
  return e.k === "index" && e.array.k === "var" && e.array.v === column && sameExpr(e.index, index);
}

/**
 * The leaves of a structure each branch's return assigned: a flag or string leaf that every
 * return copies from the same element's column is that column's element (so a new array of
 * structures shares the column, as newRows requires), the others their variables.
 */
function copiedLeaves(shape: Shape, statements: readonly Stmt[], index: Expr): Shape<Expr> {
  const assigned = new Map<Var, Expr[]>();
  forEachStmt(statements, (st) => {
    if (st.k === "assign" && !st.declare) assigned.set(st.target, [...(assigned.get(st.target) ?? []), st.value]);
  });
  return mapShape(shape, (leaf) => {
    if (leaf.type.kind !== "boolean" && leaf.type.kind !== "tag") return ref(leaf);
    const values = assigned.get(leaf) ?? [];
    const first = values[0];
    const column = first?.k === "index" && first.array.k === "var" ? first.array.v : undefined;
    return column && values.every((v) => isElementOf(v, column, index)) ? first! : ref(leaf);
  });
}

/** What a new array of structures is built from. */
type ElementSource =
  /** `initial.map((p, i) => ...)`: p names `initial[i]`. */
  | { kind: "rows"; rows: RowsShape; root: ts.Symbol | undefined; text: string }
  /** `xs.map((x, i) => ...)` over numbers: x is `xs[i]`. */
  | { kind: "vector"; array: Expr }
  /** `Array.from({ length: n }, (_, i) => ...)`: no element. */
  | { kind: "count"; length: Expr };

export abstract class RowsLowerer extends StructLowerer {
  protected abstract sliceRows(e: ts.Expression, pre: Stmt[], name: string, names: readonly (ts.Symbol | undefined)[]): RowsShape | undefined | null;

  /** `const ps = ...` of an array of structures. */
  protected lowerRowsDeclaration(d: ts.VariableDeclaration, type: RowsType): Stmt[] {
    if (!ts.isIdentifier(d.name)) {
      this.error(d, "TSG1020");
      for (const id of boundNames(d.name)) this.markFailed(id);
      return [];
    }
    const name = d.name.text;
    const symbol = this.checker.getSymbolAtLocation(d.name);
    if (!d.initializer || (symbol && this.reassigned.has(symbol))) {
      this.error(d, "TSG1025", [name]);
      this.markFailed(d.name);
      return [];
    }
    const init = skipTransparent(d.initializer);
    const pre: Stmt[] = [];
    // `const qs = ps`: one array with two names.
    const same = this.rowsPath(init);
    if (same) {
      if (symbol) this.rows.set(symbol, same);
      return [];
    }
    // `const tail = ps.slice(1)`: columns of its own.
    const slice = this.sliceRows(init, pre, name, [symbol]);
    const columns = slice === null ? undefined : (slice ?? this.lowerNewRows(init, type, name, symbol, pre));
    if (!columns) {
      this.markFailed(d.name);
      return [];
    }
    if (symbol) this.rows.set(symbol, columns);
    // `const path: Vec2[] = []` (or a literal) pushed to later: its columns grow together.
    if (symbol && ts.isArrayLiteralExpression(init) && this.pushedLater(symbol, d)) {
      const kinds = leavesOf(columns).map((c) => c.type.kind);
      if (kinds.some((k) => k !== "vector")) {
        this.error(d, "TSG1070", ["push", "on an array of objects with boolean or string fields", "build it with .map(...) or Array.from({ length: n }, ...)"]);
        this.markFailed(d.name);
        return [];
      }
      const length = new Var(`${name}_length`, NUMBER, "local", false);
      pre.push({ k: "assign", target: length, value: { k: "num", value: init.elements.length }, declare: "let", node: d });
      const pushes: ts.Node[] = [];
      for (const column of leavesOf(columns)) this.growing.set(column, { array: column, length, pushes, pops: [], decl: d });
    }
    return pre;
  }

  /** Whether the function (after `decl`) calls `push` on the variable `symbol`. */
  private pushedLater(symbol: ts.Symbol, decl: ts.Node): boolean {
    let found = false;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === "push" && n.pos > decl.pos) {
        const target = skipTransparent(n.expression.expression);
        if (ts.isIdentifier(target) && this.checker.getSymbolAtLocation(target) === symbol) found = true;
      }
      n.forEachChild(visit);
    };
    visit(this.ref.decl);
    return found;
  }

  /** A new array of structures built by `init` into fresh columns named `name_...` (statements in `pre`). */
  protected lowerNewRows(init: ts.Expression, type: RowsType, name: string, target: ts.Symbol | undefined, pre: Stmt[]): RowsShape | undefined {
    const columns = freshRows(type, name, "local", true, ts.isArrayLiteralExpression(init) ? "array" : "f64");
    const stmts = this.newRows(init, type, columns, target, pre);
    if (!stmts) return undefined;
    pre.push(...stmts);
    return columns;
  }

  /**
   * `return ps` / `return initial.map(...)` of a function returning an array of structures: its
   * columns one after the other in one vector (`result[c * n + i]` is column c of element i),
   * which entry points turn back into objects.
   */
  protected lowerRowsReturn(expression: ts.Expression, type: RowsType, pre: Stmt[]): Expr | undefined {
    const e = skipTransparent(expression);
    const symbol = ts.isIdentifier(e) ? this.checker.getSymbolAtLocation(e) : undefined;
    if (symbol && this.failed.has(symbol)) return undefined;
    const rows = this.rowsPath(e) ?? this.lowerNewRows(e, type, "result", undefined, pre);
    if (!rows) return undefined;
    const columns = leavesOf(rows);
    const n: Expr = { k: "length", array: ref(columns[0]!) };
    const flat = this.temp("leaves", { kind: "vector", repr: "f64", readonly: false });
    pre.push({ k: "assign", target: flat, value: { k: "alloc", type: flat.type, length: { k: "binary", op: "*", a: { k: "num", value: columns.length }, b: n } }, declare: "const", node: expression });
    const loop = this.countedLoop(this.freshIndexName(), { k: "num", value: 0 }, n, expression, (k, body) => {
      columns.forEach((c, j) => {
        const index: Expr = j === 0 ? k : { k: "binary", op: "+", a: j === 1 ? n : { k: "binary", op: "*", a: { k: "num", value: j }, b: n }, b: k };
        const element: Expr = { k: "index", array: ref(c), index: k };
        // A flag or string column travels as numbers (ir/inactive-results.ts).
        const value = c.type.kind === "inactiveArray" ? encodeLeaf(element, c.type.element) : element;
        body.push({ k: "store", array: ref(flat), index, value, node: expression });
      });
      return true;
    });
    pre.push(loop!.stmt);
    return ref(flat);
  }

  /** The statements that declare `columns` and fill them from `init`, or undefined (reported). */
  private newRows(init: ts.Expression, type: RowsType, columns: RowsShape, target: ts.Symbol | undefined, pre: Stmt[]): Stmt[] | undefined {
    const targetText = truncate(init.getText());
    const declare = (values: Expr[], targets = leavesOf(columns)): Stmt[] => targets.map((c, i) => ({ k: "assign", target: c, value: values[i]!, declare: "const", node: init }));
    // A literal: each element a structure, the columns array literals.
    if (ts.isArrayLiteralExpression(init)) {
      const elements: Expr[][] = [];
      for (const element of init.elements) {
        if (ts.isSpreadElement(element) || ts.isOmittedExpression(element)) return this.unsupported(element, "A spread or hole in an array of objects", "write each element");
        const value = this.lowerStructValue(element, type.element, pre);
        if (!value || !this.checkCopy(element, [target], targetText, value)) return undefined;
        elements.push(leavesOf(value.shape));
      }
      return declare(leavesOf(columns).map((c, leaf) => ({ k: "arrayLit", type: c.type, elements: elements.map((e) => e[leaf]!) })));
    }
    if (!ts.isCallExpression(init)) return this.unsupported(init, `'${targetText}'`, "create an array of objects with .map(...), Array.from({ length: n }, ...), or an array literal");
    const mapped = this.elementCallback(init, pre);
    if (!mapped) return this.unsupported(init, `'${targetText}'`, "create an array of objects with .map(...), Array.from({ length: n }, ...), or an array literal");
    const { source, callback } = mapped;
    const length: Expr = source.kind === "rows" ? { k: "length", array: ref(leavesOf(source.rows)[0]!) } : source.kind === "vector" ? { k: "length", array: source.array } : source.length;
    const targets = leavesOf(columns);
    // A flag or string field copied from the same element is that column itself (it is never written).
    const shared = new Map<Var, Var>();
    const loop = this.elementLoop(callback, source, type.element, length, (value, index, body) => {
      if (!this.checkCopy(callback, [target], targetText, value)) return false;
      const leaves = leavesOf(value.shape);
      for (const [i, leaf] of leaves.entries()) {
        const column = targets[i]!;
        if (column.type.kind !== "inactiveArray") {
          body.push({ k: "store", array: ref(column), index, value: leaf, node: callback });
          continue;
        }
        const from = source.kind === "rows" ? leavesOf(source.rows).find((c) => isElementOf(leaf, c, index)) : undefined;
        if (!from) return !!this.unsupported(callback, `Computing the flag or string field '${column.name}' of a new array of objects`, "copy it from the element mapped over ({ ...p, ... })");
        shared.set(column, from);
      }
      return true;
    }, 0, { symbols: [target], text: targetText });
    if (!loop) return undefined;
    columns.element = mapShape(columns.element, (c) => shared.get(c) ?? c);
    const fresh = targets.filter((c) => !shared.has(c));
    const allocations = declare(fresh.map(() => ({ k: "alloc", type: { kind: "vector", repr: "f64", readonly: false }, length })), fresh);
    return [...allocations, loop];
  }

  /** `xs.map(fn)` or `Array.from({ length: n }, fn)` with an inline function: its source and callback. */
  private elementCallback(call: ts.CallExpression, pre: Stmt[]): { source: ElementSource; callback: ts.ArrowFunction | ts.FunctionExpression } | undefined {
    const callee = skipParens(call.expression);
    if (!ts.isPropertyAccessExpression(callee)) return undefined;
    const fn = call.arguments[call.arguments.length - 1];
    const callback = fn && skipParens(fn);
    if (!callback || !(ts.isArrowFunction(callback) || ts.isFunctionExpression(callback))) return undefined;
    if (callee.name.text === "map" && call.arguments.length === 1) {
      const receiver = skipTransparent(callee.expression);
      const rows = this.rowsPath(receiver);
      if (rows) return { source: { kind: "rows", rows, root: this.checker.getSymbolAtLocation(receiver), text: receiver.getText() }, callback };
      const t = classifyType(this.checker.getTypeAtLocation(receiver), this.checker);
      if (t?.kind === "vector") return { source: { kind: "vector", array: this.lowerNumeric(receiver, pre, false) }, callback };
      return undefined;
    }
    // Array.from({ length: n }, (_, i) => ...)
    const count = lengthObject(call.arguments[0]);
    if (ts.isIdentifier(callee.expression) && callee.expression.text === "Array" && callee.name.text === "from" && call.arguments.length === 2 && count) {
      return { source: { kind: "count", length: this.lowerNumeric(count, pre, false) }, callback };
    }
    return undefined;
  }

  /**
   * A counted loop over the elements, the callback inlined as its body: its first parameter
   * names the source's element, its second the index, and `use` receives the structure it
   * returns (a statement list to add to, with the index). Undefined when reported.
   */
  protected elementLoop(
    callback: ts.ArrowFunction | ts.FunctionExpression,
    source: ElementSource,
    expected: StructType,
    length: Expr,
    use: (value: StructValue, index: Expr, body: Stmt[]) => boolean,
    /** Parameters before the element's (1 for reduce's accumulator, bound by the caller). */
    offset = 0,
    /** What the returned structures become (a new array's elements), for the checks of copies. */
    copyTarget?: CopyTarget,
  ): Stmt | undefined {
    const [elementParam, indexParam, ...rest] = callback.parameters.slice(offset);
    if (rest.length > 0) return this.unsupported(rest[0]!, "A parameter of this callback for the array itself", "name the array");
    if (indexParam && !ts.isIdentifier(indexParam.name)) return this.unsupported(indexParam, "Destructuring the index", "name it");
    const indexName = indexParam && ts.isIdentifier(indexParam.name) ? indexParam.name.text : this.freshIndexName();
    const loop = this.countedLoop(indexName, { k: "num", value: 0 }, length, callback, (index, body) => {
      if (indexParam) {
        const symbol = this.checker.getSymbolAtLocation(indexParam.name);
        // The callback may write its own copy of the index.
        if (symbol && this.reassigned.has(symbol)) {
          const copy = new Var(indexName, NUMBER, "local");
          body.push({ k: "assign", target: copy, value: index, declare: "let", node: indexParam });
          this.vars.set(symbol, copy);
        } else if (symbol && index.k === "var") this.vars.set(symbol, index.v);
      }
      if (elementParam && source.kind !== "count") {
        if (source.kind === "rows") {
          if (!this.bindElement(elementParam.name, { shape: source.rows.element, index, root: source.root, text: `${source.text}[${indexName}]`, rows: source.rows }, body)) return false;
        } else {
          if (!ts.isIdentifier(elementParam.name)) return !!this.unsupported(elementParam, "Destructuring a number", "name it");
          const symbol = this.checker.getSymbolAtLocation(elementParam.name);
          const x = new Var(elementParam.name.text, NUMBER, "local", !(symbol && this.reassigned.has(symbol)));
          if (symbol) this.vars.set(symbol, x);
          body.push({ k: "assign", target: x, value: { k: "index", array: source.array, index }, declare: x.isConst ? "const" : "let", node: elementParam });
        }
      }
      // Returns that end if branches (`if (p.fixed) return p; ...; return { ...p, ... }`): each
      // assigns the element's leaves.
      if (ts.isBlock(callback.body) && !endsInOnlyReturn(callback.body)) {
        const start = body.length;
        const reported = this.ctx.diagnostics.length;
        const shape = this.lowerGuardedBlock(callback.body, expected, "element", body, callback, copyTarget);
        if (!shape) return !!this.unsupported(callback, "A callback whose returns do not each end a branch", "end it with its only return statement, or return from each branch of an if");
        if (this.ctx.diagnostics.length > reported) return false;
        this.scanWrites(callback.body);
        return use({ shape: copiedLeaves(shape, body.slice(start), index) }, index, body);
      }
      const returned = this.callbackBody(callback, body);
      if (!returned) return false;
      this.scanWrites(callback.body);
      const value = this.lowerStructValue(returned, expected, body);
      return !!value && use(value, index, body);
    });
    return loop?.stmt;
  }

  /** Indices of the counted loops that array methods and callbacks become. */
  protected readonly methodIndices = new Set<Var>();

  /** `for (let i = from; i < to; i++) body` with `fill` adding the body (false: reported). */
  protected countedLoop(indexName: string, from: Expr, to: Expr, node: ts.Node, fill: (index: Expr, body: Stmt[], info: { id: number }) => boolean): { stmt: Stmt } | undefined {
    const k = new Var(indexName, NUMBER, "local");
    this.methodIndices.add(k);
    const info = { id: this.nextLoopId++ };
    const body: Stmt[] = [];
    if (!fill(ref(k), body, info)) return undefined;
    return {
      stmt: {
        k: "loop",
        kind: "for",
        loop: info,
        init: [{ k: "assign", target: k, value: from, declare: "let", node }],
        test: { k: "compare", op: "<", a: ref(k), b: to },
        update: [{ k: "assign", target: k, value: { k: "binary", op: "+", a: ref(k), b: { k: "num", value: 1 } }, node }],
        body,
        node,
      },
    };
  }

  /** The callback's statements before its final return, lowered into `body`; the returned expression. */
  protected callbackBody(callback: ts.ArrowFunction | ts.FunctionExpression, body: Stmt[]): ts.Expression | undefined {
    if (!ts.isBlock(callback.body)) return callback.body;
    const statements = callback.body.statements;
    const last = statements[statements.length - 1];
    let returns = 0;
    const visit = (n: ts.Node): void => {
      if (ts.isReturnStatement(n)) returns++;
      if (!ts.isFunctionLike(n)) ts.forEachChild(n, visit);
    };
    ts.forEachChild(callback.body, visit);
    if (returns !== 1 || !last || !ts.isReturnStatement(last) || !last.expression) {
      return this.unsupported(callback, "A callback without one final return", "end it with its only return statement");
    }
    body.push(...this.hoistVars(callback.body), ...this.lowerBlock(statements.slice(0, -1)));
    return last.expression;
  }

  /**
   * Binds a name or destructuring pattern to an element (`p`, `{ pos, vel }`, `[x, y]`): a
   * structure part stays a name of the element, a number is read into a constant.
   */
  protected bindElement(name: ts.BindingName, view: ElementView, body: Stmt[]): boolean {
    const symbol = ts.isIdentifier(name) ? this.checker.getSymbolAtLocation(name) : undefined;
    if (ts.isIdentifier(name) && view.shape.kind !== "leaf") {
      if (symbol && this.reassigned.has(symbol)) return !!this.unsupported(name, `'${name.text}' names an element of an array of objects and is assigned again`, "declare a new const");
      this.bindView(name, view);
      return true;
    }
    if (ts.isIdentifier(name)) {
      const leaf = (view.shape as Extract<Shape, { kind: "leaf" }>).leaf;
      const type = leaf.type.kind === "inactiveArray" ? leaf.type.element : NUMBER;
      if (type.kind === "tag") {
        // A string is read from its column where it is used (the tape holds numbers only).
        if (symbol && this.reassigned.has(symbol)) this.error(name, "TSG1056", [name.text]);
        this.bindView(name, view);
        return true;
      }
      const x = new Var(name.text, type, "local", !(symbol && this.reassigned.has(symbol)));
      if (symbol) this.vars.set(symbol, x);
      body.push({ k: "assign", target: x, value: { k: "index", array: ref(leaf), index: view.index }, declare: x.isConst ? "const" : "let", node: name });
      return true;
    }
    if (view.shape.kind !== "struct") return !!this.unsupported(name, "This destructuring", "name the element");
    const shape = view.shape;
    return name.elements.every((element, position) => {
      if (ts.isOmittedExpression(element)) return true;
      if (element.dotDotDotToken || element.initializer) return !!this.unsupported(element, "A rest element or default value", "name each field");
      const prop = ts.isObjectBindingPattern(name) ? (element.propertyName ?? element.name) : undefined;
      const key = prop ? (ts.isIdentifier(prop) || ts.isStringLiteral(prop) ? prop.text : undefined) : position;
      const i = key === undefined ? -1 : partIndex(shape.type, key);
      if (i < 0) return !!this.unsupported(element, `Destructuring '${truncate(element.getText())}'`, "name a field of the structure");
      return this.bindElement(element.name, { ...view, shape: shape.parts[i]!, text: `${view.text}.${String(key)}` }, body);
    });
  }
}
