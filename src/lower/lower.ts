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
import type { Diagnostic } from "../api-types.js";
import { type Code, diagAt } from "../diagnostics.js";
import { RUNTIME_MODULE } from "../frontend/program.js";
import { classifyType, isAnyType } from "../frontend/types.js";
import { type FunctionRef, functionOfSymbol, paramType, returnType, skipParens } from "../frontend/functions.js";
import { KERNELS } from "../ir/kernels.js";
import { varsOf } from "../ir/walk.js";
import {
  type BinaryOp,
  type CompareOp,
  type Expr,
  type IrFunction,
  type LoopInfo,
  type Param,
  type Stmt,
  type Type,
  NUMBER,
  Var,
  isArrayType,
} from "../ir/nodes.js";
import { MATH, MATH_FUNCTIONS, isMathFunction } from "../ir/primitives.js";

const MATH_CONSTANTS: Record<string, number> = {
  PI: Math.PI, E: Math.E, LN2: Math.LN2, LN10: Math.LN10, LOG2E: Math.LOG2E, LOG10E: Math.LOG10E,
  SQRT2: Math.SQRT2, SQRT1_2: Math.SQRT1_2,
};

/** Deepest expression nesting accepted (deeper code risks the emitter's recursion). */
export const MAX_DEPTH = 200;

/** Beyond this nesting an expression is rejected before lowering it at all (huge generated code). */
const FAST_REJECT_DEPTH = 4 * MAX_DEPTH;

/** Finds the function a call refers to, through imports. */
export type CalleeResolver = (fn: FunctionRef) => string;

interface LowerContext {
  checker: ts.TypeChecker;
  diagnostics: Diagnostic[];
  /** Registers a callee for lowering and returns its unique name. */
  resolveCallee: CalleeResolver;
}

/** Strips `x!` and parentheses, which do not change a numeric value. */
function skipTransparent(e: ts.Expression): ts.Expression {
  for (;;) {
    if (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
    else return e;
  }
}

/** The name of the imported binding if `symbol` is an import from tsgrad/runtime. */
function runtimeImportName(symbol: ts.Symbol | undefined): string | undefined {
  const decl = symbol?.declarations?.[0];
  if (!decl || !ts.isImportSpecifier(decl)) return undefined;
  const module = decl.parent.parent.parent.moduleSpecifier;
  if (!ts.isStringLiteral(module) || module.text !== RUNTIME_MODULE) return undefined;
  return (decl.propertyName ?? decl.name).text;
}

export function lowerFunction(ref: FunctionRef, uniqueName: string, exported: boolean, ctx: LowerContext): IrFunction | undefined {
  return new FunctionLowerer(ref, ctx).lower(uniqueName, exported);
}

class FunctionLowerer {
  private readonly vars = new Map<ts.Symbol, Var>();
  /** Declarations already reported: their uses are not reported again. */
  private readonly failed = new Set<ts.Symbol>();

  /** Array names that stand for another array expression (`const row = m[i]`). */
  private readonly aliases = new Map<ts.Symbol, Expr>();
  /** Variables declared by a `for` initializer, with the loop. */
  private readonly loopVariables = new Map<Var, ts.ForStatement>();

  /**
   * An alias is replaced by its expression everywhere, which is right only while the variables
   * in that expression keep their values: constants, and loop variables the loop body never writes.
   */
  private isStableAlias(alias: Expr, decl: ts.Node): boolean {
    for (const v of varsOf(alias)) {
      if (v.isConst) continue;
      if (v.origin === "param" && this.ref.decl.body && !writes(this.ref.decl.body, v.name)) continue;
      // A loop variable is stable inside one iteration when the body never writes it.
      const loop = this.loopVariables.get(v);
      if (loop && isAncestor(loop.statement, decl) && !writes(loop.statement, v.name)) continue;
      return false;
    }
    return true;
  }

  private markFailed(name: ts.Node): void {
    const symbol = this.checker.getSymbolAtLocation(name);
    if (symbol) this.failed.add(symbol);
  }
  private readonly loops: { info: LoopInfo; label?: string }[] = [];
  private nextExitId = 1;
  private nextLoopId = 1;
  private readonly callees: string[] = [];
  private readonly checker: ts.TypeChecker;
  private readonly params: Var[] = [];
  private tempCount = 0;

  constructor(
    private readonly ref: FunctionRef,
    private readonly ctx: LowerContext,
  ) {
    this.checker = ctx.checker;
  }

  private error(node: ts.Node, code: Code, args: (string | number)[] = []): void {
    this.ctx.diagnostics.push(diagAt(node, code, args));
  }

  lower(uniqueName: string, exported: boolean): IrFunction | undefined {
    const { decl } = this.ref;
    const before = this.ctx.diagnostics.length;
    if (decl.asteriskToken) this.error(decl, "TSG1007", ["Generator"]);
    if (decl.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) this.error(decl, "TSG1007", ["Async"]);
    const params: Param[] = [];
    for (const p of decl.parameters) {
      const { type, problem } = paramType(p, this.checker);
      if (problem) {
        this.error(p, problem[0], problem[1]);
        this.markFailed(p.name);
        continue;
      }
      const symbol = this.checker.getSymbolAtLocation(p.name);
      const v = new Var((p.name as ts.Identifier).text, type!, "param");
      if (symbol) this.vars.set(symbol, v);
      params.push({ v, node: p });
      this.params.push(v);
    }
    const ret = returnType(decl, this.checker);
    if (!ret.type || ret.type.kind === "boolean" || ret.type.kind === "matrix") {
      this.error(decl.name ?? decl, "TSG1016", [this.ref.name, ret.text]);
    }
    let body: Stmt[] = [];
    if (decl.body) {
      if (ts.isBlock(decl.body)) body = this.lowerBlock(decl.body.statements);
      else body = this.lowerReturn(decl.body, decl.body);
    }
    if (this.ctx.diagnostics.length > before) return undefined;
    return {
      name: uniqueName,
      sourceName: this.ref.name,
      params,
      returnType: ret.type!,
      body,
      callees: this.callees,
      fileName: this.ref.sourceFile.fileName,
      node: decl,
      exported,
    };
  }

  // ---------------------------------------------------------------- statements

  private lowerBlock(statements: readonly ts.Statement[]): Stmt[] {
    const out: Stmt[] = [];
    for (const s of statements) out.push(...this.lowerStatement(s));
    return out;
  }

  private lowerStatement(s: ts.Statement): Stmt[] {
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
        const test = this.lowerCondition(node.expression, pre);
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
        this.error(node, "TSG1032");
        return [];
      }
      case ts.SyntaxKind.BreakStatement:
      case ts.SyntaxKind.ContinueStatement: {
        const node = s as ts.BreakOrContinueStatement;
        const isBreak = s.kind === ts.SyntaxKind.BreakStatement;
        const target = node.label ? [...this.loops].reverse().find((l) => l.label === node.label!.text) : this.loops[this.loops.length - 1];
        if (!target) {
          this.error(node, "TSG1031", [isBreak ? "break" : "continue"]);
          return [];
        }
        const exitId = this.nextExitId++;
        return [isBreak ? { k: "break", loop: target.info, exitId, node } : { k: "continue", loop: target.info, exitId, node }];
      }
      case ts.SyntaxKind.ReturnStatement: {
        const node = s as ts.ReturnStatement;
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
        this.error(s, "TSG1019");
        return [];
      case ts.SyntaxKind.ClassDeclaration:
        this.error(s, "TSG1005");
        return [];
      case ts.SyntaxKind.FunctionDeclaration:
        this.error(s, "TSG1006", [(s as ts.FunctionDeclaration).name?.text ?? "function"]);
        return [];
      case ts.SyntaxKind.ForOfStatement:
        this.error(s, "TSG1001", ["for...of"]);
        return [];
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

  private lowerReturn(expression: ts.Expression, node: ts.Node): Stmt[] {
    const pre: Stmt[] = [];
    const literal = skipTransparent(expression);
    const value = ts.isArrayLiteralExpression(literal) ? this.lowerArrayLiteral(literal, pre) : this.lowerNumeric(expression, pre, true);
    if (!value) return pre;
    return [...pre, { k: "return", value, exitId: this.nextExitId++, node }];
  }

  private lowerVariableStatement(s: ts.VariableStatement): Stmt[] {
    const list = s.declarationList;
    const out: Stmt[] = [];
    const isConst = (list.flags & ts.NodeFlags.Const) !== 0;
    if (!isConst && !(list.flags & ts.NodeFlags.Let)) {
      this.error(s, "TSG1014");
      for (const d of list.declarations) for (const id of boundNames(d.name)) this.markFailed(id);
      return [];
    }
    for (const d of list.declarations) out.push(...this.lowerDeclaration(d, isConst));
    return out;
  }

  private lowerDeclaration(d: ts.VariableDeclaration, isConst: boolean): Stmt[] {
    if (!ts.isIdentifier(d.name)) {
      this.error(d, "TSG1020");
      for (const id of boundNames(d.name)) this.markFailed(id);
      return [];
    }
    const name = d.name.text;
    if (!d.initializer) {
      this.error(d, "TSG1022", [name]);
      this.markFailed(d.name);
      return [];
    }
    const init = skipParens(d.initializer);
    if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) {
      this.error(init, "TSG1006", [name]);
      return [];
    }
    const t = this.checker.getTypeAtLocation(d.name);
    if (isAnyType(t)) {
      this.error(d.name, "TSG1009", [name]);
      this.markFailed(d.name);
      return [];
    }
    const type = classifyType(t, this.checker);
    if (!type) {
      this.error(d.name, "TSG1015", [name, this.checker.typeToString(t)]);
      this.markFailed(d.name);
      return [];
    }
    const pre: Stmt[] = [];
    let value: Expr | undefined;
    if (isArrayType(type)) {
      if (!isConst) {
        this.error(d, "TSG1025", [name]);
        this.markFailed(d.name);
        return [];
      }
      // `const row = m[i]` or `const b = a`: another name for (part of) an existing array.
      const target = skipTransparent(init);
      if (ts.isIdentifier(target) || ts.isElementAccessExpression(target)) {
        const alias = this.lowerNumeric(target, pre, false);
        if (!this.isStableAlias(alias, d)) {
          this.error(d, "TSG1025", [name]);
          this.markFailed(d.name);
          return [];
        }
        const symbol = this.checker.getSymbolAtLocation(d.name);
        if (symbol) this.aliases.set(symbol, alias);
        return pre;
      }
      value = this.lowerArrayCreation(init, type, pre);
      if (!value) this.markFailed(d.name);
    } else if (type.kind === "boolean") {
      value = this.lowerCondition(init, pre);
    } else {
      value = this.lowerNumeric(init, pre, true);
    }
    if (!value) return [];
    const v = new Var(name, type, "local", isConst);
    const symbol = this.checker.getSymbolAtLocation(d.name);
    if (symbol) this.vars.set(symbol, v);
    return [...pre, { k: "assign", target: v, value, declare: isConst ? "const" : "let", node: d }];
  }

  /** `new Float64Array(n)`, `new Array(n).fill(0)`, `[a, b, c]`. */
  private lowerArrayCreation(init: ts.Expression, type: Type, pre: Stmt[]): Expr | undefined {
    const e = skipTransparent(init);
    if (type.kind === "vector") {
      if (ts.isNewExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === "Float64Array" && e.arguments?.length === 1) {
        const arg = e.arguments[0]!;
        const argType = this.checker.getTypeAtLocation(arg);
        if (classifyType(argType, this.checker)?.kind === "number") {
          return { k: "alloc", type: { kind: "vector", repr: "f64", readonly: false }, length: this.lowerNumeric(arg, pre, false) };
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
      if (ts.isArrayLiteralExpression(e)) return this.lowerArrayLiteral(e, pre);
    }
    // A call of a user function or kernel that returns a fresh array.
    if (ts.isCallExpression(e)) return this.lowerCall(e, pre, false);
    this.error(init, "TSG1023", [truncate(init.getText())]);
    return undefined;
  }

  private lowerArrayLiteral(e: ts.ArrayLiteralExpression, pre: Stmt[]): Expr | undefined {
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

  private lowerExpressionStatement(s: ts.ExpressionStatement): Stmt[] {
    const e = skipParens(s.expression);
    const pre: Stmt[] = [];
    if (ts.isBinaryExpression(e) && isAssignmentOperator(e.operatorToken.kind)) {
      const op = compoundOperator(e.operatorToken.kind);
      if (op === null) {
        this.error(e.operatorToken, "TSG1002", [`The operator '${e.operatorToken.getText()}'`]);
        return [];
      }
      const stmt = this.lowerAssignment(e.left, op, e.right, pre, s);
      return stmt ? [...pre, stmt] : [];
    }
    if ((ts.isPrefixUnaryExpression(e) || ts.isPostfixUnaryExpression(e)) && isIncrement(e.operator)) {
      const op = e.operator === ts.SyntaxKind.PlusPlusToken ? "+" : "-";
      const stmt = this.lowerAssignment(e.operand, op, undefined, pre, s);
      return stmt ? [...pre, stmt] : [];
    }
    this.error(s, "TSG1002", [`The expression statement '${truncate(s.getText())}'`]);
    return [];
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
    if (ts.isIdentifier(target)) {
      const v = this.varOf(target);
      if (!v) return undefined;
      if (isArrayType(v.type)) {
        this.error(target, v.origin === "param" ? "TSG1017" : "TSG1025", [target.text]);
        return undefined;
      }
      if (v.type.kind === "boolean") {
        if (op || !valueNode) {
          this.error(node, "TSG1028", [target.text]);
          return undefined;
        }
        return { k: "assign", target: v, value: this.lowerCondition(valueNode, pre), node };
      }
      return { k: "assign", target: v, value: rhs({ k: "var", v }), node };
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
      const array = this.lowerNumeric(target.expression, pre, false);
      const index = this.lowerNumeric(target.argumentExpression, pre, false);
      const current: Expr = { k: "index", array, index };
      return { k: "store", array, index, value: rhs(current), node };
    }
    this.error(target, "TSG1002", [`Writing to '${truncate(target.getText())}'`]);
    return undefined;
  }

  private lowerLoop(s: ts.IterationStatement, label: string | undefined): Stmt[] {
    const info: LoopInfo = { id: this.nextLoopId++, label };
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
          const isConst = (s.initializer.flags & ts.NodeFlags.Const) !== 0;
          if (!isConst && !(s.initializer.flags & ts.NodeFlags.Let)) this.error(s.initializer, "TSG1014");
          for (const d of s.initializer.declarations) {
            const lowered = this.lowerDeclaration(d, isConst);
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
      if (s.condition) test = this.lowerCondition(s.condition, testPre);
      if (s.incrementor) {
        update.push(...this.lowerUpdate(s.incrementor));
        if (update.some((u) => u.k === "assign" && u.declare)) {
          this.error(s.incrementor, "TSG1002", ["A call in a for-loop update"]);
        }
      }
    } else if (ts.isWhileStatement(s)) {
      kind = "while";
      test = this.lowerCondition(s.expression, testPre);
    } else {
      kind = "do";
      test = this.lowerCondition((s as ts.DoStatement).expression, testPre);
    }
    if (testPre.length > 0) this.error(s, "TSG1002", ["A call whose result is lifted out of a loop condition"]);
    this.loops.push({ info, label });
    const body = this.lowerStatement(s.statement);
    this.loops.pop();
    return [...before, { k: "loop", kind, loop: info, init, test, update, body, node: s }];
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

  // ---------------------------------------------------------------- expressions

  private varOf(id: ts.Identifier): Var | undefined {
    const symbol = this.checker.getSymbolAtLocation(id);
    const v = symbol ? this.vars.get(symbol) : undefined;
    if (v) return v;
    if (symbol && this.failed.has(symbol)) return undefined;
    // Not a local or parameter of this function.
    this.error(id, "TSG1018", [id.text]);
    return undefined;
  }

  /** A boolean expression (conditions). Calls inside stay calls of the primal function. */
  /**
   * TSG1027 for an expression nested too deeply. At the top of an expression the nesting is
   * measured without recursion or type queries first, so that huge inputs are rejected fast.
   */
  private tooDeep(node: ts.Expression, depth: number): boolean {
    if (depth === 0 && nestingDepth(node, FAST_REJECT_DEPTH) > FAST_REJECT_DEPTH) {
      this.error(node, "TSG1027", [`more than ${FAST_REJECT_DEPTH}`, MAX_DEPTH]);
      return true;
    }
    // Otherwise the recursion reports the first node past the limit, where it is.
    if (depth <= MAX_DEPTH) return false;
    this.error(node, "TSG1027", [depth, MAX_DEPTH]);
    return true;
  }

  private lowerCondition(node: ts.Expression, pre: Stmt[], depth = 0): Expr {
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
        return {
          k: "logical",
          op: kind === ts.SyntaxKind.AmpersandAmpersandToken ? "&&" : "||",
          a: this.lowerCondition(e.left, pre, depth + 1),
          b: this.lowerCondition(e.right, pre, depth + 1),
        };
      }
      const cmp = compareOperator(kind);
      if (cmp) {
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
    if (ts.isConditionalExpression(e)) {
      return {
        k: "cond",
        test: this.lowerCondition(e.condition, pre, depth + 1),
        a: this.lowerCondition(e.whenTrue, pre, depth + 1),
        b: this.lowerCondition(e.whenFalse, pre, depth + 1),
      };
    }
    if (ts.isIdentifier(e)) {
      const v = this.varOf(e);
      if (v && v.type.kind === "boolean") return { k: "var", v };
      if (v) this.error(e, "TSG1002", [`Using the number '${e.text}' as a condition`]);
      return { k: "bool", value: false };
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
   * A numeric expression. With `lift`, calls of user functions are lifted into temporaries
   * appended to `pre` (they run before the statement, in evaluation order).
   */
  private lowerNumeric(node: ts.Expression, pre: Stmt[], lift: boolean, depth = 0): Expr {
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
        const v = symbol ? this.vars.get(symbol) : undefined;
        if (v) {
          if (v.type.kind === "boolean") {
            this.error(id, "TSG1028", [id.text]);
            return fail;
          }
          return { k: "var", v };
        }
        if (symbol && this.failed.has(symbol)) return fail;
        const constant = this.moduleConstant(symbol);
        if (constant !== undefined) return { k: "num", value: constant, text: id.text };
        const fn = functionOfSymbol(symbol, this.checker);
        if (fn) {
          this.error(id, "TSG1006", [id.text]);
          return fail;
        }
        this.error(id, "TSG1018", [id.text]);
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
          this.error(u, "TSG1013", [u.getText()]);
          return fail;
        }
        this.error(u, "TSG1002", [`The operator '${ts.tokenToString(u.operator)}'`]);
        return fail;
      }
      case ts.SyntaxKind.PostfixUnaryExpression:
        this.error(e, "TSG1013", [e.getText()]);
        return fail;
      case ts.SyntaxKind.BinaryExpression: {
        const b = e as ts.BinaryExpression;
        const kind = b.operatorToken.kind;
        if (isAssignmentOperator(kind)) {
          this.error(b, "TSG1013", [truncate(b.getText())]);
          return fail;
        }
        const op = arithmeticOperator(kind);
        if (op) {
          // (No type query for string concatenation: a string can only arrive as a literal or
          // from a call or member access, which are rejected where they appear.)
          return { k: "binary", op, a: sub(b.left), b: sub(b.right) };
        }
        if (compareOperator(kind) || kind === ts.SyntaxKind.AmpersandAmpersandToken || kind === ts.SyntaxKind.BarBarToken) {
          this.error(b, "TSG1028", [truncate(b.getText())]);
          return fail;
        }
        this.error(b.operatorToken, "TSG1002", [`The operator '${b.operatorToken.getText()}'`]);
        return fail;
      }
      case ts.SyntaxKind.ConditionalExpression: {
        const c = e as ts.ConditionalExpression;
        const test = this.lowerCondition(c.condition, pre, depth + 1);
        if (lift && (containsUserCall(c.whenTrue, this.checker) || containsUserCall(c.whenFalse, this.checker))) {
          // The branches' calls must run only on their branch: lower to if/else into a temporary.
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
        if (p.name.text === "length") {
          const t = classifyType(this.checker.getTypeAtLocation(p.expression), this.checker);
          if (t && isArrayType(t)) return { k: "length", array: sub(p.expression) };
        }
        if (this.isStringTyped(p.expression)) {
          this.error(p.expression, "TSG1008");
          return fail;
        }
        if (p.questionDotToken) {
          this.error(p, "TSG1029");
          return fail;
        }
        this.error(p, "TSG1012", [truncate(p.getText())]);
        return fail;
      }
      case ts.SyntaxKind.ElementAccessExpression: {
        const a = e as ts.ElementAccessExpression;
        const t = classifyType(this.checker.getTypeAtLocation(a.expression), this.checker);
        if (!t || !isArrayType(t)) {
          this.error(a, "TSG1012", [truncate(a.expression.getText())]);
          return fail;
        }
        return { k: "index", array: sub(a.expression), index: sub(a.argumentExpression) };
      }
      case ts.SyntaxKind.CallExpression:
        return this.lowerCall(e as ts.CallExpression, pre, lift, false, depth + 1) ?? fail;
      case ts.SyntaxKind.ArrowFunction:
      case ts.SyntaxKind.FunctionExpression:
        this.error(e, "TSG1006", ["function expression"]);
        return fail;
      case ts.SyntaxKind.ObjectLiteralExpression:
        this.error(e, "TSG1012", ["{ ... }"]);
        return fail;
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
      default:
        this.error(e, "TSG1002", [`The expression '${truncate(e.getText())}'`]);
        return fail;
    }
  }

  /**
   * Whether an operand is boolean. A variable's declared type decides, not the narrowed one
   * (in dead code TypeScript narrows a boolean to `never`).
   */
  private isBooleanOperand(node: ts.Expression): boolean {
    const e = skipTransparent(node);
    if (ts.isIdentifier(e)) {
      const symbol = this.checker.getSymbolAtLocation(e);
      const v = symbol ? this.vars.get(symbol) : undefined;
      if (v) return v.type.kind === "boolean";
    }
    if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) return true;
    if (ts.isBinaryExpression(e) && (compareOperator(e.operatorToken.kind) || e.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken || e.operatorToken.kind === ts.SyntaxKind.BarBarToken)) return true;
    return classifyType(this.checker.getTypeAtLocation(e), this.checker)?.kind === "boolean";
  }

  private isStringTyped(e: ts.Expression): boolean {
    return (this.checker.getTypeAtLocation(e).flags & ts.TypeFlags.StringLike) !== 0;
  }

  private isGlobalMath(id: ts.Identifier): boolean {
    const symbol = this.checker.getSymbolAtLocation(id);
    return !symbol || !this.vars.has(symbol);
  }

  private lowerCall(c: ts.CallExpression, pre: Stmt[], lift: boolean, booleanResult = false, depth = 1): Expr | undefined {
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
      const arity = MATH[fn].arity;
      if (typeof arity === "number" ? args.length !== arity : args.length < arity.atLeast) {
        this.error(c, "TSG1033", [`Math.${fn}`, typeof arity === "number" ? arity : arity.atLeast === 1 ? "one or more" : `${arity.atLeast} or more`]);
        return undefined;
      }
      if (args.some(ts.isSpreadElement)) {
        this.error(c, "TSG1002", ["A spread argument"]);
        return undefined;
      }
      return { k: "math", fn, args: args.map((a) => this.lowerNumeric(a, pre, lift, depth + 1)) };
    }
    if (ts.isPropertyAccessExpression(callee)) {
      const objectType = classifyType(this.checker.getTypeAtLocation(callee.expression), this.checker);
      if (objectType && isArrayType(objectType)) {
        this.error(callee.name, "TSG1021", [callee.name.text]);
        return undefined;
      }
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
    if (symbol && this.vars.has(symbol)) {
      this.error(callee, "TSG1011", [callee.text]);
      return undefined;
    }
    const fn = functionOfSymbol(symbol, this.checker);
    if (!fn) {
      this.error(callee, "TSG1011", [callee.text]);
      return undefined;
    }
    if (args.some(ts.isSpreadElement)) {
      this.error(c, "TSG1002", ["A spread argument"]);
      return undefined;
    }
    if (args.length !== fn.decl.parameters.length) {
      this.error(c, "TSG1033", [callee.text, fn.decl.parameters.length]);
      return undefined;
    }
    const name = this.ctx.resolveCallee(fn);
    if (!this.callees.includes(name)) this.callees.push(name);
    const loweredArgs = args.map((a) => {
      const t = classifyType(this.checker.getTypeAtLocation(a), this.checker);
      return t?.kind === "boolean" ? this.lowerCondition(a, pre, depth + 1) : this.lowerNumeric(a, pre, lift && !booleanResult, depth + 1);
    });
    const call: Expr = { k: "call", fn: name, args: loweredArgs };
    if (!lift || booleanResult) return call;
    const ret = returnType(fn.decl, this.checker).type ?? NUMBER;
    const t = this.temp(`${fn.name}_result`, ret);
    pre.push({ k: "assign", target: t, value: call, declare: "const", node: c });
    return { k: "var", v: t };
  }

  private temp(base: string, type: Type): Var {
    this.tempCount++;
    return new Var(base, type, "temp", true);
  }

  /** The value of a module-level numeric constant, folded at compile time. */
  private moduleConstant(symbol: ts.Symbol | undefined, seen = new Set<ts.Symbol>()): number | undefined {
    if (!symbol || seen.has(symbol)) return undefined;
    seen.add(symbol);
    if (symbol.flags & ts.SymbolFlags.Alias) symbol = this.checker.getAliasedSymbol(symbol);
    const decl = symbol.valueDeclaration;
    if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer) return undefined;
    const list = decl.parent;
    if (!ts.isVariableDeclarationList(list) || !(list.flags & ts.NodeFlags.Const)) return undefined;
    if (!ts.isVariableStatement(list.parent) || !ts.isSourceFile(list.parent.parent)) return undefined;
    return this.fold(decl.initializer, seen);
  }

  private fold(e: ts.Expression, seen: Set<ts.Symbol>): number | undefined {
    e = skipTransparent(e);
    if (ts.isNumericLiteral(e)) return Number(e.text);
    if (ts.isPrefixUnaryExpression(e)) {
      const v = this.fold(e.operand, seen);
      if (v === undefined) return undefined;
      return e.operator === ts.SyntaxKind.MinusToken ? -v : e.operator === ts.SyntaxKind.PlusToken ? v : undefined;
    }
    if (ts.isBinaryExpression(e)) {
      const op = arithmeticOperator(e.operatorToken.kind);
      const a = this.fold(e.left, seen);
      const b = this.fold(e.right, seen);
      if (!op || a === undefined || b === undefined) return undefined;
      switch (op) {
        case "+": return a + b;
        case "-": return a - b;
        case "*": return a * b;
        case "/": return a / b;
        case "**": return a ** b;
        case "%": return a % b;
      }
    }
    if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === "Math") {
      return MATH_CONSTANTS[e.name.text];
    }
    if (ts.isIdentifier(e)) return this.moduleConstant(this.checker.getSymbolAtLocation(e), seen);
    return undefined;
  }
}

// ---------------------------------------------------------------- helpers

function isZeroLiteral(e: ts.Expression): boolean {
  e = skipParens(e);
  return ts.isNumericLiteral(e) && Number(e.text) === 0;
}

function rootIdentifier(e: ts.Expression): ts.Identifier | undefined {
  e = skipTransparent(e);
  while (ts.isElementAccessExpression(e)) e = skipTransparent(e.expression);
  return ts.isIdentifier(e) ? e : undefined;
}

function containsUserCall(node: ts.Node, checker: ts.TypeChecker): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n)) {
      const callee = skipParens(n.expression);
      if (ts.isIdentifier(callee)) {
        const symbol = checker.getSymbolAtLocation(callee);
        if (functionOfSymbol(symbol, checker) || runtimeImportName(symbol) !== undefined) {
          found = true;
          return;
        }
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

function rootVarOf(e: Expr): Var | undefined {
  if (e.k === "var") return e.v;
  if (e.k === "index") return rootVarOf(e.array);
  return undefined;
}

function isAncestor(ancestor: ts.Node, node: ts.Node): boolean {
  for (let n: ts.Node | undefined = node; n; n = n.parent) if (n === ancestor) return true;
  return false;
}

/** Whether `node` contains an assignment, `++` or `--` of an identifier named `name`. */
function writes(node: ts.Node, name: string): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isBinaryExpression(n) && isAssignmentOperator(n.operatorToken.kind) && ts.isIdentifier(skipParens(n.left)) && (skipParens(n.left) as ts.Identifier).text === name) found = true;
    else if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && isIncrement(n.operator) && ts.isIdentifier(n.operand) && n.operand.text === name) found = true;
    else ts.forEachChild(n, visit);
  };
  visit(node);
  return found;
}

function isIncrement(op: ts.SyntaxKind): boolean {
  return op === ts.SyntaxKind.PlusPlusToken || op === ts.SyntaxKind.MinusMinusToken;
}

function isAssignmentOperator(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

/** `=` -> undefined, `+=` -> "+", ...; null for compound operators outside the language. */
function compoundOperator(kind: ts.SyntaxKind): BinaryOp | undefined | null {
  switch (kind) {
    case ts.SyntaxKind.EqualsToken: return undefined;
    case ts.SyntaxKind.PlusEqualsToken: return "+";
    case ts.SyntaxKind.MinusEqualsToken: return "-";
    case ts.SyntaxKind.AsteriskEqualsToken: return "*";
    case ts.SyntaxKind.SlashEqualsToken: return "/";
    case ts.SyntaxKind.AsteriskAsteriskEqualsToken: return "**";
    case ts.SyntaxKind.PercentEqualsToken: return "%";
    default: return null;
  }
}

function arithmeticOperator(kind: ts.SyntaxKind): BinaryOp | undefined {
  switch (kind) {
    case ts.SyntaxKind.PlusToken: return "+";
    case ts.SyntaxKind.MinusToken: return "-";
    case ts.SyntaxKind.AsteriskToken: return "*";
    case ts.SyntaxKind.SlashToken: return "/";
    case ts.SyntaxKind.AsteriskAsteriskToken: return "**";
    case ts.SyntaxKind.PercentToken: return "%";
    default: return undefined;
  }
}

function compareOperator(kind: ts.SyntaxKind): CompareOp | undefined {
  switch (kind) {
    case ts.SyntaxKind.LessThanToken: return "<";
    case ts.SyntaxKind.LessThanEqualsToken: return "<=";
    case ts.SyntaxKind.GreaterThanToken: return ">";
    case ts.SyntaxKind.GreaterThanEqualsToken: return ">=";
    case ts.SyntaxKind.EqualsEqualsEqualsToken:
    case ts.SyntaxKind.EqualsEqualsToken: return "===";
    case ts.SyntaxKind.ExclamationEqualsEqualsToken:
    case ts.SyntaxKind.ExclamationEqualsToken: return "!==";
    default: return undefined;
  }
}

/** The keyword a statement starts with (`debugger`, `interface`, ...), as the user wrote it. */
function statementKindName(s: ts.Statement): string {
  const first = s.getFirstToken(s.getSourceFile());
  return first ? first.getText(s.getSourceFile()) : "this";
}

/** How deeply an expression nests, counted up to `limit + 1` without recursion. */
function nestingDepth(root: ts.Node, limit: number): number {
  let deepest = 0;
  const stack: [ts.Node, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > deepest) deepest = depth;
    if (deepest > limit) return deepest;
    node.forEachChild((child) => {
      stack.push([child, ts.isParenthesizedExpression(node) || ts.isNonNullExpression(node) ? depth : depth + 1]);
    });
  }
  return deepest;
}

/** Identifiers a declaration binds (also inside destructuring patterns). */
function boundNames(name: ts.BindingName): ts.Identifier[] {
  if (ts.isIdentifier(name)) return [name];
  const out: ts.Identifier[] = [];
  for (const element of name.elements) if (!ts.isOmittedExpression(element)) out.push(...boundNames(element.name));
  return out;
}

function truncate(text: string, max = 40): string {
  const oneLine = text.replace(/\s+/g, " ");
  return oneLine.length > max ? `${oneLine.slice(0, max - 3)}...` : oneLine;
}
