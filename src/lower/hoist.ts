/**
 * `var` declarations: function-scoped and hoisted, as JavaScript defines them.
 *
 * Lowering treats a `var` as one `let` at the top of the function, declared with the type's zero
 * (JavaScript would hold `undefined` there, but TypeScript's definite-assignment check, which
 * must pass before lowering runs, rejects every read that could see it). Every `var` declaration
 * of the name then assigns that one variable. When a `var` is declared once, with a value, in the
 * function's own statement list and nothing names it before, it is simply a `let` in place.
 */
import ts from "typescript";

export interface VarInfo {
  /** The declarations of one name, in source order. */
  decls: ts.VariableDeclaration[];
  /** Declared in place as a `let` (no hoisted declaration). */
  inPlace: boolean;
}

export function isVarList(list: ts.VariableDeclarationList): boolean {
  return (list.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const | ts.NodeFlags.Using | ts.NodeFlags.AwaitUsing)) === 0;
}

/** The `var` names of a function body (nested functions are rejected elsewhere and skipped). */
export function varDeclarations(body: ts.Block, checker: ts.TypeChecker): Map<ts.Symbol, VarInfo> {
  const out = new Map<ts.Symbol, VarInfo>();
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return;
    if (ts.isVariableDeclarationList(node) && isVarList(node)) {
      for (const d of node.declarations) {
        if (!ts.isIdentifier(d.name)) continue;
        const symbol = checker.getSymbolAtLocation(d.name);
        if (!symbol) continue;
        const info = out.get(symbol) ?? { decls: [], inPlace: false };
        info.decls.push(d);
        out.set(symbol, info);
      }
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  for (const [symbol, info] of out) {
    const only = info.decls.length === 1 ? info.decls[0]! : undefined;
    const statement = only?.parent.parent;
    info.inPlace =
      only !== undefined &&
      only.initializer !== undefined &&
      statement !== undefined &&
      ts.isVariableStatement(statement) &&
      statement.parent === body &&
      !namedBefore(body, symbol, only.getStart(), checker);
  }
  return out;
}

/** Whether an identifier of `symbol` occurs in `body` before position `pos`. */
function namedBefore(body: ts.Block, symbol: ts.Symbol, pos: number, checker: ts.TypeChecker): boolean {
  let found = false;
  const visit = (node: ts.Node): void => {
    if (found || node.getStart() >= pos) return;
    if (ts.isIdentifier(node) && checker.getSymbolAtLocation(node) === symbol) {
      found = true;
      return;
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(body, visit);
  return found;
}
