/** Questions about TypeScript syntax that lowering asks, free of lowering's state. */
import ts from "typescript";
import { RUNTIME_MODULE } from "../frontend/program.js";
import { functionOfSymbol, skipParens } from "../frontend/functions.js";
import { type BinaryOp, type CompareOp, type Expr, Var } from "../ir/nodes.js";
import { assignmentTargets, isAssignmentOperator, isIncrement, pathRoot, skipTransparent } from "../frontend/writes.js";

export { assignmentTargets, isAssignmentOperator, isIncrement, pathRoot, skipTransparent };

/** The name of the imported binding if `symbol` is an import from tsgrad/runtime. */
export function runtimeImportName(symbol: ts.Symbol | undefined): string | undefined {
  const decl = symbol?.declarations?.[0];
  if (!decl || !ts.isImportSpecifier(decl)) return undefined;
  const module = decl.parent.parent.parent.moduleSpecifier;
  if (!ts.isStringLiteral(module) || module.text !== RUNTIME_MODULE) return undefined;
  return (decl.propertyName ?? decl.name).text;
}


/** The `n` of `{ length: n }` (Array.from's first argument), if `e` is that object. */
export function lengthObject(e: ts.Expression | undefined): ts.Expression | undefined {
  const x = e && skipTransparent(e);
  const only = x && ts.isObjectLiteralExpression(x) && x.properties.length === 1 ? x.properties[0] : undefined;
  return only && ts.isPropertyAssignment(only) && ts.isIdentifier(only.name) && only.name.text === "length" ? only.initializer : undefined;
}

export function isZeroLiteral(e: ts.Expression): boolean {
  e = skipParens(e);
  return ts.isNumericLiteral(e) && Number(e.text) === 0;
}

export function rootIdentifier(e: ts.Expression): ts.Identifier | undefined {
  e = skipTransparent(e);
  while (ts.isElementAccessExpression(e)) e = skipTransparent(e.expression);
  return ts.isIdentifier(e) ? e : undefined;
}

export function containsUserCall(node: ts.Node, checker: ts.TypeChecker): boolean {
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

export function rootVarOf(e: Expr): Var | undefined {
  if (e.k === "var") return e.v;
  if (e.k === "index") return rootVarOf(e.array);
  return undefined;
}

export function isAncestor(ancestor: ts.Node, node: ts.Node): boolean {
  for (let n: ts.Node | undefined = node; n; n = n.parent) if (n === ancestor) return true;
  return false;
}

/**
 * Whether `node` contains an assignment, `++` or `--` of an identifier named `name`, also as a
 * target of a destructuring assignment (`[u, v] = [v, u]`).
 */
export function writes(node: ts.Node, name: string): boolean {
  return assignmentTargets(node).some((t) => ts.isIdentifier(t) && t.text === name);
}

/** `=` -> undefined, `+=` -> "+", ...; null for compound operators outside the language. */
export function compoundOperator(kind: ts.SyntaxKind): BinaryOp | undefined | null {
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

export function arithmeticOperator(kind: ts.SyntaxKind): BinaryOp | undefined {
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

export function compareOperator(kind: ts.SyntaxKind): CompareOp | undefined {
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
export function statementKindName(s: ts.Statement): string {
  const first = s.getFirstToken(s.getSourceFile());
  return first ? first.getText(s.getSourceFile()) : "this";
}

/** How deeply an expression nests, counted up to `limit + 1` without recursion. */
export function nestingDepth(root: ts.Node, limit: number): number {
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
export function boundNames(name: ts.BindingName): ts.Identifier[] {
  if (ts.isIdentifier(name)) return [name];
  const out: ts.Identifier[] = [];
  for (const element of name.elements) if (!ts.isOmittedExpression(element)) out.push(...boundNames(element.name));
  return out;
}

export function truncate(text: string, max = 40): string {
  const oneLine = text.replace(/\s+/g, " ");
  return oneLine.length > max ? `${oneLine.slice(0, max - 3)}...` : oneLine;
}
