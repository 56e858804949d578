/**
 * The shape of a `switch`, read from the syntax, which decides how lowering writes it:
 *
 * - every case group ends in a jump (break, return, continue) and `default`, if any, is last:
 *   an if/else chain, the trailing `break`s dropped (the common case; it reads best);
 * - otherwise (a group falls through into the next, or `default` is not last): a one-trip loop
 *   `do { ... } while (false)` around `if (matched || key === c) { matched = true; ... }`, which
 *   the `break`s leave; a chain whose cases `break` from the middle also gets the one-trip loop.
 */
import ts from "typescript";

export interface CaseGroup {
  /** The case labels of the group, in order (empty clauses fall into the next one). */
  labels: ts.Expression[];
  hasDefault: boolean;
  statements: ts.Statement[];
  /** The group's last statement is an unlabeled `break` (dropped in the if/else chain). */
  trailingBreak: boolean;
  /** Control can reach the end of the group's statements (it falls through). */
  completes: boolean;
  /** An unlabeled `break` of the switch before the group's last statement. */
  innerBreak: boolean;
  /** First clause of the group, for locations. */
  node: ts.CaseOrDefaultClause;
}

export interface SwitchShape {
  groups: CaseGroup[];
  /** Lowered as an if/else chain (no fall-through, default last). */
  chain: boolean;
  /** Lowered inside a one-trip loop that `break` leaves. */
  loop: boolean;
  /** A let/const of one clause named in another (the clauses share one scope in JavaScript). */
  sharedDeclaration: ts.Identifier | undefined;
}

export function switchShape(s: ts.SwitchStatement, checker: ts.TypeChecker): SwitchShape {
  const groups: CaseGroup[] = [];
  let labels: ts.Expression[] = [];
  let hasDefault = false;
  let first: ts.CaseOrDefaultClause | undefined;
  const clauses = s.caseBlock.clauses;
  clauses.forEach((clause, i) => {
    first ??= clause;
    if (ts.isCaseClause(clause)) labels.push(clause.expression);
    else hasDefault = true;
    if (clause.statements.length === 0 && i < clauses.length - 1) return;
    const statements = [...clause.statements];
    const last = statements[statements.length - 1];
    const trailingBreak = last !== undefined && ts.isBreakStatement(last) && !last.label;
    const body = trailingBreak ? statements.slice(0, -1) : statements;
    groups.push({
      labels,
      hasDefault,
      statements,
      trailingBreak,
      completes: !trailingBreak && !endsInJump(statements),
      innerBreak: body.some(breaksSwitch),
      node: first,
    });
    labels = [];
    hasDefault = false;
    first = undefined;
  });
  const defaultAt = groups.findIndex((g) => g.hasDefault);
  const fallsThrough = groups.some((g, i) => i < groups.length - 1 && g.completes);
  const chain = !fallsThrough && (defaultAt === -1 || defaultAt === groups.length - 1);
  const loop = !chain || groups.some((g) => g.innerBreak);
  return { groups, chain, loop, sharedDeclaration: sharedDeclaration(s, checker) };
}

/** The statements end in a jump: control never reaches their end. */
function endsInJump(statements: readonly ts.Statement[]): boolean {
  const last = statements[statements.length - 1];
  if (!last) return false;
  if (ts.isReturnStatement(last) || ts.isBreakStatement(last) || ts.isContinueStatement(last) || ts.isThrowStatement(last)) return true;
  if (ts.isBlock(last)) return endsInJump(last.statements);
  if (ts.isIfStatement(last)) {
    return last.elseStatement !== undefined && endsInJump([last.thenStatement]) && endsInJump([last.elseStatement]);
  }
  return false;
}

/** An unlabeled `break` inside `node` that leaves the switch (not an inner loop or switch). */
function breaksSwitch(node: ts.Node): boolean {
  if (ts.isBreakStatement(node)) return !node.label;
  if (ts.isIterationStatement(node, false) || ts.isSwitchStatement(node) || ts.isFunctionLike(node) || ts.isClassLike(node)) return false;
  return ts.forEachChild(node, breaksSwitch) ?? false;
}

/** A let/const declared at the top of one clause and named in another clause. */
function sharedDeclaration(s: ts.SwitchStatement, checker: ts.TypeChecker): ts.Identifier | undefined {
  const clauses = s.caseBlock.clauses;
  for (const clause of clauses) {
    for (const st of clause.statements) {
      if (!ts.isVariableStatement(st) || !(st.declarationList.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const))) continue;
      for (const d of st.declarationList.declarations) {
        if (!ts.isIdentifier(d.name)) continue;
        const symbol = checker.getSymbolAtLocation(d.name);
        if (!symbol) continue;
        for (const other of clauses) {
          if (other === clause) continue;
          const use = findIdentifier(other, symbol, checker);
          if (use) return use;
        }
      }
    }
  }
  return undefined;
}

function findIdentifier(node: ts.Node, symbol: ts.Symbol, checker: ts.TypeChecker): ts.Identifier | undefined {
  if (ts.isIdentifier(node)) return checker.getSymbolAtLocation(node) === symbol ? node : undefined;
  return ts.forEachChild(node, (child) => findIdentifier(child, symbol, checker));
}
