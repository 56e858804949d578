/**
 * Lowering of objects and tuples by scalar replacement: a structured variable is its leaves
 * (shapes.ts), a literal is one expression per leaf, `p.pos.x` is the variable `p_pos_x`, and a
 * helper returning a structure is inlined where it is called. Later stages see only numbers,
 * booleans and arrays, so structures cost nothing in generated code.
 *
 * JavaScript shares objects where this copies leaves: `const q = p` makes one object with two
 * names. Lowering keeps that meaning: a `const` bound to a variable path of a variable that is
 * never reassigned shares its leaves (an alias); any other copy from a variable is taken only
 * when no field of either side is ever written, and writes into a parameter's fields (the
 * caller's object) are rejected until out-parameters exist.
 */
import ts from "typescript";
import { type FunctionRef, functionOfSymbol, paramType, receiverType, returnType, skipParens } from "../frontend/functions.js";
import { WriteAnalysis, writesThis } from "../frontend/writes.js";
import { type ValueType, classifyRowsType, classifyType, classifyValueType, isStructType } from "../frontend/types.js";
import type { Expr, LoopInfo, RowsType, Shape, Stmt, StructType, Type, Var } from "../ir/nodes.js";
import { nestedEntry, nestedGradName } from "../frontend/nested.js";
import { BOOLEAN, NUMBER, Var as VarClass, ref } from "../ir/nodes.js";
import { assignedVars, forEachStmt, sameExpr, varsOf, varsOfStmts } from "../ir/walk.js";
import { ExpressionLowerer, takesFunction } from "./expressions.js";
import { type VarInfo } from "./hoist.js";
import { type PartType, conform, freshRows, freshShape, leavesOf, mapShape, partIndex, partNames, partOf, partTypes } from "./shapes.js";
import type { ElementView, RowsShape } from "./scope.js";
import { assignmentTargets, boundNames, isAncestor, pathRoot, skipTransparent, truncate } from "./syntax.js";

/** A structured value: its leaves' expressions, and the variable path it reads, if it is one. */
export interface StructValue {
  shape: Shape<Expr>;
  /** Set when the value is a variable path (`p`, `p.pos`): the leaves it names and its root. */
  source?: { shape: Shape<Var>; root: ts.Symbol | undefined; text: string };
  /** Set when the value is held in new constants nothing else names (an inlined call's result). */
  fresh?: Shape<Var>;
  /**
   * Variables whose objects the value may share, as JavaScript's references do: `{ ...p }` and
   * `{ a: p.a }` share p's nested objects (`nested`), `c ? p : q` is p or q itself (`whole`).
   * Leaves are copied, so such a value is taken only when no shared object is written (TSG1051).
   */
  shares?: { nested: Share[]; whole: Share[] };
  /** Set when the value is an element of an array of structures (or a nested object of one). */
  view?: ElementView;
  /** A nested derivative's result (`f_grad(x)`): its fresh leaves may be destructured too (`const { value, grad } = ...`). */
  nested?: boolean;
}

type Share = { root: ts.Symbol | undefined; text: string };

function mergeShares(into: { nested: Share[]; whole: Share[] }, from: StructValue | undefined, asNested: boolean): void {
  if (!from) return;
  if (from.source) (asNested ? into.nested : into.whole).push({ root: from.source.root, text: from.source.text });
  if (from.shares) {
    into.nested.push(...from.shares.nested);
    (asNested ? into.nested : into.whole).push(...from.shares.whole);
  }
}


export abstract class StructLowerer extends ExpressionLowerer {
  /** Variables with a field written somewhere (`p.x = ...`, `t[0] += ...`). */
  protected readonly fieldWritten = new Set<ts.Symbol>();
  /** Arrays of structures with elements replaced whole somewhere (`ps[i] = { ... }`): those writes. */
  private readonly replacedElements = new Map<ts.Symbol, ts.Expression[]>();
  /** Variables assigned as a whole somewhere (`p = ...`): never stable enough to share leaves. */
  protected readonly reassigned = new Set<ts.Symbol>();
  /** Variables with a field of a nested object written (`s.a.u = ...`), or passed to a writing helper. */
  protected readonly nestedWritten = new Set<ts.Symbol>();
  private readonly writeAnalysis = new WriteAnalysis(this.checker);
  /** Helpers being inlined, innermost last (a helper may not inline itself). */
  private readonly inlining: ts.Node[] = [];
  /**
   * The call in the function being lowered that each inlined helper's statement stands for: the
   * helper's own text lies elsewhere in the file, so order checks (TSG1072) use the call's place.
   */
  protected readonly inlinedAt = new Map<Stmt, ts.CallExpression>();

  protected abstract lowerBlock(statements: readonly ts.Statement[]): Stmt[];
  /** `xs.reduce((acc, x) => ({ ... }), { ... })` with a structure as the accumulator (methods.ts). */
  protected abstract lowerStructReduce(c: ts.CallExpression, expected: StructType, pre: Stmt[]): StructValue | undefined | null;
  protected abstract varInfo: Map<ts.Symbol, VarInfo>;
  protected abstract hoistVars(body: ts.Block): Stmt[];

  /**
   * Records which variables the code writes through (fields) and as a whole, also through calls
   * of helpers that write into their parameters (`add(out, a, b)` writes `out`).
   */
  protected scanWrites(body: ts.Node): void {
    const elementNames = this.elementNames(body);
    for (const target of assignmentTargets(body)) {
      const root = pathRoot(target);
      const symbol = root && this.checker.getSymbolAtLocation(root);
      if (!symbol) continue;
      // A write into an element of an array of structures, directly or through a name of it.
      const element = ts.isIdentifier(target) ? undefined : elementNames.get(symbol);
      const direct = !element && !ts.isIdentifier(target) && this.isRowsPath(target);
      if (ts.isIdentifier(target)) this.reassigned.add(symbol);
      else if (!direct) {
        this.fieldWritten.add(symbol);
        if (pathDepth(target) >= 2) this.nestedWritten.add(symbol);
      }
      if (element) this.elementWritten(element.rows, pathDepth(target) + element.depth);
      else if (direct) this.elementWritten(symbol, pathDepth(target) - 1);
      if (direct && pathDepth(target) === 1) this.replacedElements.set(symbol, [...(this.replacedElements.get(symbol) ?? []), target]);
    }
    for (const { call, written } of this.writeAnalysis.writingCalls(body)) {
      for (const i of written) {
        const root = call.arguments[i] && pathRoot(call.arguments[i]!);
        const symbol = root && this.checker.getSymbolAtLocation(root);
        if (symbol) {
          this.fieldWritten.add(symbol);
          this.nestedWritten.add(symbol);
          const element = elementNames.get(symbol);
          if (element || this.isRowsPath(call.arguments[i]!)) this.elementWritten(element?.rows ?? symbol, 2);
        }
      }
    }
  }

  /**
   * Records a write into the elements of an array of structures, at `depth` inside an element
   * (0: the element replaced, 1: one of its fields, 2 or more: a field of a nested object). For an
   * array, "a field is written" means an element's field, and "a nested field" an element's
   * nested object's field, as the copy checks (checkCopy) read them.
   */
  private elementWritten(rows: ts.Symbol, depth: number): void {
    this.fieldWritten.add(rows);
    if (depth >= 2) this.nestedWritten.add(rows);
  }

  /** Whether a path starts by indexing an array of structures (`ps[i].pos.x`). */
  private isRowsPath(target: ts.Expression): boolean {
    let e = skipTransparent(target);
    let first: ts.Expression | undefined;
    while (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
      first = e;
      e = skipTransparent(e.expression);
    }
    return first !== undefined && ts.isElementAccessExpression(first) && this.rowsTypeOf(e) !== undefined;
  }

  /** The type of an array of structures at `node`, if it has one. */
  protected rowsTypeOf(node: ts.Node): RowsType | undefined {
    return classifyRowsType(this.checker.getTypeAtLocation(node), this.checker)?.type;
  }

  /**
   * Names bound to an element of an array of structures (`const a = ps[j]`, `const v = ps[j].vel`,
   * `for (const p of ps)`), with the array and how deep inside an element they point.
   */
  private elementNames(body: ts.Node): Map<ts.Symbol, { rows: ts.Symbol; depth: number }> {
    const out = new Map<ts.Symbol, { rows: ts.Symbol; depth: number }>();
    const bind = (name: ts.BindingName, init: ts.Expression, viaElement: boolean): void => {
      if (!ts.isIdentifier(name)) return;
      const symbol = this.checker.getSymbolAtLocation(name);
      let e = skipTransparent(init);
      let depth = viaElement ? 0 : -1;
      while (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
        depth++;
        e = skipTransparent(e.expression);
      }
      if (!symbol || !ts.isIdentifier(e)) return;
      const root = this.checker.getSymbolAtLocation(e);
      const known = root && out.get(root);
      if (known) out.set(symbol, { rows: known.rows, depth: known.depth + depth + 1 });
      else if (root && depth >= 0 && this.rowsTypeOf(e)) out.set(symbol, { rows: root, depth });
    };
    const visit = (n: ts.Node): void => {
      if (ts.isVariableDeclaration(n) && n.initializer) bind(n.name, n.initializer, false);
      if (ts.isForOfStatement(n) && ts.isVariableDeclarationList(n.initializer) && n.initializer.declarations[0]) {
        const name = n.initializer.declarations[0].name;
        const iterated = skipTransparent(n.expression);
        // `for (const [i, p] of ps.entries())` names the element second.
        const entries = ts.isCallExpression(iterated) && ts.isPropertyAccessExpression(iterated.expression) && iterated.expression.name.text === "entries";
        const element = entries && ts.isArrayBindingPattern(name) ? name.elements[1] : undefined;
        if (!entries) bind(name, n.expression, true);
        else if (element && ts.isBindingElement(element)) bind(element.name, (iterated.expression as ts.PropertyAccessExpression).expression, true);
      }
      ts.forEachChild(n, visit);
    };
    visit(body);
    return out;
  }

  /** Positions of the parameters a helper writes into, directly or through the helpers it calls. */
  protected writtenParams(decl: FunctionRef["decl"]): Set<number> {
    return this.writeAnalysis.writtenParams(decl);
  }

  /**
   * Binds `name` (an identifier or a destructuring pattern) to fresh leaves of `type`; fields a
   * pattern leaves out still get leaves (the value has them). `base` names the leaves.
   */
  protected bindFresh(name: ts.BindingName, type: ValueType | RowsType, base: string, origin: Var["origin"], isConst: boolean): Shape {
    if (type.kind === "rows") {
      const shape = freshRows(type, ts.isIdentifier(name) ? name.text : base, origin, isConst);
      if (ts.isIdentifier(name)) this.bindName(name, shape);
      else this.error(name, "TSG1020");
      return shape;
    }
    if (ts.isIdentifier(name)) {
      const shape = freshShape(type, name.text, origin, isConst);
      this.bindName(name, shape);
      return shape;
    }
    if (!isStructType(type)) {
      this.error(name, "TSG1020");
      return freshShape(type, base, origin, isConst);
    }
    const names = partNames(type);
    const types = partTypes(type);
    const elements = this.patternElements(name, type, true);
    const parts = names.map((n, i) => {
      const element = elements[i];
      // `{ gravity = 980 }` of an optional field: the name is bound to the value or the default (takeDefaults).
      if (element?.initializer) {
        const part = freshShape(types[i]!, `${base}_${n}`, origin, isConst);
        if (part.kind === "leaf") this.pendingDefaults.push({ element, leaf: part.leaf });
        return part;
      }
      // (A field the pattern leaves out is a temporary: dropped when nothing reads it, withoutUnreadTemps.)
      return element ? this.bindFresh(element.name, types[i]!, `${base}_${n}`, origin, isConst) : freshShape(types[i]!, `${base}_${n}`, "temp", isConst);
    });
    // Optional fields' leaves may hold undefined (freshShape marks them when it builds the whole).
    if (type.kind === "object") {
      type.fields.forEach((f, i) => {
        const part = parts[i]!;
        if (f.optional && part.kind === "leaf") part.leaf.optional = true;
      });
    }
    return { kind: "struct", type, parts };
  }

  /** Destructured optional fields with defaults bound by bindFresh, waiting for takeDefaults. */
  private readonly pendingDefaults: { element: ts.BindingElement; leaf: Var }[] = [];

  /**
   * The statements binding the names of `{ gravity = 980 }` (bound by bindFresh just before):
   * `const gravity = value_gravity !== undefined ? value_gravity : 980`, in `out`.
   */
  protected takeDefaults(out: Stmt[], isConst: boolean): void {
    for (const { element, leaf } of this.pendingDefaults.splice(0)) {
      const id = element.name as ts.Identifier;
      const symbol = this.checker.getSymbolAtLocation(id);
      const v = new VarClass(id.text, leaf.type, "local", isConst && !(symbol && this.reassigned.has(symbol)));
      const given: Expr = { k: "compare", op: "!==", a: { k: "var", v: leaf }, b: { k: "raw", text: "undefined" } };
      // (A flag's or a string's default is a plain value: `{ pinned = false, reduction = "mean" }`.)
      const init = element.initializer!;
      const otherwise = leaf.type.kind === "boolean" ? this.lowerCondition(init, out) : leaf.type.kind === "tag" ? this.lowerTag(init, out) : this.lowerNumeric(init, out, true);
      const value: Expr = { k: "cond", test: given, a: { k: "var", v: leaf }, b: otherwise };
      out.push({ k: "assign", target: v, value, declare: v.isConst ? "const" : "let", node: element });
      if (symbol) this.vars.set(symbol, v);
    }
  }

  /** Binds `name` to existing leaves (`const q = p`, a helper's parameter when inlining). */
  protected bindExisting(name: ts.BindingName, shape: Shape): void {
    if (ts.isIdentifier(name)) {
      this.bindName(name, shape);
      return;
    }
    if (shape.kind !== "struct") {
      this.error(name, "TSG1020");
      return;
    }
    this.patternElements(name, shape.type).forEach((element, i) => {
      if (element) this.bindExisting(element.name, shape.parts[i]!);
    });
  }

  private bindName(id: ts.Identifier, shape: Shape): void {
    const symbol = this.checker.getSymbolAtLocation(id);
    if (symbol) this.bindSymbol(symbol, shape);
  }

  /** Binds a symbol to leaves: a name's, or a class's for `this` in its instance methods. */
  protected bindSymbol(symbol: ts.Symbol, shape: Shape): void {
    if (shape.kind === "leaf") this.vars.set(symbol, shape.leaf);
    else if (shape.kind === "rows") this.rows.set(symbol, shape);
    else this.structs.set(symbol, shape);
  }

  /** Binds a name to an element of an array of structures (reads and writes go to its columns). */
  protected bindView(id: ts.Identifier, view: ElementView): void {
    // In JavaScript the name keeps the old object when its element is replaced whole (`ps[i] =
    // { ... }`) while the name is in scope; a view would read the new one.
    let scope: ts.Node = id;
    while (scope.parent && !ts.isBlock(scope) && !ts.isForOfStatement(scope) && !ts.isFunctionLike(scope) && !ts.isSourceFile(scope)) scope = scope.parent;
    const replaced = view.root && this.replacedElements.get(view.root)?.find((t) => isAncestor(scope, t));
    if (replaced) {
      this.unsupported(id, `'${id.text}', a name of an element of '${view.root!.getName()}' while '${truncate(replaced.getText())}' replaces elements whole,`, "read the element by index where it is needed, or copy it with a spread ({ ...e })");
      this.markFailed(id);
      return;
    }
    const symbol = this.checker.getSymbolAtLocation(id);
    if (symbol) this.elementViews.set(symbol, view);
  }

  // ---------------------------------------------------------- arrays of structures

  /** The columns of an array of structures a variable names (`ps`). */
  protected rowsPath(node: ts.Expression): RowsShape | undefined {
    const e = skipTransparent(node);
    if (ts.isIdentifier(e)) return this.rows.get(this.checker.getSymbolAtLocation(e)!);
    // An array of structures inside a structure (`w.bodies`, `this.joints`), by its path.
    if (ts.isPropertyAccessExpression(e)) {
      const part = this.structPath(e);
      return part?.kind === "rows" ? part : undefined;
    }
    return undefined;
  }

  /** Whether a path (`ps[i].pos.x`, `p.vel`) starts at an array of structures or a name of one element. */
  protected rootIsRows(e: ts.Expression): boolean {
    const root = pathRoot(e);
    const symbol = root && this.checker.getSymbolAtLocation(root);
    if (symbol !== undefined && (this.rows.has(symbol) || this.elementViews.has(symbol))) return true;
    // `w.bodies[i].pos.x`: a path through an array of structures inside a structure.
    for (let x = skipTransparent(e); ts.isPropertyAccessExpression(x) || ts.isElementAccessExpression(x); x = skipTransparent(x.expression)) {
      if (ts.isPropertyAccessExpression(x) && this.rowsPath(x)) return true;
    }
    return false;
  }

  /**
   * The element (or part of one) a path names: `ps[i]`, `ps[i].pos`, `p.vel` for an element name
   * `p`, `pts[i][0]` for an array of tuples. The index is lowered into `pre`.
   */
  protected elementPath(node: ts.Expression, pre: Stmt[]): ElementView | undefined {
    const e = skipTransparent(node);
    if (ts.isIdentifier(e)) return this.elementViews.get(this.checker.getSymbolAtLocation(e)!);
    if (ts.isPropertyAccessExpression(e)) {
      const base = this.elementPath(e.expression, pre);
      const part = base && partOf(base.shape, e.name.text);
      return part && { ...base!, shape: part, text: e.getText() };
    }
    if (!ts.isElementAccessExpression(e)) return undefined;
    const rows = this.rowsPath(e.expression);
    if (rows) {
      const index = this.lowerNumeric(e.argumentExpression, pre, false);
      return { shape: rows.element, index, root: this.checker.getSymbolAtLocation(skipTransparent(e.expression)), text: e.getText(), rows };
    }
    const base = this.elementPath(e.expression, pre);
    if (!base || base.shape.kind !== "struct" || base.shape.type.kind !== "tuple") return undefined;
    const position = this.constantIndex(e);
    if (position === undefined) {
      this.error(e.argumentExpression, "TSG1053", [truncate(e.expression.getText()), truncate(e.argumentExpression.getText())]);
      return undefined;
    }
    const part = partOf(base.shape, position);
    return part && { ...base, shape: part, text: e.getText() };
  }

  /**
   * `a === b` (or `!==`, `==`, `!=`) of two objects. Elements of an array of objects are held as
   * one index into its columns, and two elements of the same array are the same object when
   * their indices are equal (`ps[i] === ps[j]` is `i === j`, for...of names and `const a = ps[i]`
   * too). That holds when the array's elements are distinct objects: an array parameter (the
   * caller's elements, taken as distinct, as the columns take them) whose elements the function
   * never replaces whole. A local array may hold one object twice (`[p, p]`, `map((q) => p)`,
   * whose copies tsgrad makes), a slice shares objects with its source, other objects have no
   * index: those are TSG1058.
   */
  protected lowerIdentityComparison(e: ts.BinaryExpression, op: "===" | "!==", pre: Stmt[]): Expr {
    const fail: Expr = { k: "bool", value: false };
    const reject = (reason: string): Expr => {
      this.error(e, "TSG1058", [truncate(e.getText()), reason]);
      return fail;
    };
    const views: ElementView[] = [];
    for (const side of [e.left, e.right]) {
      const x = skipTransparent(side);
      const root = pathRoot(x);
      const symbol = root && this.checker.getSymbolAtLocation(root);
      // (A name whose declaration was reported is not reported again.)
      if (symbol && this.failed.has(symbol)) return fail;
      const text = truncate(x.getText());
      if (this.rowsTypeOf(x)) return reject(`'${text}' is an array`);
      if (!this.structTypeOf(x)) return reject(`'${text}' is not an object`);
      const reported = this.ctx.diagnostics.length;
      const view = this.rootIsRows(x) ? this.elementPath(x, pre) : undefined;
      if (this.ctx.diagnostics.length > reported) return fail;
      if (!view || !view.rows) return reject(`'${text}' is not an element of an array of objects`);
      const leaves = leavesOf(view.shape);
      const whole = leavesOf(view.rows.element);
      if (leaves.length !== whole.length || leaves.some((c, i) => c !== whole[i])) return reject(`'${text}' is an object inside an element of an array, not an element`);
      views.push({ ...view, text });
    }
    const [a, b] = views as [ElementView, ElementView];
    const columnsA = leavesOf(a.rows!.element);
    const columnsB = leavesOf(b.rows!.element);
    // (Flag and string columns may be shared by a new array with the one it was mapped from: numbers decide.)
    const same = columnsA.length === columnsB.length && columnsA.every((c, i) => c === columnsB[i]) && columnsA.some((c) => c.type.kind === "vector");
    if (!same) return reject(`'${a.text}' and '${b.text}' are elements of different arrays`);
    if (columnsA.some((c) => c.origin !== "param")) return reject(`'${a.text}' and '${b.text}' are elements of a local array, which may hold one object more than once`);
    for (const targets of this.replacedElements.values()) {
      for (const t of targets) {
        const replaced = ts.isElementAccessExpression(t) ? this.rowsPath(t.expression) : undefined;
        const columns = replaced && leavesOf(replaced.element);
        if (columns && columns.some((c) => columnsA.includes(c))) return reject(`'${truncate(t.parent.getText())}' replaces an element of the array whole`);
      }
    }
    return { k: "compare", op, a: a.index, b: b.index };
  }

  /** The binding element of each part of `type` that a pattern names (undefined: not bound). */
  private patternElements(pattern: ts.ObjectBindingPattern | ts.ArrayBindingPattern, type: StructType, defaults = false): (ts.BindingElement | undefined)[] {
    const out: (ts.BindingElement | undefined)[] = partNames(type).map(() => undefined);
    pattern.elements.forEach((element, position) => {
      if (ts.isOmittedExpression(element)) return;
      // A default of an optional number field, named plainly (`{ gravity = 980 }`), is bound by takeDefaults.
      const field = type.kind === "object" && ts.isObjectBindingPattern(pattern) ? type.fields.find((f) => f.name === ((element.propertyName ?? element.name) as ts.Identifier).text) : undefined;
      const optionalDefault = defaults && element.initializer && !element.dotDotDotToken && field?.optional && ts.isIdentifier(element.name);
      if (element.dotDotDotToken || (element.initializer && !optionalDefault)) {
        this.error(element, "TSG1055", [element.dotDotDotToken ? "A rest element in destructuring" : "A default value in destructuring", "name each field"]);
        // (Its names are not reported again where they are read.)
        for (const id of boundNames(element.name)) this.markFailed(id);
        return;
      }
      let key: string | number | undefined = position;
      if (ts.isObjectBindingPattern(pattern)) {
        const prop = element.propertyName ?? element.name;
        key = ts.isIdentifier(prop) || ts.isStringLiteral(prop) ? prop.text : undefined;
      }
      const i = key === undefined ? -1 : partIndex(type, key);
      if (i < 0) this.error(element, "TSG1055", [`Destructuring '${truncate(element.getText())}'`, "name a field of the structure"]);
      else out[i] = element;
    });
    return out;
  }

  /** The leaves a variable path (`p`, `p.pos`, `t[0]`) names, when it starts at a structured variable. */
  protected structPath(node: ts.Expression): Shape | undefined {
    const e = skipTransparent(node);
    // `this` in an instance method: TypeScript gives it the class's symbol, bound to `self`.
    if (ts.isIdentifier(e) || e.kind === ts.SyntaxKind.ThisKeyword) {
      const symbol = this.checker.getSymbolAtLocation(e);
      return this.structOf(symbol);
    }
    if (ts.isPropertyAccessExpression(e)) {
      const base = this.structPath(e.expression);
      return base && partOf(base, e.name.text);
    }
    if (ts.isElementAccessExpression(e)) {
      const base = this.structPath(e.expression);
      if (!base || base.kind !== "struct" || base.type.kind !== "tuple") return undefined;
      const index = this.constantIndex(e);
      return index === undefined ? undefined : partOf(base, index);
    }
    return undefined;
  }

  /** The constant position of a tuple read `t[1]` (other indexes: TSG1053 where the read is lowered). */
  private constantIndex(e: ts.ElementAccessExpression): number | undefined {
    const arg = skipTransparent(e.argumentExpression);
    return ts.isNumericLiteral(arg) ? Number(arg.text) : undefined;
  }

  /** The structure type of an expression, if it has one. */
  protected structTypeOf(node: ts.Node): StructType | undefined {
    const t = classifyValueType(this.checker.getTypeAtLocation(node), this.checker).type;
    return t && isStructType(t) ? t : undefined;
  }

  /**
   * A structured value of type `expected`: a variable path, an object or tuple literal (with
   * spreads of other structures), `c ? a : b`, or a call of a helper returning a structure
   * (inlined). Statements it needs go to `pre`.
   */
  protected lowerStructValue(node: ts.Expression, expected: StructType, pre: Stmt[], nameHint?: string, lift = true): StructValue | undefined {
    let e = skipTransparent(node);
    // `[x, y] as [number, number]`, `{ ... } satisfies Vec2`: the literal is the value.
    while ((ts.isAsExpression(e) || ts.isSatisfiesExpression(e)) && isLiteral(skipTransparent(e.expression))) e = skipTransparent(e.expression);
    if (this.rootIsRows(e)) {
      // An element of an array of structures: its object, as JavaScript's reference is.
      const view = this.elementPath(e, pre);
      const shape = view && conform(view.shape, expected);
      if (!view || !shape) return this.unsupported(e, `'${truncate(e.getText())}'`, "use an element of the array (ps[i]) or one of its objects");
      const index = view.index;
      return { shape: mapShape(shape, (c): Expr => ({ k: "index", array: ref(c), index })), shares: { nested: [], whole: [{ root: view.root, text: view.text }] }, view: { ...view, shape } };
    }
    const path = this.structPath(e);
    if (path) {
      const shape = conform(path, expected);
      if (!shape) return this.unsupported(e, `A value of type '${this.checker.typeToString(this.checker.getTypeAtLocation(e))}'`, "it lacks fields of the expected type");
      const root = pathRoot(e);
      return { shape: mapShape(shape, ref), source: { shape, root: root && this.checker.getSymbolAtLocation(root), text: e.getText() } };
    }
    if (ts.isObjectLiteralExpression(e) && expected.kind === "object") return this.lowerObjectLiteral(e, expected, pre, lift);
    if (ts.isArrayLiteralExpression(e) && expected.kind === "tuple") {
      if (e.elements.length !== expected.elements.length || e.elements.some((x) => ts.isSpreadElement(x) || ts.isOmittedExpression(x))) {
        return this.unsupported(e, "A tuple literal with spreads or holes", "write each element");
      }
      const parts: Shape<Expr>[] = [];
      const shares = { nested: [] as Share[], whole: [] as Share[] };
      for (let i = 0; i < expected.elements.length; i++) {
        const elementType = expected.elements[i]!;
        const element = isStructType(elementType) ? this.lowerStructValue(e.elements[i]!, elementType, pre, undefined, lift) : undefined;
        mergeShares(shares, element, true);
        const part = element ? element.shape : this.lowerPart(e.elements[i]!, elementType, pre, lift);
        if (!part) return undefined;
        parts.push(part);
      }
      return { shape: { kind: "struct", type: expected, parts }, ...withShares(shares) };
    }
    if (ts.isConditionalExpression(e)) {
      // Each branch into the same fresh leaves: only the chosen branch's calls run.
      const test = this.lowerCondition(e.condition, pre);
      const then: Stmt[] = [];
      const otherwise: Stmt[] = [];
      const a = this.lowerStructValue(e.whenTrue, expected, then);
      const b = this.lowerStructValue(e.whenFalse, expected, otherwise);
      if (!a || !b) return undefined;
      const target = freshShape(expected, nameHint ?? "choice", "temp", false);
      const shares = { nested: [] as Share[], whole: [] as Share[] };
      mergeShares(shares, a, false);
      mergeShares(shares, b, false);
      const direct = this.directFlags(target, a.shape, b.shape, [...then, ...otherwise]);
      if (direct.size === 0) {
        for (const leaf of leavesOf(target)) pre.push({ k: "assign", target: leaf, value: zeroOf(leaf), declare: "let", node: e });
        pre.push({ k: "if", test, then: [...then, ...this.assignLeaves(target, a.shape, e.whenTrue)], else: [...otherwise, ...this.assignLeaves(target, b.shape, e.whenFalse)], node: e });
        // The value is one of the branches' objects.
        return { shape: mapShape(target, ref), fresh: target, ...withShares(shares) };
      }
      // Flags and strings (which are never assigned again) are expressions of their own: the
      // branches' common one (`p.fixed` of `p.fixed ? p : { ...p, x }`), or `chosen ? "a" : "b"`.
      const chosen = this.temp("chosen", BOOLEAN);
      pre.push({ k: "assign", target: chosen, value: test, declare: "const", node: e.condition });
      const [aLeaves, bLeaves] = [leavesOf(a.shape), leavesOf(b.shape)];
      const assigned = (values: Expr[], node: ts.Node): Stmt[] => leavesOf(target).flatMap((t, i): Stmt[] => (direct.has(t) ? [] : [{ k: "assign", target: t, value: values[i]!, node }]));
      for (const leaf of leavesOf(target)) if (!direct.has(leaf)) pre.push({ k: "assign", target: leaf, value: zeroOf(leaf), declare: "let", node: e });
      pre.push({ k: "if", test: ref(chosen), then: [...then, ...assigned(aLeaves, e.whenTrue)], else: [...otherwise, ...assigned(bLeaves, e.whenFalse)], node: e });
      const shape = mapShape(target, (leaf): Expr => {
        const d = direct.get(leaf);
        return d === undefined ? ref(leaf) : d === "same" ? aLeaves[leavesOf(target).indexOf(leaf)]! : { k: "cond", test: ref(chosen), a: aLeaves[d]!, b: bLeaves[d]! };
      });
      return { shape, ...withShares(shares) };
    }
    if (ts.isNewExpression(e)) return this.lowerConstruction(e, expected, pre, nameHint);
    // `f_grad(x).grad` (frontend/nested.ts): a part of the call's structure.
    if (ts.isPropertyAccessExpression(e) && !this.structPath(e) && callRoot(e)) {
      const whole = this.structTypeOf(e.expression);
      const value = whole && this.lowerStructValue(e.expression, whole, pre, nameHint, lift);
      const part = value && partOf(value.shape, e.name.text);
      const shape = part && conform(part, expected);
      if (value && shape) return { shape };
      if (value === undefined && whole) return undefined;
    }
    if (ts.isCallExpression(e)) {
      const nested = this.lowerNestedCall(e, expected, pre);
      if (nested === null) return undefined;
      if (nested) return nested;
      const reduced = this.lowerStructReduce(e, expected, pre);
      if (reduced !== null) return reduced;
      const callee = skipParens(e.expression);
      // A local helper or a function passed to a higher-order helper (`f(s)` of `rk4Step(f, s, h)`).
      const local = ts.isIdentifier(callee) ? this.localFunction(this.checker.getSymbolAtLocation(callee)) : undefined;
      const fn = local
        ? { decl: local, name: callee.getText(), sourceFile: e.getSourceFile() }
        : ts.isIdentifier(callee) || ts.isPropertyAccessExpression(callee)
          ? functionOfSymbol(this.checker.getSymbolAtLocation(callee), this.checker)
          : undefined;
      if (fn && (ts.isIdentifier(callee) || ts.isMethodDeclaration(fn.decl))) {
        // `b.sub(a)`: the method's body inlined, `this` bound to the receiver's value.
        const self = fn.receiver && ts.isPropertyAccessExpression(callee) ? this.receiverBinding(fn, callee, pre) : undefined;
        if (fn.receiver && !self) return undefined;
        const result = this.inlineCall(e, fn, pre, nameHint, "struct", self);
        const shape = result && conform(result.shape, expected);
        if (!result || !shape) return undefined;
        if (result.source) return { shape, source: { ...result.source, shape: conform(result.source.shape, expected)! } };
        return { shape, ...(result.fresh ? { fresh: conform(result.fresh, expected)! } : {}) };
      }
    }
    return this.unsupported(e, `'${truncate(e.getText())}'`, "build structures from variables, object or tuple literals, ?: and calls of this project's functions");
  }

  /**
   * `f_grad(a, b)` or `f_jvp(a, b, { a: da })` of a function `f` of a source beside a generated
   * module (frontend/nested.ts), as the leaves of its structure, each from a call: `value` from
   * `f` itself, `grad.a` from the body-less `f_gradient_a(a, b)` whose derivatives compile.ts writes
   * from `f`'s Hessian-vector product, and f_jvp's `value` and `tangent` from the directional
   * derivative `f_directional(a, b, da, db)` (ad/second-order.ts), an ordinary function. The
   * calls are pure: those whose leaves are never read are dropped (withoutUnreadTemps).
   * Undefined when `c` is no such call, null after an error.
   */
  private lowerNestedCall(c: ts.CallExpression, expected: StructType, pre: Stmt[]): StructValue | undefined | null {
    const nested = this.ctx.nested;
    const found = nestedEntry(c, this.checker, nested?.program, nested?.generated);
    if (!found) return undefined;
    if (found.problem || !found.entry || !nested) {
      if (found.problem) this.ctx.diagnostics.push(found.problem);
      return null;
    }
    const { entry } = found;
    const n = entry.params.length;
    const text = truncate(c.expression.getText());
    const wanted = n + (entry.kind === "jvp" ? 1 : 0);
    if (c.arguments.some(ts.isSpreadElement) || c.arguments.length !== wanted) {
      this.error(c, "TSG1093", [text, `it takes ${wanted} arguments (${[...entry.params.map((p) => p.name), ...(entry.kind === "jvp" ? ["tangents"] : [])].join(", ")}), each written out`]);
      return null;
    }
    const name = this.ctx.resolveCallee(entry.ref);
    if (!this.callees.includes(name)) this.callees.push(name);
    // Each argument once, as JavaScript evaluates it: several calls read it.
    const args = c.arguments.slice(0, n).map((a, i): Expr => {
      const e = this.lowerNumeric(a, pre, true);
      if (e.k === "var" || e.k === "num" || entry.params[i]!.type.kind !== "number") return e;
      const t = this.temp(entry.params[i]!.name, NUMBER);
      pre.push({ k: "assign", target: t, value: e, declare: "const", node: a });
      return ref(t);
    });
    // Read directly (`f_grad(x).grad.x`): only that leaf's call; otherwise all of them.
    let read = "";
    for (let at: ts.Node = c; ts.isPropertyAccessExpression(at.parent) && at.parent.expression === at; at = at.parent) read += `${at.parent.name.text}.`;
    const leaves = new Map<string, Var>();
    const leaf = (path: string, base: string, type: Type, value: Expr): void => {
      if (read !== "" && !`${path}.`.startsWith(read) && !read.startsWith(`${path}.`)) return;
      const t = this.temp(base, type);
      pre.push({ k: "assign", target: t, value, declare: "const", node: c });
      leaves.set(path, t);
    };
    if (entry.kind === "grad") {
      leaf("value", `${entry.ref.name}_value`, NUMBER, { k: "call", fn: name, args, pure: true });
      for (const p of entry.params) {
        const gradName = nestedGradName(name, p.name);
        const type: Type = p.type.kind === "vector" ? { ...p.type, readonly: false } : NUMBER;
        leaf(`grad.${p.name}`, `${entry.ref.name}_grad_${p.name}`, type, { k: "call", fn: gradName, args, pure: true });
        if (!this.callees.includes(gradName)) this.callees.push(gradName);
        nested.requests.push({ kind: "grad", fn: name, param: p.name, node: c });
      }
    } else {
      const tangents = this.lowerNestedTangents(c.arguments[n]!, entry.params, args, text, pre);
      if (!tangents) return null;
      const directional = `${name}_directional`;
      if (!this.callees.includes(directional)) this.callees.push(directional);
      nested.requests.push({ kind: "jvp", fn: name, node: c });
      const pair = this.temp(`${entry.ref.name}_jvp`, { kind: "vector", repr: "array", readonly: false });
      pre.push({ k: "assign", target: pair, value: { k: "call", fn: directional, args: [...args, ...tangents], pure: true }, declare: "const", node: c });
      leaf("value", `${entry.ref.name}_value`, NUMBER, { k: "index", array: ref(pair), index: { k: "num", value: 0 } });
      leaf("tangent", `${entry.ref.name}_tangent`, NUMBER, { k: "index", array: ref(pair), index: { k: "num", value: 1 } });
    }
    let missing: string | undefined;
    const build = (type: StructType, prefix: string): Shape<Var> => {
      const names = type.kind === "object" ? type.fields.map((f) => f.name) : type.elements.map((_, i) => String(i));
      const types = type.kind === "object" ? type.fields.map((f) => f.type) : type.elements;
      const parts = names.map((field, i): Shape<Var> => {
        const t = types[i]!;
        const path = prefix + field;
        if (typeof t === "object" && "kind" in t && (t.kind === "object" || t.kind === "tuple")) return build(t, `${path}.`);
        const v = leaves.get(path);
        if (!v) {
          // (A leaf not read is a name nothing assigns or reads.)
          if (read === "" || (`${path}.`.startsWith(read) || read.startsWith(`${path}.`))) missing ??= path;
          return { kind: "leaf", leaf: this.temp("unread", NUMBER) };
        }
        return { kind: "leaf", leaf: v };
      });
      return { kind: "struct", type, parts };
    };
    const shape = build(expected, "");
    if (missing) {
      this.error(c, "TSG1093", [text, `its result's type does not match '${entry.entry}' of '${entry.sourceLabel}' ('${missing}'); compile '${entry.sourceLabel}' again`]);
      return null;
    }
    return { shape: mapShape(shape, ref), ...(read === "" ? { fresh: shape, nested: true } : {}) };
  }

  /** Whether `e` reads a part of a nested derivative's call (`f_grad(x).grad.x`, frontend/nested.ts). */
  protected isNestedRead(e: ts.Expression): boolean {
    const call = callRoot(e);
    return call !== undefined && nestedEntry(call, this.checker, this.ctx.nested?.program, this.ctx.nested?.generated) !== undefined;
  }

  /** The tangents of f_jvp's last argument, an object literal (`{ x: dx }`), in parameter order; a missing one is zero. */
  private lowerNestedTangents(node: ts.Expression, params: readonly { name: string; type: Type }[], args: readonly Expr[], text: string, pre: Stmt[]): Expr[] | undefined {
    const literal = skipTransparent(node);
    if (!ts.isObjectLiteralExpression(literal)) {
      this.error(node, "TSG1093", [text, "its tangents must be an object literal written in the call ({ x: dx, ... }; a missing entry is zero)"]);
      return undefined;
    }
    const given = new Map<string, ts.Expression | ts.ShorthandPropertyAssignment>();
    for (const p of literal.properties) {
      const entry = ts.isPropertyAssignment(p) ? p.initializer : ts.isShorthandPropertyAssignment(p) ? p : undefined;
      const key = entry && (ts.isPropertyAssignment(p) || ts.isShorthandPropertyAssignment(p)) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : undefined;
      if (!entry || key === undefined || !params.some((q) => q.name === key) || given.has(key)) {
        this.error(p, "TSG1093", [text, `each entry of its tangents is written 'name: value' with the name of a parameter (${params.map((q) => q.name).join(", ")})`]);
        return undefined;
      }
      given.set(key, entry);
    }
    return params.map((p, i): Expr => {
      const value = given.get(p.name);
      if (value && ts.isShorthandPropertyAssignment(value)) {
        const shape = this.lowerShorthand(value, p.type as ValueType, pre);
        return shape?.kind === "leaf" ? shape.leaf : { k: "num", value: 0 };
      }
      // (An array literal, `{ x: [1, 0] }`: a new array made where the call is.)
      const literal = value && skipTransparent(value);
      if (literal && ts.isArrayLiteralExpression(literal) && p.type.kind === "vector") return this.newArrayOf(literal, pre) ?? { k: "num", value: 0 };
      if (value) return this.lowerNumeric(value, pre, true);
      if (p.type.kind === "number") return { k: "num", value: 0 };
      const zeros = this.temp(`${p.name}_zero`, { ...p.type, readonly: false } as Type);
      pre.push({ k: "assign", target: zeros, value: { k: "alloc", type: zeros.type, length: { k: "length", array: args[i]! } }, declare: "const", node });
      return ref(zeros);
    });
  }

  /**
   * The flag and string leaves of `c ? a : b` that need no assignment (such values are never
   * assigned again): "same" when both branches give the same expression, else the leaf's position
   * (a ?: of the two). Only where neither branch's statements write what the expressions read;
   * none when the structure holds arrays (assignLeaves reports those).
   */
  private directFlags(target: Shape, a: Shape<Expr>, b: Shape<Expr>, branches: readonly Stmt[]): Map<Var, "same" | number> {
    const out = new Map<Var, "same" | number>();
    const targets = leavesOf(target);
    if (targets.some((t) => t.type.kind === "vector" || t.type.kind === "matrix")) return out;
    const written = assignedVars(branches);
    const [aLeaves, bLeaves] = [leavesOf(a), leavesOf(b)];
    const available = (x: Expr): boolean => [...varsOf(x)].every((v) => !written.has(v));
    targets.forEach((t, i) => {
      const [x, y] = [aLeaves[i]!, bLeaves[i]!];
      if ((t.type.kind !== "tag" && t.type.kind !== "boolean") || !available(x) || !available(y)) return;
      out.set(t, sameExpr(x, y) ? "same" : i);
    });
    return out;
  }

  private lowerObjectLiteral(e: ts.ObjectLiteralExpression, expected: Extract<StructType, { kind: "object" }>, pre: Stmt[], lift: boolean): StructValue | undefined {
    // (Arrays of structures come in as parameters, fields of parameters and locals of their own.)
    const rowsField = expected.fields.find((f) => f.type.kind === "rows");
    if (rowsField) return this.unsupported(e, `An object literal with an array of objects ('${rowsField.name}')`, "pass the object in as a parameter, or keep the array in a variable of its own");
    const parts = new Map<string, Shape<Expr>>();
    const shares = { nested: [] as Share[], whole: [] as Share[] };
    // Fields whose value a spread gave (a later field replaces it): a nested object among them is shared.
    const spreadFields = new Map<string, StructValue>();
    for (const property of e.properties) {
      if (ts.isSpreadAssignment(property)) {
        const type = this.structTypeOf(property.expression);
        const spread = type && this.lowerStructValue(property.expression, type, pre);
        if (!spread || spread.shape.kind !== "struct") return this.unsupported(property, "This spread", "spread an object variable");
        const types = partTypes(type);
        partNames(type).forEach((name, i) => {
          parts.set(name, (spread.shape as Extract<Shape<Expr>, { kind: "struct" }>).parts[i]!);
          const t = types[i]!;
          if (t.kind !== "rows" && isStructType(t)) spreadFields.set(name, spread);
          else spreadFields.delete(name);
        });
        continue;
      }
      if (!ts.isPropertyAssignment(property) && !ts.isShorthandPropertyAssignment(property)) {
        return this.unsupported(property, "A method or accessor in an object literal", "give each field a value");
      }
      const name = ts.isIdentifier(property.name) || ts.isStringLiteral(property.name) ? property.name.text : undefined;
      const found = expected.fields.find((f) => f.name === name);
      if (!found || name === undefined) return this.unsupported(property, `The field '${truncate(property.name.getText())}'`, "write fields of the declared type only");
      // (No array of structures among the fields: checked above.)
      const field = found as { name: string; type: ValueType };
      let part: Shape<Expr> | undefined;
      if (ts.isPropertyAssignment(property) && isStructType(field.type)) {
        const value = this.lowerStructValue(property.initializer, field.type, pre, undefined, lift);
        mergeShares(shares, value, true);
        part = value?.shape;
      } else if (ts.isShorthandPropertyAssignment(property) && isStructType(field.type)) {
        part = this.lowerShorthand(property, field.type, pre);
        const symbol = this.checker.getShorthandAssignmentValueSymbol(property);
        if (part) shares.nested.push({ root: symbol, text: property.name.text });
      } else {
        part = ts.isPropertyAssignment(property) ? this.lowerPart(property.initializer, field.type, pre, lift) : this.lowerShorthand(property, field.type, pre);
      }
      if (!part) return undefined;
      parts.set(name, part);
      spreadFields.delete(name);
    }
    // A spread copies the fields; the nested objects it gave are shared.
    for (const spread of new Set(spreadFields.values())) mergeShares(shares, spread, true);
    const ordered: Shape<Expr>[] = [];
    for (const f of expected.fields) {
      const part = parts.get(f.name);
      const conformed = part && conform(part, f.type);
      if (!conformed) return this.unsupported(e, `This object literal (field '${f.name}')`, "give every field a value");
      ordered.push(conformed);
    }
    return { shape: { kind: "struct", type: expected, parts: ordered }, ...withShares(shares) };
  }

  /** `{ x }`: the variable `x` (its name is the property's, so its symbol is looked up apart). */
  private lowerShorthand(property: ts.ShorthandPropertyAssignment, type: ValueType, pre: Stmt[]): Shape<Expr> | undefined {
    const symbol = this.checker.getShorthandAssignmentValueSymbol(property);
    const struct = this.structOf(symbol);
    if (struct) return conform(mapShape(struct, ref), type);
    const v = symbol && this.vars.get(symbol);
    if (v && !isStructType(type) && (v.type.kind === type.kind || (type.kind !== "boolean" && v.type.kind !== "boolean"))) {
      return { kind: "leaf", leaf: this.effects.has(v) ? this.snapshot(ref(v), `${v.name}_old`, pre, property) : ref(v) };
    }
    const alias = symbol && this.aliases.get(symbol);
    if (alias) return { kind: "leaf", leaf: alias };
    if (symbol && this.failed.has(symbol)) return undefined;
    const constant = this.moduleConstant(symbol);
    if (constant !== undefined) return { kind: "leaf", leaf: { k: "num", value: constant, text: property.name.text } };
    this.reportUnreadable(property.name, property, symbol);
    return undefined;
  }

  /** One field's value: a structure, a number, a boolean, or an array (read-only leaves). */
  protected lowerPart(node: ts.Expression, type: ValueType, pre: Stmt[], lift = true): Shape<Expr> | undefined {
    if (isStructType(type)) return this.lowerStructValue(node, type, pre, undefined, lift)?.shape;
    if (type.kind === "tag") return { kind: "leaf", leaf: this.lowerTag(node, pre) };
    if (type.kind === "boolean") return { kind: "leaf", leaf: this.lowerCondition(node, pre) };
    if (type.kind === "number") return { kind: "leaf", leaf: this.lowerNumeric(node, pre, lift) };
    return { kind: "leaf", leaf: this.lowerNumeric(node, pre, false) };
  }

  protected unsupported(node: ts.Node, what: string, instead: string): undefined {
    this.error(node, "TSG1055", [what, instead]);
    return undefined;
  }

  /** `target leaves = value leaves`, reading every value before writing any (`[a, b] = [b, a]`). */
  protected assignLeaves(target: Shape, value: Shape<Expr>, node: ts.Node, declare?: "const" | "let"): Stmt[] {
    const targets = leavesOf(target);
    let values = leavesOf(value);
    const out: Stmt[] = [];
    // Assigned in order, a value that reads a leaf assigned before it (`[a, b] = [b, a]`) is
    // taken into a temporary first; reading its own or a later leaf sees the old value anyway.
    if (!declare) {
      values = values.map((v, i) => {
        const earlier = new Set(targets.slice(0, i));
        if (![...varsOf(v)].some((x) => earlier.has(x))) return v;
        const t = this.temp(`${targets[i]!.name}_new`, targets[i]!.type);
        out.push({ k: "assign", target: t, value: v, declare: "const", node });
        return ref(t);
      });
    }
    let arrayReported = false;
    targets.forEach((t, i) => {
      if (t.type.kind === "tag" && !declare) {
        this.error(node, "TSG1056", [t.name]);
        return;
      }
      if (t.type.kind === "vector" || t.type.kind === "matrix") {
        // (Once per statement: an array of objects is several columns.)
        if (!arrayReported) this.error(node, "TSG1055", ["An array inside a structure that is copied or built", "keep the array in its own variable"]);
        arrayReported = true;
        return;
      }
      out.push({ k: "assign", target: t, value: values[i]!, declare, node });
    });
    return out;
  }

  /** Whether copying `source` into `targets` keeps JavaScript's meaning (TSG1051 if not). */
  protected checkCopy(node: ts.Node, targetSymbols: (ts.Symbol | undefined)[], targetText: string, value: StructValue): boolean {
    const whole = [...(value.source ? [{ root: value.source.root, text: value.source.text }] : []), ...(value.shares?.whole ?? [])];
    const nested = value.shares?.nested ?? [];
    const targetWritten = targetSymbols.some((s) => s && this.fieldWritten.has(s));
    const targetNestedWritten = targetSymbols.some((s) => s && this.nestedWritten.has(s));
    const shared = whole.find((w) => targetWritten || (w.root !== undefined && this.fieldWritten.has(w.root)));
    if (shared) {
      this.error(node, "TSG1051", [targetText, shared.text]);
      return false;
    }
    const sharedNested = nested.find((n) => targetNestedWritten || (n.root !== undefined && this.nestedWritten.has(n.root)));
    if (!sharedNested) return true;
    this.error(node, "TSG1057", [targetText, sharedNested.text]);
    return false;
  }

  /** `const q = <structure>` / `let q = ...` / destructuring declarations. */
  protected lowerStructDeclaration(d: ts.VariableDeclaration, kind: "const" | "let" | "var", type: StructType): Stmt[] {
    const symbols = boundSymbols(d.name, this.checker);
    const isConst = kind === "const" && !symbols.some((s) => s && this.fieldWritten.has(s));
    if (!d.initializer) {
      if (kind === "const") return [];
      const shape = this.bindFresh(d.name, type, "value", "local", false);
      return leavesOf(shape).map((leaf) => ({ k: "assign", target: leaf, value: zeroOf(leaf), declare: "let", node: d }));
    }
    const pre: Stmt[] = [];
    const value = this.lowerStructValue(d.initializer, type, pre, ts.isIdentifier(d.name) ? d.name.text : undefined);
    if (!value) {
      // Reported: its names are not reported again where they are read.
      for (const id of boundNames(d.name)) this.markFailed(id);
      return [];
    }
    // `const a = ps[j]`: a name of that element, as in JavaScript (a copy only by spread).
    if (value.view && ts.isIdentifier(d.name)) {
      if (symbols.some((s) => s && this.reassigned.has(s))) {
        return this.unsupported(d, `Assigning '${d.name.text}' again when it names an element of an array of objects`, "declare a new const for each element") ?? [];
      }
      this.bindView(d.name, { ...value.view, index: this.stableIndex(value.view.index, d.name.text, pre, d) });
      return pre;
    }
    // `const d = sub(a, b)`: the inlined result's constants (named after d) are d.
    if (value.fresh && isConst && (ts.isIdentifier(d.name) || value.nested)) {
      if (value.shares && !this.checkCopy(d, symbols, d.name.getText(), value)) return [];
      this.bindExisting(d.name, value.fresh);
      return pre;
    }
    const root = value.source?.root;
    // `const q = p` of a variable never reassigned: one object with two names, as in JavaScript.
    if (value.source && kind === "const" && ts.isIdentifier(d.name) && !(root && this.reassigned.has(root))) {
      this.bindExisting(d.name, value.source.shape);
      return pre;
    }
    // Numbers taken out by destructuring are copies in JavaScript too: only bound structures share.
    const sharesObjects = ts.isIdentifier(d.name) || patternBindsStructure(d.name, type);
    if (sharesObjects && !this.checkCopy(d, symbols, d.name.getText(), value)) {
      for (const id of boundNames(d.name)) this.markFailed(id);
      return [];
    }
    const shape = this.bindFresh(d.name, type, "value", "local", isConst);
    const out = [...pre, ...this.assignLeaves(shape, value.shape, d, isConst ? "const" : "let")];
    this.takeDefaults(out, kind === "const");
    return out;
  }

  /** `q = <structure>`, `p.pos = ...`, `[a, b] = [b, a]`. */
  protected lowerStructAssignment(targetNode: ts.Expression, valueNode: ts.Expression, pre: Stmt[], node: ts.Node): Stmt[] {
    const target = skipTransparent(targetNode);
    if (ts.isArrayLiteralExpression(target) || ts.isObjectLiteralExpression(target)) return this.lowerDestructuringAssignment(target, valueNode, pre, node);
    const shape = this.structPath(target);
    const type = this.structTypeOf(target);
    if (!shape || !type) return this.unsupported(target, `Writing to '${truncate(target.getText())}'`, "write to a structured variable or its fields") ?? [];
    const root = pathRoot(target);
    const rootSymbol = root && this.checker.getSymbolAtLocation(root);
    const value = this.lowerStructValue(valueNode, type, pre);
    if (!value || !this.checkCopy(node, [rootSymbol], target.getText(), value)) return [];
    return this.assignLeaves(shape, value.shape, node);
  }

  private lowerDestructuringAssignment(target: ts.ArrayLiteralExpression | ts.ObjectLiteralExpression, valueNode: ts.Expression, pre: Stmt[], node: ts.Node): Stmt[] {
    const type = this.structTypeOf(valueNode);
    const value = type && this.lowerStructValue(valueNode, type, pre);
    if (!type || !value || value.shape.kind !== "struct") return this.unsupported(target, "This destructuring assignment", "assign each variable") ?? [];
    // The targets, each a number variable or a field path, paired with the value's parts.
    const targets: Shape[] = [];
    const values: Shape<Expr>[] = [];
    // Fields of elements of arrays of structures (`[a.x, a.y] = [a.y, x]` for a = ps[1]): stores.
    const stores: { at: number; view: ElementView }[] = [];
    const elements = ts.isArrayLiteralExpression(target) ? target.elements.map((el, i) => [el, i] as const) : target.properties.map((p) => [p, ts.isShorthandPropertyAssignment(p) || ts.isPropertyAssignment(p) ? (p.name as ts.Identifier).text : ""] as const);
    for (const [element, key] of elements) {
      if (ts.isOmittedExpression(element)) continue;
      const expression: ts.Expression | undefined = ts.isShorthandPropertyAssignment(element)
        ? element.name
        : ts.isPropertyAssignment(element)
          ? element.initializer
          : ts.isObjectLiteralElementLike(element) || ts.isSpreadElement(element)
            ? undefined
            : element;
      const part = partOf(value.shape, key);
      const view = expression && this.rootIsRows(expression) ? this.elementPath(expression, pre) : undefined;
      if (view && part && view.shape.kind === "leaf" && view.shape.leaf.type.kind === "vector") {
        stores.push({ at: targets.length, view });
        targets.push({ kind: "leaf", leaf: view.shape.leaf });
        values.push(part);
        continue;
      }
      const leaf = expression && !view && this.writableLeaf(expression);
      if (!expression || !part || !leaf) {
        if (!expression || !part) this.unsupported(element, `'${truncate(element.getText())}' in a destructuring assignment`, "assign variables or fields");
        return [];
      }
      targets.push(leaf);
      values.push(part);
    }
    if (stores.length > 0) {
      // Every value is read before anything is written (a swap), then each target is written.
      const read = values.map((v, i) => (v.kind === "leaf" ? this.snapshot(v.leaf, `${(targets[i] as Extract<Shape, { kind: "leaf" }>).leaf.name}_new`, pre, node) : undefined));
      if (read.some((r) => r === undefined)) return this.unsupported(target, "Assigning a structure to a field of an element by destructuring", "assign number fields") ?? [];
      return targets.map((t, i): Stmt => {
        const store = stores.find((s) => s.at === i);
        if (store) return { k: "store", array: { k: "var", v: (t as Extract<Shape, { kind: "leaf" }>).leaf }, index: store.view.index, value: read[i]!, node };
        return { k: "assign", target: (t as Extract<Shape, { kind: "leaf" }>).leaf, value: read[i]!, node };
      });
    }
    const all: Shape = { kind: "struct", type: { kind: "tuple", readonly: false, elements: [] }, parts: targets };
    return this.assignLeaves(all, { kind: "struct", type: all.type, parts: values }, node);
  }

  /** A target of a destructuring assignment: a number or boolean variable, or a field path. */
  private writableLeaf(node: ts.Expression): Shape | undefined {
    const e = skipTransparent(node);
    const path = this.structPath(e);
    if (path) {
      return path;
    }
    if (ts.isIdentifier(e)) {
      const v = this.varOf(e);
      if (v && (v.type.kind === "number" || v.type.kind === "boolean")) return { kind: "leaf", leaf: v };
    }
    this.unsupported(e, `Assigning to '${truncate(e.getText())}' by destructuring`, "assign number variables or fields");
    return undefined;
  }

  /**
   * A call of a helper inlined: its parameters bound to the arguments, its statements lowered in
   * place, its final `return` the value (`wanted`: a structure, a number or boolean, or nothing
   * for a call statement). Helpers returning structures and helpers that write into their
   * parameters (out-parameters, `add(out, a, b)`, `integrate(p, dt)`) are inlined: the written
   * parameter is the caller's own variable, as in JavaScript. The helper must end with its only
   * return (no early exits to join), or have none.
   */
  /**
   * The receiver of a method returning a structure (`b` of `b.sub(a)`, evaluated first, as in
   * JavaScript), to bind the class's `this` to while its body is inlined. Undefined when reported.
   */
  private receiverBinding(fn: FunctionRef, callee: ts.PropertyAccessExpression, pre: Stmt[]): { symbol: ts.Symbol; shape: Shape } | undefined {
    const cls = fn.receiver!;
    const text = truncate(callee.getText());
    const override = this.ctx.overridden.get(fn.decl);
    if (override) {
      this.error(callee, "TSG1081", [text, override]);
      return undefined;
    }
    if (writesThis(fn.decl, this.checker)) {
      this.error(callee, "TSG1080", [text]);
      return undefined;
    }
    const symbol = cls.name && this.checker.getSymbolAtLocation(cls.name);
    const type = receiverType(cls, this.checker).type;
    if (!symbol || !type) return this.unsupported(callee, `'${text}'`, "call methods of classes whose fields are numbers, arrays of numbers and objects of them");
    const value = this.lowerStructValue(callee.expression, type, pre, "self");
    if (!value) return undefined;
    // The method does not write its object: a variable's own leaves serve, others are read into constants.
    return { symbol, shape: value.source?.shape ?? value.fresh ?? this.materialize(value.shape, type, `${cls.name!.text.toLowerCase()}`, pre, callee.expression) };
  }

  /**
   * `new Vec3(x, y, z)` of a class of the project that extends none: a fresh object of its
   * fields, each starting at its initializer (or 0), the constructor's parameter properties
   * assigned, then the constructor's body inlined with `this` bound to the new object.
   */
  private lowerConstruction(e: ts.NewExpression, expected: StructType, pre: Stmt[], nameHint?: string): StructValue | undefined {
    let symbol = this.checker.getSymbolAtLocation(e.expression);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = this.checker.getAliasedSymbol(symbol);
    const cls = symbol?.valueDeclaration;
    const what = `'${truncate(e.getText())}'`;
    if (!symbol || !cls || !ts.isClassDeclaration(cls) || !cls.name) return this.unsupported(e, what, "create objects of this project's classes, object literals or tuple literals");
    if (cls.heritageClauses?.some((h) => h.token === ts.SyntaxKind.ExtendsKeyword)) return this.unsupported(e, `${what}, of a class that extends another,`, "create it with an object literal of its fields");
    const type = receiverType(cls, this.checker).type;
    const ctor = cls.members.find((m): m is ts.ConstructorDeclaration => ts.isConstructorDeclaration(m) && m.body !== undefined);
    const args = e.arguments ?? [];
    if (!type || type.kind !== "object" || (ctor && countReturns(ctor.body!) > 0) || args.some(ts.isSpreadElement)) {
      return this.unsupported(e, what, "give the class number fields and a constructor without returns, called without spreads");
    }
    if (this.inlining.includes(cls)) return this.fail1054(e as unknown as ts.CallExpression, cls.name.text, "its constructor creates another of its objects");
    // Arguments first (JavaScript evaluates them before the object exists).
    const params = ctor?.parameters ?? [];
    if (args.length > params.length || args.length < params.filter((p) => !p.initializer && !p.questionToken).length) {
      this.error(e, "TSG1033", [cls.name.text, params.length]);
      return undefined;
    }
    const binds: { name: ts.BindingName; shape: Shape }[] = [];
    for (let i = 0; i < params.length; i++) {
      const p = params[i]!;
      const arg = args[i] ?? p.initializer;
      const pType = paramType(p, this.checker).type;
      if (!arg || !pType || pType.kind === "rows") return this.unsupported(p, `The constructor parameter '${truncate(p.name.getText())}'`, "give every parameter a value of numbers or objects of them");
      if (isStructType(pType)) {
        const value = this.lowerStructValue(arg, pType, pre);
        if (!value) return undefined;
        binds.push({ name: p.name, shape: value.source?.shape ?? value.fresh ?? this.materialize(value.shape, pType, p.name.getText(), pre, arg) });
      } else {
        const part = this.lowerPart(arg, pType, pre);
        if (!part) return undefined;
        // (A temporary: a field of the new object nothing reads is dropped with it.)
        const shape = freshShape(pType, p.name.getText(), "temp", true);
        pre.push(...this.assignLeaves(shape, part, arg, "const"));
        binds.push({ name: p.name, shape });
      }
    }
    // The new object. A parameter property the body does not assign again is that parameter's
    // value itself; other fields start at their initializer (or 0), as a `let` where the body assigns them.
    const assigned = new Set(assignmentTargets(ctor?.body ?? cls).flatMap((t) => {
      const path = skipTransparent(t);
      return ts.isPropertyAccessExpression(path) && path.expression.kind === ts.SyntaxKind.ThisKeyword ? [path.name.text] : [];
    }));
    const base = nameHint ?? cls.name.text.charAt(0).toLowerCase() + cls.name.text.slice(1);
    // Fields without a value until the body assigns them: declared where it first does (or at 0).
    const undeclared: Var[] = [];
    if (type.fields.some((f) => f.type.kind === "rows")) return this.unsupported(e, `${what}, of a class with an array of objects as a field,`, "create it with the array passed in as a parameter");
    const parts = (type.fields as { name: string; type: ValueType }[]).map((field): Shape => {
      const property = params.findIndex((p) => ts.isParameterPropertyDeclaration(p, p.parent) && p.name.getText() === field.name);
      if (property >= 0 && !assigned.has(field.name)) return binds[property]!.shape;
      const member = cls.members.find((m) => ts.isPropertyDeclaration(m) && m.name.getText() === field.name) as ts.PropertyDeclaration | undefined;
      const initial = property >= 0 ? mapShape(binds[property]!.shape, ref) : member?.initializer ? this.lowerPart(member.initializer, field.type, pre) : undefined;
      const part = freshShape(field.type, `${base}_${field.name}`, "temp", !assigned.has(field.name));
      const declare = assigned.has(field.name) ? "let" : "const";
      if (initial) pre.push(...this.assignLeaves(part, initial, member?.initializer ?? e, declare));
      else for (const leaf of leavesOf(part)) undeclared.push(leaf);
      return part;
    });
    const object: Shape = { kind: "struct", type, parts };
    const classSymbol = this.checker.getSymbolAtLocation(cls.name);
    const saved = classSymbol && this.structs.get(classSymbol);
    this.inlining.push(cls);
    try {
      binds.forEach((b, i) => {
        const p = params[i]!;
        // A parameter property's name is two symbols: the body reads the parameter's.
        const [parameter] = ts.isParameterPropertyDeclaration(p, p.parent) ? this.checker.getSymbolsOfParameterPropertyDeclaration(p, p.name.text) : [];
        if (parameter) this.bindSymbol(parameter, b.shape);
        else this.bindExisting(b.name, b.shape);
      });
      if (classSymbol) this.structs.set(classSymbol, object);
      const body = ctor ? [...this.hoistVars(ctor.body!), ...this.lowerBlock(ctor.body!.statements)] : [];
      pre.push(...undeclared.filter((leaf) => !declareAtFirstAssignment(leaf, body)).map((leaf): Stmt => ({ k: "assign", target: leaf, value: zeroOf(leaf), declare: "let", node: e })), ...body);
    } finally {
      this.inlining.pop();
      if (classSymbol) {
        if (saved) this.structs.set(classSymbol, saved);
        else this.structs.delete(classSymbol);
      }
    }
    const shape = conform(object, expected);
    if (!shape) return this.unsupported(e, what, "it lacks fields of the expected type");
    return { shape: mapShape(shape, ref), fresh: shape };
  }

  protected inlineCall(c: ts.CallExpression, fn: FunctionRef, pre: Stmt[], nameHint?: string, wanted: "struct" | "value" | "none" = "struct", self?: { symbol: ts.Symbol; shape: Shape }): StructValue | undefined {
    const name = fn.name;
    const decl = fn.decl;
    if (this.inlining.includes(decl) || decl === this.ref.decl) return this.fail1054(c, name, "it calls itself", decl);
    const body = decl.body;
    if (!body) return undefined;
    const statements = ts.isBlock(body) ? body.statements : undefined;
    const last = statements?.[statements.length - 1];
    const returns = statements ? countReturns(body) : 1;
    const finalReturn = statements ? (last && ts.isReturnStatement(last) ? last.expression : undefined) : (body as ts.Expression);
    const endsInReturn = !statements || (last !== undefined && ts.isReturnStatement(last));
    // Returns before the end: the body runs in a one-trip loop that each return leaves (lower.ts).
    const earlyReturns = statements !== undefined && (returns > 1 || (returns === 1 && !endsInReturn));
    if (!earlyReturns && wanted !== "none" && !finalReturn) return this.fail1054(c, name, "it must return a value", decl);
    const required = decl.parameters.filter((p) => !p.initializer && !paramType(p, this.checker).optional).length;
    if (c.arguments.length < required || c.arguments.length > decl.parameters.length || c.arguments.some(ts.isSpreadElement)) {
      this.error(c, "TSG1033", [name, decl.parameters.length]);
      return undefined;
    }
    // Missing trailing arguments take the parameters' (literal) defaults; an optional number left
    // out is absent (undefined).
    // (`undefined` passed for a parameter with a default gives the default, as in JavaScript.)
    const passed = c.arguments.map((a, i) => (decl.parameters[i]?.initializer && this.isUndefined(a) ? decl.parameters[i]!.initializer! : a));
    const args: (ts.Expression | undefined)[] = [...passed, ...decl.parameters.slice(c.arguments.length).map((p) => p.initializer)];
    const resultType = returnType(decl, this.checker).type;
    const written = this.writtenParams(decl);
    // Parameters: structures share the argument's leaves (written ones must be the caller's own
    // variables), numbers and booleans get a variable of their own, arrays are aliases.
    const before = this.ctx.diagnostics.length;
    const firstStatement = pre.length;
    const calleeWrites = new ReassignedNames(this.checker, decl);
    const callerRoots = new Map<ts.Symbol, StructValue["source"]>();
    // Every argument is evaluated before any parameter is bound: an argument may inline the same
    // helper (`h(a, h(b, c))`), whose parameters are the same symbols.
    const binds: (() => void)[] = [];
    for (let i = 0; i < decl.parameters.length; i++) {
      const p = decl.parameters[i]!;
      const given = args[i];
      if (given === undefined || (paramType(p, this.checker).optional && this.isUndefined(given))) {
        // An optional number left out, or passed `undefined`: the helper's variable holds undefined.
        const v = new VarClass((p.name as ts.Identifier).text, NUMBER, "local", !calleeWrites.reassigns(p.name as ts.Identifier));
        v.optional = true;
        binds.push(() => this.bindName(p.name as ts.Identifier, { kind: "leaf", leaf: v }));
        pre.push({ k: "assign", target: v, value: { k: "raw", text: "undefined" }, declare: v.isConst ? "const" : "let", node: c });
        continue;
      }
      const arg = given;
      // A function (`f` of `integrate(f, a, b)`): calls of it in the body inline the function passed.
      if (this.checker.getTypeAtLocation(p).getCallSignatures().length > 0) {
        if (!this.bindFunctionArgument(p, arg)) return undefined;
        continue;
      }
      const { type, problem } = paramType(p, this.checker);
      if (!type || problem) {
        if (problem) this.error(p, problem[0], problem[1]);
        return undefined;
      }
      if (type.kind === "rows") {
        // The helper's name for the caller's array of structures.
        const rows = this.rowsPath(arg);
        if (!rows) return this.unsupported(arg, `'${truncate(arg.getText())}' as an array of objects`, "pass the array's variable");
        binds.push(() => this.bindExisting(p.name, rows));
        continue;
      }
      if (isStructType(type)) {
        const value = this.lowerStructValue(arg, type, pre);
        if (!value) return undefined;
        const view = value.view;
        if (view && ts.isIdentifier(p.name)) {
          // An element of an array of structures: the helper reads and writes it in place.
          const id = p.name;
          binds.push(() => this.bindView(id, view));
          continue;
        }
        // The helper writes into an object that shares nested objects with a variable: refused.
        const shared = written.has(i) ? [...(value.shares?.whole ?? []), ...(value.shares?.nested ?? [])][0] : undefined;
        if (shared) {
          this.error(arg, "TSG1051", [truncate(arg.getText()), shared.text]);
          return undefined;
        }
        // Names a destructured parameter binds are the helper's own variables: reassigned, they are copies.
        const rebinds = !ts.isIdentifier(p.name) && boundNames(p.name).some((id) => calleeWrites.reassigns(id));
        const shape = (!rebinds && value.source?.shape) || this.materialize(value.shape, type, ts.isIdentifier(p.name) ? p.name.text : `${name}_arg${i + 1}`, pre, arg, !written.has(i) && !rebinds);
        binds.push(() => this.bindExisting(p.name, shape));
        const symbol = ts.isIdentifier(p.name) ? this.checker.getSymbolAtLocation(p.name) : undefined;
        if (symbol && value.source) callerRoots.set(symbol, value.source);
      } else if (type.kind === "vector" || type.kind === "matrix") {
        const symbol = this.checker.getSymbolAtLocation(p.name);
        const array = this.lowerNumeric(arg, pre, false);
        if (symbol) binds.push(() => this.aliases.set(symbol, array));
      } else {
        const value = type.kind === "boolean" ? this.lowerCondition(arg, pre) : type.kind === "tag" ? this.lowerTag(arg, pre) : this.lowerNumeric(arg, pre, true);
        const id = p.name as ts.Identifier;
        // A variable passed to a parameter the helper never reassigns is that parameter: no copy.
        // (Unless the helper writes into its arguments: `integrate(b, b.vel.x)` passes the old value.)
        if (value.k === "var" && value.v.type.kind === type.kind && !calleeWrites.reassigns(id) && (value.v.isConst || written.size === 0)) {
          const same = value.v;
          binds.push(() => this.bindName(id, { kind: "leaf", leaf: same }));
          continue;
        }
        const v = new VarClass(id.text, type, "local", !calleeWrites.reassigns(id));
        binds.push(() => this.bindName(id, { kind: "leaf", leaf: v }));
        pre.push({ k: "assign", target: v, value, declare: v.isConst ? "const" : "let", node: arg });
      }
    }
    if (this.ctx.diagnostics.length > before) return undefined;
    for (const bind of binds) bind();
    // A method's `this` (bound after the arguments, which may read the caller's own `this`).
    const savedSelf = self && this.structs.get(self.symbol);
    if (self) this.structs.set(self.symbol, self.shape);
    // The helper's statements, in the helper's scope.
    const savedRef = this.ref;
    const savedVarInfo = this.varInfo;
    this.inlining.push(decl);
    this.ref = fn;
    try {
      this.scanWrites(body);
      if (statements && earlyReturns) return this.inlineWithReturns(c, body as ts.Block, wanted === "none" ? undefined : resultType, nameHint ?? `${name}_result`, pre);
      if (statements) {
        pre.push(...this.hoistVars(body as ts.Block));
        pre.push(...this.lowerBlock(endsInReturn ? statements.slice(0, -1) : statements));
      }
      if (wanted === "none" || !finalReturn) return undefined;
      const returned = skipTransparent(finalReturn);
      // `(p) => [f(p), g(p)]`, `return g.map(...)`: a new array.
      if (resultType?.kind === "vector" && ts.isArrayLiteralExpression(returned)) {
        const array = this.newArrayOf(returned, pre);
        return array && { shape: { kind: "leaf", leaf: array } };
      }
      if (resultType?.kind === "vector") {
        const built = this.buildVector(returned, resultType, nameHint ?? `${name}_result`, pre, returned);
        if (built === null) return undefined;
        if (built) return { shape: { kind: "leaf", leaf: ref(built) } };
      }
      if (!resultType || !isStructType(resultType)) {
        const leaf = resultType?.kind === "boolean" ? this.lowerCondition(returned, pre) : resultType?.kind === "tag" ? this.lowerTag(returned, pre) : this.lowerNumeric(returned, pre, true);
        return { shape: { kind: "leaf", leaf } };
      }
      const value = this.lowerStructValue(returned, resultType, pre);
      if (!value) return undefined;
      // `return p` of an element of an array of structures: that element comes back.
      if (value.view) return value;
      // `return out`: the caller's own variable comes back (one object, as in JavaScript).
      const root = value.source?.root;
      const caller = root && callerRoots.get(root);
      if (caller) {
        return { shape: mapShape(value.source!.shape, ref), source: { ...caller, shape: value.source!.shape } };
      }
      if (value.source && leavesOf(value.source.shape).some((v) => v.origin === "param")) {
        return this.fail1054(c, name, `it returns its parameter '${truncate(returned.getText())}' itself; return a new object or tuple`);
      }
      const fresh = this.materialize(value.shape, resultType, nameHint ?? `${name}_result`, pre, c);
      return { shape: mapShape(fresh, ref), fresh };
    } finally {
      if (self) {
        if (savedSelf) this.structs.set(self.symbol, savedSelf);
        else this.structs.delete(self.symbol);
      }
      this.ref = savedRef;
      this.varInfo = savedVarInfo;
      this.inlining.pop();
      // Outer calls overwrite inner ones: the outermost call is in the function being lowered.
      forEachStmt(pre.slice(firstStatement), (st) => void this.inlinedAt.set(st, c));
    }
  }

  /**
   * The helpers being inlined that return early: where their returns put the value, and the
   * one-trip loop they leave (none when the returns end if/else branches: lowerTail).
   */
  protected readonly inlineReturns: { target: Shape | undefined; loop: LoopInfo | undefined; depth: number; copyTarget?: CopyTarget }[] = [];

  /**
   * A callback's block whose returns end if/else branches (`if (x < 0) return 0; ...; return v`):
   * lowered into `pre` with each return assigning a fresh variable, which is returned. Undefined
   * when the returns are not so structured (nothing lowered).
   */
  protected lowerGuardedBlock(body: ts.Block, resultType: ValueType, base: string, pre: Stmt[], node: ts.Node, copyTarget?: CopyTarget): Shape | undefined {
    if (!structuredReturns(body.statements)) return undefined;
    const target = this.resultVariable(resultType, base, pre, node);
    this.lowerGuardedInto(body, target, pre, copyTarget);
    return target;
  }

  /** `let` leaves for a result that returns assign, starting at zero. */
  private resultVariable(type: ValueType, base: string, pre: Stmt[], node: ts.Node): Shape {
    const target = freshShape(type, base, "temp", false);
    for (const leaf of leavesOf(target)) pre.push({ k: "assign", target: leaf, value: zeroOf(leaf), declare: "let", node });
    return target;
  }

  /** A body whose returns all end if branches, each return assigning `target` (lowerTail). */
  private lowerGuardedInto(body: ts.Block, target: Shape | undefined, pre: Stmt[], copyTarget?: CopyTarget): void {
    this.inlineReturns.push({ target, loop: undefined, depth: this.loops.length, ...(copyTarget ? { copyTarget } : {}) });
    try {
      pre.push(...this.hoistVars(body), ...this.lowerTail(body.statements));
    } finally {
      this.inlineReturns.pop();
    }
  }

  /** Statements whose returns all end branches (structuredReturns), an `if` with a return taking the rest as its other branch. */
  private lowerTail(statements: readonly ts.Statement[]): Stmt[] {
    const out: Stmt[] = [];
    for (let i = 0; i < statements.length; i++) {
      const s = statements[i]!;
      if (ts.isIfStatement(s) && countReturns(s) > 0) {
        const rest = statements.slice(i + 1);
        const thenStatements = [...statementsOf(s.thenStatement), ...(alwaysReturns(s.thenStatement) ? [] : rest)];
        const elseStatements = [...(s.elseStatement ? statementsOf(s.elseStatement) : []), ...(s.elseStatement && alwaysReturns(s.elseStatement) ? [] : rest)];
        const pre: Stmt[] = [];
        const test = this.withEffects([s.expression], () => this.lowerCondition(s.expression, pre));
        out.push(...pre, { k: "if", test, then: this.lowerTail(thenStatements), else: this.lowerTail(elseStatements), node: s });
        return out;
      }
      out.push(...this.lowerBlock([s]));
      if (ts.isReturnStatement(s)) return out;
    }
    return out;
  }

  /**
   * A helper with returns before its end, inlined as a one-trip loop: `do { ...; result = v;
   * break; ... } while (false)`, each `return` assigning the result's leaves and leaving the loop.
   */
  private inlineWithReturns(c: ts.CallExpression, body: ts.Block, resultType: ValueType | undefined, base: string, pre: Stmt[]): StructValue | undefined {
    if (resultType?.kind === "tag" || (resultType && !isStructType(resultType) && resultType.kind !== "number" && resultType.kind !== "boolean")) {
      return this.fail1054(c, base, "a helper returning a string or an array must end with its only return statement");
    }
    const target = resultType ? this.resultVariable(resultType, base, pre, c) : undefined;
    const result = (): StructValue | undefined => (target ? { shape: mapShape(target, ref), ...(target.kind === "struct" ? { fresh: target } : {}) } : undefined);
    // Returns that end the branches of ifs (guards) become if/else: `if (c) return a; ...; return b`
    // is `if (c) { r = a } else { ...; r = b }`, no loop needed.
    if (structuredReturns(body.statements)) {
      this.lowerGuardedInto(body, target, pre);
      return result();
    }
    const loop: LoopInfo = { id: this.nextLoopId++ };
    this.loops.push({ info: loop, switch: true });
    this.inlineReturns.push({ target, loop, depth: this.loops.length });
    let inner: Stmt[];
    try {
      inner = [...this.hoistVars(body), ...this.lowerBlock(body.statements)];
    } finally {
      this.inlineReturns.pop();
      this.loops.pop();
    }
    pre.push({ k: "loop", kind: "do", loop, init: [], test: { k: "bool", value: false }, update: [], body: inner, node: c });
    if (!target) return undefined;
    return { shape: mapShape(target, ref), ...(target.kind === "struct" ? { fresh: target } : {}) };
  }

  /** `[a, b, c]` of numbers: its elements (TSG1024 for a spread, a hole or another type). */
  protected lowerArrayLiteral(e: ts.ArrayLiteralExpression, pre: Stmt[]): Expr | undefined {
    const elements: Expr[] = [];
    for (const el of e.elements) {
      if (ts.isSpreadElement(el) || ts.isOmittedExpression(el)) {
        this.error(el, "TSG1024", [el.getText()]);
        return undefined;
      }
      const t = classifyType(this.checker.getTypeAtLocation(el), this.checker);
      if (t?.kind !== "number") {
        this.error(el, "TSG1024", [truncate(el.getText())]);
        return undefined;
      }
      elements.push(this.lowerNumeric(el, pre, true));
    }
    return { k: "arrayLit", type: { kind: "vector", repr: "array", readonly: false }, elements };
  }

  /** An array literal of numbers where an array value is wanted (a callback's result, a nested tangent): a new array in a constant. */
  protected newArrayOf(e: ts.ArrayLiteralExpression, pre: Stmt[]): Expr | undefined {
    const literal = this.lowerArrayLiteral(e, pre);
    return literal?.k === "arrayLit" ? this.constantArray(literal.elements, pre, e) : undefined;
  }

  private fail1054(c: ts.CallExpression, name: string, why: string, decl?: FunctionRef["decl"]): undefined {
    // Why the helper is inlined: it writes into its parameters, takes a function, or returns a structure.
    const written = decl ? [...this.writtenParams(decl)].map((i) => decl.parameters[i]?.name.getText()).filter((n) => n !== undefined) : [];
    const inlined =
      written.length > 0
        ? `writes into its parameter${written.length > 1 ? "s" : ""} ${written.map((n) => `'${n}'`).join(", ")}`
        : decl && takesFunction(decl, this.checker)
          ? "takes a function"
          : "returns an object or tuple";
    const hint = why === "it calls itself" && written.length > 0 ? "it calls itself; a recursive helper takes its arrays without writing them (pass new ones, xs.slice(1)) and returns what it computes" : why;
    this.error(c, "TSG1054", [name, hint, inlined]);
    return undefined;
  }

  /**
   * The index of an element name, taken into a constant unless it is a number or a variable
   * that keeps its value while the name is in scope (`const a = ps[sp.i]` reads `sp.i` once).
   */
  protected stableIndex(index: Expr, name: string, pre: Stmt[], node: ts.Node): Expr {
    if (index.k === "num" || (index.k === "var" && this.isStableAlias(index, node))) return index;
    const t = this.temp(`${name}_index`, { kind: "number" });
    pre.push({ k: "assign", target: t, value: index, declare: "const", node });
    return ref(t);
  }

  /** Fresh `const` leaves holding a value (leaves that are already plain variables or numbers are kept). */
  protected materialize(value: Shape<Expr>, type: StructType, base: string, pre: Stmt[], node: ts.Node, readOnly = true): Shape {
    const fresh = freshShape(type, base, "temp", readOnly);
    const names = leavesOf(fresh);
    let i = 0;
    return mapShape(value, (e) => {
      const target = names[i++]!;
      if (readOnly && e.k === "var" && e.v.isConst) return e.v;
      pre.push({ k: "assign", target, value: e, declare: readOnly ? "const" : "let", node });
      return target;
    });
  }
}

function isLiteral(e: ts.Expression): boolean {
  return ts.isArrayLiteralExpression(e) || ts.isObjectLiteralExpression(e);
}

/** The zero of a leaf's type (declarations without a value). */
function zeroOf(v: Var): Expr {
  if (v.type.kind === "tag") return { k: "str", value: "" };
  return v.type.kind === "boolean" ? { k: "bool", value: false } : { k: "num", value: 0 };
}

/** Whether a destructuring pattern binds a name to a structure (not only to numbers). */
function patternBindsStructure(pattern: ts.BindingName, type: PartType): boolean {
  if (type.kind === "rows") return true;
  if (ts.isIdentifier(pattern)) return isStructType(type);
  if (!isStructType(type)) return false;
  const types = partTypes(type);
  return pattern.elements.some((element, position) => {
    if (ts.isOmittedExpression(element)) return false;
    const prop = ts.isObjectBindingPattern(pattern) ? (element.propertyName ?? element.name) : undefined;
    const key = prop ? (ts.isIdentifier(prop) || ts.isStringLiteral(prop) ? prop.text : undefined) : position;
    const i = key === undefined ? -1 : partIndex(type, key);
    return i < 0 || patternBindsStructure(element.name, types[i]!);
  });
}

function withShares(shares: { nested: Share[]; whole: Share[] }): Pick<StructValue, "shares"> {
  return shares.nested.length > 0 || shares.whole.length > 0 ? { shares } : {};
}

/** Member accesses from the root of a path: 1 for `p.x`, 2 for `p.pos.x` (a nested object's field). */
function pathDepth(e: ts.Expression): number {
  let depth = 0;
  e = skipTransparent(e);
  while (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
    depth++;
    e = skipTransparent(e.expression);
  }
  return depth;
}

function boundSymbols(name: ts.BindingName, checker: ts.TypeChecker): (ts.Symbol | undefined)[] {
  if (ts.isIdentifier(name)) return [checker.getSymbolAtLocation(name)];
  return name.elements.flatMap((e) => (ts.isOmittedExpression(e) ? [] : boundSymbols(e.name, checker)));
}

/** The statements of a branch (a block's, or the statement itself). */
function statementsOf(s: ts.Statement): readonly ts.Statement[] {
  return ts.isBlock(s) ? s.statements : [s];
}

/** Whether a statement ends in a return on every path through ifs and blocks. */
function alwaysReturns(s: ts.Statement): boolean {
  if (ts.isReturnStatement(s)) return true;
  if (ts.isBlock(s)) return s.statements.length > 0 && alwaysReturns(s.statements[s.statements.length - 1]!);
  if (ts.isIfStatement(s)) return s.elseStatement !== undefined && alwaysReturns(s.thenStatement) && alwaysReturns(s.elseStatement);
  return false;
}

/**
 * Whether every return of a statement list ends a branch of an if (or the list): then the
 * returns are if/else structure (lowerTail). Returns inside loops, switches or branches that
 * may also fall through need the one-trip loop.
 */
function structuredReturns(statements: readonly ts.Statement[]): boolean {
  return statements.every((s) => {
    if (ts.isReturnStatement(s) || countReturns(s) === 0) return true;
    if (!ts.isIfStatement(s)) return false;
    return [s.thenStatement, s.elseStatement].every((b) => !b || countReturns(b) === 0 || (alwaysReturns(b) && structuredReturns(statementsOf(b))));
  });
}

/** What the returned structures are copied into (a new array's element), for TSG1051 / TSG1057. */
export interface CopyTarget {
  symbols: (ts.Symbol | undefined)[];
  text: string;
}

/** Whether a block's only return is its last statement (with a value). */
export function endsInOnlyReturn(block: ts.Block): boolean {
  const last = block.statements[block.statements.length - 1];
  return countReturns(block) === 1 && last !== undefined && ts.isReturnStatement(last) && last.expression !== undefined;
}

/** Return statements of a function body, not counting nested functions'. */
function countReturns(body: ts.Node): number {
  let n = 0;
  const visit = (node: ts.Node): void => {
    if (ts.isReturnStatement(node)) n++;
    if (ts.isFunctionLike(node)) return;
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return n;
}

/** Which of a helper's names its body reassigns (those bound to arguments then need copies). */
class ReassignedNames {
  private readonly targets: ts.Expression[];
  constructor(
    private readonly checker: ts.TypeChecker,
    decl: FunctionRef["decl"],
  ) {
    this.targets = decl.body ? assignmentTargets(decl.body) : [];
  }

  reassigns(id: ts.Identifier): boolean {
    const symbol = this.checker.getSymbolAtLocation(id);
    return this.targets.some((t) => ts.isIdentifier(t) && this.checker.getSymbolAtLocation(t) === symbol);
  }
}

/**
 * Makes the first assignment of `leaf` among `body`'s top-level statements its declaration, when
 * no statement before it and not its own value mentions `leaf` (`this.abs2 = re * re + im * im`
 * in a constructor). False when there is no such assignment.
 */
function declareAtFirstAssignment(leaf: Var, body: Stmt[]): boolean {
  for (let i = 0; i < body.length; i++) {
    const s = body[i]!;
    if (s.k === "assign" && s.target === leaf && !s.declare && !varsOf(s.value).has(leaf)) {
      // (`const` when the body assigns it only there.)
      const again = assignedVars(body.slice(i + 1)).has(leaf);
      body[i] = { ...s, declare: again ? "let" : "const" };
      return true;
    }
    if (varsOfStmts([s]).has(leaf)) return false;
  }
  return false;
}

/** The call a chain of property reads starts from (`f(x)` of `f(x).grad.p`), if it starts from one. */
function callRoot(e: ts.Expression): ts.CallExpression | undefined {
  let at = skipTransparent(e);
  while (ts.isPropertyAccessExpression(at)) at = skipTransparent(at.expression);
  return ts.isCallExpression(at) ? at : undefined;
}
