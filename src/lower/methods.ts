/**
 * Array methods and callbacks over numeric arrays (`number[]`, `readonly number[]`,
 * `Float64Array`, `Float32Array`): `reduce`, `map`, `forEach`, `some`, `every`, `fill`, `slice`,
 * `Array.from`, `Float64Array.from`, `new Float64Array(xs)` (and Float32Array's) and spreads in
 * `Math.max/min/hypot(...xs)`.
 *
 * Each method becomes a counted loop and its callback's body is inlined into the loop body, in
 * the enclosing function's scope (so a callback reads enclosing variables as they are): no
 * closure exists at run time and the derivative is the derivative of that loop. A callback is an
 * arrow function or function expression written in place, or the name of a function of the
 * program (`xs.map(sigmoid)`), which becomes a call of it (small ones are inlined later).
 *
 * `arrayMethodOf` is the one place that recognises a method call; it says what the receiver is,
 * so that arrays of objects (rows.ts) can take their own methods there.
 */
import ts from "typescript";
import { functionOfSymbol, returnType, skipParens, type FunctionRef } from "../frontend/functions.js";
import { classifyType, isStructType } from "../frontend/types.js";
import { type Expr, type MathFn, type Stmt, type StructType, type Type, BOOLEAN, NUMBER, Var, ref, typedArrayName, typedArrayRepr } from "../ir/nodes.js";
import { MATH, isMathFunction } from "../ir/primitives.js";
import { RowsLowerer } from "./rows.js";
import { type ElementView, type RowsShape, pushOnto } from "./scope.js";
import { freshRows, freshShape, leavesOf, mapShape } from "./shapes.js";
import type { StructValue } from "./structures.js";
import type { LocalFunction } from "./expressions.js";
import { assignmentTargets, boundNames, lengthObject, pathRoot, skipTransparent, truncate } from "./syntax.js";

const num = (value: number): Expr => ({ k: "num", value });

/** Methods that are accepted on numeric arrays, by where they may stand. */
const VALUE_METHODS = new Set(["reduce", "reduceRight", "some", "every", "findIndex"]);
const CREATING_METHODS = new Set(["map", "slice", "concat", "filter"]);
const STATEMENT_METHODS = new Set(["forEach", "fill"]);

/** What each rejected method should be written as. */
const INSTEAD: Record<string, string> = {
  push: "only an array declared empty in this function grows (const ys: number[] = []; ys.push(v)); for others, allocate the final length (new Float64Array(n)) and write elements by index",
  pop: "only an array declared empty in this function (const ys: number[] = []) shrinks, by a pop in a statement that names the array nowhere else (const top = ys.pop()!); for others, keep a count of the used elements in a number variable",
  shift: "arrays have a fixed length in tsgrad: read xs[0] and index from 1",
  unshift: "arrays have a fixed length in tsgrad: allocate the final length and write elements by index",
  splice: "arrays have a fixed length in tsgrad: copy the elements you keep into a new array in a loop",
  sort: "sorting is not differentiable here: write the comparison loop out",
  find: "write a for loop that keeps the element it finds (let found = 0; for (const x of xs) if (x > 0) { found = x; break; })",
  findLast: "write a for loop from the end that keeps the element it finds (let found = 0; for (let i = xs.length - 1; i >= 0; i--) if (xs[i] > 0) { found = xs[i]; break; })",
  findLastIndex: "write a for loop from the end that keeps the index it finds (let k = -1; for (let i = xs.length - 1; i >= 0; i--) if (xs[i] > 0) { k = i; break; })",
  indexOf: "write a for loop that keeps the index it finds (let k = -1; for (let i = 0; i < xs.length; i++) if (xs[i] === v) { k = i; break; })",
  lastIndexOf: "write a for loop from the end that keeps the index it finds (let k = -1; for (let i = xs.length - 1; i >= 0; i--) if (xs[i] === v) { k = i; break; })",
  includes: "write a for loop that sets a boolean (let found = false; for (const x of xs) if (x === v) { found = true; break; })",
  join: "strings are not differentiable: join the numbers outside the differentiated function",
};

/** What a callback's element parameter names: a number, or an element of an array of structures. */
type Element = Expr | { view: ElementView };

/** The array a method loops over: a numeric vector, or an array of structures (its first column gives the length). */
type Receiver = { array: Expr; rows?: { shape: RowsShape; root: ts.Symbol | undefined; text: string } };

/** A callback: written in place, or a function of the program named. */
type Callback =
  | { kind: "inline"; fn: ts.ArrowFunction | ts.FunctionExpression }
  | { kind: "function"; fn: FunctionRef; node: ts.Expression }
  /** A `Math` function of one argument passed by name (`xs.map(Math.abs)`): it ignores the index and array. */
  | { kind: "math"; fn: MathFn; node: ts.Expression };

/** A method call on an array: its name, its receiver and what the receiver is. */
export interface MethodCall {
  name: string;
  call: ts.CallExpression;
  receiver: ts.Expression;
  kind: "vector" | "matrix" | "rows" | "other";
  /** A tuple of numbers (`rgb.map(toLinear)` of `[r, g, b]`): read as a new array of its elements, never written. */
  tuple?: boolean;
}

export abstract class MethodLowerer extends RowsLowerer {
  /** Local helpers `const f = (x: number) => ...`: inlined at each call, in the enclosing scope. */
  private readonly localFunctions = new Map<ts.Symbol, LocalFunction>();

  /** `const f = (x) => ...` inside a function: recorded (nothing to run), or reported. */
  protected declareLocalFunction(d: ts.VariableDeclaration, fn: ts.ArrowFunction | ts.FunctionExpression, kind: "const" | "let" | "var"): boolean {
    const symbol = ts.isIdentifier(d.name) ? this.checker.getSymbolAtLocation(d.name) : undefined;
    if (kind !== "const" || !symbol || fn.asteriskToken || fn.modifiers?.some((mod) => mod.kind === ts.SyntaxKind.AsyncKeyword)) return false;
    // A helper that writes enclosing variables (`const add = (v) => { total += v; }`) is called
    // as a statement only (its body inlined there, in order); where its value is used, or as a
    // callback computing values, it is reported at that use.
    this.localFunctions.set(symbol, fn);
    return true;
  }

  protected localFunction(symbol: ts.Symbol | undefined): LocalFunction | undefined {
    return symbol && this.localFunctions.get(symbol);
  }

  /**
   * `integrate(f, a, b)` inlined with `f` bound to the function passed: an arrow function or
   * function expression written there, a local helper, or a function of the project. Calls of
   * `f` in the helper's body are then inlined like local helpers' (closures over the caller's
   * variables), so each call site gets its own specialised code and no closure runs.
   */
  protected bindFunctionArgument(param: ts.ParameterDeclaration, arg: ts.Expression): boolean {
    const symbol = ts.isIdentifier(param.name) ? this.checker.getSymbolAtLocation(param.name) : undefined;
    const e = skipTransparent(arg);
    let fn: LocalFunction | undefined;
    if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) fn = e;
    else if (ts.isIdentifier(e)) {
      const named = this.checker.getSymbolAtLocation(e);
      const ref = this.localFunction(named) ?? (named && !this.vars.has(named) ? functionOfSymbol(named, this.checker)?.decl : undefined);
      if (ref && (ts.isArrowFunction(ref) || ts.isFunctionExpression(ref) || ts.isFunctionDeclaration(ref))) fn = ref;
    }
    if (!symbol || !fn || fn.asteriskToken || fn.modifiers?.some((mod: ts.ModifierLike) => mod.kind === ts.SyntaxKind.AsyncKeyword)) {
      this.error(arg, "TSG1071", [truncate(arg.getText()), "pass a function written in place ((x) => ...), a local helper or a function of this project"]);
      return false;
    }
    if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && !this.checkNoOuterWrites({ kind: "inline", fn }, `passed to ${truncate(param.parent.name?.getText() ?? "a helper")}`)) return false;
    this.localFunctions.set(symbol, fn);
    return true;
  }

  /** `receiver.name(...)` on an array, or undefined when `c` is no method call of an array. */
  protected arrayMethodOf(c: ts.Expression): MethodCall | undefined {
    if (!ts.isCallExpression(c)) return undefined;
    const callee = skipParens(c.expression);
    if (!ts.isPropertyAccessExpression(callee)) return undefined;
    const receiver = skipTransparent(callee.expression);
    if (this.rowsPath(receiver) || this.rowsTypeOf(receiver)) return { name: callee.name.text, call: c, receiver, kind: "rows" };
    const t = classifyType(this.checker.getTypeAtLocation(receiver), this.checker);
    if (t?.kind === "vector" || t?.kind === "matrix") return { name: callee.name.text, call: c, receiver, kind: t.kind };
    if (this.numberTuple(receiver)) return { name: callee.name.text, call: c, receiver, kind: "vector", tuple: true };
    return undefined;
  }

  protected isNumberTupleMethod(c: ts.CallExpression): boolean {
    return this.arrayMethodOf(c)?.tuple === true;
  }

  /** The leaves of a tuple of numbers a variable path names (`rgb`, `p.color`), if it is one. */
  private numberTuple(e: ts.Expression): Var[] | undefined {
    // (Read as a copy: only a tuple the function never writes into, so that a callback cannot see it change.)
    const root = pathRoot(e);
    const symbol = root && this.checker.getSymbolAtLocation(root);
    if (!symbol || this.fieldWritten.has(symbol)) return undefined;
    const path = this.structPath(e);
    if (path?.kind !== "struct" || path.type.kind !== "tuple") return undefined;
    const leaves = leavesOf(path);
    return path.parts.every((p) => p.kind === "leaf") && leaves.every((v) => v.type.kind === "number") ? leaves : undefined;
  }

  /** The diagnostic for a method where it is not accepted (always undefined). */
  protected rejectMethod(m: MethodCall, where: "value" | "creation" | "statement"): undefined {
    const at = (skipParens(m.call.expression) as ts.PropertyAccessExpression).name;
    // (An array whose declaration was reported is not reported again.)
    const root = pathRoot(m.receiver);
    const symbol = root && this.checker.getSymbolAtLocation(root);
    if (symbol && this.failed.has(symbol)) return undefined;
    if (m.kind === "rows") {
      this.error(at, "TSG1070", [m.name, "on an array of objects", m.name === "map" ? "create the array with const ps = xs.map(...) and read it in a for...of loop" : "write a for...of loop over the array"]);
    } else if (m.kind === "matrix") {
      this.error(at, "TSG1070", [m.name, "on a matrix", m.name === "map" || m.name === "forEach" || VALUE_METHODS.has(m.name) ? "call it where its result is used (const ys = m.map(...), a reduce in an expression, forEach as a statement)" : "loop over its rows (for (const row of m)) and call the method on each row"]);
    } else if (INSTEAD[m.name]) {
      this.error(at, "TSG1070", [m.name, "is not supported", INSTEAD[m.name]!]);
    } else if (VALUE_METHODS.has(m.name) || CREATING_METHODS.has(m.name) || STATEMENT_METHODS.has(m.name)) {
      const fix =
        where === "statement" || STATEMENT_METHODS.has(m.name)
          ? `call .${m.name}(...) as a statement of its own`
          : CREATING_METHODS.has(m.name)
            ? `declare the new array first (const ys = xs.${m.name}(...)) and use ys`
            : `use .${m.name}(...) where a ${m.name === "reduce" ? "number" : "condition"} is needed`;
      this.error(at, "TSG1070", [m.name, "is not supported in this position", fix]);
    } else {
      this.error(at, "TSG1021", [m.name]);
    }
    return undefined;
  }

  /**
   * Where `e`'s value has a type numeric code does not hold (`xs.find(...)`, number | undefined;
   * `xs.join(",")`, a string): an array method rejected everywhere is reported as such (TSG1070),
   * and true; otherwise false, and the caller reports the type.
   */
  protected rejectUnsupportedMethod(e: ts.Expression): boolean {
    const m = this.arrayMethodOf(skipTransparent(e));
    if (!m || !INSTEAD[m.name]) return false;
    this.rejectMethod(m, "value");
    return true;
  }

  // ------------------------------------------------------------------ values

  /** `xs.reduce(...)`, `xs.some(...)`, `xs.every(...)` where a number or a condition is needed. */
  /**
   * `ys.pop()` of an array that grows: its last element, then its counter one less (`const top =
   * ys[ys_length - 1]; ys_length -= 1`). The counter changes before the rest of the statement
   * runs, so the statement must not name the array elsewhere. Undefined (nothing reported) when
   * the array is not one that grows, or the statement names it again.
   */
  protected lowerPop(c: ts.CallExpression, m: MethodCall, pre: Stmt[]): Expr | undefined {
    const growing = this.growingOf(m.receiver);
    if (!growing || c.arguments.length > 0) return undefined;
    const symbol = this.checker.getSymbolAtLocation(skipTransparent(m.receiver));
    let statement: ts.Node = c;
    while (!ts.isStatement(statement)) statement = statement.parent;
    let mentions = 0;
    const count = (n: ts.Node): void => {
      if (ts.isIdentifier(n) && this.checker.getSymbolAtLocation(n) === symbol) mentions++;
      ts.forEachChild(n, count);
    };
    count(statement);
    if (mentions !== 1) return undefined;
    growing.pops.push(c);
    const top = this.temp("popped", NUMBER);
    const last: Expr = { k: "binary", op: "-", a: ref(growing.length), b: num(1) };
    pre.push({ k: "assign", target: top, value: { k: "index", array: ref(growing.array), index: last }, declare: "const", node: c });
    pre.push({ k: "assign", target: growing.length, value: last, node: c });
    return ref(top);
  }

  /** `xs.at(k)`: the element at k, counted from the end when k is negative (`xs.at(-1)` is the last). */
  private lowerAt(c: ts.CallExpression, m: MethodCall, pre: Stmt[]): Expr | undefined {
    const array = this.receiverArray(m, pre);
    if (!array) return undefined;
    if (c.arguments.length !== 1) {
      this.error(c, "TSG1033", [`${truncate(m.receiver.getText())}.at`, 1]);
      return undefined;
    }
    const k = this.lowerNumeric(c.arguments[0]!, pre, true);
    const length: Expr = { k: "length", array };
    // A literal position needs no test: `xs.at(-1)` is `xs[xs.length - 1]`.
    const back = k.k === "neg" && k.a.k === "num" ? k.a.value : k.k === "num" && k.value < 0 ? -k.value : undefined;
    const index: Expr =
      back !== undefined
        ? { k: "binary", op: "-", a: length, b: num(back) }
        : k.k === "num"
          ? k
          : { k: "cond", test: { k: "compare", op: "<", a: k, b: num(0) }, a: { k: "binary", op: "+", a: length, b: k }, b: k };
    return { k: "index", array, index };
  }

  protected lowerMethodValue(c: ts.CallExpression, pre: Stmt[], wanted: "number" | "boolean"): Expr | undefined {
    const m = this.arrayMethodOf(c);
    if (!m) return undefined;
    if (m.name === "at" && m.kind === "vector" && wanted === "number") return this.lowerAt(c, m, pre);
    if (m.name === "pop" && m.kind === "vector" && wanted === "number") {
      const popped = this.lowerPop(c, m, pre);
      if (popped) return popped;
    }
    const reduces = m.name === "reduce" || m.name === "reduceRight";
    const givesNumber = reduces || m.name === "findIndex";
    if (m.kind === "other" || !VALUE_METHODS.has(m.name) || givesNumber !== (wanted === "number")) return this.rejectMethod(m, "value");
    const receiver = this.receiverOf(m, pre);
    const array = receiver?.array;
    const callback = array && this.callbackOf(c, 0, reduces ? 2 : 1);
    if (!receiver || !array || !callback) return undefined;
    if (receiver.rows && reduces && c.arguments.length < 2) {
      this.error(c, "TSG1071", [truncate(c.getText()), "give reduce over an array of objects its initial number: ps.reduce((sum, p) => ..., 0)"]);
      return undefined;
    }
    if (!this.checkNoOuterWrites(callback, `passed to ${m.name}`)) return undefined;
    const length: Expr = { k: "length", array };
    if (reduces) {
      // The accumulator is a local variable of the loop: `let acc = init; for (...) acc = f(acc, x, i)`.
      const name = callback.kind === "inline" && callback.fn.parameters[0] && ts.isIdentifier(callback.fn.parameters[0].name) ? callback.fn.parameters[0].name.text : "acc";
      const acc = new Var(name, NUMBER, "local");
      const initial = c.arguments[1];
      if (c.arguments.length > 2) {
        this.error(c, "TSG1033", [`${m.receiver.getText()}.reduce`, 2]);
        return undefined;
      }
      // reduceRight visits the elements from the last: element `length - 1 - k` at step k.
      const right = m.name === "reduceRight";
      const last: Expr = { k: "binary", op: "-", a: length, b: num(1) };
      pre.push({ k: "assign", target: acc, value: initial ? this.lowerNumeric(initial, pre, true) : { k: "index", array, index: right ? last : num(0) }, declare: "let", node: initial ?? c });
      const loop = this.vectorLoop(callback, receiver, initial ? num(0) : num(1), length, c, (step, forward, body) => {
        const index: Expr = right ? { k: "binary", op: "-", a: last, b: step } : step;
        const element: Element = !right ? forward : "view" in forward ? { view: { ...forward.view, index } } : { k: "index", array, index };
        const value = this.applyCallback(callback, [ref(acc), element, index], body, "number");
        if (!value) return false;
        body.push({ k: "assign", target: acc, value, node: c });
        return true;
      });
      if (!loop) return undefined;
      pre.push(loop);
      return ref(acc);
    }
    // some / every / findIndex: a result and a break at the first element that decides (findIndex's
    // result, the index or -1, is an integer: no derivative).
    const some = m.name === "some";
    const find = m.name === "findIndex";
    const type = find ? NUMBER : BOOLEAN;
    const result = new Var(this.temp(some || find ? "found" : "all", type).name, type, "local");
    pre.push({ k: "assign", target: result, value: find ? num(-1) : { k: "bool", value: !some }, declare: "let", node: c });
    const loop = this.vectorLoop(callback, receiver, num(0), length, c, (index, element, body, info) => {
      const test = this.applyCallback(callback, [element, index], body, "boolean");
      if (!test) return false;
      body.push({
        k: "if",
        test: some || find ? test : { k: "not", a: test },
        then: [
          { k: "assign", target: result, value: find ? index : { k: "bool", value: some }, node: c },
          { k: "break", loop: info, exitId: this.nextExitId++, node: c },
        ],
        else: [],
        node: c,
      });
      return true;
    });
    if (!loop) return undefined;
    pre.push(loop);
    return ref(result);
  }

  /**
   * `xs.reduce((acc, x, i) => ({ ... }), init)` whose accumulator is a structure (`points.reduce((s,
   * p) => ({ x: s.x + p.x, y: s.y + p.y }), { x: 0, y: 0 })`): the accumulator is a structured
   * `let`, each step assigns it the callback's value. null when `c` is no such call.
   */
  protected lowerStructReduce(c: ts.CallExpression, expected: StructType, pre: Stmt[]): StructValue | undefined | null {
    const m = this.arrayMethodOf(c);
    if (!m || m.name !== "reduce") return null;
    const receiver = this.receiverOf(m, pre);
    const fn = c.arguments[0] && skipParens(c.arguments[0]);
    const initial = c.arguments[1];
    if (!receiver) return undefined;
    if (!fn || !(ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) || !initial || c.arguments.length > 2) {
      this.error(c, "TSG1071", [truncate(c.getText()), "reduce into an object takes a function written in place and the initial object: xs.reduce((acc, x) => ({ ... }), { ... })"]);
      return undefined;
    }
    const accParam = fn.parameters[0];
    if (!accParam || !ts.isIdentifier(accParam.name)) {
      this.error(fn, "TSG1071", [truncate(fn.getText()), "name the accumulator parameter"]);
      return undefined;
    }
    const start = this.lowerStructValue(initial, expected, pre);
    if (!start) return undefined;
    const acc = freshShape(expected, accParam.name.text, "local", false);
    for (const [i, leaf] of leavesOf(acc).entries()) pre.push({ k: "assign", target: leaf, value: leavesOf(start.shape)[i]!, declare: "let", node: initial });
    this.bindExisting(accParam.name, acc);
    if (!this.checkNoOuterWrites({ kind: "inline", fn }, "passed to reduce")) return undefined;
    const source = receiver.rows ? { kind: "rows" as const, rows: receiver.rows.shape, root: receiver.rows.root, text: receiver.rows.text } : { kind: "vector" as const, array: receiver.array };
    // The callback's parameters after the accumulator are the element's and the index's.
    const loop = this.elementLoop(fn, source, expected, { k: "length", array: receiver.array }, (value, _index, body) => {
      if (!this.checkCopy(fn, [], accParam.name.getText(), value)) return false;
      body.push(...this.assignLeaves(acc, value.shape, fn));
      return true;
    }, 1);
    if (!loop) return undefined;
    pre.push(loop);
    return { shape: mapShape(acc, (v): Expr => ({ k: "var", v })), fresh: acc };
  }

  /** `Math.max(...xs)`, `Math.min(a, ...xs)`, `Math.hypot(...v)`: the arguments folded in a loop. */
  protected lowerSpreadMath(c: ts.CallExpression, fn: MathFn, pre: Stmt[]): Expr | undefined {
    // A spread tuple is its elements: `Math.hypot(...n)` for `n: [number, number, number]`.
    const tuples = c.arguments.map((a) => (ts.isSpreadElement(a) ? this.structTypeOf(a.expression) : undefined));
    if (tuples.some((t) => t !== undefined)) {
      const args: Expr[] = [];
      for (const [i, a] of c.arguments.entries()) {
        const tuple = tuples[i];
        if (!tuple) {
          if (ts.isSpreadElement(a)) {
            this.error(a, "TSG1071", [truncate(a.getText()), "spread tuples and numeric arrays in separate calls"]);
            return undefined;
          }
          args.push(this.lowerNumeric(a, pre, true));
          continue;
        }
        const value = tuple.kind === "tuple" && tuple.elements.every((e) => !isStructType(e) && e.kind === "number") ? this.lowerStructValue((a as ts.SpreadElement).expression, tuple, pre) : undefined;
        if (!value) {
          this.error(a, "TSG1071", [truncate(a.getText()), "spread a tuple of numbers or a numeric array"]);
          return undefined;
        }
        args.push(...leavesOf(value.shape));
      }
      return { k: "math", fn, args };
    }
    if (fn !== "max" && fn !== "min" && fn !== "hypot") {
      this.error(c, "TSG1071", [`Math.${fn}`, "only Math.max, Math.min and Math.hypot take a spread: pass the arguments one by one"]);
      return undefined;
    }
    // Math.hypot(...v) is the runtime's `hypotOf(v)`: the same value to the last bit (a pairwise
    // fold of Math.hypot would round differently), with its own derivative kernels.
    if (fn === "hypot") {
      const only = c.arguments.length === 1 ? c.arguments[0]! : undefined;
      if (!only || !ts.isSpreadElement(only)) {
        this.error(c, "TSG1071", [truncate(c.getText()), "Math.hypot takes one spread and nothing else (Math.hypot(...v)); for more, write Math.hypot(a, Math.hypot(...v))"]);
        return undefined;
      }
      const array = this.vectorOperand(only.expression, pre);
      if (!array) return undefined;
      const t = this.temp("norm", NUMBER);
      pre.push({ k: "assign", target: t, value: { k: "runtime", fn: "hypotOf", args: [array] }, declare: "const", node: c });
      return ref(t);
    }
    const plain = c.arguments.filter((a) => !ts.isSpreadElement(a)).map((a) => this.lowerNumeric(a, pre, true));
    const start: Expr = plain.length > 1 ? { k: "math", fn, args: plain } : (plain[0] ?? num(fn === "max" ? -Infinity : Infinity));
    const acc = new Var(fn === "max" ? "largest" : "smallest", NUMBER, "local");
    pre.push({ k: "assign", target: acc, value: start, declare: "let", node: c });
    for (const a of c.arguments) {
      if (!ts.isSpreadElement(a)) continue;
      const array = this.vectorOperand(a.expression, pre);
      if (!array) return undefined;
      const loop = this.countedLoop(this.freshIndexName(), num(0), { k: "length", array }, c, (index, body) => {
        body.push({ k: "assign", target: acc, value: { k: "math", fn, args: [ref(acc), { k: "index", array, index }] }, node: c });
        return true;
      });
      if (loop) pre.push(loop.stmt);
    }
    return ref(acc);
  }

  // ------------------------------------------------------------------ new arrays

  /**
   * `const ys = <init>` of a new numeric vector built by a method (`xs.map(f)`, `xs.slice(a, b)`,
   * `Array.from(...)`, `Float64Array.from(xs)`, `new Float64Array(xs)`, and the same for
   * Float32Array): the statements declaring
   * and filling `ys` (a variable named `name`), or undefined when `init` is none of these, or null
   * when it is one that is reported.
   */
  /**
   * `target = <new array as long as source>; target[k] = source[k]` into `pre` (declared when
   * `declare` says so): an element-by-element loop, whose reverse hands each element's adjoint back.
   */
  protected copyInto(target: Var, source: Expr, pre: Stmt[], node: ts.Node, declare: "const" | "let" | undefined): void {
    const length: Expr = { k: "length", array: source };
    pre.push({ k: "assign", target, value: { k: "alloc", type: target.type, length }, ...(declare ? { declare } : {}), node });
    const loop = this.countedLoop(this.freshIndexName(), num(0), length, node, (index, body) => {
      body.push({ k: "store", array: ref(target), index, value: { k: "index", array: source, index }, node });
      return true;
    });
    pre.push(loop!.stmt);
  }

  /**
   * An array built by `init` (a copy, map, slice, spread, Array.from...) into a new constant
   * named `name`, or into `into`, a `let` declared here, when given; its statements go to `pre`.
   * Undefined when `init` is no such expression, null when reported.
   */
  protected buildVector(init: ts.Expression, type: Type, name: string, pre: Stmt[], node: ts.Node, into?: Var): Var | null | undefined {
    const e = skipTransparent(init);
    if (type.kind !== "vector") return undefined;
    const target = into ?? new Var(name, { ...type, readonly: false }, "local", true);
    const declare = into ? "let" : "const";
    const alloc = (length: Expr): Stmt => ({ k: "assign", target, value: { k: "alloc", type: target.type, length }, declare, node });
    // A copy of an array: `new Float64Array(xs)`, `Float64Array.from(xs)`, `Array.from(xs)`, `xs.slice()`, `[...xs]`.
    const copyOf = (source: ts.Expression): Var | null => {
      const array = this.vectorOperand(source, pre);
      if (!array) return null;
      this.copyInto(target, array, pre, node, declare);
      return target;
    };
    if (ts.isNewExpression(e) && ts.isIdentifier(e.expression) && typedArrayRepr(e.expression.text) && e.arguments?.length === 1) {
      const t = classifyType(this.checker.getTypeAtLocation(e.arguments[0]!), this.checker);
      if (t?.kind === "vector") return copyOf(e.arguments[0]!);
      return undefined;
    }
    if (ts.isArrayLiteralExpression(e) && e.elements.some(ts.isSpreadElement)) {
      if (e.elements.length === 1) return copyOf((e.elements[0] as ts.SpreadElement).expression);
      return this.joinInto(
        e.elements.map((el) => (ts.isSpreadElement(el) ? { spread: el.expression } : { one: el })),
        target,
        alloc,
        pre,
        node,
      );
    }
    if (!ts.isCallExpression(e)) return undefined;
    const callee = skipParens(e.expression);
    if (!ts.isPropertyAccessExpression(callee)) return undefined;
    // Array.from / Float64Array.from / Float32Array.from
    if (ts.isIdentifier(callee.expression) && (callee.expression.text === "Array" || typedArrayRepr(callee.expression.text)) && callee.name.text === "from") {
      const first = e.arguments[0] && skipTransparent(e.arguments[0]);
      if (!first) return undefined;
      const count = lengthObject(first);
      if (count) {
        // Array.from({ length: n }, (_, i) => ...)
        if (e.arguments.length !== 2) {
          this.error(e, "TSG1071", [truncate(e.getText()), "give Array.from({ length: n }, (_, i) => ...) a function computing each element"]);
          return null;
        }
        const callback = this.callbackOf(e, 1, 2);
        if (!callback || !this.checkNoOuterWrites(callback, "passed to Array.from")) return null;
        const length = this.lowerNumeric(count, pre, true);
        pre.push(alloc(length));
        const loop = this.countedLoop(this.indexNameOf(callback, 1), num(0), length, e, (index, body) => {
          const value = this.applyCallback(callback, [num(0), index], body, "number", [0]);
          if (!value) return false;
          body.push({ k: "store", array: ref(target), index, value, node: e });
          return true;
        });
        if (!loop) return null;
        pre.push(loop.stmt);
        return target;
      }
      const t = classifyType(this.checker.getTypeAtLocation(first), this.checker);
      if (t?.kind !== "vector") return undefined;
      if (e.arguments.length === 1) return copyOf(first);
      // Array.from(xs, f) is xs.map(f)
      return this.mapInto(e, first, 1, target, alloc, pre);
    }
    const m = this.arrayMethodOf(e);
    if (!m) return undefined;
    // Other methods fall through to the array creations of lower.ts (`new Array(n).fill(0)`).
    if ((m.kind === "rows" || m.kind === "matrix") && m.name === "map") return this.mapInto(e, m.receiver, 0, target, alloc, pre);
    if (m.kind === "vector" && m.name === "filter") {
      if (type.repr === "array") return this.filterInto(e, m, name, type, pre);
      this.error(e, "TSG1070", ["filter", `into a ${typedArrayName(type.repr)} is not supported`, "filter into a number[] (const ys: number[] = xs.filter(...)), which can grow"]);
      return null;
    }
    if (m.kind !== "vector" || !CREATING_METHODS.has(m.name)) return INSTEAD[m.name] || VALUE_METHODS.has(m.name) ? (this.rejectMethod(m, "creation") ?? null) : undefined;
    if (m.name === "map") return this.mapInto(e, m.receiver, 0, target, alloc, pre);
    // a.concat(b, x): the receiver, then each argument (an array's elements, or a number).
    if (m.name === "concat") {
      const parts = [m.receiver, ...e.arguments].map((a) => (classifyType(this.checker.getTypeAtLocation(a), this.checker)?.kind === "vector" ? { spread: a } : { one: a }));
      return this.joinInto(parts, target, alloc, pre, node);
    }
    // slice
    if (e.arguments.length === 0) return copyOf(m.receiver);
    const array = this.receiverArray(m, pre);
    if (!array) return null;
    if (e.arguments.length > 2) {
      this.error(e, "TSG1033", [`${truncate(m.receiver.getText())}.slice`, 2]);
      return null;
    }
    const length: Expr = { k: "length", array };
    const start = this.sliceBound(e.arguments[0]!, length, pre, `${name}_start`, false);
    const end = e.arguments[1] ? this.sliceBound(e.arguments[1], length, pre, `${name}_end`, true) : length;
    // JavaScript's slice: an end before the start gives an empty array.
    pre.push(alloc({ k: "math", fn: "max", args: [num(0), { k: "binary", op: "-", a: end, b: start }] }));
    const loop = this.countedLoop(this.freshIndexName(), start, end, e, (index, body) => {
      body.push({ k: "store", array: ref(target), index: { k: "binary", op: "-", a: index, b: start }, value: { k: "index", array, index }, node: e });
      return true;
    });
    if (!loop) return null;
    pre.push(loop.stmt);
    return target;
  }

  /**
   * `[...a, x, ...b]` or `a.concat(b, x)` into `target`: its length the sum of the parts', each
   * number stored at its offset and each array copied in a loop.
   */
  private joinInto(parts: ({ spread: ts.Expression } | { one: ts.Expression })[], target: Var, alloc: (length: Expr) => Stmt, pre: Stmt[], node: ts.Node): Var | null {
    const lowered: ({ array: Expr } | { value: Expr })[] = [];
    for (const part of parts) {
      // An array literal's elements are parts of their own (`a.concat([x, y])`).
      const literal = "spread" in part ? skipTransparent(part.spread) : undefined;
      if (literal && ts.isArrayLiteralExpression(literal) && !literal.elements.some(ts.isSpreadElement)) {
        for (const el of literal.elements) {
          if (classifyType(this.checker.getTypeAtLocation(el), this.checker)?.kind !== "number") {
            this.error(el, "TSG1024", [truncate(el.getText())]);
            return null;
          }
          lowered.push({ value: this.lowerNumeric(el, pre, true) });
        }
        continue;
      }
      if ("spread" in part) {
        const array = this.vectorOperand(part.spread, pre);
        if (!array) return null;
        lowered.push({ array });
      } else {
        if (classifyType(this.checker.getTypeAtLocation(part.one), this.checker)?.kind !== "number") {
          this.error(part.one, "TSG1024", [truncate(part.one.getText())]);
          return null;
        }
        lowered.push({ value: this.lowerNumeric(part.one, pre, true) });
      }
    }
    const sizeOf = (p: { array: Expr } | { value: Expr }): Expr => ("array" in p ? { k: "length", array: p.array } : num(1));
    const add = (a: Expr, b: Expr): Expr => (a.k === "num" && a.value === 0 ? b : a.k === "num" && b.k === "num" ? num(a.value + b.value) : { k: "binary", op: "+", a, b });
    pre.push(alloc(lowered.map(sizeOf).reduce(add, num(0))));
    let offset: Expr = num(0);
    for (const part of lowered) {
      if ("value" in part) {
        pre.push({ k: "store", array: ref(target), index: offset, value: part.value, node });
      } else {
        const at = offset;
        const loop = this.countedLoop(this.freshIndexName(), num(0), { k: "length", array: part.array }, node, (index, body) => {
          body.push({ k: "store", array: ref(target), index: add(at, index), value: { k: "index", array: part.array, index }, node });
          return true;
        });
        pre.push(loop!.stmt);
      }
      offset = add(offset, sizeOf(part));
    }
    return target;
  }

  /** A bound of `slice`: a non-negative literal as it is, anything else normalised as JavaScript does (negative counts from the end). */
  /**
   * `ps.slice(a, b)` of an array of objects of numbers held in a variable: new columns (named
   * `name_...`) holding the elements from a to b, as JavaScript's slice copies them. Undefined
   * when `e` is no such call.
   */
  protected sliceRows(e: ts.Expression, pre: Stmt[], name: string, names: readonly (ts.Symbol | undefined)[]): RowsShape | undefined | null {
    const call = skipTransparent(e);
    if (!ts.isCallExpression(call)) return undefined;
    const callee = skipParens(call.expression);
    if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== "slice" || call.arguments.length > 2) return undefined;
    const source = this.rowsPath(callee.expression);
    const from = source && leavesOf(source);
    if (!source || !from || from.some((c) => c.type.kind !== "vector")) return undefined;
    // JavaScript's slice shares the objects with its source, and the columns here are copies:
    // the same only while no element of either is written.
    const root = pathRoot(callee.expression);
    const written = [root && this.checker.getSymbolAtLocation(root), ...names].find((s) => s && this.fieldWritten.has(s));
    if (written) {
      const array = truncate(callee.expression.getText());
      this.error(callee.name, "TSG1070", ["slice", `on an array of objects whose elements are written ('${written.getName()}'), and JavaScript's slice shares the objects with '${array}' where tsgrad copies them`, `write the elements through '${array}' itself, by index (for (let i = 1; i < ${array}.length; i++) ${array}[i].x = ...)`]);
      return null;
    }
    const length: Expr = { k: "length", array: ref(from[0]!) };
    const start = call.arguments[0] ? this.sliceBound(call.arguments[0], length, pre, `${name}_start`, false) : num(0);
    const end = call.arguments[1] ? this.sliceBound(call.arguments[1], length, pre, `${name}_end`, true) : length;
    const shape = freshRows(source.type, name, "local", true);
    const columns = leavesOf(shape);
    // JavaScript's slice: an end before the start gives an empty array.
    const count: Expr = { k: "math", fn: "max", args: [num(0), { k: "binary", op: "-", a: end, b: start }] };
    for (const c of columns) pre.push({ k: "assign", target: c, value: { k: "alloc", type: c.type, length: count }, declare: "const", node: call });
    const loop = this.countedLoop(this.freshIndexName(), start, end, call, (index, body) => {
      columns.forEach((c, i) => body.push({ k: "store", array: ref(c), index: { k: "binary", op: "-", a: index, b: start }, value: { k: "index", array: ref(from[i]!), index }, node: call }));
      return true;
    });
    pre.push(loop!.stmt);
    return shape;
  }

  private sliceBound(arg: ts.Expression, length: Expr, pre: Stmt[], name: string, isEnd: boolean): Expr {
    const e = skipTransparent(arg);
    // A literal start needs no clamp: the loop from it to a clamped end runs as JavaScript's slice copies.
    if (ts.isNumericLiteral(e)) return isEnd ? { k: "math", fn: "min", args: [num(Number(e.text)), length] } : num(Number(e.text));
    if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.MinusToken && ts.isNumericLiteral(e.operand)) {
      return { k: "math", fn: "max", args: [num(0), { k: "binary", op: "-", a: length, b: num(Number(e.operand.text)) }] };
    }
    const raw = this.lowerNumeric(arg, pre, true);
    const v = this.temp(name, NUMBER);
    const value: Expr = {
      k: "cond",
      test: { k: "compare", op: "<", a: raw, b: num(0) },
      a: { k: "math", fn: "max", args: [num(0), { k: "binary", op: "+", a: length, b: raw }] },
      b: { k: "math", fn: "min", args: [raw, length] },
    };
    pre.push({ k: "assign", target: v, value, declare: "const", node: arg });
    return ref(v);
  }

  /** `xs.map(f)` (callback argument `at`) into `target`. */
  private mapInto(call: ts.CallExpression, receiverNode: ts.Expression, at: number, target: Var, alloc: (length: Expr) => Stmt, pre: Stmt[]): Var | null {
    const m = this.arrayMethodOf(call);
    const receiver = m && m.kind !== "vector" ? this.receiverOf(m, pre) : ((array) => array && { array })(this.vectorOperand(receiverNode, pre));
    if (!receiver) return null;
    const array = receiver.array;
    const callback = this.onlyCallback(call, at, "map");
    if (!callback) return null;
    pre.push(alloc({ k: "length", array }));
    const loop = this.vectorLoop(callback, receiver, num(0), { k: "length", array }, call, (index, element, body) => {
      const value = this.applyCallback(callback, [element, index], body, "number");
      if (!value) return false;
      body.push({ k: "store", array: ref(target), index, value, node: call });
      return true;
    });
    if (!loop) return null;
    pre.push(loop);
    return target;
  }

  /**
   * `const ys = xs.filter((x, i) => ...)`: an array that grows (lower.ts), each kept element
   * pushed in a loop over `xs`: `if (test) { ys[ys_length] = x; ys_length += 1; }`.
   */
  private filterInto(call: ts.CallExpression, m: MethodCall, name: string, type: Type, pre: Stmt[]): Var | null {
    const receiver = this.receiverOf(m, pre);
    const callback = receiver && this.onlyCallback(call, 0, "filter");
    if (!receiver || !callback) return null;
    const grown = this.growingArray(name, type, pre, call);
    const source = receiver.array;
    const loop = this.vectorLoop(callback, receiver, num(0), { k: "length", array: source }, call, (index, element, body) => {
      const test = this.applyCallback(callback, [element, index], body, "boolean");
      if (!test) return false;
      body.push({ k: "if", test, then: pushOnto(grown, { k: "index", array: source, index }, call), else: [], node: call });
      return true;
    });
    if (!loop) return null;
    pre.push(loop);
    return grown.array;
  }

  /** The function a creating method (`map`, `filter`) takes at `at`, its only argument there. */
  private onlyCallback(call: ts.CallExpression, at: number, method: string): Callback | undefined {
    if (call.arguments.length !== at + 1) {
      this.error(call, "TSG1071", [truncate(call.getText()), "pass only the function (a this-argument is not supported)"]);
      return undefined;
    }
    const callback = this.callbackOf(call, at, 1);
    return callback && this.checkNoOuterWrites(callback, `passed to ${method}`) ? callback : undefined;
  }

  // ------------------------------------------------------------------ statements

  /** `xs.forEach(f);` and `xs.fill(v);` as statements, or undefined when `e` is none (nothing reported). */
  protected lowerMethodStatement(e: ts.Expression, node: ts.Node): Stmt[] | undefined {
    const m = this.arrayMethodOf(e);
    if (!m) return undefined;
    const c = m.call;
    if (m.name === "pop" && m.kind === "vector") {
      const pre: Stmt[] = [];
      if (this.lowerPop(c, m, pre)) return pre;
    }
    if ((m.kind !== "vector" && !((m.kind === "rows" || m.kind === "matrix") && m.name === "forEach")) || !STATEMENT_METHODS.has(m.name)) {
      this.rejectMethod(m, "statement");
      return [];
    }
    const pre: Stmt[] = [];
    const receiver = this.receiverOf(m, pre);
    const array = receiver?.array;
    if (!receiver || !array) return [];
    if (m.name === "fill") {
      if (m.tuple) {
        this.error(c, "TSG1070", ["fill", "on a tuple", "assign its elements (t[0] = v)"]);
        return [];
      }
      if (this.isParameterArray(array)) {
        this.error(c, "TSG1017", [truncate(m.receiver.getText())]);
        return [];
      }
      if (c.arguments.length !== 1) {
        this.error(c, "TSG1071", [truncate(c.getText()), "fill the whole array (xs.fill(v)); for a part, write the loop out"]);
        return [];
      }
      const value = this.lowerNumeric(c.arguments[0]!, pre, true);
      const loop = this.countedLoop(this.freshIndexName(), num(0), { k: "length", array }, c, (index, body) => {
        body.push({ k: "store", array, index, value, node });
        return true;
      });
      return loop ? [...pre, loop.stmt] : [];
    }
    const callback = this.callbackOf(c, 0, 1);
    if (!callback) return [];
    if (c.arguments.length !== 1) {
      this.error(c, "TSG1071", [truncate(c.getText()), "pass only the function (a this-argument is not supported)"]);
      return [];
    }
    const loop = this.vectorLoop(callback, receiver, num(0), { k: "length", array }, c, (index, element, body) => {
      return this.applyCallback(callback, [element, index], body, "none") !== undefined;
    });
    return loop ? [...pre, loop] : [];
  }

  // ------------------------------------------------------------------ callbacks and loops

  /** The array a method is called on: a variable or a row `m[i]` that keeps its value. */
  private receiverArray(m: MethodCall, pre: Stmt[]): Expr | undefined {
    return this.vectorOperand(m.receiver, pre) ?? undefined;
  }

  private vectorOperand(node: ts.Expression, pre: Stmt[]): Expr | null {
    const e = skipTransparent(node);
    // `[r, g, b].map(...)`: the literal becomes a constant array first.
    if (ts.isArrayLiteralExpression(e) && this.numbersOnly(e)) return this.constantArray(e.elements.map((el) => this.lowerNumeric(el, pre, true)), pre, node);
    // A tuple of numbers (`rgb.map(toLinear)`): its elements as a new constant array.
    const tuple = this.numberTuple(e);
    if (tuple) return this.constantArray(tuple.map(ref), pre, node);
    const t = classifyType(this.checker.getTypeAtLocation(e), this.checker);
    // A chain (`xs.map(f).reduce(g, 0)`, `Math.max(...xs.map(Math.abs))`): the inner method's new
    // array becomes a constant first (JavaScript evaluates it before the outer call's arguments).
    if (t?.kind === "vector" && ts.isCallExpression(e)) {
      const built = this.buildVector(e, t, chainName(e), pre, node);
      if (built === null) return null;
      if (built) return ref(built);
    }
    // An array field of a structure (`this.biases`, `layer.w`): the field's variable.
    const field = t?.kind === "vector" && ts.isPropertyAccessExpression(e) ? this.structPath(e) : undefined;
    if (field?.kind === "leaf" && field.leaf.type.kind === "vector") {
      const array: Expr = ref(field.leaf);
      if (this.isStableAlias(array, node)) return array;
    }
    if (t?.kind !== "vector" || !(ts.isIdentifier(e) || ts.isElementAccessExpression(e))) {
      this.error(node, "TSG1071", [truncate(node.getText()), "use a numeric array variable (or a row m[i]) here; declare a new array with const first"]);
      return null;
    }
    const array = this.lowerNumeric(e, pre, false);
    if (!this.isStableAlias(array, node)) {
      this.error(node, "TSG1071", [truncate(node.getText()), "the array expression reads a variable that changes; name the array with const first"]);
      return null;
    }
    return array;
  }

  private isParameterArray(array: Expr): boolean {
    let root = array;
    while (root.k === "index") root = root.array;
    return root.k === "var" && root.v.origin === "param";
  }

  /** The callback argument `at` of `c` (taking at most `arity` values and an index). */
  private callbackOf(c: ts.CallExpression, at: number, arity: number): Callback | undefined {
    const arg = c.arguments[at];
    if (!arg) {
      this.error(c, "TSG1071", [truncate(c.getText()), "pass a function: an arrow function (x) => ... or the name of a function of this project"]);
      return undefined;
    }
    return this.callbackFrom(arg, arity);
  }

  private callbackFrom(arg: ts.Expression, arity: number): Callback | undefined {
    const e = skipTransparent(arg);
    if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) {
      if (e.asteriskToken || e.modifiers?.some((mod) => mod.kind === ts.SyntaxKind.AsyncKeyword)) {
        this.error(e, "TSG1071", ["This callback", "write a plain synchronous function"]);
        return undefined;
      }
      const extra = e.parameters[arity + 1];
      if (extra) {
        this.error(extra, "TSG1071", [truncate(extra.getText()), "a callback's parameter for the array itself is not supported; name the array"]);
        return undefined;
      }
      for (const p of e.parameters) {
        // (A pattern can only destructure an element of an array of objects: numbers have no fields.)
        if (p.dotDotDotToken || p.initializer) {
          this.error(p, "TSG1071", [truncate(p.getText()), "give the callback plain named parameters"]);
          return undefined;
        }
      }
      return { kind: "inline", fn: e };
    }
    if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === "Math" && this.isGlobalMath(e.expression)) {
      const name = e.name.text;
      const primitive = isMathFunction(name) ? MATH[name] : undefined;
      if (primitive?.arity === 1) return { kind: "math", fn: name as MathFn, node: e };
      // JavaScript passes the index (and the array) too: `xs.map(Math.max)` is NaN.
      this.error(e, "TSG1071", [e.getText(), primitive ? "the method would pass it the index and the array too; write an arrow function: (x) => " + `${e.getText()}(x, ...)` : "it is not a Math function tsgrad knows"]);
      return undefined;
    }
    if (ts.isIdentifier(e)) {
      const symbol = this.checker.getSymbolAtLocation(e);
      // A local helper named as a callback is inlined like one written in place.
      const local = this.localFunction(symbol);
      if (local && !ts.isFunctionDeclaration(local)) return this.callbackFrom(local, arity);
      // (A parameter bound to a function of the project is that function.)
      const named = local?.name ? this.checker.getSymbolAtLocation(local.name) : symbol && !this.vars.has(symbol) ? symbol : undefined;
      const fn = named && functionOfSymbol(named, this.checker);
      if (fn) {
        const ret = returnType(fn.decl, this.checker).type;
        const numeric = fn.decl.parameters.every((p) => classifyType(this.checker.getTypeAtLocation(p), this.checker)?.kind === "number");
        if (numeric && ret?.kind === "number" && this.writtenParams(fn.decl).size === 0) return { kind: "function", fn, node: e };
        this.error(e, "TSG1071", [e.text, "a function passed by name must take and return numbers; write an arrow function that calls it"]);
        return undefined;
      }
    }
    this.error(arg, "TSG1071", [truncate(arg.getText()), "pass an arrow function written in place or the name of a function of this project"]);
    return undefined;
  }

  /**
   * A callback that computes a value must not assign variables of the enclosing function (the
   * value would be computed as part of an expression, out of order); `forEach` may.
   */
  protected checkNoOuterWrites(callback: Callback, method: string): boolean {
    if (callback.kind !== "inline") return true;
    const fn = callback.fn;
    for (const target of assignmentTargets(fn.body)) {
      const root = pathRoot(target);
      const symbol = root && this.checker.getSymbolAtLocation(root);
      const decl = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
      if (decl && !(decl.pos >= fn.pos && decl.end <= fn.end)) {
        this.error(target, "TSG1071", [truncate(target.getText()), `the function ${method} writes a variable of the enclosing function (only forEach callbacks may); write the loop out, use forEach, or return the value`]);
        return false;
      }
    }
    return true;
  }

  /** Name of the loop index: the callback's index parameter (position `at`), or a fresh one. */
  private indexNameOf(callback: Callback, at: number): string {
    const p = callback.kind === "inline" ? callback.fn.parameters[at] : undefined;
    return p && ts.isIdentifier(p.name) ? p.name.text : this.freshIndexName();
  }

  /** A loop over the elements of `array` from `from`, `fill` getting the index and the element read. */
  private vectorLoop(
    callback: Callback,
    receiver: Receiver,
    from: Expr,
    length: Expr,
    node: ts.Node,
    fill: (index: Expr, element: Element, body: Stmt[], info: { id: number }) => boolean,
  ): Stmt | undefined {
    // The index is the callback's index parameter when it names one (after the accumulator of reduce).
    const call = node as ts.CallExpression;
    const method = ts.isPropertyAccessExpression(skipParens(call.expression)) ? (skipParens(call.expression) as ts.PropertyAccessExpression).name.text : "";
    const isReduce = method === "reduce" || method === "reduceRight";
    const rows = receiver.rows;
    // (reduceRight's callback index counts down: the loop's own step takes a fresh name.)
    const name = method === "reduceRight" ? this.freshIndexName() : this.indexNameOf(callback, isReduce ? 2 : 1);
    const loop = this.countedLoop(name, from, length, node, (index, body, info) =>
      fill(index, rows ? { view: { shape: rows.shape.element, index, root: rows.root, text: `${rows.text}[${(index as Extract<Expr, { k: "var" }>).v.name}]`, rows: rows.shape } } : { k: "index", array: receiver.array, index }, body, info),
    );
    return loop?.stmt;
  }

  /** The array a method is called on: a numeric vector variable, or an array of structures' variable. */
  private receiverOf(m: MethodCall, pre: Stmt[]): Receiver | undefined {
    // A matrix's elements are its rows (`xs.map((x) => predict(w, x))`): another name for `xs[k]`.
    if (m.kind === "matrix") {
      const e = skipTransparent(m.receiver);
      const array = ts.isIdentifier(e) ? this.lowerNumeric(e, pre, false) : undefined;
      if (!array || array.k !== "var") {
        this.error(m.receiver, "TSG1071", [truncate(m.receiver.getText()), "call the method on a matrix held in a variable; declare it with const first"]);
        return undefined;
      }
      return { array };
    }
    if (m.kind !== "rows") {
      const array = this.receiverArray(m, pre);
      return array && { array };
    }
    // `line.slice(1).map(...)`: the slice first, into columns of its own.
    // (Names of the slice's elements: the callbacks' parameters.)
    const names = m.call.arguments.flatMap((a) => (ts.isArrowFunction(a) || ts.isFunctionExpression(a) ? a.parameters.flatMap((p) => boundNames(p.name)) : [])).map((id) => this.checker.getSymbolAtLocation(id));
    const shape = this.rowsPath(m.receiver) ?? this.sliceRows(m.receiver, pre, "slice", names);
    if (shape === null) return undefined;
    if (!shape) {
      this.error(m.receiver, "TSG1071", [truncate(m.receiver.getText()), "call the method on an array of objects held in a variable; declare it with const first"]);
      return undefined;
    }
    const root = ts.isIdentifier(m.receiver) ? this.checker.getSymbolAtLocation(m.receiver) : undefined;
    return { array: ref(leavesOf(shape)[0]!), rows: { shape, root, text: m.receiver.getText() } };
  }

  /**
   * The callback applied to `args` (IR values for its parameters in order), its statements added
   * to `body`; its result (`wanted`), or an empty-number placeholder for "none". Parameters in
   * `unread` are not bound (`_` of Array.from). Undefined when reported.
   */
  private applyCallback(callback: Callback, elements: Element[], body: Stmt[], wanted: "number" | "boolean" | "none", unread: number[] = []): Expr | undefined {
    const views = elements.map((e) => ("view" in e ? e.view : undefined));
    if (callback.kind === "function" && views.some((v) => v !== undefined)) {
      this.error(callback.node, "TSG1071", [callback.fn.name, "an element of an array of objects is passed to an arrow function written in place: (p) => ..."]);
      return undefined;
    }
    const args = elements.map((e): Expr => ("view" in e ? { k: "num", value: 0 } : e));
    if (callback.kind === "math") {
      if (views.some((v) => v !== undefined)) {
        this.error(callback.node, "TSG1071", [callback.node.getText(), "an element of an array of objects is passed to an arrow function written in place: (p) => ..."]);
        return undefined;
      }
      if (wanted === "boolean") {
        this.error(callback.node, "TSG1071", [callback.node.getText(), "it returns a number where a condition is wanted; write an arrow function with a comparison"]);
        return undefined;
      }
      // `Array.from({ length: n }, Math.sqrt)` passes undefined: JavaScript computes NaN.
      if (unread.includes(0)) {
        this.error(callback.node, "TSG1071", [callback.node.getText(), "Array.from({ length: n }, ...) passes it undefined, not a number; write (_, i) => ..."]);
        return undefined;
      }
      return { k: "math", fn: callback.fn, args: args.slice(0, 1) };
    }
    if (callback.kind === "inline") {
      // An element of an array of structures is a name of that element (or destructured).
      for (const [i, view] of views.entries()) {
        const p = callback.fn.parameters[i];
        if (view && p && !this.bindElement(p.name, view, body)) return undefined;
      }
      unread = [...unread, ...views.flatMap((v, i) => (v ? [i] : []))];
    }
    if (callback.kind === "function") {
      const decl = callback.fn.decl;
      const required = decl.parameters.filter((p) => !p.initializer).length;
      if (required > args.length) {
        this.error(callback.node, "TSG1071", [callback.fn.name, `it takes ${required} parameters and the method passes ${args.length}; write an arrow function that calls it`]);
        return undefined;
      }
      // JavaScript passes every argument; parameters beyond them take their (literal) defaults.
      const passed = args.slice(0, decl.parameters.length);
      const defaults = decl.parameters.slice(passed.length).map((p) => this.lowerNumeric(p.initializer!, body, true));
      const name = this.ctx.resolveCallee(callback.fn);
      if (!this.callees.includes(name)) this.callees.push(name);
      const call: Expr = { k: "call", fn: name, args: [...passed, ...defaults] };
      if (wanted === "boolean") return call;
      const t = this.temp(`${callback.fn.name}_result`, NUMBER);
      body.push({ k: "assign", target: t, value: call, declare: "const", node: callback.node });
      return ref(t);
    }
    const fn = callback.fn;
    fn.parameters.forEach((p, i) => {
      if (unread.includes(i) || i >= args.length) return;
      const id = p.name as ts.Identifier;
      const symbol = this.checker.getSymbolAtLocation(id);
      if (!symbol) return;
      const arg = args[i]!;
      // A row of a matrix (`m[k]`): the parameter is another name for it, as `const row = m[k]` is.
      if (classifyType(this.checker.getTypeAtLocation(p), this.checker)?.kind === "vector" && arg.k === "index") {
        if (this.reassigned.has(symbol)) {
          this.error(p, "TSG1025", [id.text]);
          return;
        }
        this.aliases.set(symbol, arg);
        // (Its index, the method's loop index, is stable inside the callback.)
        if (arg.index.k === "var" && this.methodIndices.has(arg.index.v)) this.loopVariables.set(arg.index.v, fn);
        return;
      }
      const type = NUMBER;
      // A variable the callback never reassigns is the parameter itself; otherwise a copy.
      if (arg.k === "var" && !this.reassigned.has(symbol)) {
        this.vars.set(symbol, arg.v);
        // The loop's index, named by the callback: stable inside it (`cov[i].reduce(...)`).
        if (this.methodIndices.has(arg.v)) this.loopVariables.set(arg.v, fn);
        return;
      }
      const v = new Var(id.text, type, "local", !this.reassigned.has(symbol));
      this.vars.set(symbol, v);
      body.push({ k: "assign", target: v, value: arg, declare: v.isConst ? "const" : "let", node: p });
    });
    if (!ts.isBlock(fn.body)) {
      if (wanted === "none") {
        this.error(fn.body, "TSG1071", [truncate(fn.body.getText()), "give a forEach callback a block body { ... }"]);
        return undefined;
      }
      return wanted === "boolean" ? this.lowerCondition(fn.body, body) : this.lowerNumeric(fn.body, body, true);
    }
    const savedVarInfo = this.varInfo;
    try {
      return this.lowerCallbackBlock(fn, fn.body, body, wanted);
    } finally {
      this.varInfo = savedVarInfo;
    }
  }

  private lowerCallbackBlock(fn: ts.ArrowFunction | ts.FunctionExpression, block: ts.Block, body: Stmt[], wanted: "number" | "boolean" | "none"): Expr | undefined {
    if (wanted === "none") {
      const ret = findReturn(block);
      if (ret) {
        this.error(ret, "TSG1071", ["A return in a forEach callback", "put the rest of the body under an if instead"]);
        return undefined;
      }
      body.push(...this.hoistVars(block), ...this.lowerBlock(block.statements));
      return num(0);
    }
    const statements = block.statements;
    const last = statements[statements.length - 1];
    const ret = findReturn(block);
    // Guards (`if (p.fixed) return 0; ...; return v`): each return assigns the callback's value.
    if (last && ret !== last && ts.isReturnStatement(last)) {
      const shape = this.lowerGuardedBlock(block, wanted === "boolean" ? BOOLEAN : NUMBER, "value", body, fn);
      if (shape?.kind === "leaf") return ref(shape.leaf);
    }
    if (!last || !ts.isReturnStatement(last) || !last.expression || ret !== last) {
      this.error(ret ?? fn, "TSG1071", ["This callback", "end it with its only return statement (use ?: or an if that assigns a local for other cases)"]);
      return undefined;
    }
    body.push(...this.hoistVars(block), ...this.lowerBlock(statements.slice(0, -1)));
    return wanted === "boolean" ? this.lowerCondition(last.expression, body) : this.lowerNumeric(last.expression, body, true);
  }
}

/** The first `return` of a function body, not looking into nested functions. */
function findReturn(body: ts.Node): ts.ReturnStatement | undefined {
  let found: ts.ReturnStatement | undefined;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isReturnStatement(n)) found = n;
    else if (!ts.isFunctionLike(n)) ts.forEachChild(n, visit);
  };
  ts.forEachChild(body, visit);
  return found;
}

/** The name of a chain's intermediate array: after the method making it (`mapped`, `kept`, `part`). */
function chainName(call: ts.CallExpression): string {
  const callee = skipParens(call.expression);
  const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : "";
  return { map: "mapped", filter: "kept", slice: "part", concat: "joined", from: "values" }[method] ?? "values";
}
