/**
 * What lowering one function knows as it goes: the variables of the source's symbols, aliases,
 * loops, callees, temporaries, and the diagnostics it reports. The expression and statement
 * lowerers (expressions.ts, lower.ts) build on it.
 */
import ts from "typescript";
import type { Diagnostic } from "../api-types.js";
import { type Code, diagAt } from "../diagnostics.js";
import type { FunctionRef } from "../frontend/functions.js";
import { varsOf } from "../ir/walk.js";
import { type Expr, type LoopInfo, type Shape, type Type, Var } from "../ir/nodes.js";
import { skipTransparent, isAncestor, writes, arithmeticOperator } from "./syntax.js";

export const MATH_CONSTANTS: Record<string, number> = {
  PI: Math.PI, E: Math.E, LN2: Math.LN2, LN10: Math.LN10, LOG2E: Math.LOG2E, LOG10E: Math.LOG10E,
  SQRT2: Math.SQRT2, SQRT1_2: Math.SQRT1_2,
};

/** Deepest expression nesting accepted (deeper code risks the emitter's recursion). */
export const MAX_DEPTH = 200;

/** Beyond this nesting an expression is rejected before lowering it at all (huge generated code). */
export const FAST_REJECT_DEPTH = 4 * MAX_DEPTH;

/** Finds the function a call refers to, through imports. */
export type CalleeResolver = (fn: FunctionRef) => string;

export interface LowerContext {
  checker: ts.TypeChecker;
  diagnostics: Diagnostic[];
  /** Registers a callee for lowering and returns its unique name. */
  resolveCallee: CalleeResolver;
}

export class LoweringScope {
  protected readonly vars = new Map<ts.Symbol, Var>();
  /** Declarations already reported: their uses are not reported again. */
  protected readonly failed = new Set<ts.Symbol>();

  /** Structured variables (objects, tuples): their leaves (structures.ts). */
  protected readonly structs = new Map<ts.Symbol, Shape>();
  /** Array names that stand for another array expression (`const row = m[i]`). */
  protected readonly aliases = new Map<ts.Symbol, Expr>();
  /** Variables declared by a `for` initializer (or a `for...of` index), with the loop. */
  protected readonly loopVariables = new Map<Var, ts.ForStatement | ts.ForOfStatement>();

  /**
   * An alias is replaced by its expression everywhere, which is right only while the variables
   * in that expression keep their values: constants, and loop variables the loop body never writes.
   */
  protected isStableAlias(alias: Expr, decl: ts.Node): boolean {
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

  protected markFailed(name: ts.Node): void {
    const symbol = this.checker.getSymbolAtLocation(name);
    if (symbol) this.failed.add(symbol);
  }
  /**
   * Enclosing loops, innermost last, and switches (`switch` set): an unlabeled `break` leaves the
   * innermost of either, `continue` goes to the innermost loop. `info` of a switch is its one-trip
   * loop, or undefined when it is an if/else chain (its trailing breaks are dropped).
   */
  protected readonly loops: { info: LoopInfo | undefined; label?: string; switch?: boolean }[] = [];
  protected nextExitId = 1;
  protected nextLoopId = 1;
  protected readonly callees: string[] = [];
  protected readonly checker: ts.TypeChecker;
  protected readonly params: Var[] = [];
  protected tempCount = 0;

  constructor(
    /** The function being lowered (the helper, while one is inlined). */
    protected ref: FunctionRef,
    protected readonly ctx: LowerContext,
  ) {
    this.checker = ctx.checker;
  }

  protected error(node: ts.Node, code: Code, args: (string | number)[] = []): void {
    this.ctx.diagnostics.push(diagAt(node, code, args));
  }

  protected varOf(id: ts.Identifier): Var | undefined {
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

  protected temp(base: string, type: Type): Var {
    this.tempCount++;
    return new Var(base, type, "temp", true);
  }

  /** The value of a module-level numeric constant, folded at compile time. */
  protected moduleConstant(symbol: ts.Symbol | undefined, seen = new Set<ts.Symbol>()): number | undefined {
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

  protected fold(e: ts.Expression, seen: Set<ts.Symbol>): number | undefined {
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
