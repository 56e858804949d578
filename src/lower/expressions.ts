/**
 * Lowering of expressions: numeric expressions to IR expression trees (calls of the user's
 * functions lifted into temporaries of their own statement in `pre`), conditions, and calls of
 * Math functions, runtime kernels and user functions. Everything outside the language is
 * reported with its location.
 */
import ts from "typescript";
import { classifyType, mayBeUndefined } from "../frontend/types.js";
import { type FunctionRef, functionOfSymbol, paramType, receiverType, returnType, skipParens } from "../frontend/functions.js";
import { KERNELS } from "../ir/kernels.js";
import { type BinaryOp, type Expr, type MathFn, type RowsType, type Shape, type Stmt, type StructType, type Type, type Var, BOOLEAN, NUMBER, isArrayType } from "../ir/nodes.js";
import { isStructType } from "../frontend/types.js";
import { conform, leavesOf, mapShape, partOf } from "./shapes.js";
import { MATH, MATH_FUNCTIONS, isMathFunction } from "../ir/primitives.js";
import { pathRoot, skipTransparent, runtimeImportName, containsUserCall, isIncrement, isAssignmentOperator, compoundOperator, assignmentTargets, arithmeticOperator, compareOperator, nestingDepth, truncate } from "./syntax.js";
import { writesThis } from "../frontend/writes.js";
import { nestedEntry } from "../frontend/nested.js";
import { diagAt } from "../diagnostics.js";
import { type ElementView, type RowsShape, LoweringScope, MATH_CONSTANTS, MAX_DEPTH, FAST_REJECT_DEPTH } from "./scope.js";

export abstract class ExpressionLowerer extends LoweringScope {
  // Structures (structures.ts): the leaves of a variable path, and structured values.
  protected abstract structPath(node: ts.Expression): Shape | undefined;
  protected abstract rootIsRows(e: ts.Expression): boolean;
  protected abstract rowsPath(node: ts.Expression): RowsShape | undefined;
  protected abstract rowsTypeOf(node: ts.Node): RowsType | undefined;
  protected abstract elementPath(node: ts.Expression, pre: Stmt[]): ElementView | undefined;
  protected abstract structTypeOf(node: ts.Node): StructType | undefined;
  protected abstract lowerIdentityComparison(e: ts.BinaryExpression, op: "===" | "!==", pre: Stmt[]): Expr;
  protected abstract lowerStructValue(node: ts.Expression, expected: StructType, pre: Stmt[], nameHint?: string, lift?: boolean): { shape: Shape<Expr> } | undefined;
  protected abstract writtenParams(decl: ts.FunctionLikeDeclaration): Set<number>;
  // Array methods and callbacks (methods.ts).
  protected abstract lowerMethodValue(c: ts.CallExpression, pre: Stmt[], wanted: "number" | "boolean"): Expr | undefined;
  protected abstract localFunction(symbol: ts.Symbol | undefined): LocalFunction | undefined;
  /** Binds a function-typed parameter of an inlined helper to the function passed (methods.ts). */
  protected abstract bindFunctionArgument(param: ts.ParameterDeclaration, arg: ts.Expression): boolean;
  /** False (reported) when a function written in place assigns variables of the enclosing function (methods.ts). */
  protected abstract checkNoOuterWrites(callback: { kind: "inline"; fn: ts.ArrowFunction | ts.FunctionExpression }, method: string): boolean;
  protected abstract isNumberTupleMethod(c: ts.CallExpression): boolean;
  protected abstract rejectUnsupportedMethod(e: ts.Expression): boolean;
  protected abstract buildVector(init: ts.Expression, type: Type, name: string, pre: Stmt[], node: ts.Node, into?: Var): Var | null | undefined;
  protected abstract lowerSpreadMath(c: ts.CallExpression, fn: MathFn, pre: Stmt[]): Expr | undefined;
  protected abstract inlineCall(c: ts.CallExpression, fn: FunctionRef, pre: Stmt[], nameHint?: string, wanted?: "struct" | "value" | "none"): { shape: Shape<Expr> } | undefined;

  /**
   * A leaf read through a path (`p.pos.x`, `t[0]`, `f(a).y`), or undefined when `e` is no
   * structure access. A structure where a number is needed is TSG1052.
   */
  protected lowerStructRead(e: ts.PropertyAccessExpression | ts.ElementAccessExpression, pre: Stmt[], wanted: "number" | "boolean" | "tag"): Expr | undefined {
    if (this.rootIsRows(e)) {
      // A field of an element of an array of structures: an element of its column.
      if (ts.isPropertyAccessExpression(e) && e.name.text === "length" && this.rowsPath(e.expression)) return undefined;
      const view = this.elementPath(e, pre);
      if (!view) return undefined;
      if (view.shape.kind !== "leaf") {
        this.error(e, "TSG1052", [truncate(e.getText())]);
        return { k: "num", value: 0 };
      }
      const column = view.shape.leaf;
      const kind = column.type.kind === "inactiveArray" ? (column.type.element.kind === "boolean" ? "boolean" : "tag") : "number";
      if (wanted === "number" && kind !== "number") {
        this.error(e, kind === "boolean" ? "TSG1028" : "TSG1008", kind === "boolean" ? [truncate(e.getText())] : []);
        return { k: "num", value: 0 };
      }
      return kind === wanted ? { k: "index", array: { k: "var", v: column }, index: view.index } : undefined;
    }
    // A path from a variable is a structure access only when the variable is a structure (known by
    // symbol, without a type query); other bases (literals, calls) are asked for their type.
    const rooted = pathRoot(e.expression) !== undefined;
    if (rooted && !this.rootIsStruct(e.expression)) return undefined;
    const objectType = rooted ? undefined : this.structTypeOf(e.expression);
    if (!rooted && !objectType) return undefined;
    let shape: Shape<Expr> | undefined;
    const path = this.structPath(e);
    if (path) shape = mapShape(path, (v): Expr => ({ k: "var", v }));
    else if (ts.isElementAccessExpression(e) && this.isTupleIndexedByVariable(e)) {
      this.error(e.argumentExpression, "TSG1053", [truncate(e.expression.getText()), truncate(e.argumentExpression.getText())]);
      return { k: "num", value: 0 };
    } else if (rooted) {
      return undefined;
    } else {
      const key = ts.isPropertyAccessExpression(e) ? e.name.text : Number((skipTransparent(e.argumentExpression) as ts.NumericLiteral).text);
      // A getter (`b.sub(a).norm`) is a call, lowered where calls are.
      if (objectType!.kind === "object" && !objectType!.fields.some((f) => f.name === key)) return undefined;
      const whole = this.lowerStructValue(e.expression, objectType!, pre);
      shape = whole && partOf(whole.shape, key);
      if (!whole) return { k: "num", value: 0 };
    }
    if (!shape) return undefined;
    if (shape.kind !== "leaf") {
      this.error(e, "TSG1052", [truncate(e.getText())]);
      return { k: "num", value: 0 };
    }
    const leaf = shape.leaf;
    const isBoolean = leaf.k === "bool" || (leaf.k === "var" && leaf.v.type.kind === "boolean") || leaf.k === "compare" || leaf.k === "not" || leaf.k === "logical";
    const isTag = leaf.k === "str" || (leaf.k === "var" && leaf.v.type.kind === "tag");
    if (wanted === "number" && isBoolean) {
      this.error(e, "TSG1028", [truncate(e.getText())]);
      return { k: "num", value: 0 };
    }
    if (wanted === "number" && isTag) {
      this.error(e, "TSG1008");
      return { k: "num", value: 0 };
    }
    if ((wanted === "boolean") !== isBoolean || (wanted === "tag") !== isTag) return undefined;
    if (leaf.k === "var" && this.effects.has(leaf.v)) return this.snapshot(leaf, `${leaf.v.name}_old`, pre, e);
    return leaf;
  }

  /**
   * Number variables that an assignment or `++`/`--` inside the statement being lowered writes.
   * Its side effects run in `pre`, before the statement, so every read of such a variable is
   * taken into a temporary where JavaScript evaluates it (left to right): `x + x++` reads the
   * old `x` twice.
   */
  protected effects = new Set<Var>();

  /**
   * What `node` writes when it runs: its assignment targets, and those of the local helpers it
   * calls that assign variables of the enclosing function (`const next = () => { seed = ...;
   * return seed; }`), whose bodies are inlined where they are called.
   */
  protected writtenBy(node: ts.Node, seen = new Set<ts.Node>()): ts.Expression[] {
    const out = assignmentTargets(node);
    const visit = (n: ts.Node): void => {
      const callee = ts.isCallExpression(n) ? skipTransparent(n.expression) : undefined;
      const fn = callee && ts.isIdentifier(callee) ? this.localFunction(this.checker.getSymbolAtLocation(callee)) : undefined;
      if (fn?.body && !seen.has(fn)) {
        seen.add(fn);
        for (const target of this.writtenBy(fn.body, seen)) {
          const root = pathRoot(target);
          const decl = root && this.checker.getSymbolAtLocation(root)?.valueDeclaration;
          if (decl && !(decl.pos >= fn.pos && decl.end <= fn.end)) out.push(target);
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(node);
    return out;
  }

  /** Lowers the expressions of one statement (`nodes`) knowing which variables they write. */
  protected withEffects<T>(nodes: readonly (ts.Node | undefined)[], lower: () => T): T {
    const saved = this.effects;
    const targets = new Set(saved);
    for (const node of nodes) {
      if (!node) continue;
      for (const target of this.writtenBy(node)) {
        if (!ts.isIdentifier(target)) continue;
        const symbol = this.checker.getSymbolAtLocation(target);
        const v = symbol ? this.vars.get(symbol) : undefined;
        if (v) targets.add(v);
      }
    }
    this.effects = targets;
    try {
      return lower();
    } finally {
      this.effects = saved;
    }
  }

  /** `const t = value` in `pre`; returns `t`. */
  protected snapshot(value: Expr, base: string, pre: Stmt[], node: ts.Node): Expr {
    const t = this.temp(base, NUMBER);
    pre.push({ k: "assign", target: t, value, declare: "const", node });
    return { k: "var", v: t };
  }

  /**
   * An assignment, `++` or `--` inside an expression (`a[i++]`, `x = y = 0`, `s += t = f(x)`):
   * the write becomes a statement of `pre`, in evaluation order, and the expression's value
   * (the old value for postfix `++`/`--`) is read from a temporary. Only number variables.
   */
  protected lowerEmbeddedWrite(
    node: ts.Expression,
    targetNode: ts.Expression,
    op: BinaryOp | undefined,
    valueNode: ts.Expression | undefined,
    yieldsOld: boolean,
    pre: Stmt[],
    depth: number,
  ): Expr {
    const fail: Expr = { k: "num", value: 0 };
    const target = skipTransparent(targetNode);
    const symbol = ts.isIdentifier(target) ? this.checker.getSymbolAtLocation(target) : undefined;
    if (symbol && this.failed.has(symbol)) return fail;
    const v = symbol ? this.vars.get(symbol) : undefined;
    if (!v || v.type.kind !== "number" || this.aliases.has(symbol!)) {
      this.error(node, "TSG1013", [truncate(node.getText())]);
      return fail;
    }
    const ref: Expr = { k: "var", v };
    // The current value is read before the right-hand side runs (`s += s++` adds the old s).
    const current = yieldsOld || (op && valueNode && this.writtenBy(valueNode).length > 0) ? this.snapshot(ref, `${v.name}_old`, pre, node) : ref;
    const value = valueNode ? this.lowerNumeric(valueNode, pre, true, depth + 1) : ({ k: "num", value: 1 } as Expr);
    const next: Expr = op ? { k: "binary", op, a: current, b: value } : value;
    pre.push({ k: "assign", target: v, value: next, node });
    if (yieldsOld) return current;
    // `x = 0` and `x = f(...)` yield a value that nothing can change: no temporary for it.
    if (!op && (value.k === "num" || (value.k === "var" && value.v.isConst && value.v.origin === "temp"))) return value;
    return this.snapshot(ref, `${v.name}_new`, pre, node);
  }

  /** `t[i]` on a tuple with a non-constant index (tuples are their elements: no index at run time). */
  private isTupleIndexedByVariable(e: ts.ElementAccessExpression): boolean {
    if (ts.isNumericLiteral(skipTransparent(e.argumentExpression))) return false;
    const base = this.rootIsStruct(e.expression) ? this.structPath(e.expression) : undefined;
    if (base) return base.kind === "struct" && base.type.kind === "tuple";
    return this.structTypeOf(e.expression)?.kind === "tuple";
  }

  /** Whether a path (`p.pos.x`, `t[0]`) starts at a structured variable. */
  protected rootIsStruct(e: ts.Expression): boolean {
    const root = pathRoot(e);
    const symbol = root && this.checker.getSymbolAtLocation(root);
    return this.structOf(symbol) !== undefined;
  }

  protected tooDeep(node: ts.Expression, depth: number): boolean {
    if (depth === 0 && nestingDepth(node, FAST_REJECT_DEPTH) > FAST_REJECT_DEPTH) {
      this.error(node, "TSG1027", [`more than ${FAST_REJECT_DEPTH}`, MAX_DEPTH]);
      return true;
    }
    // Otherwise the recursion reports the first node past the limit, where it is.
    if (depth <= MAX_DEPTH) return false;
    this.error(node, "TSG1027", [depth, MAX_DEPTH]);
    return true;
  }

  protected lowerCondition(node: ts.Expression, pre: Stmt[], depth = 0): Expr {
    if (this.tooDeep(node, depth)) return { k: "bool", value: false };
    const e = skipTransparent(node);
    if (e.kind === ts.SyntaxKind.TrueKeyword) return { k: "bool", value: true };
    if (e.kind === ts.SyntaxKind.FalseKeyword) return { k: "bool", value: false };
    if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) {
      return { k: "not", a: this.lowerCondition(e.operand, pre, depth + 1) };
    }
    if (ts.isBinaryExpression(e)) {
      const kind = e.operatorToken.kind;
      if (kind === ts.SyntaxKind.AmpersandAmpersandToken || kind === ts.SyntaxKind.BarBarToken) {
        if (this.writtenBy(e.right).length > 0) {
          // The right operand's writes run only when it is evaluated:
          // `let t = a; if (t) { pre of b; t = b; }` for &&, `if (!t)` for ||.
          const left = this.lowerCondition(e.left, pre, depth + 1);
          const t = this.temp(kind === ts.SyntaxKind.AmpersandAmpersandToken ? "both" : "either", BOOLEAN);
          pre.push({ k: "assign", target: t, value: left, declare: "let", node: e.left });
          const rightPre: Stmt[] = [];
          const right = this.lowerCondition(e.right, rightPre, depth + 1);
          const ref: Expr = { k: "var", v: t };
          pre.push({
            k: "if",
            test: kind === ts.SyntaxKind.AmpersandAmpersandToken ? ref : { k: "not", a: ref },
            then: [...rightPre, { k: "assign", target: t, value: right, node: e.right }],
            else: [],
            node: e,
          });
          return ref;
        }
        return {
          k: "logical",
          op: kind === ts.SyntaxKind.AmpersandAmpersandToken ? "&&" : "||",
          a: this.lowerCondition(e.left, pre, depth + 1),
          b: this.lowerCondition(e.right, pre, depth + 1),
        };
      }
      const cmp = compareOperator(kind);
      const loose = kind === ts.SyntaxKind.EqualsEqualsToken || kind === ts.SyntaxKind.ExclamationEqualsToken;
      const presence = (cmp === "===" || cmp === "!==" || loose) && this.presenceTest(e.left, e.right, pre);
      const equal = cmp === "===" || kind === ts.SyntaxKind.EqualsEqualsToken;
      if (presence) return presence.given === equal ? presence.test : negated(presence.test);
      if (cmp) {
        if (this.isTagOperand(e.left) || this.isTagOperand(e.right)) {
          // `kind === "call"`: strings and enums compare by identity.
          if (cmp !== "===" && cmp !== "!==") {
            this.error(e, "TSG1008");
            return { k: "bool", value: false };
          }
          return { k: "compare", op: cmp, a: this.lowerTag(e.left, pre), b: this.lowerTag(e.right, pre) };
        }
        // `a === b` of two objects (elements of an array of objects): by their indices.
        if ((cmp === "===" || cmp === "!==") && [e.left, e.right].some((x) => this.structTypeOf(x) || this.rowsTypeOf(x))) {
          return this.lowerIdentityComparison(e, cmp, pre);
        }
        if (this.isBooleanOperand(e.left) && (cmp === "===" || cmp === "!==")) {
          const a = this.lowerCondition(e.left, pre, depth + 1);
          const b = this.lowerCondition(e.right, pre, depth + 1);
          return { k: "compare", op: cmp, a, b };
        }
        return {
          k: "compare",
          op: cmp,
          a: this.lowerNumeric(e.left, pre, false, depth + 1),
          b: this.lowerNumeric(e.right, pre, false, depth + 1),
        };
      }
    }
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) {
      const chosen = this.lowerInactiveCoalesce(e, pre, (x) => this.lowerCondition(x, pre, depth + 1));
      if (chosen) return chosen;
    }
    if (ts.isConditionalExpression(e)) {
      if (this.writtenBy(e.whenTrue).length > 0 || this.writtenBy(e.whenFalse).length > 0) {
        this.error(e, "TSG1041", [truncate(e.getText())]);
        return { k: "bool", value: false };
      }
      return {
        k: "cond",
        test: this.lowerCondition(e.condition, pre, depth + 1),
        a: this.lowerCondition(e.whenTrue, pre, depth + 1),
        b: this.lowerCondition(e.whenFalse, pre, depth + 1),
      };
    }
    if (ts.isIdentifier(e)) {
      const symbol = this.checker.getSymbolAtLocation(e);
      if (this.structOf(symbol)) {
        this.error(e, "TSG1052", [e.text]);
        return { k: "bool", value: false };
      }
      const v = this.varOf(e);
      if (v && v.type.kind === "boolean") return { k: "var", v };
      if (v) this.error(e, "TSG1002", [`Using the number '${e.text}' as a condition`]);
      return { k: "bool", value: false };
    }
    if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
      const field = this.lowerStructRead(e, pre, "boolean");
      if (field) return field;
    }
    if (ts.isCallExpression(e)) {
      const t = classifyType(this.checker.getTypeAtLocation(e), this.checker);
      if (t?.kind === "boolean") {
        const call = this.lowerCall(e, pre, false, true);
        if (call) return call;
        return { k: "bool", value: false };
      }
    }
    this.error(e, "TSG1002", [`The condition '${truncate(e.getText())}'`]);
    return { k: "bool", value: false };
  }

  /**
   * `w || 1` and `a && b` on numbers (gl-matrix's `w = w || 1.0`): JavaScript gives one of the
   * operands, by whether the left one is truthy (neither 0 nor NaN): `w !== 0 && w === w ? w : 1`.
   * The right operand is evaluated only when chosen, so it may not call functions or write.
   */
  private lowerNumericLogical(b: ts.BinaryExpression, pre: Stmt[], lift: boolean, depth: number): Expr {
    if (this.writtenBy(b.right).length > 0 || containsUserCall(b.right, this.checker)) {
      this.rightOperandError(b, "");
      return { k: "num", value: 0 };
    }
    const left = this.lowerNumeric(b.left, pre, lift, depth + 1);
    const right = this.lowerNumeric(b.right, pre, lift, depth + 1);
    const truthy: Expr = { k: "logical", op: "&&", a: { k: "compare", op: "!==", a: left, b: { k: "num", value: 0 } }, b: { k: "compare", op: "===", a: left, b: left } };
    return b.operatorToken.kind === ts.SyntaxKind.BarBarToken ? { k: "cond", test: truthy, a: left, b: right } : { k: "cond", test: truthy, a: right, b: left };
  }

  /** TSG1043: the right operand of `||`, `&&` or `??` in `b` assigns or calls a function, which only an if statement can run when chosen. */
  private rightOperandError(b: ts.BinaryExpression, where: string): void {
    const does = this.writtenBy(b.right).length > 0 ? "assigns a variable" : "calls a function";
    this.error(b, "TSG1043", [truncate(b.getText()), b.operatorToken.getText(), does + where]);
  }

  /** Whether an array literal's elements are all numbers (no spreads or holes). */
  protected numbersOnly(literal: ts.ArrayLiteralExpression): boolean {
    return literal.elements.every((el) => !ts.isSpreadElement(el) && !ts.isOmittedExpression(el) && classifyType(this.checker.getTypeAtLocation(el), this.checker)?.kind === "number");
  }

  /** An array expression's type: TypeScript's, or for an untyped `new Array(n)` (any[] to TypeScript) its variable's. */
  private arrayTypeOf(e: ts.Expression): Type | undefined {
    const t = classifyType(this.checker.getTypeAtLocation(e), this.checker);
    const x = skipTransparent(e);
    if (t || !ts.isIdentifier(x)) return t;
    const symbol = this.checker.getSymbolAtLocation(x);
    return symbol ? this.vars.get(symbol)?.type : undefined;
  }

  /**
   * A read of an optional parameter or field (`scale`, `opts.lr`, `opts.mode`) that `x` names, if
   * it is one: its value and whether it was given.
   */
  private optionalRead(x: ts.Expression, pre: Stmt[]): { value: Expr; given: Expr } | undefined {
    const e = skipTransparent(x);
    // (Only a value that may be undefined is looked at: reading other fields reports problems.)
    const t = this.checker.getTypeAtLocation(e);
    if (!mayBeUndefined(t)) return undefined;
    if (ts.isIdentifier(e)) {
      const v = this.varOf(e);
      return v?.optional ? { value: { k: "var", v }, given: givenTest({ k: "var", v }) } : undefined;
    }
    if (!ts.isPropertyAccessExpression(e) && !ts.isElementAccessExpression(e)) return undefined;
    const present = classifyType(this.checker.getNonNullableType(t), this.checker)?.kind;
    const wanted = present === "boolean" || present === "tag" ? present : "number";
    const read = this.lowerStructRead(e, pre, wanted);
    if (read?.k === "var" && read.v.optional) return { value: read, given: givenTest(read) };
    // An inactive field of an element of an array of structures holds undefined in its column.
    if (read?.k === "index" && wanted !== "number") return { value: read, given: givenTest(read) };
    return undefined;
  }

  /**
   * `scale ?? 1` of an optional parameter: `scale !== undefined ? scale : 1`, the right operand
   * evaluated only when it is absent (its calls and writes in an if, as for `?:`).
   */
  private lowerCoalesce(b: ts.BinaryExpression, pre: Stmt[], lift: boolean, depth: number): Expr {
    const read = this.optionalRead(b.left, pre) ?? this.elementOrDefault(b.left, pre);
    const left = skipTransparent(b.left);
    // (A local already reported, `const found = xs.find(...)`, is not reported again.)
    if (!read && ts.isIdentifier(left) && this.failed.has(this.checker.getSymbolAtLocation(left)!)) return { k: "num", value: 0 };
    if (!read) {
      this.error(b.operatorToken, "TSG1002", ["The operator '??' on anything but an optional parameter or field (scale ?? 1, opts.lr ?? 0.1)"]);
      return { k: "num", value: 0 };
    }
    if (this.writtenBy(b.right).length > 0 || containsUserCall(b.right, this.checker)) {
      if (!lift) {
        this.rightOperandError(b, " inside a condition");
        return { k: "num", value: 0 };
      }
      const t = this.temp("chosen", NUMBER);
      const elsePre: Stmt[] = [];
      const other = this.lowerNumeric(b.right, elsePre, true, depth + 1);
      pre.push({ k: "assign", target: t, value: { k: "num", value: 0 }, declare: "let", node: b });
      pre.push({ k: "if", test: read.given, then: [{ k: "assign", target: t, value: read.value, node: b.left }], else: [...elsePre, { k: "assign", target: t, value: other, node: b.right }], node: b });
      return { k: "var", v: t };
    }
    return { k: "cond", test: read.given, a: read.value, b: this.lowerNumeric(b.right, pre, lift, depth + 1) };
  }

  /**
   * `ys[i] ?? 0` (as written under noUncheckedIndexedAccess): the element where there is one,
   * the default past the end.
   */
  private elementOrDefault(x: ts.Expression, pre: Stmt[]): { value: Expr; given: Expr } | undefined {
    const e = skipTransparent(x);
    if (!ts.isElementAccessExpression(e) || this.rootIsRows(e) || this.rootIsStruct(e.expression)) return undefined;
    const type = classifyType(this.checker.getTypeAtLocation(e.expression), this.checker);
    if (type?.kind !== "vector") return undefined;
    const value = this.lowerNumeric(e, pre, true);
    return value.k === "index" ? { value, given: givenTest(value) } : undefined;
  }

  /**
   * `opts.mode ?? "mean"`, `o.pinned ?? false` of an optional flag or string: the value when
   * given, else the right operand (a plain value: a literal, a variable or a field).
   */
  private lowerInactiveCoalesce(b: ts.BinaryExpression, pre: Stmt[], lowerRight: (x: ts.Expression) => Expr): Expr | undefined {
    const read = this.optionalRead(b.left, pre);
    if (!read) return undefined;
    return { k: "cond", test: read.given, a: read.value, b: lowerRight(b.right) };
  }

  /** Whether `x` is the value `undefined` (the global, not a variable of that name). */
  protected isUndefined(x: ts.Expression): boolean {
    const e = skipTransparent(x);
    return ts.isIdentifier(e) && e.text === "undefined" && !this.vars.has(this.checker.getSymbolAtLocation(e)!);
  }

  /**
   * Whether an optional parameter was given, from the operands of `scale === undefined`,
   * `scale == null`, `typeof scale === "number"` (either way round): `test` is true when it was
   * given, `given` says whether the comparison's "equal" means given (typeof) or absent.
   */
  private presenceTest(left: ts.Expression, right: ts.Expression, pre: Stmt[]): { test: Expr; given: boolean } | undefined {
    const optional = (x: ts.Expression): Expr | undefined => this.optionalRead(x, pre)?.given;
    const isNothing = (x: ts.Expression): boolean => skipTransparent(x).kind === ts.SyntaxKind.NullKeyword || this.isUndefined(x);
    const typeofNumber = (a: ts.Expression, b: ts.Expression): Expr | undefined => {
      const t = skipTransparent(a);
      const s = skipTransparent(b);
      return ts.isTypeOfExpression(t) && ts.isStringLiteralLike(s) && s.text === "number" ? optional(t.expression) : undefined;
    };
    for (const [a, b] of [[left, right], [right, left]] as const) {
      const v = optional(a);
      if (v && isNothing(b)) return { test: v, given: false };
      const t = typeofNumber(a, b);
      if (t) return { test: t, given: true };
    }
    return undefined;
  }

  /**
   * A numeric expression. With `lift`, calls of user functions are lifted into temporaries
   * appended to `pre` (they run before the statement, in evaluation order).
   */
  protected lowerNumeric(node: ts.Expression, pre: Stmt[], lift: boolean, depth = 0): Expr {
    const fail: Expr = { k: "num", value: 0 };
    if (this.tooDeep(node, depth)) return fail;
    const e = skipTransparent(node);
    const sub = (x: ts.Expression) => this.lowerNumeric(x, pre, lift, depth + 1);
    switch (e.kind) {
      case ts.SyntaxKind.NumericLiteral:
        return { k: "num", value: Number((e as ts.NumericLiteral).text) };
      case ts.SyntaxKind.StringLiteral:
      case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
      case ts.SyntaxKind.TemplateExpression:
        this.error(e, "TSG1008");
        return fail;
      case ts.SyntaxKind.Identifier: {
        const id = e as ts.Identifier;
        if (id.text === "Infinity" || id.text === "NaN") {
          const symbol = this.checker.getSymbolAtLocation(id);
          if (!symbol || !this.vars.has(symbol)) return { k: "num", value: id.text === "NaN" ? NaN : Infinity, text: id.text };
        }
        const symbol = this.checker.getSymbolAtLocation(id);
        const alias = symbol ? this.aliases.get(symbol) : undefined;
        if (alias) return alias;
        if (this.structOf(symbol)) {
          this.error(id, "TSG1052", [id.text]);
          return fail;
        }
        const v = symbol ? this.vars.get(symbol) : undefined;
        if (v) {
          if (v.type.kind === "boolean") {
            this.error(id, "TSG1028", [id.text]);
            return fail;
          }
          if (this.effects.has(v)) return this.snapshot({ k: "var", v }, `${v.name}_old`, pre, id);
          return { k: "var", v };
        }
        if (symbol && this.failed.has(symbol)) return fail;
        const constant = this.moduleConstant(symbol);
        if (constant !== undefined) return { k: "num", value: constant, text: id.text };
        const table = symbol && this.moduleArray(symbol);
        if (table) return { k: "var", v: table };
        const fn = functionOfSymbol(symbol, this.checker);
        if (fn) {
          this.error(id, "TSG1006", [id.text]);
          return fail;
        }
        if (this.isUndefined(id)) {
          this.error(id, "TSG1002", ["'undefined' where a number is needed (it may only be passed whole for an optional parameter, f(x, undefined))"]);
          return fail;
        }
        this.reportUnreadable(id);
        return fail;
      }
      case ts.SyntaxKind.PrefixUnaryExpression: {
        const u = e as ts.PrefixUnaryExpression;
        if (u.operator === ts.SyntaxKind.MinusToken) {
          const inner = sub(u.operand);
          if (inner.k === "num" && inner.text === undefined) return { k: "num", value: -inner.value };
          return { k: "neg", a: inner };
        }
        if (u.operator === ts.SyntaxKind.PlusToken) return sub(u.operand);
        if (isIncrement(u.operator)) {
          return this.lowerEmbeddedWrite(u, u.operand, u.operator === ts.SyntaxKind.PlusPlusToken ? "+" : "-", undefined, false, pre, depth);
        }
        this.error(u, "TSG1002", [`The operator '${ts.tokenToString(u.operator)}'`]);
        return fail;
      }
      case ts.SyntaxKind.PostfixUnaryExpression: {
        const u = e as ts.PostfixUnaryExpression;
        return this.lowerEmbeddedWrite(u, u.operand, u.operator === ts.SyntaxKind.PlusPlusToken ? "+" : "-", undefined, true, pre, depth);
      }
      case ts.SyntaxKind.BinaryExpression: {
        const b = e as ts.BinaryExpression;
        const kind = b.operatorToken.kind;
        if (isAssignmentOperator(kind)) {
          const op = compoundOperator(kind);
          if (op === null) {
            this.error(b.operatorToken, "TSG1002", [`The operator '${b.operatorToken.getText()}'`]);
            return fail;
          }
          return this.lowerEmbeddedWrite(b, b.left, op, b.right, false, pre, depth);
        }
        if (kind === ts.SyntaxKind.QuestionQuestionToken) return this.lowerCoalesce(b, pre, lift, depth);
        const op = arithmeticOperator(kind);
        if (op) {
          // (No type query for string concatenation: a string can only arrive as a literal or
          // from a call or member access, which are rejected where they appear.)
          return { k: "binary", op, a: sub(b.left), b: sub(b.right) };
        }
        const logical = kind === ts.SyntaxKind.AmpersandAmpersandToken || kind === ts.SyntaxKind.BarBarToken;
        if (logical && classifyType(this.checker.getTypeAtLocation(b), this.checker)?.kind === "number") return this.lowerNumericLogical(b, pre, lift, depth);
        if (compareOperator(kind) || logical) {
          this.error(b, "TSG1028", [truncate(b.getText())]);
          return fail;
        }
        this.error(b.operatorToken, "TSG1002", [`The operator '${b.operatorToken.getText()}'`]);
        return fail;
      }
      case ts.SyntaxKind.ConditionalExpression: {
        const c = e as ts.ConditionalExpression;
        // An array chosen by ?: (`layer === 0 ? input : hidden[layer - 1]`): its reads and writes
        // would have no one array to record or to take an adjoint of.
        const isArray = (x: ts.Node) => ["vector", "matrix", "indexArray"].includes(classifyType(this.checker.getTypeAtLocation(x), this.checker)?.kind ?? "");
        if (isArray(c) || isArray(c.whenTrue) || isArray(c.whenFalse)) {
          this.error(c, "TSG1076", [truncate(c.getText()), truncate(c.condition.getText())]);
          return fail;
        }
        const test = this.lowerCondition(c.condition, pre, depth + 1);
        const branchWrites = this.writtenBy(c.whenTrue).length > 0 || this.writtenBy(c.whenFalse).length > 0;
        if (branchWrites && !lift) {
          this.error(c, "TSG1041", [truncate(c.getText())]);
          return fail;
        }
        if (lift && (branchWrites || containsUserCall(c.whenTrue, this.checker) || containsUserCall(c.whenFalse, this.checker))) {
          // The branches' calls and writes must run only on their branch: if/else into a temporary.
          const t = this.temp("choice", NUMBER);
          const thenPre: Stmt[] = [];
          const elsePre: Stmt[] = [];
          const a = this.lowerNumeric(c.whenTrue, thenPre, true, depth + 1);
          const bb = this.lowerNumeric(c.whenFalse, elsePre, true, depth + 1);
          pre.push({ k: "assign", target: t, value: { k: "num", value: 0 }, declare: "let", node: c });
          pre.push({
            k: "if",
            test,
            then: [...thenPre, { k: "assign", target: t, value: a, node: c.whenTrue }],
            else: [...elsePre, { k: "assign", target: t, value: bb, node: c.whenFalse }],
            node: c,
          });
          return { k: "var", v: t };
        }
        return { k: "cond", test, a: sub(c.whenTrue), b: sub(c.whenFalse) };
      }
      case ts.SyntaxKind.PropertyAccessExpression: {
        const p = e as ts.PropertyAccessExpression;
        if (ts.isIdentifier(p.expression) && p.expression.text === "Math" && this.isGlobalMath(p.expression)) {
          const value = MATH_CONSTANTS[p.name.text];
          if (value !== undefined) return { k: "num", value, text: `Math.${p.name.text}` };
          this.error(p, "TSG1010", [p.name.text, MATH_FUNCTIONS.join(", Math.")]);
          return fail;
        }
        const field = this.lowerStructRead(p, pre, "number");
        if (field) return field;
        const enumValue = this.enumValue(p);
        if (typeof enumValue === "number") return { k: "num", value: enumValue };
        // A class's `static readonly` numeric constant (`Physics.G`): declared in the generated
        // module as `Physics_G`, which does not import the class.
        const constant = ts.isIdentifier(p.expression) ? this.moduleConstant(this.checker.getSymbolAtLocation(p)) : undefined;
        if (constant !== undefined) return { k: "num", value: constant, text: `${p.expression.getText()}_${p.name.text}` };
        if (p.name.text === "length") {
          const rows = this.rowsPath(p.expression);
          if (rows) return { k: "length", array: { k: "var", v: leavesOf(rows)[0]! } };
          const t = this.arrayTypeOf(p.expression);
          if (t && (isArrayType(t) || t.kind === "indexArray")) return { k: "length", array: sub(p.expression) };
        }
        // A field of a parameter or local already reported (its type) is not reported again.
        const rootId = pathRoot(p.expression);
        const root = rootId && this.checker.getSymbolAtLocation(rootId);
        if (root && this.failed.has(root)) return fail;
        if (this.isStringTyped(p.expression)) {
          this.error(p.expression, "TSG1008");
          return fail;
        }
        if (p.questionDotToken) {
          this.error(p, "TSG1029");
          return fail;
        }
        // A getter of a class of the project (`v.length` for `get length()`): a call.
        const getter = functionOfSymbol(this.checker.getSymbolAtLocation(p), this.checker);
        if (getter && ts.isGetAccessor(getter.decl)) return this.lowerFunctionCall(p, getter, pre, lift, false, depth, getter.receiver && p.expression) ?? fail;
        this.error(p, "TSG1012", [truncate(p.getText())]);
        return fail;
      }
      case ts.SyntaxKind.ElementAccessExpression: {
        const a = e as ts.ElementAccessExpression;
        const element = this.lowerStructRead(a, pre, "number");
        if (element) return element;
        const t = this.arrayTypeOf(a.expression);
        if (!t || !(isArrayType(t) || t.kind === "indexArray")) {
          // (An array whose declaration was reported is not reported again at each read.)
          const rootId = pathRoot(a.expression);
          const root = rootId && this.checker.getSymbolAtLocation(rootId);
          if (root && this.failed.has(root)) return fail;
          this.error(a, "TSG1012", [truncate(a.expression.getText())]);
          return fail;
        }
        return { k: "index", array: sub(a.expression), index: sub(a.argumentExpression) };
      }
      case ts.SyntaxKind.CallExpression: {
        // `sumsq(xs.slice())`, `f(xs.map(g))`: a new array passed to a function is made first, as a constant.
        const c = e as ts.CallExpression;
        if (ts.isCallExpression(c.parent) && c.parent.arguments.includes(c)) {
          const t = classifyType(this.checker.getTypeAtLocation(c), this.checker);
          const built = t?.kind === "vector" ? this.buildVector(c, t, "values", pre, c) : undefined;
          if (built === null) return fail;
          if (built) return { k: "var", v: built };
        }
        return this.lowerCall(c, pre, lift, false, depth + 1) ?? fail;
      }
      case ts.SyntaxKind.ArrowFunction:
      case ts.SyntaxKind.FunctionExpression:
        this.error(e, "TSG1006", ["function expression"]);
        return fail;
      case ts.SyntaxKind.ObjectLiteralExpression:
        this.error(e, "TSG1012", ["{ ... }"]);
        return fail;
      case ts.SyntaxKind.ArrayLiteralExpression: {
        // `cross(t, a, [0, 0, 1])`: an array of numbers passed to a function is a new constant
        // array, made just before the call (its elements are evaluated in order before it).
        const literal = e as ts.ArrayLiteralExpression;
        const isArgument = ts.isCallExpression(literal.parent) && literal.parent.arguments.includes(literal);
        if (!isArgument || !this.numbersOnly(literal) || literal.elements.length === 0) break;
        return this.constantArray(literal.elements.map((el) => this.lowerNumeric(el, pre, true)), pre, literal);
      }
      case ts.SyntaxKind.ClassExpression:
        this.error(e, "TSG1005");
        return fail;
      case ts.SyntaxKind.AsExpression:
      case ts.SyntaxKind.TypeAssertionExpression:
      case ts.SyntaxKind.SatisfiesExpression:
        this.error(e, "TSG1029");
        return fail;
      case ts.SyntaxKind.AwaitExpression:
        this.error(e, "TSG1007", ["Async"]);
        return fail;
      case ts.SyntaxKind.YieldExpression:
        this.error(e, "TSG1007", ["Generator"]);
        return fail;
      case ts.SyntaxKind.TrueKeyword:
      case ts.SyntaxKind.FalseKeyword:
        this.error(e, "TSG1028", [e.getText()]);
        return fail;
    }
    this.error(e, "TSG1002", [`The expression '${truncate(e.getText())}'`]);
    return fail;
  }

  /**
   * Whether an operand is boolean. A variable's declared type decides, not the narrowed one
   * (in dead code TypeScript narrows a boolean to `never`).
   */
  protected isBooleanOperand(node: ts.Expression): boolean {
    const e = skipTransparent(node);
    if (ts.isIdentifier(e)) {
      const symbol = this.checker.getSymbolAtLocation(e);
      const v = symbol ? this.vars.get(symbol) : undefined;
      if (v) return v.type.kind === "boolean";
    }
    // A field's declared type too (narrowed, `u.fixed` can be `never` in code TypeScript proves dead).
    if ((ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) && this.rootIsStruct(e)) {
      const leaf = this.structPath(e);
      if (leaf?.kind === "leaf") return leaf.leaf.type.kind === "boolean";
    }
    if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) return true;
    if (ts.isBinaryExpression(e) && (compareOperator(e.operatorToken.kind) || e.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken || e.operatorToken.kind === ts.SyntaxKind.BarBarToken)) return true;
    return classifyType(this.checker.getTypeAtLocation(e), this.checker)?.kind === "boolean";
  }

  /** The value of an enum member (`Easing.Linear`), from its literal type. */
  protected enumValue(e: ts.Expression): string | number | undefined {
    const t = this.checker.getTypeAtLocation(e);
    if (!(t.flags & ts.TypeFlags.EnumLiteral) || !t.isLiteral()) return undefined;
    return typeof t.value === "object" ? undefined : t.value;
  }

  /** A string, string literal union or enum operand (compared by identity). */
  protected isTagOperand(node: ts.Expression): boolean {
    const e = skipTransparent(node);
    if (ts.isStringLiteralLike(e)) return true;
    // (An optional string field, `opts.mode`, is compared as it is, undefined included.)
    return classifyType(this.checker.getNonNullableType(this.checker.getTypeAtLocation(e)), this.checker)?.kind === "tag";
  }

  /** A tag value: a string literal, an enum member, a tag variable or field, or `c ? a : b` of them. */
  protected lowerTag(node: ts.Expression, pre: Stmt[]): Expr {
    const e = skipTransparent(node);
    if (ts.isStringLiteralLike(e)) return { k: "str", value: e.text };
    if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
      const constant = this.enumValue(e);
      if (typeof constant === "number") return { k: "num", value: constant };
      if (typeof constant === "string") return { k: "str", value: constant };
      const field = this.lowerStructRead(e, pre, "tag");
      if (field) return field;
    }
    if (ts.isIdentifier(e)) {
      // A string field of an element named by destructuring (`for (const { kind } of ps)`).
      const view = this.elementViews.get(this.checker.getSymbolAtLocation(e)!);
      if (view?.shape.kind === "leaf") return { k: "index", array: { k: "var", v: view.shape.leaf }, index: view.index };
      const v = this.varOf(e);
      if (v?.type.kind === "tag") return { k: "var", v };
      if (!v) return { k: "str", value: "" };
    }
    if (ts.isConditionalExpression(e)) {
      return { k: "cond", test: this.lowerCondition(e.condition, pre), a: this.lowerTag(e.whenTrue, pre), b: this.lowerTag(e.whenFalse, pre) };
    }
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) {
      const chosen = this.lowerInactiveCoalesce(e, pre, (x) => this.lowerTag(x, pre));
      if (chosen) return chosen;
    }
    if (!this.rejectUnsupportedMethod(e)) this.error(e, "TSG1008");
    return { k: "str", value: "" };
  }

  protected isStringTyped(e: ts.Expression): boolean {
    return (this.checker.getTypeAtLocation(e).flags & ts.TypeFlags.StringLike) !== 0;
  }

  protected isGlobalMath(id: ts.Identifier): boolean {
    const symbol = this.checker.getSymbolAtLocation(id);
    return !symbol || !this.vars.has(symbol);
  }

  protected lowerCall(c: ts.CallExpression, pre: Stmt[], lift: boolean, booleanResult = false, depth = 1): Expr | undefined {
    const callee = skipParens(c.expression);
    const args = c.arguments;
    const lowerArgs = () => args.map((a) => this.lowerNumeric(a, pre, lift, depth + 1));
    // Math.f(...)
    if (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === "Math" && this.isGlobalMath(callee.expression)) {
      const fn = callee.name.text;
      if (!isMathFunction(fn)) {
        this.error(callee, "TSG1010", [fn, MATH_FUNCTIONS.join(", Math.")]);
        return undefined;
      }
      if (args.some(ts.isSpreadElement)) return this.lowerSpreadMath(c, fn, pre);
      const arity = MATH[fn].arity;
      if (typeof arity === "number" ? args.length !== arity : args.length < arity.atLeast) {
        this.error(c, "TSG1033", [`Math.${fn}`, typeof arity === "number" ? arity : arity.atLeast === 1 ? "one or more" : `${arity.atLeast} or more`]);
        return undefined;
      }
      return { k: "math", fn, args: args.map((a) => this.lowerNumeric(a, pre, lift, depth + 1)) };
    }
    if (ts.isPropertyAccessExpression(callee)) {
      const objectType = classifyType(this.checker.getTypeAtLocation(callee.expression), this.checker);
      if (objectType && isArrayType(objectType)) return this.lowerMethodValue(c, pre, booleanResult ? "boolean" : "number");
      // (Also on a new array of objects: `ps.slice(1).reduce(...)`, receiverOf takes the slice.)
      if (this.rowsPath(callee.expression) || this.rowsTypeOf(callee.expression)) return this.lowerMethodValue(c, pre, booleanResult ? "boolean" : "number");
      // A method of a tuple of numbers (`rgb.reduce(...)`): on its elements as an array.
      if (objectType === undefined && this.isNumberTupleMethod(c)) return this.lowerMethodValue(c, pre, booleanResult ? "boolean" : "number");
      // A method of a class of the project: `Easing.easeIn(t)`, `this.potential(x)`, `s.potential(x)`.
      const method = functionOfSymbol(this.checker.getSymbolAtLocation(callee), this.checker);
      if (method && (ts.isMethodDeclaration(method.decl) || ts.isGetAccessor(method.decl))) return this.lowerFunctionCall(c, method, pre, lift, booleanResult, depth, method.receiver && callee.expression);
      this.error(callee, "TSG1011", [truncate(callee.getText())]);
      return undefined;
    }
    if (!ts.isIdentifier(callee)) {
      this.error(callee, "TSG1011", [truncate(callee.getText())]);
      return undefined;
    }
    const symbol = this.checker.getSymbolAtLocation(callee);
    const kernel = runtimeImportName(symbol);
    if (kernel !== undefined) {
      const spec = KERNELS[kernel];
      if (!spec) {
        this.error(callee, "TSG1011", [callee.text]);
        return undefined;
      }
      if (args.length !== spec.params.length) {
        this.error(c, "TSG1033", [callee.text, spec.params.length]);
        return undefined;
      }
      const call: Expr = { k: "runtime", fn: kernel, args: lowerArgs() };
      if (!lift) return call;
      const t = this.temp(kernel, spec.result);
      pre.push({ k: "assign", target: t, value: call, declare: "const", node: c });
      return { k: "var", v: t };
    }
    // A local helper `const f = (x) => ...`: its body inlined here, reading the enclosing variables.
    if (symbol && this.failed.has(symbol)) return undefined;
    const local = this.localFunction(symbol);
    if (local) {
      // Writes of number variables run in order around the expression (withEffects); writes of
      // elements, fields and booleans inside an expression do not.
      const unordered = this.writtenBy(c).find((t) => {
        const v = ts.isIdentifier(t) ? this.vars.get(this.checker.getSymbolAtLocation(t)!) : undefined;
        return v?.type.kind !== "number";
      });
      if (unordered) {
        this.error(unordered, "TSG1071", [truncate(unordered.getText()), `'${callee.text}' writes it and its value is used; call it as a statement, or return the new value`]);
        return undefined;
      }
      if (args.some(ts.isSpreadElement)) {
        this.error(c, "TSG1002", ["A spread argument"]);
        return undefined;
      }
      const inlined = this.inlineCall(c, { decl: local, name: callee.text, sourceFile: c.getSourceFile() }, pre, undefined, "value");
      return inlined?.shape.kind === "leaf" ? inlined.shape.leaf : undefined;
    }
    if (symbol && this.vars.has(symbol)) {
      this.error(callee, "TSG1011", [callee.text]);
      return undefined;
    }
    const fn = functionOfSymbol(symbol, this.checker);
    if (!fn) {
      this.error(callee, "TSG1011", [callee.text]);
      return undefined;
    }
    return this.lowerFunctionCall(c, fn, pre, lift, booleanResult, depth);
  }

  /**
   * A call of a function of the project: a call in the IR (its derivative is generated beside),
   * or, for a helper that writes into its parameters, its body inlined. An instance method's
   * receiver (`s` of `s.potential(x)`) is its first argument.
   */
  private lowerFunctionCall(c: ts.CallExpression | ts.PropertyAccessExpression, fn: FunctionRef, pre: Stmt[], lift: boolean, booleanResult: boolean, depth: number, receiver?: ts.Expression): Expr | undefined {
    if (ts.isCallExpression(c) && this.rejectedNestedCall(c)) return undefined;
    // A getter's read (`v.length`) is a call without arguments.
    const calleeNode = ts.isCallExpression(c) ? c.expression : c;
    const args = ts.isCallExpression(c) ? c.arguments : [];
    const calleeText = truncate(calleeNode.getText());
    if (fn.receiver && receiver === undefined) {
      this.error(calleeNode, "TSG1011", [calleeText]);
      return undefined;
    }
    // `super.m()` runs the base class's method: the one tsgrad calls.
    const isSuper = receiver?.kind === ts.SyntaxKind.SuperKeyword;
    const override = fn.receiver && !isSuper && this.ctx.overridden.get(fn.decl);
    if (override) {
      this.error(calleeNode, "TSG1081", [calleeText, override]);
      return undefined;
    }
    if (fn.receiver && writesThis(fn.decl, this.checker)) {
      this.error(calleeNode, "TSG1080", [calleeText]);
      return undefined;
    }
    // A helper that writes into its parameters runs in place, on the caller's variables; one that
    // takes a function (`integrate(f, a, b)`) is specialised to the function passed, in place too.
    if (this.writtenParams(fn.decl).size > 0 || takesFunction(fn.decl, this.checker)) {
      if (fn.receiver) {
        this.error(calleeNode, "TSG1055", [`'${calleeText}', a method that writes into its parameters,`, "write it as a function of the object and the parameters"]);
        return undefined;
      }
      const inlined = ts.isCallExpression(c) ? this.inlineCall(c, fn, pre, undefined, "value") : undefined;
      return inlined?.shape.kind === "leaf" ? inlined.shape.leaf : undefined;
    }
    if (args.some((a) => ts.isSpreadElement(a))) {
      this.error(c, "TSG1002", ["A spread argument"]);
      return undefined;
    }
    // Missing trailing arguments take the parameters' (literal) defaults; an optional number
    // (`delta?: number`) left out, or passed `undefined`, is absent (undefined in the call).
    const optional = fn.decl.parameters.map((p) => paramType(p, this.checker).optional === true);
    const required = fn.decl.parameters.filter((p, i) => !p.initializer && !optional[i]).length;
    if (args.length < required || args.length > fn.decl.parameters.length) {
      this.error(c, "TSG1033", [calleeText, fn.decl.parameters.length]);
      return undefined;
    }
    // (`undefined` passed for a parameter with a default gives the default, as in JavaScript.)
    const passed = args.map((a, i) => (fn.decl.parameters[i]?.initializer && this.isUndefined(a) ? fn.decl.parameters[i]!.initializer! : a));
    const allArgs: (ts.Expression | undefined)[] = [...passed, ...fn.decl.parameters.slice(args.length).map((p) => p.initializer)];
    const name = this.ctx.resolveCallee(fn);
    if (!this.callees.includes(name)) this.callees.push(name);
    const returned = returnType(fn.decl, this.checker);
    if (returned.rows) {
      this.error(c, "TSG1055", [`'${truncate(c.getText())}', a call returning an array of objects,`, "build the array where it is used (xs.map(...)) or pass it in to be filled"]);
      return undefined;
    }
    const ret = returned.type ?? NUMBER;
    if (isStructType(ret)) {
      this.error(c, "TSG1052", [truncate(c.getText())]);
      return undefined;
    }
    // The object first (JavaScript evaluates it before the arguments).
    let receiverLeaves: Expr[] = [];
    if (fn.receiver && receiver) {
      const type = receiverType(fn.receiver, this.checker).type;
      const value = type && (isSuper ? this.superValue(receiver, type) : this.lowerStructValue(receiver, type, pre, undefined, lift && !booleanResult));
      if (!value) return undefined;
      receiverLeaves = leavesOf(value.shape);
    }
    // A structured argument passes its leaves, in the parameter type's order.
    const loweredArgs = allArgs.flatMap((a, i) => {
      if (a === undefined || (optional[i] && this.isUndefined(a))) return [{ k: "raw", text: "undefined" } as Expr];
      // An array of structures passes its columns.
      const rows = this.rowsPath(a);
      const rowsType = rows && this.rowsTypeOf(fn.decl.parameters[i]!);
      if (rows && rowsType) {
        // A helper that compares its array's elements by identity takes them as distinct
        // objects (lowerIdentityComparison): an array parameter's, not a local array's.
        if (leavesOf(rows.element).some((c) => c.origin !== "param") && this.comparesObjects(fn.decl)) {
          this.error(a, "TSG1058", [truncate(c.getText()), `'${truncate(a.getText())}', a local array, which may hold one object more than once, is passed to '${calleeText}', which compares its elements`]);
          return [];
        }
        const columns = conform(rows.element, rowsType.element);
        if (columns) return leavesOf(columns).map((v): Expr => ({ k: "var", v }));
      }
      const paramType = this.structTypeOf(fn.decl.parameters[i]!);
      if (paramType) return leavesOf(this.lowerStructValue(a, paramType, pre, undefined, lift && !booleanResult)?.shape ?? { kind: "leaf", leaf: { k: "num", value: 0 } });
      const t = classifyType(this.checker.getTypeAtLocation(fn.decl.parameters[i]!), this.checker);
      if (t?.kind === "tag") return [this.lowerTag(a, pre)];
      return [t?.kind === "boolean" ? this.lowerCondition(a, pre, depth + 1) : this.lowerNumeric(a, pre, lift && !booleanResult, depth + 1)];
    });
    const call: Expr = { k: "call", fn: name, args: [...receiverLeaves, ...loweredArgs] };
    if (!lift || booleanResult) return call;
    const t = this.temp(`${fn.name}_result`, ret);
    pre.push({ k: "assign", target: t, value: call, declare: "const", node: c });
    return { k: "var", v: t };
  }

  /**
   * Reports a call of a derivative generated for a source beside the file (frontend/nested.ts)
   * that is not read as nested differentiation reads it (`f_grad(...).grad.x`, `.value`,
   * `f_jvp(...).tangent`): its body is generated code, not differentiated again.
   */
  protected rejectedNestedCall(c: ts.CallExpression): boolean {
    const found = nestedEntry(c, this.checker, this.ctx.nested?.program, this.ctx.nested?.generated);
    if (!found) return false;
    const how = "read a part of its result where it is used: f_grad(...).grad.x, f_grad(...).value, f_jvp(..., { x: dx }).tangent, f_jvp(...).value, or a const it is assigned to";
    this.ctx.diagnostics.push(found.problem ?? diagAt(c, "TSG1093", [truncate(c.expression.getText()), how]));
    return true;
  }

  private readonly comparing = new Map<ts.Node, boolean>();

  /** Whether a function (or one it calls) compares objects with ===, !==, == or != (`a === b` of elements). */
  protected comparesObjects(decl: ts.Node): boolean {
    const known = this.comparing.get(decl);
    if (known !== undefined) return known;
    this.comparing.set(decl, false);
    let found = false;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (ts.isBinaryExpression(n) && (compareOperator(n.operatorToken.kind) === "===" || compareOperator(n.operatorToken.kind) === "!==") && [n.left, n.right].some((x) => this.structTypeOf(x) || this.rowsTypeOf(x))) {
        found = true;
        return;
      }
      if (ts.isCallExpression(n)) {
        const callee = skipParens(n.expression);
        const fn = ts.isIdentifier(callee) || ts.isPropertyAccessExpression(callee) ? functionOfSymbol(this.checker.getSymbolAtLocation(callee), this.checker) : undefined;
        if (fn && this.comparesObjects(fn.decl)) {
          found = true;
          return;
        }
      }
      ts.forEachChild(n, visit);
    };
    visit(decl);
    this.comparing.set(decl, found);
    return found;
  }

  /** `super` in `super.m()`: this method's object, seen as the base class's (`type`). */
  private superValue(node: ts.Expression, type: StructType): { shape: Shape<Expr> } | undefined {
    const cls = this.ref.receiver;
    const own = cls?.name && this.structOf(this.checker.getSymbolAtLocation(cls.name));
    const shape = own && conform(own, type);
    if (!shape) {
      this.error(node, "TSG1012", [truncate(node.getText())]);
      return undefined;
    }
    return { shape: mapShape(shape, (v): Expr => ({ k: "var", v })) };
  }
}

/** A function the lowering inlines at its calls: a local helper, or one passed to a helper. */
export type LocalFunction = ts.ArrowFunction | ts.FunctionExpression | ts.FunctionDeclaration;

/** Whether a function has a parameter of a function type (`f: (x: number) => number`). */
export function takesFunction(decl: FunctionRef["decl"], checker: ts.TypeChecker): boolean {
  return decl.parameters.some((p) => checker.getTypeAtLocation(p).getCallSignatures().length > 0);
}

/** `!test`, written `a === b` for `a !== b`. */
function negated(test: Expr): Expr {
  return test.k === "compare" && test.op === "!==" ? { ...test, op: "===" } : { k: "not", a: test };
}

/** `v !== undefined`: whether an optional parameter or field was given. */
function givenTest(value: Expr): Expr {
  return { k: "compare", op: "!==", a: value, b: { k: "raw", text: "undefined" } };
}
