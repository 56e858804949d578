/**
 * Lowering: TypeScript AST -> IR, and the check that the code is inside the accepted language.
 *
 * Every construct outside the language becomes a diagnostic with the node's location; lowering
 * goes on after an error so that one run reports every problem of a file. Calls of the user's
 * functions inside numeric expressions are lifted into temporaries of their own statement, so
 * that the transforms see each call as `t = f(...)` (the reverse sweep must call the callee's
 * reverse routine in the opposite order of the calls).
 */
import ts from "typescript";
import { classifyType, isAnyType, mayBeUndefined } from "../frontend/types.js";
import { type FunctionRef, defaultLiteral, functionOfSymbol, paramType, receiverType, returnType, skipParens } from "../frontend/functions.js";
import { updatedParameters } from "../frontend/select.js";
import { type BinaryOp, type Expr, type IrFunction, type LoopInfo, type Param, type PublicParam, type RowsType, type Shape, type Stmt, type StructType, type Type, BOOLEAN, NUMBER, Var, isArrayType, ref, typedArrayRepr } from "../ir/nodes.js";
import { InternalError, forEachExpr, forEachStmt, mapStmts, stmtExprs, varsOf, varsOfStmts, withoutUnreadTemps } from "../ir/walk.js";
import { isAncestor, pathRoot, skipTransparent, isZeroLiteral, rootIdentifier, rootVarOf, isIncrement, isAssignmentOperator, compoundOperator, statementKindName, boundNames, truncate } from "./syntax.js";
import { type ElementView, type LowerContext } from "./scope.js";
import { isElementOf } from "./rows.js";
import { MatrixLowerer } from "./matrices.js";
import { takesFunction } from "./expressions.js";
import { writesThis } from "../frontend/writes.js";
import { freshShape, indexShape, leafTypes, leavesOf } from "./shapes.js";
import { encodeLeaf, isEncodedLeaf } from "../ir/inactive-results.js";
import { type ValueType, isStructType, returnableLeavesOnly } from "../frontend/types.js";
import { type VarInfo, isVarList, varDeclarations } from "./hoist.js";
import { switchShape } from "./switch.js";
import { sourceLetGo } from "./reassigned.js";

export function lowerFunction(ref: FunctionRef, uniqueName: string, exported: boolean, ctx: LowerContext): IrFunction | undefined {
  return new FunctionLowerer(ref, ctx).lower(uniqueName, exported);
}

/** Lowering of one function: its signature, then its statements (expressions: expressions.ts). */
class FunctionLowerer extends MatrixLowerer {
  /** The function's `var` names (hoist.ts). */
  protected varInfo = new Map<ts.Symbol, VarInfo>();
  /** The structure the function returns, if it returns one (as a vector of its leaves). */
  private resultType: StructType | undefined;
  /** The array of structures the function returns, if it returns one (its columns in one vector). */
  private resultRows: RowsType | undefined;
  /** The symbol of each named parameter. */
  private readonly paramSymbols = new Map<PublicParam, ts.Symbol>();
  /** The parameter a `void` function updates in place: its final value is the result. */
  /** The parameters a `void` function updates in place, which are its result (several: `{ a, b }`). */
  private updatedParams: ts.Identifier[] = [];
  /** `var` names of arrays: rejected at each declaration (arrays are declared with const). */
  private readonly arrayVars = new Set<ts.Symbol>();

  private bindReceiver(cls: ts.ClassDeclaration, params: Param[], publicParams: PublicParam[]): void {
    const { type, problem } = receiverType(cls, this.checker);
    const symbol = cls.name && this.checker.getSymbolAtLocation(cls.name);
    if (!type || !symbol) {
      this.error(cls.name ?? cls, "TSG1003", ["this", cls.name?.text ?? "class", problem ? ` (${problem})` : ""]);
      return;
    }
    const name = this.ref.decl.parameters.some((p) => p.name.getText() === "self") ? "receiver" : "self";
    const shape = freshShape(type, name, "param", false);
    this.bindSymbol(symbol, shape);
    for (const v of leavesOf(shape)) {
      params.push({ v, node: cls.name! });
      this.params.push(v);
    }
    const param: PublicParam = { name, key: "this", shape };
    publicParams.push(param);
    this.paramSymbols.set(param, symbol);
  }

  lower(uniqueName: string, exported: boolean): IrFunction | undefined {
    const { decl } = this.ref;
    const before = this.ctx.diagnostics.length;
    if (decl.asteriskToken) this.error(decl, "TSG1007", ["Generator"]);
    if (decl.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) this.error(decl, "TSG1007", ["Async"]);
    const params: Param[] = [];
    // Structured parameters are their leaves (`p: Vec2` is `p_x`, `p_y`); publicParams keeps the source's view.
    const publicParams: PublicParam[] = [];
    // An instance method's `this` is its first parameter, `self` (its derivative: `grad.this`).
    if (this.ref.receiver) this.bindReceiver(this.ref.receiver, params, publicParams);
    // Arrays of numbers the function writes into (gl-matrix's `out`) are written in copies of
    // their own: entry points never change their arguments.
    const written = this.writtenParams(decl);
    const paramCopies: Stmt[] = [];
    decl.parameters.forEach((p, position) => {
      const { type, problem, optional } = paramType(p, this.checker);
      if (problem) {
        this.error(p, problem[0], problem[1]);
        for (const id of boundNames(p.name)) this.markFailed(id);
        return;
      }
      const name = ts.isIdentifier(p.name) ? p.name.text : destructuredParamName(type as ValueType, position, decl.parameters);
      const shape = this.bindFresh(p.name, type!, name, "param", false);
      // `{ eps = 1e-7 }: Options`: the names of optional fields with defaults, at the top.
      this.takeDefaults(paramCopies, true);
      for (const v of leavesOf(shape)) {
        params.push({ v, node: p });
        this.params.push(v);
      }
      const defaultText = p.initializer && defaultLiteral(p.initializer, this.checker);
      const param: PublicParam = { name, shape, ...(defaultText ? { defaultText } : {}) };
      publicParams.push(param);
      const symbol = ts.isIdentifier(p.name) ? this.checker.getSymbolAtLocation(p.name) : undefined;
      if (symbol) this.paramSymbols.set(param, symbol);
      if (optional && shape.kind === "leaf") shape.leaf.optional = true;
      if (symbol && type!.kind === "vector" && written.has(position) && shape.kind === "leaf") {
        const copy = new Var(name, { ...type!, readonly: false }, "local", true);
        this.copyInto(copy, ref(shape.leaf), paramCopies, p, "const");
        this.vars.set(symbol, copy);
      }
    });
    const ret = returnType(decl, this.checker);
    let irReturnType: Type | undefined;
    let resultShape: Shape<number> | undefined;
    // A `void` function updating one structured parameter in place returns that parameter's final value.
    const updated = updatedParameters(decl, this.checker) ?? [];
    this.updatedParams = updated.map((p) => p.name as ts.Identifier);
    if (updated.length === 1) {
      const type = paramType(updated[0]!, this.checker).type!;
      if (type.kind === "rows") ret.rows = type;
      else ret.type = type;
    } else if (updated.length > 1) {
      ret.type = { kind: "object", fields: updated.map((p) => ({ name: p.name.getText(), type: paramType(p, this.checker).type as StructType, readonly: false })) };
    }
    if (ret.rows && returnableLeavesOnly(ret.rows.element)) {
      // An array of structures is returned as its columns one after the other.
      this.resultRows = ret.rows;
      resultShape = { kind: "rows", type: ret.rows, element: indexShape(ret.rows.element) };
      irReturnType = { kind: "vector", repr: "f64", readonly: false };
    } else if (ret.type && isStructType(ret.type) && returnableLeavesOnly(ret.type)) {
      // A structured result is returned as the vector of its leaves; entry points rebuild it.
      this.resultType = ret.type;
      resultShape = indexShape(ret.type);
      irReturnType = { kind: "vector", repr: "array", readonly: false };
    } else if (ret.type && !isStructType(ret.type) && ret.type.kind !== "boolean" && ret.type.kind !== "matrix") {
      irReturnType = ret.type;
    } else {
      this.error(decl.name ?? decl, "TSG1016", [this.ref.name, ret.text]);
    }
    if (decl.body) this.scanWrites(decl.body);
    // Fields of parameters the function writes into (on its own copies) are not stable for aliases.
    for (const param of publicParams) {
      const symbol = this.paramSymbols.get(param);
      if (symbol && this.fieldWritten.has(symbol)) for (const v of leavesOf(param.shape)) this.writtenParamLeaves.add(v);
    }
    let body: Stmt[] = [];
    if (decl.body) {
      if (ts.isBlock(decl.body)) {
        const hoisted = this.hoistVars(decl.body);
        body = [...paramCopies, ...hoisted, ...this.lowerBlock(decl.body.statements)];
        if (this.updatedParams.length > 0) body.push(...this.lowerUpdatedReturn(decl.body));
      }
      else body = [...paramCopies, ...this.lowerReturn(decl.body, decl.body)];
      this.checkOptionalWrites(body);
      // Before the statements are rebuilt: inlinedAt knows the statements as lowered.
      if (this.growing.size > 0) this.checkGrowingArguments(body);
      // Leaves of inlined results the function never reads (`normalize(a).x` leaves y).
      body = withoutUnreadTemps(body);
      // The length of an array that grows is its counter, wherever it is read.
      if (this.growing.size > 0) {
        const counters = new Map([...this.growing.values()].map((g) => [g.array, g.length]));
        body = mapStmts(body, (x) => (x.k === "length" && x.array.k === "var" && counters.has(x.array.v) ? { k: "var", v: counters.get(x.array.v)! } : x));
      }
      // The constants of module-level structures the function reads (only the fields it reads).
      const read = varsOfStmts(body);
      body = [...this.moduleStructDecls.filter((d) => d.k === "assign" && read.has(d.target)), ...body];
    }
    if (this.ctx.diagnostics.length > before) return undefined;
    return {
      name: uniqueName,
      sourceName: this.ref.name,
      params,
      returnType: irReturnType!,
      body,
      ...(publicParams.some((p) => p.shape.kind !== "leaf" || p.defaultText !== undefined) ? { publicParams } : {}),
      ...(resultShape ? { resultShape } : {}),
      callees: this.callees,
      fileName: this.ref.sourceFile.fileName,
      node: decl,
      exported,
    };
  }

  // ---------------------------------------------------------------- statements

  protected lowerBlock(statements: readonly ts.Statement[]): Stmt[] {
    const out: Stmt[] = [];
    for (const s of statements) out.push(...this.lowerStatement(s));
    return out;
  }

  private lowerStatement(s: ts.Statement): Stmt[] {
    // `m[i] = new Array<number>(k).fill(0)`: its matrix was allocated whole (matrices.ts).
    if (this.rowCreations.has(s)) return [];
    switch (s.kind) {
      case ts.SyntaxKind.Block:
        return this.lowerBlock((s as ts.Block).statements);
      case ts.SyntaxKind.EmptyStatement:
        return [];
      case ts.SyntaxKind.VariableStatement:
        return this.lowerVariableStatement(s as ts.VariableStatement);
      case ts.SyntaxKind.ExpressionStatement:
        return this.lowerExpressionStatement(s as ts.ExpressionStatement);
      case ts.SyntaxKind.IfStatement: {
        const node = s as ts.IfStatement;
        const pre: Stmt[] = [];
        const test = this.withEffects([node.expression], () => this.lowerCondition(node.expression, pre));
        const thenBranch = this.lowerStatement(node.thenStatement);
        const elseBranch = node.elseStatement ? this.lowerStatement(node.elseStatement) : [];
        return [...pre, { k: "if", test, then: thenBranch, else: elseBranch, node }];
      }
      case ts.SyntaxKind.ForStatement:
      case ts.SyntaxKind.WhileStatement:
      case ts.SyntaxKind.DoStatement:
        return this.lowerLoop(s as ts.IterationStatement, undefined);
      case ts.SyntaxKind.LabeledStatement: {
        const node = s as ts.LabeledStatement;
        const inner = node.statement;
        if (ts.isForStatement(inner) || ts.isWhileStatement(inner) || ts.isDoStatement(inner)) {
          return this.lowerLoop(inner, node.label.text);
        }
        if (ts.isForOfStatement(inner)) return this.lowerForOf(inner, node.label.text);
        this.error(node, "TSG1032");
        return [];
      }
      case ts.SyntaxKind.BreakStatement:
      case ts.SyntaxKind.ContinueStatement: {
        const node = s as ts.BreakOrContinueStatement;
        const isBreak = s.kind === ts.SyntaxKind.BreakStatement;
        const stack = [...this.loops].reverse();
        const targetAt = node.label
          ? stack.findIndex((l) => !l.switch && l.label === node.label!.text)
          : stack.findIndex((l) => isBreak || !l.switch);
        const target = stack[targetAt];
        if (!target) {
          this.error(node, "TSG1031", [isBreak ? "break" : "continue"]);
          return [];
        }
        if (!target.info) throw new InternalError("a break of a switch lowered as an if/else chain");
        // Leaving the one-trip loop of a switch: the target loop needs a label in the output.
        if (!target.info.label && stack.slice(0, targetAt).some((l) => l.switch && l.info)) {
          target.info.label = this.freshLabel();
          target.label = target.info.label;
        }
        const exitId = this.nextExitId++;
        return [isBreak ? { k: "break", loop: target.info, exitId, node } : { k: "continue", loop: target.info, exitId, node }];
      }
      case ts.SyntaxKind.ReturnStatement: {
        const node = s as ts.ReturnStatement;
        if (this.inlineReturns.length > 0) return this.lowerInlineReturn(node);
        if (!node.expression && this.updatedParams.length > 0) return this.lowerUpdatedReturn(node);
        if (!node.expression) {
          this.error(node, "TSG1016", [this.ref.name, "void"]);
          return [];
        }
        return this.lowerReturn(node.expression, node);
      }
      case ts.SyntaxKind.TryStatement:
        this.error(s, "TSG1004");
        return [];
      case ts.SyntaxKind.SwitchStatement:
        return this.lowerSwitch(s as ts.SwitchStatement);
      case ts.SyntaxKind.ClassDeclaration:
        this.error(s, "TSG1005");
        return [];
      case ts.SyntaxKind.FunctionDeclaration:
        this.error(s, "TSG1006", [(s as ts.FunctionDeclaration).name?.text ?? "function"]);
        return [];
      case ts.SyntaxKind.ForOfStatement:
        return this.lowerForOf(s as ts.ForOfStatement, undefined);
      case ts.SyntaxKind.ForInStatement:
        this.error(s, "TSG1001", ["for...in"]);
        return [];
      case ts.SyntaxKind.ThrowStatement:
        this.error(s, "TSG1001", ["throw"]);
        return [];
      default:
        this.error(s, "TSG1001", [statementKindName(s)]);
        return [];
    }
  }

  /** A `return` of a helper inlined with early returns: its value into the result, then leave its loop. */
  private lowerInlineReturn(node: ts.ReturnStatement): Stmt[] {
    const frame = this.inlineReturns[this.inlineReturns.length - 1]!;
    const pre: Stmt[] = [];
    const expression = node.expression;
    const target = frame.target;
    if (target && expression) {
      if (target.kind === "struct") {
        const value = this.withEffects([expression], () => this.lowerStructValue(expression, target.type, pre));
        const copy = frame.copyTarget;
        if (!value || !this.checkCopy(node, copy?.symbols ?? [], copy?.text ?? "the helper's result", value)) return pre;
        pre.push(...this.assignLeaves(target, value.shape, node));
      } else if (target.kind === "leaf") {
        const leaf = target.leaf;
        const value = this.withEffects([expression], () => (leaf.type.kind === "boolean" ? this.lowerCondition(expression, pre) : this.lowerNumeric(expression, pre, true)));
        pre.push({ k: "assign", target: leaf, value, node });
      }
    }
    // Returns ending if/else branches need no jump.
    if (!frame.loop) return pre;
    // Leaving loops of the helper: the one-trip loop needs a label.
    if (this.loops.length > frame.depth && !frame.loop.label) frame.loop.label = this.freshLabel();
    return [...pre, { k: "break", loop: frame.loop, exitId: this.nextExitId++, node }];
  }

  /** The return of a `void` function updating its parameters: their final values (several: as one object). */
  private lowerUpdatedReturn(node: ts.Node): Stmt[] {
    if (this.updatedParams.length === 1) return this.lowerReturn(this.updatedParams[0]!, node);
    const pre: Stmt[] = [];
    const type = this.resultType as Extract<StructType, { kind: "object" }>;
    const parts = this.updatedParams.map((id, i) => this.lowerStructValue(id, type.fields[i]!.type as StructType, pre)?.shape);
    if (parts.some((p) => !p)) return pre;
    return [...pre, this.structReturn({ kind: "struct", type, parts: parts as Shape<Expr>[] }, node)];
  }

  /** `return` of a structured result: its leaves as one vector, inactive ones (flags, string literal unions) as numbers. */
  private structReturn(value: Shape<Expr>, node: ts.Node): Stmt {
    const types = leafTypes(this.resultType!);
    const elements = leavesOf(value).map((leaf, i) => (isEncodedLeaf(types[i]!) ? encodeLeaf(leaf, types[i]!) : leaf));
    return { k: "return", value: { k: "arrayLit", type: { kind: "vector", repr: "array", readonly: false }, elements }, exitId: this.nextExitId++, node };
  }

  private lowerReturn(expression: ts.Expression, node: ts.Node): Stmt[] {
    const pre: Stmt[] = [];
    if (this.resultRows) {
      const value = this.withEffects([expression], () => this.lowerRowsReturn(expression, this.resultRows!, pre));
      return value ? [...pre, { k: "return", value, exitId: this.nextExitId++, node }] : pre;
    }
    if (this.resultType) {
      const value = this.withEffects([expression], () => this.lowerStructValue(expression, this.resultType!, pre));
      if (!value) return pre;
      return [...pre, this.structReturn(value.shape, node)];
    }
    const literal = skipTransparent(expression);
    // `return v.map((x) => x / n)`: the new array is built under the name `result`, then returned.
    const returned = classifyType(this.checker.getTypeAtLocation(literal), this.checker);
    const built = returned?.kind === "vector" ? this.withEffects([expression], () => this.buildVector(literal, returned, "result", pre, node)) : undefined;
    if (built === null) return pre;
    const value = built
      ? ({ k: "var", v: built } as Expr)
      : this.withEffects([expression], () => (ts.isArrayLiteralExpression(literal) ? this.lowerArrayLiteral(literal, pre) : this.lowerNumeric(expression, pre, true)));
    if (!value) return pre;
    return [...pre, { k: "return", value, exitId: this.nextExitId++, node }];
  }

  private lowerVariableStatement(s: ts.VariableStatement): Stmt[] {
    const list = s.declarationList;
    const out: Stmt[] = [];
    const kind = declarationKind(list);
    if (!kind) {
      this.error(s, "TSG1001", ["using"]);
      for (const d of list.declarations) for (const id of boundNames(d.name)) this.markFailed(id);
      return [];
    }
    for (const d of list.declarations) out.push(...this.withEffects([d.initializer], () => this.lowerDeclaration(d, kind)));
    return out;
  }

  /**
   * The hoisted declarations of the function's `var` names that are not simply a `let` in place:
   * `let x = 0` (or `false`) at the top; their `var` declarations assign it.
   */
  protected hoistVars(body: ts.Block): Stmt[] {
    this.varInfo = varDeclarations(body, this.checker);
    const out: Stmt[] = [];
    for (const [symbol, info] of this.varInfo) {
      if (info.inPlace || this.vars.has(symbol)) continue;
      const first = info.decls[0]!;
      const name = (first.name as ts.Identifier).text;
      const type = this.localType(first.name as ts.Identifier);
      if (!type) continue;
      if (isArrayType(type)) {
        // Reported at each declaration (TSG1025).
        this.arrayVars.add(symbol);
        this.markFailed(first.name);
        continue;
      }
      const v = new Var(name, type, "local", false);
      this.vars.set(symbol, v);
      out.push({ k: "assign", target: v, value: type.kind === "boolean" ? { k: "bool", value: false } : { k: "num", value: 0 }, declare: "let", node: first });
    }
    return out;
  }

  /** The IR type of a declared local, or a diagnostic (TSG1009, TSG1015) and undefined. */
  private localType(id: ts.Identifier): Type | undefined {
    const t = this.checker.getTypeAtLocation(id);
    const initializer = ts.isVariableDeclaration(id.parent) ? id.parent.initializer : undefined;
    if (isAnyType(t)) {
      // `const y = terms[k]` of an untyped `new Array(n)`: say where the any comes from.
      const read = initializer && skipTransparent(initializer);
      const array = read && ts.isElementAccessExpression(read) && ts.isIdentifier(read.expression) ? read.expression : undefined;
      const declaration = array && this.checker.getSymbolAtLocation(array)?.valueDeclaration;
      const created = declaration && ts.isVariableDeclaration(declaration) && declaration.initializer ? untypedNewArray(declaration.initializer) : undefined;
      const copied = read && ts.isIdentifier(read) ? this.checker.getSymbolAtLocation(read) : undefined;
      if (array && created) this.error(id, "TSG1030", [id.text, array.text, truncate(created.getText()), truncate(created.arguments![0]!.getText())]);
      // (A copy of a variable already reported is not reported again.)
      else if (!(copied && this.failed.has(copied))) this.error(id, "TSG1009", [id.text]);
      this.markFailed(id);
      return undefined;
    }
    // In code TypeScript proves dead, a local initialised from a narrowed value has type `never`:
    // its initializer tells what it holds (the code never runs, but it must still lower).
    if (t.flags & ts.TypeFlags.Never && initializer) return this.isBooleanOperand(initializer) ? BOOLEAN : NUMBER;
    const type = classifyType(t, this.checker);
    // `new Array(n)` without a type argument (or `.fill(0)` of it) is any[] to TypeScript; it
    // holds what the function stores, which lowering accepts only as numbers, each at its place.
    if (!type && initializer && untypedNewArray(initializer)) return { kind: "vector", repr: "array", readonly: false };
    // `const v = xs.find(...)` (number | undefined), `const s = xs.join(",")`: the method is the
    // problem, not the type it gives.
    if ((!type || type.kind === "tag") && initializer && this.rejectUnsupportedMethod(initializer)) {
      this.markFailed(id);
      return undefined;
    }
    if (!type) {
      // `const mode = opts.mode` of an optional flag or string: inactive, undefined included.
      const present = classifyType(this.checker.getNonNullableType(t), this.checker);
      const declaration = id.parent;
      const isConstDeclaration = ts.isVariableDeclaration(declaration) && ts.isVariableDeclarationList(declaration.parent) && (declaration.parent.flags & ts.NodeFlags.Const) !== 0;
      if ((present?.kind === "boolean" || present?.kind === "tag") && isConstDeclaration && declaration.initializer) return present;
      this.error(id, "TSG1015", [id.text, this.checker.typeToString(t)]);
      this.markFailed(id);
      return undefined;
    }
    return type;
  }

  private lowerDeclaration(d: ts.VariableDeclaration, kind: "const" | "let" | "var"): Stmt[] {
    const rowsType = this.rowsTypeOf(d.name);
    if (rowsType) return this.lowerRowsDeclaration(d, rowsType);
    const structType = this.structTypeOf(d.name);
    if (structType) {
      if (kind === "var") {
        this.error(d, "TSG1055", ["A 'var' declaration", "declare structures with const or let"]);
        return [];
      }
      return this.lowerStructDeclaration(d, kind, structType);
    }
    if (ts.isArrayBindingPattern(d.name) && kind !== "var") {
      const destructured = this.destructureNumbers(d, d.name, kind);
      if (destructured) return destructured;
    }
    if (!ts.isIdentifier(d.name)) {
      this.error(d, "TSG1020");
      for (const id of boundNames(d.name)) this.markFailed(id);
      return [];
    }
    const name = d.name.text;
    const isConst = kind === "const";
    if (kind === "var") {
      const symbol = this.checker.getSymbolAtLocation(d.name);
      const info = symbol ? this.varInfo.get(symbol) : undefined;
      const hoisted = symbol ? this.vars.get(symbol) : undefined;
      if (symbol && this.arrayVars.has(symbol)) {
        this.error(d, "TSG1025", [name]);
        return [];
      }
      if (symbol && info && !info.inPlace && this.failed.has(symbol)) return [];
      if (hoisted) {
        // Another declaration of the hoisted variable (or of a parameter): an assignment, if any.
        if (!d.initializer) return [];
        const pre: Stmt[] = [];
        const assigned = this.lowerAssignment(d.name, undefined, d.initializer, pre, d);
        return assigned ? [...pre, assigned] : [];
      }
      // Otherwise a `let` in place (hoist.ts decided it is one).
    }
    if (!d.initializer) {
      if (d.exclamationToken) {
        this.error(d, "TSG1022", [name, "a definite assignment assertion ('!') skips TypeScript's check that it is assigned before it is read"]);
        this.markFailed(d.name);
        return [];
      }
      const type = this.localType(d.name);
      if (!type) return [];
      if (isArrayType(type)) {
        this.error(d, "TSG1022", [name, "arrays are declared with const and a new array"]);
        this.markFailed(d.name);
        return [];
      }
      // TypeScript's definite-assignment check (strict mode) guarantees an assignment before any
      // read, so the type's zero stands in for JavaScript's `undefined`.
      const v = new Var(name, type, "local", false);
      const symbol = this.checker.getSymbolAtLocation(d.name);
      if (symbol) this.vars.set(symbol, v);
      const value: Expr = type.kind === "boolean" ? { k: "bool", value: false } : { k: "num", value: 0 };
      return [{ k: "assign", target: v, value, declare: "let", node: d }];
    }
    const init = skipParens(d.initializer);
    if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) {
      // `const f = (x: number) => ...`: a local helper, inlined where it is called (methods.ts).
      if (!this.declareLocalFunction(d, init, kind)) {
        this.error(init, "TSG1006", [name]);
        this.markFailed(d.name);
      }
      return [];
    }
    const type = this.localType(d.name);
    if (!type) return [];
    const pre: Stmt[] = [];
    let value: Expr | undefined;
    if (isArrayType(type)) {
      const symbol = this.checker.getSymbolAtLocation(d.name);
      // `let x = x0.slice()` assigned again later (`x = x.map(...)`): an array of its own each time.
      if (!isConst && symbol && this.reassigned.has(symbol)) return this.declareReassignedArray(d, name, type, init, symbol);
      // `const ys: number[] = []`: an array that grows by push.
      const target = skipTransparent(init);
      if (ts.isArrayLiteralExpression(target) && target.elements.length === 0 && type.kind === "vector" && type.repr === "array" && symbol) {
        const out: Stmt[] = [];
        this.vars.set(symbol, this.growingArray(name, type, out, d).array);
        return out;
      }
      // `const row = m[i]` or `const b = a`: another name for (part of) an existing array.
      if (ts.isIdentifier(target) || ts.isElementAccessExpression(target)) {
        const alias = this.lowerNumeric(target, pre, false);
        if (!this.isStableAlias(alias, d)) {
          // `const t = u; u = v; v = t;`: t takes a copy of the array u is about to let go.
          if (alias.k === "var" && this.reassignedArrays.has(alias.v) && symbol) {
            if (!this.mayCopy(target, symbol, d)) {
              this.markFailed(d.name);
              return [];
            }
            const v = new Var(name, type, "local", true);
            this.copyInto(v, alias, pre, d, "const");
            this.vars.set(symbol, v);
            return pre;
          }
          this.error(d, "TSG1025", [name]);
          this.markFailed(d.name);
          return [];
        }
        if (symbol) this.aliases.set(symbol, alias);
        return pre;
      }
      // A local matrix of zeros or a literal of rows (matrices.ts).
      if (type.kind === "matrix") {
        const matrix = this.buildMatrix(init, type, name, pre, d, statementAfter(d));
        if (matrix) {
          if (symbol) this.vars.set(symbol, matrix);
          return pre;
        }
      }
      // Built by an array method (`xs.map(f)`, `xs.slice(1)`, `Array.from(...)`): declared and filled in `pre`.
      const built = this.buildVector(init, type, name, pre, d);
      if (built) {
        if (symbol) this.vars.set(symbol, built);
        return pre;
      }
      if (built === null) {
        this.markFailed(d.name);
        return pre;
      }
      value = this.lowerArrayCreation(init, type, pre);
      if (!value) this.markFailed(d.name);
      // `const g = f(x)` where `f` is inlined and returns an array it made (`const g = [...];
      // return g`, `(x) => [a, b]`, a `let x` it assigned again in a loop): that array under
      // another name, as in JavaScript. (A copy statement `g_2 = g` would be two names for one
      // array, which the IR does not have.) An array declared by the inlined statements is
      // assigned no more once they end.
      const madeHere = (v: Var): boolean => pre.some((st) => st.k === "assign" && st.target === v && st.declare !== undefined);
      if (value?.k === "var" && isArrayType(value.v.type) && symbol && ((value.v.isConst && this.isStableAlias(value, d)) || madeHere(value.v))) {
        this.aliases.set(symbol, value);
        return pre;
      }
    } else if (type.kind === "boolean") {
      value = this.lowerCondition(init, pre);
    } else if (type.kind === "tag") {
      value = this.lowerTag(init, pre);
    } else {
      value = this.ownCall(this.lowerNumeric(init, pre, true), pre, undefined);
    }
    if (!value) return [];
    // (A `let` array never assigned again is as constant as a `const` one.)
    const v = new Var(name, type, "local", isConst || isArrayType(type));
    // (`const mode = opts.mode`: a flag or string that may be undefined, localType.)
    if ((type.kind === "boolean" || type.kind === "tag") && mayBeUndefined(this.checker.getTypeAtLocation(d.name))) v.optional = true;
    const symbol = this.checker.getSymbolAtLocation(d.name);
    if (symbol) this.vars.set(symbol, v);
    return [...pre, { k: "assign", target: v, value, declare: isConst ? "const" : "let", node: d }];
  }

  /**
   * `[u, next] = [next, u]` (any permutation) of arrays the function assigns again: each takes a
   * copy of its new value, the values overwritten before they are read saved first. Undefined
   * when the assignment is not of that form.
   */
  private swapArrays(target: ts.ArrayLiteralExpression, valueNode: ts.Expression, pre: Stmt[], node: ts.Node): Stmt | undefined {
    const value = skipTransparent(valueNode);
    if (!ts.isArrayLiteralExpression(value) || value.elements.length !== target.elements.length) return undefined;
    const arrayOf = (e: ts.Expression): Var | undefined => {
      const id = skipTransparent(e);
      const symbol = ts.isIdentifier(id) ? this.checker.getSymbolAtLocation(id) : undefined;
      const v = symbol && this.vars.get(symbol);
      return v && this.reassignedArrays.has(v) ? v : undefined;
    };
    const targets = target.elements.map(arrayOf);
    const sources = value.elements.map(arrayOf);
    const all = (vs: (Var | undefined)[]): vs is Var[] => vs.every((v) => v !== undefined);
    if (!all(targets) || !all(sources) || new Set(targets).size !== targets.length || !sources.every((v) => targets.includes(v)) || new Set(sources).size !== sources.length) return undefined;
    const saved = sources.map((v, i) => {
      if (!targets.slice(0, i).includes(v)) return ref(v);
      const copy = this.temp(`${v.name}_old`, { ...v.type, readonly: false } as Type);
      this.copyInto(copy, ref(v), pre, node, "const");
      return ref(copy);
    });
    // (An array the permutation leaves in place keeps its elements: no copy of itself.)
    targets.forEach((v, i) => {
      if (sources[i] !== v) this.copyInto(v, saved[i]!, pre, node, undefined);
    });
    return pre.pop() ?? { k: "comment", text: "(nothing moves)" };
  }

  /** `let x = ...` of an array the function assigns again: `x` gets an array of its own. */
  private declareReassignedArray(d: ts.VariableDeclaration, name: string, type: Type, init: ts.Expression, symbol: ts.Symbol): Stmt[] {
    const v = new Var(name, type, "local", false);
    const pre: Stmt[] = [];
    if (!this.assignArray(v, symbol, init, pre, d, "let")) {
      this.markFailed(d.name);
      return pre;
    }
    this.vars.set(symbol, v);
    this.reassignedArrays.add(v);
    return pre;
  }

  /**
   * `x = e` (or `let x = e`) for an array `x` the function assigns again, into `pre`: a new array
   * made by `e`, or a copy of the array `e` names (when sharing it would give the same values:
   * mayCopy). False when reported.
   */
  private assignArray(v: Var, symbol: ts.Symbol, valueNode: ts.Expression, pre: Stmt[], node: ts.Node, declare: "let" | undefined): boolean {
    const e = skipTransparent(valueNode);
    if (ts.isIdentifier(e) || ts.isElementAccessExpression(e)) {
      const source = this.lowerNumeric(e, pre, false);
      if (!this.mayCopy(e, symbol, node)) return false;
      this.copyInto(v, source, pre, node, declare);
      return true;
    }
    // (Built in place for a declaration; an assignment's value may read the array it replaces.)
    const built = this.buildVector(e, v.type, `${v.name}_new`, pre, node, declare ? v : undefined);
    if (built === null) return false;
    if (built) {
      if (built !== v) this.copyInto(v, ref(built), pre, node, declare);
      return true;
    }
    const created = this.lowerArrayCreation(e, v.type, pre);
    if (!created) return false;
    if (created.k === "alloc" || created.k === "arrayLit") {
      pre.push({ k: "assign", target: v, value: created, ...(declare ? { declare } : {}), node });
      return true;
    }
    // A helper's (fresh) result, copied: the helper's reverse routine may restore its own array.
    let source: Expr = created;
    if (source.k !== "var") {
      const result = this.temp(`${v.name}_new`, { ...v.type, readonly: false } as Type);
      pre.push({ k: "assign", target: result, value: source, declare: "const", node });
      source = ref(result);
    }
    this.copyInto(v, source, pre, node, declare);
    return true;
  }

  /**
   * Whether `target` may take a copy of the array `source` (an identifier or a row `m[i]`) at
   * `node` where JavaScript shares it: the source is let go right after (reassigned.ts), or
   * neither of the two is ever written through (a parameter, or a constant array, read only).
   */
  private mayCopy(source: ts.Expression, target: ts.Symbol, node: ts.Node): boolean {
    const root = pathRoot(source);
    const sourceSymbol = root && ts.isIdentifier(root) ? this.checker.getSymbolAtLocation(root) : undefined;
    if (!sourceSymbol) return false;
    if (ts.isIdentifier(source) && sourceLetGo(node, sourceSymbol, this.checker)) return true;
    const sourceVar = this.vars.get(sourceSymbol);
    const readOnly = (s: ts.Symbol): boolean => !this.fieldWritten.has(s) && !this.nestedWritten.has(s);
    const stable = sourceVar !== undefined && (sourceVar.isConst || (sourceVar.origin === "param" && !this.reassigned.has(sourceSymbol)));
    if (stable && readOnly(sourceSymbol) && readOnly(target)) return true;
    const targetName = target.getName();
    const written = !readOnly(target) ? `'${targetName}' is written` : !readOnly(sourceSymbol) ? `'${sourceSymbol.getName()}' is written` : `'${sourceSymbol.getName()}' is used after`;
    this.error(node, "TSG1034", [truncate(node.getText()), targetName, truncate(source.getText()), written]);
    return false;
  }

  /**
   * `const [a, b, c] = xs` (or `= [r, g, b].map(f)`, any numeric array): one number variable per
   * name, each the element at its position when the declaration runs. Undefined when the value
   * is no numeric array.
   */
  private destructureNumbers(d: ts.VariableDeclaration, pattern: ts.ArrayBindingPattern, kind: "const" | "let"): Stmt[] | undefined {
    const type = d.initializer && classifyType(this.checker.getTypeAtLocation(d.initializer), this.checker);
    if (!d.initializer || type?.kind !== "vector") return undefined;
    const pre: Stmt[] = [];
    const init = skipTransparent(d.initializer);
    let array: Expr | undefined;
    if (ts.isIdentifier(init) || ts.isElementAccessExpression(init)) array = this.lowerNumeric(init, pre, false);
    else {
      const built = this.buildVector(init, type, "values", pre, d);
      if (built === null) return [];
      const created = built ? { k: "var" as const, v: built } : this.lowerArrayCreation(init, type, pre);
      if (!created) return [];
      if (created.k === "var") array = created;
      else {
        const values = this.temp("values", type);
        pre.push({ k: "assign", target: values, value: created, declare: "const", node: d });
        array = { k: "var", v: values };
      }
    }
    const out: Stmt[] = [...pre];
    for (const [position, element] of pattern.elements.entries()) {
      if (ts.isOmittedExpression(element)) continue;
      if (element.dotDotDotToken || element.initializer || !ts.isIdentifier(element.name)) {
        this.error(element, "TSG1020");
        for (const id of boundNames(element.name)) this.markFailed(id);
        continue;
      }
      const symbol = this.checker.getSymbolAtLocation(element.name);
      const v = new Var(element.name.text, NUMBER, "local", kind === "const");
      if (symbol) this.vars.set(symbol, v);
      out.push({ k: "assign", target: v, value: { k: "index", array, index: { k: "num", value: position } }, declare: kind, node: element });
    }
    return out;
  }

  /** `new Float64Array(n)`, `new Float32Array(n)`, `new Array(n).fill(0)`, `[a, b, c]`. */
  private lowerArrayCreation(init: ts.Expression, type: Type, pre: Stmt[]): Expr | undefined {
    const e = skipTransparent(init);
    if (type.kind === "vector") {
      const typed = ts.isNewExpression(e) && ts.isIdentifier(e.expression) ? typedArrayRepr(e.expression.text) : undefined;
      if (ts.isNewExpression(e) && typed && e.arguments?.length === 1) {
        const arg = e.arguments[0]!;
        const argType = this.checker.getTypeAtLocation(arg);
        if (classifyType(argType, this.checker)?.kind === "number") {
          return { k: "alloc", type: { kind: "vector", repr: typed, readonly: false }, length: this.lowerNumeric(arg, pre, false) };
        }
      }
      if (
        ts.isCallExpression(e) &&
        ts.isPropertyAccessExpression(e.expression) &&
        e.expression.name.text === "fill" &&
        e.arguments.length === 1 &&
        isZeroLiteral(e.arguments[0]!)
      ) {
        const target = skipTransparent(e.expression.expression);
        if (ts.isNewExpression(target) && ts.isIdentifier(target.expression) && target.expression.text === "Array" && target.arguments?.length === 1) {
          return { k: "alloc", type: { kind: "vector", repr: "array", readonly: false }, length: this.lowerNumeric(target.arguments[0]!, pre, false) };
        }
      }
      // `new Array<number>(n)` (or `new Array(n)` declared number[]), filled by the code that
      // follows: allocated as zeros. (Its holes would read as undefined in JavaScript: a program
      // that reads an element before writing it computes NaN there, and 0 here.)
      if (ts.isNewExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === "Array" && e.arguments?.length === 1) {
        const arg = e.arguments[0]!;
        if (classifyType(this.checker.getTypeAtLocation(arg), this.checker)?.kind === "number") {
          return { k: "alloc", type: { kind: "vector", repr: "array", readonly: false }, length: this.lowerNumeric(arg, pre, false) };
        }
      }
      if (ts.isArrayLiteralExpression(e)) return this.lowerArrayLiteral(e, pre);
    }
    // A matrix built by an array method (ragged `Array.from`, `rows.map(...)`) rather than whole (matrices.ts).
    if (type.kind === "matrix" && ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression)) {
      const owner = e.expression.expression;
      if ((ts.isIdentifier(owner) && owner.text === "Array") || ["map", "fill", "slice", "concat", "filter"].includes(e.expression.name.text)) {
        this.error(init, "TSG1074", [truncate(init.getText())]);
        return undefined;
      }
    }
    // A call of a user function or kernel that returns a fresh array (not `new Array(n).fill(x)`).
    const filled = ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === "fill" && ts.isNewExpression(skipTransparent(e.expression.expression));
    if (ts.isCallExpression(e) && !filled) {
      // Lifted, so that calls among its arguments are too (`relax(v, g(x))`), then taken back.
      const call = this.lowerCall(e, pre, true);
      return call && this.ownCall(call, pre, undefined);
    }
    // `f_grad(x, y).grad.x` (frontend/nested.ts): the array its call gives.
    if (type.kind === "vector" && ts.isPropertyAccessExpression(e) && this.isNestedRead(e)) {
      const part = this.lowerStructRead(e, pre, "number");
      if (part) return this.ownCall(part, pre, undefined);
    }
    this.error(init, type.kind === "matrix" ? "TSG1074" : "TSG1023", [truncate(init.getText())]);
    return undefined;
  }

  /**
   * An optional parameter or field holds a number or undefined, which the tape (numbers) cannot
   * restore: assigning one again is refused (TSG1035) at the assignment.
   */
  private checkOptionalWrites(body: readonly Stmt[]): void {
    forEachStmt(body, (st) => {
      if (st.k !== "assign" || st.declare || !st.target.optional) return;
      const node = st.node;
      const e = node && ts.isExpressionStatement(node) ? skipTransparent(node.expression) : undefined;
      const target = e && ts.isBinaryExpression(e) ? e.left.getText() : st.target.name;
      this.error(node ?? this.ref.decl, "TSG1035", [target]);
    });
  }

  /**
   * A function given an array that grows reads its length as it is then, and so must its
   * derivative, which runs after every push: such an array is passed only after its last push,
   * outside the loops that push into it.
   */
  private checkGrowingArguments(body: readonly Stmt[]): void {
    const byArray = this.growing;
    // The loops around a push inside the array's scope (an array declared in a loop body is a
    // new one in each iteration: the loops around its declaration do not count).
    const loopsAround = (n: ts.Node, decl: ts.Node): ts.Node[] => {
      const out: ts.Node[] = [];
      for (let p = n.parent; p && p !== this.ref.decl && !isAncestor(p, decl); p = p.parent) if (ts.isIterationStatement(p, false) || ts.isArrowFunction(p) || ts.isFunctionExpression(p)) out.push(p);
      return out;
    };
    const reported = new Set<ts.Node>();
    forEachStmt(body, (st) => {
      const node = this.inlinedAt.get(st) ?? ("node" in st ? st.node : undefined);
      if (!node || reported.has(node)) return;
      for (const top of stmtExprs(st)) {
        forEachExpr(top, (x) => {
          if ((x.k !== "call" && x.k !== "runtime") || reported.has(node)) return;
          for (const a of x.args) {
            const g = a.k === "var" ? byArray.get(a.v) : undefined;
            if (!g) continue;
            // After a pop the array holds more elements than its counter says.
            // (The source's name: an array of objects is several columns.)
            const name = ts.isVariableDeclaration(g.decl) ? g.decl.name.getText() : g.array.name;
            if (g.pops.length > 0) {
              reported.add(node);
              this.error(node, "TSG1073", [truncate(node.getText()), name]);
              break;
            }
            const early = g.pushes.some((p) => p.getEnd() > node.getStart() || loopsAround(p, g.decl).some((l) => isAncestor(l, node)));
            if (early) {
              reported.add(node);
              this.error(node, "TSG1072", [truncate(node.getText()), name]);
              break;
            }
          }
        });
      }
    });
  }

  /**
   * `ys.push(a, b)` on an array that grows, or `path.push({ x, y })` on an array of objects that
   * grows (its columns under one counter, rows.ts): each value (its leaves) stored at the counter,
   * which then counts one more. JavaScript evaluates every argument before the first element is
   * added: with several, a value that reads the array is taken into constants first
   * (`ys.push(x, ys.length)` pushes the old length).
   */
  private lowerPush(e: ts.Expression): Stmt[] | undefined {
    if (!ts.isCallExpression(e) || !ts.isPropertyAccessExpression(e.expression) || e.expression.name.text !== "push") return undefined;
    const rows = this.rowsPath(e.expression.expression);
    const growing = rows ? this.growing.get(leavesOf(rows)[0]!) : this.growingOf(e.expression.expression);
    if (!growing) return undefined;
    const columns = rows ? leavesOf(rows) : [growing.array];
    growing.pushes.push(e);
    const out: Stmt[] = [];
    const values: Expr[][] = [];
    for (const arg of e.arguments) {
      if (ts.isSpreadElement(arg)) {
        this.error(arg, "TSG1071", [truncate(arg.getText()), rows ? "push the elements one by one (for (const p of ps) out.push(p))" : "push the elements one by one (for (const x of xs) ys.push(x))"]);
        return [];
      }
      const leaves = rows ? this.lowerStructValue(arg, rows.type.element, out)?.shape : { kind: "leaf" as const, leaf: this.lowerNumeric(arg, out, true) };
      if (!leaves) return [];
      const readsArray = leavesOf(leaves).some((leaf) => [...varsOf(leaf)].some((v) => v === growing.length || columns.includes(v)));
      values.push(
        e.arguments.length > 1 && readsArray
          ? leavesOf(leaves).map((leaf) => {
              const t = this.temp("pushed", NUMBER);
              out.push({ k: "assign", target: t, value: leaf, declare: "const", node: arg });
              return ref(t);
            })
          : leavesOf(leaves),
      );
    }
    for (const leaves of values) {
      const at: Expr = ref(growing.length);
      columns.forEach((column, i) => out.push({ k: "store", array: ref(column), index: at, value: leaves[i]!, node: e }));
      out.push({ k: "assign", target: growing.length, value: { k: "binary", op: "+", a: at, b: { k: "num", value: 1 } }, node: e });
    }
    return out;
  }

  private lowerExpressionStatement(s: ts.ExpressionStatement): Stmt[] {
    const e = skipParens(s.expression);
    const pre: Stmt[] = [];
    if (ts.isBinaryExpression(e) && isAssignmentOperator(e.operatorToken.kind)) {
      const op = compoundOperator(e.operatorToken.kind);
      if (op === null) {
        this.error(e.operatorToken, "TSG1002", [`The operator '${e.operatorToken.getText()}'`]);
        return [];
      }
      const stmt = this.withEffects([e.left, e.right], () => this.lowerAssignment(e.left, op, e.right, pre, s));
      return stmt ? [...pre, stmt] : [];
    }
    if ((ts.isPrefixUnaryExpression(e) || ts.isPostfixUnaryExpression(e)) && isIncrement(e.operator)) {
      const op = e.operator === ts.SyntaxKind.PlusPlusToken ? "+" : "-";
      const stmt = this.withEffects([e.operand], () => this.lowerAssignment(e.operand, op, undefined, pre, s));
      return stmt ? [...pre, stmt] : [];
    }
    // `ys.push(a, b)` on an array that grows: stores at its length counter.
    const pushed = this.lowerPush(e);
    if (pushed) return pushed;
    // `add(x);` of a local helper (which may update enclosing variables): its body, in place.
    const local = ts.isCallExpression(e) && ts.isIdentifier(e.expression) ? this.localFunction(this.checker.getSymbolAtLocation(e.expression)) : undefined;
    if (local && ts.isCallExpression(e)) {
      this.withEffects([e], () => this.inlineCall(e, { decl: local, name: (e.expression as ts.Identifier).text, sourceFile: e.getSourceFile() }, pre, undefined, "none"));
      return pre;
    }
    // `integrate(p, dt);`: a helper called for what it writes into its arguments runs in place.
    if (ts.isCallExpression(e)) {
      if (this.rejectedNestedCall(e)) return [];
      const callee = skipParens(e.expression);
      const fn = ts.isIdentifier(callee) ? functionOfSymbol(this.checker.getSymbolAtLocation(callee), this.checker) : undefined;
      if (fn && (this.writtenParams(fn.decl).size > 0 || takesFunction(fn.decl, this.checker))) {
        this.withEffects([e], () => this.inlineCall(e, fn, pre, undefined, "none"));
        return pre;
      }
      // `this.step(dt);`, `body.step(dt);`: a method called for what it does to its object.
      const method = ts.isPropertyAccessExpression(callee) ? functionOfSymbol(this.checker.getSymbolAtLocation(callee), this.checker) : undefined;
      if (method?.receiver && writesThis(method.decl, this.checker)) {
        this.error(callee, "TSG1080", [truncate(callee.getText())]);
        return [];
      }
    }
    // `xs.forEach((x) => { ... });`, `xs.fill(0);`
    const method = this.lowerMethodStatement(e, s);
    if (method) return method;
    this.error(s, "TSG1002", [`The expression statement '${truncate(s.getText())}'`]);
    return [];
  }

  /**
   * `x = f(...)` is already the call's own statement: the temporary that lowering lifted the
   * call into (the last statement of `pre`) is dropped, unless the arguments read `target`,
   * whose old value the reverse sweep passes to the callee's reverse routine.
   */
  private ownCall(value: Expr, pre: Stmt[], target: Var | undefined): Expr {
    const last = pre[pre.length - 1];
    if (value.k !== "var" || last?.k !== "assign" || last.target !== value.v || last.target.origin !== "temp") return value;
    if (last.value.k !== "call" && last.value.k !== "runtime") return value;
    if (target && last.value.args.some((a) => varsOf(a).has(target))) return value;
    pre.pop();
    return last.value;
  }

  /** `target op= value` (op undefined for plain `=`, value undefined for `++`/`--`). */
  private lowerAssignment(
    targetNode: ts.Expression,
    op: BinaryOp | undefined,
    valueNode: ts.Expression | undefined,
    pre: Stmt[],
    node: ts.Node,
  ): Stmt | undefined {
    const target = skipTransparent(targetNode);
    const rhs = (current: Expr): Expr => {
      const value = valueNode ? this.lowerNumeric(valueNode, pre, true) : { k: "num" as const, value: 1 };
      return op ? { k: "binary", op, a: current, b: value } : value;
    };
    if (this.rootIsRows(target)) return this.lowerElementWrite(target, op, valueNode, pre, node, rhs);
    // Paths into structured variables are found by symbol: a type query per assignment would
    // make TypeScript's flow analysis quadratic in long functions.
    const path = this.rootIsStruct(target) ? this.structPath(target) : undefined;
    const swap = !op && valueNode && ts.isArrayLiteralExpression(target) ? this.swapArrays(target, valueNode, pre, node) : undefined;
    if (swap) return swap;
    if (!op && valueNode && (ts.isArrayLiteralExpression(target) || ts.isObjectLiteralExpression(target) || path?.kind === "struct")) {
      const stmts = this.lowerStructAssignment(target, valueNode, pre, node);
      const last = stmts.pop();
      pre.push(...stmts);
      return last;
    }
    const fieldLeaf = ts.isPropertyAccessExpression(target) || ts.isElementAccessExpression(target) ? path : undefined;
    if (fieldLeaf?.kind === "leaf") {
      // `p.x += ...`: a write into one leaf.
      const v = fieldLeaf.leaf;
      if (this.moduleLeaves.has(v)) {
        this.error(target, "TSG1018", [rootIdentifierOfPath(target)]);
        return undefined;
      }
      if (v.type.kind !== "number") {
        if (v.type.kind === "boolean" && !op && valueNode) return { k: "assign", target: v, value: this.lowerCondition(valueNode, pre), node };
        this.error(target, "TSG1055", [`Writing to '${truncate(target.getText())}'`, "write number and boolean fields"]);
        return undefined;
      }
      const current: Expr = { k: "var", v };
      const value = rhs(current);
      return { k: "assign", target: v, value, node };
    }
    if (ts.isIdentifier(target)) {
      const v = this.varOf(target);
      if (!v) return undefined;
      if (isArrayType(v.type)) {
        const symbol = this.checker.getSymbolAtLocation(target);
        if (this.reassignedArrays.has(v) && !op && valueNode && symbol) return this.assignArray(v, symbol, valueNode, pre, node, undefined) ? pre.pop() : undefined;
        this.error(target, v.origin === "param" ? "TSG1017" : "TSG1025", [target.text]);
        return undefined;
      }
      if (v.type.kind === "tag") {
        this.error(node, "TSG1056", [target.text]);
        return undefined;
      }
      if (v.type.kind === "boolean") {
        if (op || !valueNode) {
          this.error(node, "TSG1028", [target.text]);
          return undefined;
        }
        return { k: "assign", target: v, value: this.lowerCondition(valueNode, pre), node };
      }
      // The current value is read before a write inside the right-hand side (`s += s++`).
      const current: Expr = op && this.effects.has(v) ? this.snapshot({ k: "var", v }, `${v.name}_old`, pre, target) : { k: "var", v };
      const value = rhs(current);
      return { k: "assign", target: v, value: op ? value : this.ownCall(value, pre, v), node };
    }
    if (ts.isElementAccessExpression(target)) {
      const root = rootIdentifier(target);
      const rootSymbol = root ? this.checker.getSymbolAtLocation(root) : undefined;
      const aliased = rootSymbol ? this.aliases.get(rootSymbol) : undefined;
      const rootVar = aliased ? rootVarOf(aliased) : root ? this.varOf(root) : undefined;
      if (!rootVar) {
        if (root === undefined) this.error(target, "TSG1002", [`Writing to '${truncate(target.getText())}'`]);
        return undefined;
      }
      if (rootVar.origin === "param") {
        this.error(target, "TSG1017", [rootVar.name]);
        return undefined;
      }
      // `m[i] = row`: a row of a matrix replaced whole (a store writes numbers only).
      if (isArrayType(classifyType(this.checker.getTypeAtLocation(target), this.checker) ?? NUMBER)) {
        this.error(target, "TSG1075", [truncate(target.getText())]);
        return undefined;
      }
      const array = this.lowerNumeric(target.expression, pre, false);
      const index = this.lowerNumeric(target.argumentExpression, pre, false);
      const current: Expr = { k: "index", array, index };
      return { k: "store", array, index, value: rhs(current), node };
    }
    // A write into a variable already reported (its declaration failed) is not reported again.
    const root = pathRoot(target);
    const rootSymbol = root && this.checker.getSymbolAtLocation(root);
    if (rootSymbol && this.failed.has(rootSymbol)) return undefined;
    this.error(target, "TSG1002", [`Writing to '${truncate(target.getText())}'`]);
    return undefined;
  }

  /**
   * A write into an element of an array of structures (`ps[i].vel.x += f`, `a.pos = { ... }`,
   * `ps[i] = { ... }`): stores into its columns at the element's index.
   */
  private lowerElementWrite(target: ts.Expression, op: BinaryOp | undefined, valueNode: ts.Expression | undefined, pre: Stmt[], node: ts.Node, rhs: (current: Expr) => Expr): Stmt | undefined {
    const view = this.elementPath(target, pre);
    if (!view) {
      this.error(target, "TSG1002", [`Writing to '${truncate(target.getText())}'`]);
      return undefined;
    }
    const index = view.index;
    const isInactive = (c: Var): boolean => c.type.kind === "inactiveArray";
    if (view.shape.kind === "leaf" && isInactive(view.shape.leaf)) {
      this.error(target, "TSG1055", [`Writing to the flag or string '${truncate(target.getText())}' of an array of objects`, "such fields stay as they are; keep values that change in a number field or an array of their own"]);
      return undefined;
    }
    if (view.shape.kind === "leaf") {
      const array: Expr = { k: "var", v: view.shape.leaf };
      return { k: "store", array, index, value: rhs({ k: "index", array, index }), node };
    }
    const type = this.structTypeOf(target);
    if (op || !valueNode || !type) {
      this.error(target, "TSG1052", [truncate(target.getText())]);
      return undefined;
    }
    const value = this.lowerStructValue(valueNode, type, pre);
    if (!value || !this.checkCopy(node, [view.root], target.getText(), value)) return undefined;
    let columns = leavesOf(view.shape);
    let values = leavesOf(value.shape);
    // Flags and strings stay as they are: `ps[i] = { ...ps[i], pos }` keeps them, a new value is refused.
    const kept = columns.map((c, i) => c.type.kind === "inactiveArray" && isElementOf(values[i]!, c, index));
    if (columns.some((c, i) => c.type.kind === "inactiveArray" && !kept[i])) {
      this.error(node, "TSG1055", [`Giving '${truncate(target.getText())}' a new flag or string field`, "such fields of an array of objects stay as they are: copy them from the same element ({ ...ps[i], ... })"]);
      return undefined;
    }
    columns = columns.filter((_, i) => !kept[i]);
    values = values.filter((_, i) => !kept[i]);
    // Every value is read before any column is written (`ps[i] = { x: ps[i].y, y: ps[i].x }`).
    if (values.some((v) => columns.some((c) => varsOf(v).has(c)))) values = values.map((v, i) => this.snapshot(v, `${columns[i]!.name}_new`, pre, node));
    const stores: Stmt[] = columns.map((c, i) => ({ k: "store", array: { k: "var", v: c }, index, value: values[i]!, node }));
    const last = stores.pop();
    pre.push(...stores);
    return last;
  }

  private lowerLoop(s: ts.IterationStatement, label: string | undefined): Stmt[] {
    const info: LoopInfo = { id: this.nextLoopId++, label: this.printedLabel(label) };
    /** Calls lifted out of a `for` initializer run before the loop. */
    const before: Stmt[] = [];
    const init: Stmt[] = [];
    let test: Expr | null = null;
    const update: Stmt[] = [];
    let kind: "for" | "while" | "do";
    const testPre: Stmt[] = [];
    if (ts.isForStatement(s)) {
      kind = "for";
      if (s.initializer) {
        if (ts.isVariableDeclarationList(s.initializer)) {
          const declKind = declarationKind(s.initializer);
          if (!declKind) this.error(s.initializer, "TSG1001", ["using"]);
          for (const d of s.initializer.declarations) {
            if (!declKind) continue;
            const lowered = this.withEffects([d.initializer], () => this.lowerDeclaration(d, declKind));
            const declaration = lowered.pop();
            before.push(...lowered);
            if (declaration) {
              if (declaration.k === "assign" && declaration.declare) this.loopVariables.set(declaration.target, s);
              init.push(declaration);
            }
          }
        } else {
          const lowered = this.lowerUpdate(s.initializer);
          const last = lowered.pop();
          before.push(...lowered);
          if (last) init.push(last);
        }
      }
      if (s.condition) test = this.withEffects([s.condition], () => this.lowerCondition(s.condition!, testPre));
      if (s.incrementor) {
        update.push(...this.lowerUpdate(s.incrementor));
        if (update.some((u) => u.k === "assign" && u.declare)) {
          this.error(s.incrementor, "TSG1002", ["A call or an assignment inside an expression in a for-loop update"]);
        }
      }
    } else if (ts.isWhileStatement(s)) {
      kind = "while";
      test = this.withEffects([s.expression], () => this.lowerCondition(s.expression, testPre));
    } else {
      kind = "do";
      test = this.withEffects([(s as ts.DoStatement).expression], () => this.lowerCondition((s as ts.DoStatement).expression, testPre));
    }
    // A condition with statements of its own (lifted calls, assignments) is evaluated at the top of
    // the body: `for (;;) { pre; if (!test) break; body }`. A `continue` still reaches the
    // condition (through the update of a `for`), but not in a do...while, where the condition
    // runs after the body.
    const head: Stmt[] = [];
    // The same for a do...while at the end of its body, `for (;;) { body; pre; if (!test) break; }`,
    // when no `continue` of the body would skip the condition.
    let tail: Stmt[] = [];
    if (testPre.length > 0) {
      if (kind === "do" && continuesLoop(s as ts.DoStatement, label)) {
        this.error(s, "TSG1002", ["A call or assignment whose result is lifted out of the condition of a do...while that has a 'continue'"]);
      } else if (kind === "do") {
        tail = [...testPre, { k: "if", test: { k: "not", a: test! }, then: [{ k: "break", loop: info, exitId: this.nextExitId++, node: s }], else: [], node: s }];
        test = null;
        kind = "for";
      } else {
        head.push(...testPre, { k: "if", test: { k: "not", a: test! }, then: [{ k: "break", loop: info, exitId: this.nextExitId++, node: s }], else: [], node: s });
        test = null;
        kind = "for";
      }
    }
    this.loops.push({ info, label });
    const body = [...head, ...this.lowerStatement(s.statement), ...tail];
    this.loops.pop();
    return [...before, { k: "loop", kind, loop: info, init, test, update, body, node: s }];
  }

  /**
   * `switch` on a number (or a boolean, `switch (true)` with conditions as labels): an if/else
   * chain, or a one-trip loop with a `matched` flag for fall-through (switch.ts decides).
   */
  private lowerSwitch(s: ts.SwitchStatement): Stmt[] {
    const shape = switchShape(s, this.checker);
    if (shape.sharedDeclaration) {
      this.error(shape.sharedDeclaration, "TSG1019", [`'${shape.sharedDeclaration.text}' is declared in another case; put each case's statements in braces`]);
      return [];
    }
    const out: Stmt[] = [];
    const keyNode = skipTransparent(s.expression);
    const keyType = classifyType(this.checker.getTypeAtLocation(s.expression), this.checker);
    const always = keyNode.kind === ts.SyntaxKind.TrueKeyword;
    let key: Expr | undefined;
    if (keyType?.kind === "number") key = this.lowerNumeric(s.expression, out, true);
    else if (keyType?.kind === "boolean") key = always ? undefined : this.lowerCondition(s.expression, out);
    else if (keyType?.kind === "tag") key = this.lowerTag(s.expression, out);
    else {
      this.error(s.expression, "TSG1019", ["the value switched on must be a number, a boolean, a string or an enum"]);
      return [];
    }
    // The value switched on is evaluated once.
    if (key && key.k !== "var") {
      const t = this.temp("key", keyType);
      out.push({ k: "assign", target: t, value: key, declare: "const", node: s.expression });
      key = { k: "var", v: t };
    }
    const labelTest = (label: ts.Expression): Expr => {
      const pre: Stmt[] = [];
      const labelType = classifyType(this.checker.getTypeAtLocation(label), this.checker);
      let value: Expr;
      if (labelType?.kind !== keyType.kind) {
        this.error(label, "TSG1019", [`a case label must be a ${keyType.kind === "tag" ? "string or enum" : keyType.kind} like the value switched on`]);
        return { k: "bool", value: false };
      }
      if (keyType.kind === "number") value = this.lowerNumeric(label, pre, false);
      else if (keyType.kind === "tag") value = this.lowerTag(label, pre);
      else value = this.lowerCondition(label, pre);
      if (pre.length > 0) this.error(label, "TSG1019", ["a case label must be a plain expression"]);
      return key ? { k: "compare", op: "===", a: key, b: value } : value;
    };
    const any = (tests: Expr[]): Expr | undefined =>
      tests.reduce<Expr | undefined>((acc, t) => (acc ? { k: "logical", op: "||", a: acc, b: t } : t), undefined);
    const tests = shape.groups.map((g) => g.labels.map(labelTest));

    const info: LoopInfo | undefined = shape.loop ? { id: this.nextLoopId++ } : undefined;
    this.loops.push({ info, switch: true });
    const bodies = shape.groups.map((g) =>
      this.lowerBlock(shape.chain && g.trailingBreak ? g.statements.slice(0, -1) : g.statements),
    );
    this.loops.pop();

    let inner: Stmt[];
    if (shape.chain) {
      // if (key === a) {...} else if (key === b || key === c) {...} else {default}
      inner = [];
      for (let i = shape.groups.length - 1; i >= 0; i--) {
        const g = shape.groups[i]!;
        const test = any(tests[i]!);
        if (g.hasDefault || !test) inner = bodies[i]!;
        else inner = [{ k: "if", test, then: bodies[i]!, else: inner, node: g.node }];
      }
    } else {
      const matched = new Var("matched", { kind: "boolean" }, "local", false);
      out.push({ k: "assign", target: matched, value: { k: "bool", value: false }, declare: "let", node: s });
      inner = [];
      const last = shape.groups.length - 1;
      shape.groups.forEach((g, i) => {
        let test = any(tests[i]!);
        if (g.hasDefault) {
          // Entered when no label matches: none before (else matched is set), none after.
          const later = any(tests.slice(i + 1).flat());
          const none: Expr = later ? { k: "not", a: later } : { k: "bool", value: true };
          test = test ? { k: "logical", op: "||", a: test, b: none } : none;
        }
        const body: Stmt[] = i < last ? [{ k: "assign", target: matched, value: { k: "bool", value: true }, node: g.node }, ...bodies[i]!] : bodies[i]!;
        if (test && !(test.k === "bool" && test.value)) {
          const enter: Expr = i === 0 ? test : { k: "logical", op: "||", a: { k: "var", v: matched }, b: test };
          inner.push({ k: "if", test: enter, then: body, else: [], node: g.node });
        } else {
          inner.push(...body);
        }
      });
    }
    if (!info) return [...out, ...inner];
    return [...out, { k: "loop", kind: "do", loop: info, init: [], test: { k: "bool", value: false }, update: [], body: inner, node: s }];
  }

  /**
   * The label a loop gets in the output: the source's, unless an enclosing loop already has it
   * (a helper inlined into a loop of the same label), then `L0_2`. break/continue still find
   * the loop by the source's label (this.loops).
   */
  private printedLabel(label: string | undefined): string | undefined {
    if (label === undefined) return undefined;
    const used = new Set(this.loops.map((l) => l.info?.label));
    let name = label;
    for (let i = 2; used.has(name); i++) name = `${label}_${i}`;
    return name;
  }

  /** A loop label not used in the function or by generated code. */
  private freshLabel(): string {
    const used = new Set<string>();
    const visit = (n: ts.Node): void => {
      if (ts.isLabeledStatement(n)) used.add(n.label.text);
      ts.forEachChild(n, visit);
    };
    visit(this.ref.decl);
    for (const l of this.loops) if (l.label) used.add(l.label);
    // Not loopN (ad/reverse/plan.ts names blocks of unlabeled loops so) nor "forward".
    let name = "outer";
    for (let i = 2; used.has(name); i++) name = `outer${i}`;
    return name;
  }

  /** The incrementor of a `for`: `i++`, `i += 2`, or a comma list of them. */
  private lowerUpdate(e: ts.Expression): Stmt[] {
    e = skipParens(e);
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.CommaToken) {
      return [...this.lowerUpdate(e.left), ...this.lowerUpdate(e.right)];
    }
    // Node positions: synthesize an expression statement that reports at the expression.
    const statement = ts.factory.createExpressionStatement(e);
    ts.setTextRange(statement, e);
    (statement as { parent?: ts.Node }).parent = e.parent;
    return this.lowerExpressionStatement(statement);
  }


  /**
   * `for (const x of xs) body` over a vector or a matrix: a counted loop with a fresh index,
   * `for (let k = 0; k < xs.length; k++) { const x = xs[k]; body }`. A row of a matrix is an alias
   * of `m[k]` (never written: the index is fresh); `for (const [i, x] of xs.entries())` names the
   * index `i`. Arrays never change length here, and the array iterator reads `xs[k]` only when it
   * reaches `k`, so reading the element at the top of each iteration is exact even when the body
   * writes the array.
   */
  private lowerForOf(s: ts.ForOfStatement, label: string | undefined): Stmt[] {
    const reject = (node: ts.Node, why: string, code: "TSG1040" | "TSG1042" = "TSG1040"): Stmt[] => {
      // Over a variable whose declaration was reported: not reported again.
      const root = pathRoot(s.expression);
      const symbol = root && this.checker.getSymbolAtLocation(root);
      if (!(symbol && this.failed.has(symbol))) this.error(node, code, [why]);
      if (ts.isVariableDeclarationList(s.initializer)) for (const d of s.initializer.declarations) for (const id of boundNames(d.name)) this.markFailed(id);
      return [];
    };
    if (s.awaitModifier) {
      this.error(s, "TSG1007", ["Async"]);
      return [];
    }
    const list = s.initializer;
    if (!ts.isVariableDeclarationList(list)) return reject(list, "it assigns to an existing variable");
    const isConst = (list.flags & ts.NodeFlags.Const) !== 0;
    if (!isConst && !(list.flags & ts.NodeFlags.Let)) return reject(list, "its variable is declared with 'var' (use const or let)");
    const d = list.declarations[0]!;
    // What is iterated: `xs` or `xs.entries()`.
    let iterated = skipTransparent(s.expression);
    let entries = false;
    if (
      ts.isCallExpression(iterated) &&
      iterated.arguments.length === 0 &&
      ts.isPropertyAccessExpression(iterated.expression) &&
      iterated.expression.name.text === "entries"
    ) {
      entries = true;
      iterated = skipTransparent(iterated.expression.expression);
    }
    const rows = this.rowsPath(iterated);
    const arrayType = rows ? undefined : classifyType(this.checker.getTypeAtLocation(iterated), this.checker);
    if (!rows && (!arrayType || !isArrayType(arrayType))) {
      return reject(s.expression, `'${truncate(iterated.getText())}' is not an array of numbers or of objects`);
    }
    if (!ts.isIdentifier(iterated) && !ts.isElementAccessExpression(iterated) && !rows) {
      return reject(s.expression, `'${truncate(iterated.getText())}' is not an array variable or a row of one`);
    }
    // The binding: `x`, or `[i, x]` for entries.
    let indexName: ts.Identifier | undefined;
    let elementName: ts.Identifier | undefined;
    if (entries) {
      const pattern = d.name;
      const simple = (e: ts.ArrayBindingElement | undefined): e is ts.BindingElement =>
        e !== undefined && ts.isBindingElement(e) && !e.dotDotDotToken && !e.initializer && ts.isIdentifier(e.name);
      if (!ts.isArrayBindingPattern(pattern) || pattern.elements.length !== 2) {
        return reject(d.name, "the pairs of .entries() must be destructured as [i, x]");
      }
      const [first, second] = pattern.elements;
      if (!(simple(first) || (first && ts.isOmittedExpression(first))) || !(simple(second) || (second && ts.isOmittedExpression(second)))) {
        return reject(d.name, "the pairs of .entries() must be destructured as [i, x]");
      }
      if (simple(first)) indexName = first.name as ts.Identifier;
      if (simple(second)) elementName = second.name as ts.Identifier;
    } else {
      if (!ts.isIdentifier(d.name) && !this.rowsPath(iterated)) {
        this.error(d, "TSG1020");
        for (const id of boundNames(d.name)) this.markFailed(id);
        return [];
      }
      if (ts.isIdentifier(d.name)) elementName = d.name;
    }
    const before: Stmt[] = [];
    // Over an array of structures, the loop runs over its columns' length.
    const array: Expr = rows ? { k: "var", v: leavesOf(rows)[0]! } : this.lowerNumeric(iterated, before, false);
    if (!rows && !this.isStableAlias(array, s)) {
      return reject(s.expression, truncate(iterated.getText()), "TSG1042");
    }
    const info: LoopInfo = { id: this.nextLoopId++, label: this.printedLabel(label) };
    const body: Stmt[] = [];
    // `const [i, x]`: the index is the loop's own variable; with `let` the body may write a copy.
    const index = new Var(indexName && isConst ? indexName.text : this.freshIndexName(), NUMBER, "local");
    this.loopVariables.set(index, s);
    if (indexName) {
      const symbol = this.checker.getSymbolAtLocation(indexName);
      if (isConst) {
        if (symbol) this.vars.set(symbol, index);
      } else {
        const copy = new Var(indexName.text, NUMBER, "local");
        if (symbol) this.vars.set(symbol, copy);
        body.push({ k: "assign", target: copy, value: { k: "var", v: index }, declare: "let", node: indexName });
      }
    }
    if (rows) {
      // The element is a name of `ps[k]` (reads and writes go to the columns), or destructured.
      const binding = entries ? (d.name as ts.ArrayBindingPattern).elements[1] : d;
      const view: ElementView = { shape: rows.element, index: { k: "var", v: index }, root: this.checker.getSymbolAtLocation(iterated), text: `${iterated.getText()}[${index.name}]`, rows };
      if (binding && !ts.isOmittedExpression(binding) && !this.bindElement(binding.name, view, body)) return [];
    } else if (elementName) {
      const element: Expr = { k: "index", array, index: { k: "var", v: index } };
      const symbol = this.checker.getSymbolAtLocation(elementName);
      if (arrayType!.kind === "matrix") {
        if (!isConst) {
          this.error(d, "TSG1025", [elementName.text]);
          this.markFailed(elementName);
          return [];
        }
        if (symbol) this.aliases.set(symbol, element);
      } else {
        const v = new Var(elementName.text, NUMBER, "local", isConst);
        if (symbol) this.vars.set(symbol, v);
        body.push({ k: "assign", target: v, value: element, declare: isConst ? "const" : "let", node: elementName });
      }
    }
    this.loops.push({ info, label });
    body.push(...this.lowerStatement(s.statement));
    this.loops.pop();
    const ref: Expr = { k: "var", v: index };
    return [
      ...before,
      {
        k: "loop",
        kind: "for",
        loop: info,
        init: [{ k: "assign", target: index, value: { k: "num", value: 0 }, declare: "let", node: d }],
        test: { k: "compare", op: "<", a: ref, b: { k: "length", array } },
        update: [{ k: "assign", target: index, value: { k: "binary", op: "+", a: ref, b: { k: "num", value: 1 } }, node: s.expression }],
        body,
        node: s,
      },
    ];
  }
}

/** `const`, `let` or `var` (undefined: `using`). */
function declarationKind(list: ts.VariableDeclarationList): "const" | "let" | "var" | undefined {
  if (list.flags & ts.NodeFlags.Const) return "const";
  if (list.flags & ts.NodeFlags.Let) return "let";
  return isVarList(list) ? "var" : undefined;
}

/** The root variable's name of a field path, for messages. */
function rootIdentifierOfPath(e: ts.Expression): string {
  return pathRoot(e)?.getText() ?? truncate(e.getText());
}

/**
 * The public name of a destructured parameter (`{ pos, vel }: Particle`): its type's name in
 * camelCase (`particle`) when that is free, else `arg1`, `arg2`, ... by position.
 */
function destructuredParamName(type: ValueType, position: number, params: readonly ts.ParameterDeclaration[]): string {
  const taken = new Set(params.flatMap((p) => boundNames(p.name).map((id) => id.text)));
  const typeName = isStructType(type) ? type.name : undefined;
  const camel = typeName && /^[A-Z][\w$]*$/.test(typeName) ? typeName[0]!.toLowerCase() + typeName.slice(1) : undefined;
  // Two destructured parameters of one type would get one name.
  const sameType = params.filter((p) => !ts.isIdentifier(p.name) && p.type?.getText() === params[position]!.type?.getText());
  if (camel && !taken.has(camel) && sameType.length === 1) return camel;
  return `arg${position + 1}`;
}

/** `new Array(n)` without a type argument, alone or filled with a number (`.fill(0)`): the `new` expression. */
function untypedNewArray(initializer: ts.Expression): ts.NewExpression | undefined {
  let e = skipTransparent(initializer);
  if (ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression) && e.expression.name.text === "fill" && e.arguments.length === 1 && ts.isNumericLiteral(skipTransparent(e.arguments[0]!))) e = skipTransparent(e.expression.expression);
  return ts.isNewExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === "Array" && !e.typeArguments && e.arguments?.length === 1 ? e : undefined;
}

/** The statement after the one declaring `d` in its block, if any. */
function statementAfter(d: ts.VariableDeclaration): ts.Statement | undefined {
  const declarations = d.parent;
  const statement = declarations.parent;
  if (!ts.isVariableDeclarationList(declarations) || declarations.declarations.length !== 1 || !ts.isVariableStatement(statement)) return undefined;
  const list = statement.parent;
  if (!ts.isBlock(list) && !ts.isSourceFile(list) && !ts.isCaseClause(list) && !ts.isDefaultClause(list)) return undefined;
  return list.statements[list.statements.indexOf(statement) + 1];
}

/** Whether a `continue` in the body of `loop` (labeled `label`) goes to its condition. */
function continuesLoop(loop: ts.DoStatement, label: string | undefined): boolean {
  let found = false;
  const visit = (n: ts.Node, nested: boolean): void => {
    if (found || ts.isFunctionLike(n)) return;
    if (ts.isContinueStatement(n) && (n.label ? n.label.text === label : !nested)) found = true;
    const inner = nested || ts.isIterationStatement(n, false);
    n.forEachChild((c) => visit(c, inner));
  };
  visit(loop.statement, false);
  return found;
}
