/**
 * Local arrays declared with `let` and assigned again (`x = x.map(...)`, `h = hNew`,
 * `[u, next] = [next, u]`), the syntactic facts the lowering needs about them.
 *
 * The lowering gives such an array value semantics: every assignment fills fresh storage of its
 * own (`x = new Array(n); x[k] = source[k]`), so that no two names ever share elements and the
 * analyses, which know arrays by name, stay right. That is what JavaScript computes only when the
 * source stops being used as its own array right after the assignment: it dies (a `const`
 * declared in the same block and not mentioned after), or is itself assigned by the next
 * statement (the last two lines of a swap through a temporary). sourceLetGo decides that.
 */
import ts from "typescript";
import { skipTransparent } from "../frontend/writes.js";

/** Whether `node` or a node inside it satisfies `test`. */
function someNode(node: ts.Node, test: (n: ts.Node) => boolean): boolean {
  return test(node) || (ts.forEachChild(node, (child) => someNode(child, test) || undefined) ?? false);
}

/** Whether `node` mentions `symbol` anywhere. */
function mentions(node: ts.Node, symbol: ts.Symbol, checker: ts.TypeChecker): boolean {
  return someNode(node, (n) => ts.isIdentifier(n) && checker.getSymbolAtLocation(n) === symbol);
}

/** The statement of a block (or source file) that `node` lies in, with the block's statements. */
function enclosingStatement(node: ts.Node): { statement: ts.Statement; list: readonly ts.Statement[] } | undefined {
  let n: ts.Node = node;
  while (n.parent) {
    const parent = n.parent;
    if ((ts.isBlock(parent) || ts.isSourceFile(parent) || ts.isCaseClause(parent) || ts.isDefaultClause(parent)) && ts.isStatement(n as ts.Node)) {
      return { statement: n as ts.Statement, list: parent.statements };
    }
    if (ts.isFunctionLike(parent)) return undefined;
    n = parent;
  }
  return undefined;
}

/** Whether statement `s` is `name = ...;` (a whole assignment of the variable `symbol`). */
function assignsWhole(s: ts.Statement, symbol: ts.Symbol, checker: ts.TypeChecker): boolean {
  if (!ts.isExpressionStatement(s)) return false;
  const e = skipTransparent(s.expression);
  if (!ts.isBinaryExpression(e) || e.operatorToken.kind !== ts.SyntaxKind.EqualsToken) return false;
  const left = skipTransparent(e.left);
  return ts.isIdentifier(left) && checker.getSymbolAtLocation(left) === symbol && !mentions(e.right, symbol, checker);
}

/**
 * Whether the array `source` (a local) is no longer used as an array of its own after the
 * statement holding `node`: declared in the same block and not mentioned after that statement,
 * or assigned as a whole by the very next statement. Then copying it gives what sharing gives.
 */
export function sourceLetGo(node: ts.Node, source: ts.Symbol, checker: ts.TypeChecker): boolean {
  const where = enclosingStatement(node);
  if (!where) return false;
  const at = where.list.indexOf(where.statement);
  const after = where.list.slice(at + 1);
  if (after[0] && assignsWhole(after[0], source, checker)) return true;
  const decl = source.valueDeclaration;
  const declaredHere = decl !== undefined && where.list.slice(0, at).some((s) => s.pos <= decl.pos && decl.end <= s.end && ts.isVariableStatement(s));
  return declaredHere && !after.some((s) => mentions(s, source, checker)) && !where.list.some((s) => inFunctionMentions(s, source, checker));
}

/** Whether a function written inside `node` (a local helper, a callback) mentions `symbol`: it may run later. */
function inFunctionMentions(node: ts.Node, symbol: ts.Symbol, checker: ts.TypeChecker): boolean {
  return someNode(node, (n) => ts.isFunctionLike(n) && mentions(n, symbol, checker));
}
