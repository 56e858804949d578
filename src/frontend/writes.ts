/**
 * Which expressions a function writes: assignment targets, and the parameters a function writes
 * into (`p.x = ...`, `out[0] = ...`), directly or through the functions it calls. Selection
 * (an exported `void` function that updates its parameter) and lowering (helpers inlined in
 * place) both ask.
 */
import ts from "typescript";
import { type FunctionRef, functionOfSymbol, skipParens } from "./functions.js";

/** Strips `x!` and parentheses, which do not change a numeric value. */
export function skipTransparent(e: ts.Expression): ts.Expression {
  for (;;) {
    if (ts.isParenthesizedExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
    else return e;
  }
}

/** The identifier a path `p.pos.x` / `t[0]` / `m[i][j]` starts from. */
export function pathRoot(e: ts.Expression): ts.Identifier | ts.ThisExpression | undefined {
  e = skipTransparent(e);
  while (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) e = skipTransparent(e.expression);
  return ts.isIdentifier(e) || e.kind === ts.SyntaxKind.ThisKeyword ? (e as ts.Identifier | ts.ThisExpression) : undefined;
}

/**
 * Assignments, `++` and `--` anywhere inside `node` (itself included): the written expressions
 * (`x` of `x = 1`, `a[i]` of `a[i]++`). Iterative: expressions may nest thousands deep.
 */
export function assignmentTargets(node: ts.Node): ts.Expression[] {
  const out: ts.Expression[] = [];
  const stack: ts.Node[] = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (ts.isBinaryExpression(n) && isAssignmentOperator(n.operatorToken.kind)) out.push(...destructuredTargets(skipTransparent(n.left)));
    else if ((ts.isPrefixUnaryExpression(n) || ts.isPostfixUnaryExpression(n)) && isIncrement(n.operator)) out.push(skipTransparent(n.operand));
    n.forEachChild((child) => {
      stack.push(child);
    });
  }
  return out;
}

/** The targets of an assignment: itself, or each target of `[a, b] = ...` / `({ x: a } = ...)`. */
function destructuredTargets(e: ts.Expression): ts.Expression[] {
  if (ts.isArrayLiteralExpression(e)) {
    return e.elements.flatMap((el) => (ts.isOmittedExpression(el) ? [] : destructuredTargets(skipTransparent(ts.isSpreadElement(el) ? el.expression : el))));
  }
  if (ts.isObjectLiteralExpression(e)) {
    return e.properties.flatMap((p) =>
      ts.isShorthandPropertyAssignment(p) ? [p.name] : ts.isPropertyAssignment(p) ? destructuredTargets(skipTransparent(p.initializer)) : ts.isSpreadAssignment(p) ? destructuredTargets(skipTransparent(p.expression)) : [],
    );
  }
  return [e];
}

export function isIncrement(op: ts.SyntaxKind): boolean {
  return op === ts.SyntaxKind.PlusPlusToken || op === ts.SyntaxKind.MinusMinusToken;
}

export function isAssignmentOperator(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

/** Positions of the parameters each function writes into (memoized per analysis). */
export class WriteAnalysis {
  private readonly memo = new Map<ts.Node, Set<number>>();
  constructor(private readonly checker: ts.TypeChecker) {}

  /** Positions of the parameters `decl` writes into, directly or through the functions it calls. */
  writtenParams(decl: FunctionRef["decl"]): Set<number> {
    const known = this.memo.get(decl);
    if (known) return known;
    const out = new Set<number>();
    this.memo.set(decl, out); // (recursion: what is known so far)
    if (!decl.body) return out;
    const symbols = decl.parameters.map((p) => (ts.isIdentifier(p.name) ? this.checker.getSymbolAtLocation(p.name) : undefined));
    const names = this.namesOfParts(decl.body);
    const positionOf = (e: ts.Expression): number => {
      const root = pathRoot(e);
      let symbol = root && this.checker.getSymbolAtLocation(root);
      for (let hops = 0; symbol && names.has(symbol) && hops < 100; hops++) symbol = names.get(symbol);
      return symbol ? symbols.indexOf(symbol) : -1;
    };
    for (const target of assignmentTargets(decl.body)) {
      if (!ts.isIdentifier(target) && positionOf(target) >= 0) out.add(positionOf(target));
    }
    for (const { call, written } of this.writingCalls(decl.body)) {
      for (const i of written) if (call.arguments[i] && positionOf(call.arguments[i]!) >= 0) out.add(positionOf(call.arguments[i]!));
    }
    return out;
  }

  /**
   * Names of another variable's value or a part of it: `const q = p`, `const a = ps[j]`, `const v = p.vel`,
   * `for (const p of ps)` (also `of ps.entries()`), each to the variable it names a part of.
   */
  private namesOfParts(body: ts.Node): Map<ts.Symbol, ts.Symbol> {
    const out = new Map<ts.Symbol, ts.Symbol>();
    const bind = (name: ts.BindingName | undefined, of: ts.Expression): void => {
      const e = skipTransparent(of);
      if (!name || !ts.isIdentifier(name)) return;
      const root = pathRoot(e);
      const symbol = this.checker.getSymbolAtLocation(name);
      const target = root && this.checker.getSymbolAtLocation(root);
      if (symbol && target) out.set(symbol, target);
    };
    const visit = (n: ts.Node): void => {
      if (ts.isVariableDeclaration(n) && n.initializer) bind(n.name, n.initializer);
      if (ts.isForOfStatement(n) && ts.isVariableDeclarationList(n.initializer)) {
        const name = n.initializer.declarations[0]?.name;
        const iterated = skipTransparent(n.expression);
        if (ts.isCallExpression(iterated) && ts.isPropertyAccessExpression(iterated.expression) && iterated.expression.name.text === "entries") {
          const element = name && ts.isArrayBindingPattern(name) ? name.elements[1] : undefined;
          if (element && ts.isBindingElement(element)) bind(element.name, iterated.expression.expression);
        } else bind(name, n.expression);
      }
      ts.forEachChild(n, visit);
    };
    visit(body);
    return out;
  }

  /** Calls in `body` of functions that write into some of their parameters, with their positions. */
  writingCalls(body: ts.Node): { call: ts.CallExpression; written: number[] }[] {
    const out: { call: ts.CallExpression; written: number[] }[] = [];
    const visit = (n: ts.Node): void => {
      if (ts.isCallExpression(n)) {
        const callee = skipParens(n.expression);
        const fn = ts.isIdentifier(callee) ? functionOfSymbol(this.checker.getSymbolAtLocation(callee), this.checker) : undefined;
        const written = fn ? [...this.writtenParams(fn.decl)] : [];
        if (written.length > 0) out.push({ call: n, written });
      }
      if (!ts.isFunctionLike(n) || n === body) ts.forEachChild(n, visit);
    };
    visit(body);
    return out;
  }
}

/**
 * Whether a method changes its object: writes a field of `this`, or calls a method of `this` that
 * does. (Its callers would have to see the change; such methods are not called yet.)
 */
export function writesThis(decl: FunctionRef["decl"], checker: ts.TypeChecker, seen = new Set<ts.Node>()): boolean {
  if (!decl.body || seen.has(decl)) return false;
  seen.add(decl);
  if (assignmentTargets(decl.body).some((t) => pathRoot(t)?.kind === ts.SyntaxKind.ThisKeyword)) return true;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.expression.kind === ts.SyntaxKind.ThisKeyword) {
      const callee = functionOfSymbol(checker.getSymbolAtLocation(n.expression), checker);
      if (callee?.receiver && writesThis(callee.decl, checker, seen)) found = true;
    }
    ts.forEachChild(n, visit);
  };
  visit(decl.body);
  return found;
}
