/**
 * Local matrices (`number[][]`, `Float64Array[]`, `Float32Array[]`) created in the function:
 * rectangular and zero-filled, or a literal of rows of numbers. They are allocated in one piece
 * (`alloc` with `inner`, printed `Array.from({ length: n }, () => new Array<number>(k).fill(0))`),
 * so every later stage sees a matrix as it sees one of `matmul`'s results. The forms accepted:
 *
 *   Array.from({ length: n }, () => new Array<number>(k).fill(0))    (also `new Float64Array(k)`)
 *   new Array(n).fill(0).map(() => new Array<number>(k).fill(0))
 *   [[a, b], [c, d]]                                                  (rows of one length)
 *   const m = new Array<number[]>(n);  (or `const m: number[][] = []`)
 *   for (let i = 0; i < n; i++) { m[i] = new Array<number>(k).fill(0); ... }   (or m.push(...))
 *
 * A row length that changes from row to row (ragged rows, rows built by push) is TSG1074.
 */
import ts from "typescript";
import { type ArrayRepr, type Expr, type Stmt, type Type, Var, ref } from "../ir/nodes.js";
import { skipParens } from "../frontend/functions.js";
import { assignmentTargets, isZeroLiteral, lengthObject, pathRoot, skipTransparent } from "./syntax.js";
import { MethodLowerer } from "./methods.js";

type MatrixType = Extract<Type, { kind: "matrix" }>;

/** A matrix declared empty whose rows the loop right after it creates (`m[i] = new Array(k).fill(0)`). */
interface RowLoop {
  /** The number of rows: the declaration's `n`, or the loop's bound for `[]`. */
  rows: ts.Expression;
  /** `rows` may be fractional (an empty matrix pushed one row per trip has Math.ceil(bound) rows). */
  ceil: boolean;
  /** The row length `k`. */
  rowLength: ts.Expression;
  /** The statement creating the row, which lowers to nothing (the matrix is allocated whole). */
  creation: ts.Statement;
}

export abstract class MatrixLowerer extends MethodLowerer {
  /** Row-creating statements of loops whose matrix is allocated whole at its declaration. */
  protected readonly rowCreations = new Set<ts.Statement>();

  /**
   * The statements declaring the local matrix `name` from `init` (into `pre`): the new Var, or
   * undefined when `init` is none of these forms (a kernel's result, say). `next` is the
   * statement after the declaration (a loop creating the rows).
   */
  protected buildMatrix(init: ts.Expression, type: MatrixType, name: string, pre: Stmt[], node: ts.Node, next: ts.Statement | undefined): Var | undefined {
    const e = skipTransparent(init);
    const target = new Var(name, { ...type, readonly: false }, "local", true);
    const declare = (rows: ts.Expression, rowLength: ts.Expression, ceil = false): Var => {
      const count = this.lowerNumeric(rows, pre, false);
      const length: Expr = ceil ? { k: "math", fn: "ceil", args: [count] } : count;
      const inner = this.lowerNumeric(rowLength, pre, false);
      pre.push({ k: "assign", target, value: { k: "alloc", type: target.type, length, inner }, declare: "const", node });
      return target;
    };
    // Array.from({ length: n }, () => row), new Array(n).fill(x).map(() => row)
    const filled = this.filledMatrix(e, type.rows);
    if (filled) return declare(filled.rows, filled.rowLength);
    // [[a, b], [c, d]]
    if (ts.isArrayLiteralExpression(e) && e.elements.length > 0 && e.elements.every((r) => ts.isArrayLiteralExpression(r))) {
      const rows = e.elements as unknown as ts.ArrayLiteralExpression[];
      const width = rows[0]!.elements.length;
      const plain = (r: ts.ArrayLiteralExpression) => r.elements.length === width && r.elements.every((x) => !ts.isSpreadElement(x) && !ts.isOmittedExpression(x));
      if (width > 0 && rows.every(plain)) {
        const values = rows.map((r) => r.elements.map((x) => this.lowerNumeric(x, pre, true)));
        pre.push({ k: "assign", target, value: { k: "alloc", type: target.type, length: { k: "num", value: rows.length }, inner: { k: "num", value: width } }, declare: "const", node });
        values.forEach((row, i) =>
          row.forEach((value, j) => pre.push({ k: "store", array: { k: "index", array: ref(target), index: { k: "num", value: i } }, index: { k: "num", value: j }, value, node })),
        );
        return target;
      }
    }
    // const m = new Array<number[]>(n) / const m: number[][] = [], rows created by the next loop
    const loop = next && this.rowLoop(e, node, next, type.rows);
    if (loop) {
      this.rowCreations.add(loop.creation);
      return declare(loop.rows, loop.rowLength, loop.ceil);
    }
    return undefined;
  }

  /** `Array.from({ length: n }, () => row)` or `new Array(n).fill(x).map(() => row)` with a zero row of one length. */
  private filledMatrix(e: ts.Expression, rows: ArrayRepr): { rows: ts.Expression; rowLength: ts.Expression } | undefined {
    if (!ts.isCallExpression(e) || !ts.isPropertyAccessExpression(e.expression)) return undefined;
    const callee = e.expression;
    let count: ts.Expression | undefined;
    let callback: ts.Expression | undefined;
    if (ts.isIdentifier(callee.expression) && callee.expression.text === "Array" && callee.name.text === "from" && e.arguments.length === 2) {
      count = lengthObject(e.arguments[0]);
      callback = e.arguments[1];
    } else if (callee.name.text === "map" && e.arguments.length === 1) {
      // new Array(n).fill(0).map(...), Array(n).fill(null).map(...)
      const fill = skipTransparent(callee.expression);
      if (ts.isCallExpression(fill) && ts.isPropertyAccessExpression(fill.expression) && fill.expression.name.text === "fill" && fill.arguments.length === 1) {
        count = arrayOfLength(skipTransparent(fill.expression.expression));
      }
      callback = e.arguments[0];
    }
    if (!count || !callback) return undefined;
    const fn = skipParens(callback);
    if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return undefined;
    const body = ts.isBlock(fn.body) ? singleReturn(fn.body) : fn.body;
    const rowLength = body && zeroRowLength(skipTransparent(body), rows);
    if (!rowLength || !this.independentOf(rowLength, fn.parameters)) return undefined;
    return { rows: count, rowLength };
  }

  /**
   * `const m = new Array<number[]>(n)` (or `[]`) followed by `for (let i = 0; i < n; i++)` whose
   * body first creates row i as zeros of one length (`m[i] = new Array<number>(k).fill(0)`,
   * `m.push(new Float64Array(k))`): the rows and their length.
   */
  private rowLoop(e: ts.Expression, declaration: ts.Node, next: ts.Statement, rows: ArrayRepr): RowLoop | undefined {
    const declared = ts.isArrayLiteralExpression(e) && e.elements.length === 0 ? "empty" : arrayOfLength(e);
    if (!declared || !ts.isForStatement(next) || !next.initializer || !next.condition || !next.incrementor) return undefined;
    const name = ts.isVariableDeclaration(declaration) && ts.isIdentifier(declaration.name) ? declaration.name.text : undefined;
    // for (let i = 0; i < bound; i++)
    const init = next.initializer;
    if (!ts.isVariableDeclarationList(init) || init.declarations.length !== 1) return undefined;
    const index = init.declarations[0]!;
    if (!ts.isIdentifier(index.name) || !index.initializer || skipTransparent(index.initializer).getText() !== "0") return undefined;
    const i = index.name.text;
    const test = skipParens(next.condition);
    if (!ts.isBinaryExpression(test) || test.operatorToken.kind !== ts.SyntaxKind.LessThanToken || skipParens(test.left).getText() !== i) return undefined;
    if (!stepsByOne(next.incrementor, i)) return undefined;
    const bound = test.right;
    if (declared !== "empty" && skipParens(declared).getText() !== skipParens(bound).getText()) return undefined;
    if (!this.unchangedIn(bound, next.statement)) return undefined;
    const first = ts.isBlock(next.statement) ? next.statement.statements[0] : next.statement;
    if (!first || !ts.isExpressionStatement(first)) return undefined;
    const x = skipParens(first.expression);
    let row: ts.Expression | undefined;
    if (declared !== "empty" && ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = skipParens(x.left);
      if (ts.isElementAccessExpression(left) && left.expression.getText() === name && skipParens(left.argumentExpression).getText() === i) row = x.right;
    } else if (declared === "empty" && ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && x.expression.name.text === "push" && x.arguments.length === 1) {
      if (x.expression.expression.getText() === name) row = x.arguments[0];
    }
    const rowLength = row && zeroRowLength(skipTransparent(row), rows);
    if (!rowLength || !this.independentOf(rowLength, [index]) || !this.unchangedIn(rowLength, next.statement)) return undefined;
    return { rows: declared === "empty" ? bound : declared, ceil: declared === "empty" && !isWholeCount(bound), rowLength, creation: first };
  }

  /** `Math.f(...)` of the global Math (which changes nothing). */
  private isMathCall(c: ts.CallExpression): boolean {
    const callee = c.expression;
    return ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === "Math" && this.isGlobalMath(callee.expression);
  }

  /** `e` reads none of `declarations`' names (a row length that is the same for every row). */
  private independentOf(e: ts.Expression, declarations: readonly ts.NamedDeclaration[]): boolean {
    const names = new Set(declarations.map((d) => d.name?.getText()));
    let ok = true;
    const visit = (n: ts.Node): void => {
      if (ts.isIdentifier(n) && names.has(n.text)) ok = false;
      // A call might give each row another length, or change something.
      if (ts.isCallExpression(n) && !this.isMathCall(n)) ok = false;
      n.forEachChild(visit);
    };
    visit(e);
    return ok;
  }

  /** No variable `e` reads is assigned in `body` (so `e` is the same on every trip). */
  private unchangedIn(e: ts.Expression, body: ts.Node): boolean {
    const names = new Set<string>();
    const collect = (n: ts.Node): void => {
      if (ts.isIdentifier(n)) names.add(n.text);
      n.forEachChild(collect);
    };
    collect(e);
    if (assignmentTargets(body).some((t) => names.has(pathRoot(t)?.getText() ?? ""))) return false;
    // `xs.push(...)`, `xs.pop()` or a helper writing into `xs` change what `e` reads.
    let calls = false;
    const visit = (n: ts.Node): void => {
      if (ts.isCallExpression(n) && !this.isMathCall(n) && n.arguments.concat(ts.isPropertyAccessExpression(n.expression) ? [n.expression.expression] : []).some((a) => names.has(pathRoot(a)?.getText() ?? ""))) calls = true;
      n.forEachChild(visit);
    };
    visit(body);
    return !calls;
  }
}

/** `new Array(n)`, `new Array<number[]>(n)`, `Array(n)`: its `n`. */
function arrayOfLength(e: ts.Expression): ts.Expression | undefined {
  const isArray = (c: ts.Expression) => ts.isIdentifier(c) && c.text === "Array";
  if ((ts.isNewExpression(e) || ts.isCallExpression(e)) && isArray(e.expression) && e.arguments?.length === 1) return e.arguments[0];
  return undefined;
}

/** A zero row: `new Array<number>(k).fill(0)`, `Array(k).fill(0)` for number[] rows, `new Float64Array(k)` for Float64Array rows. */
function zeroRowLength(e: ts.Expression, rows: ArrayRepr): ts.Expression | undefined {
  if (rows === "array") {
    if (!ts.isCallExpression(e) || !ts.isPropertyAccessExpression(e.expression) || e.expression.name.text !== "fill" || e.arguments.length !== 1) return undefined;
    if (!isZeroLiteral(e.arguments[0]!)) return undefined;
    return arrayOfLength(skipTransparent(e.expression.expression));
  }
  const name = rows === "f64" ? "Float64Array" : "Float32Array";
  if (ts.isNewExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === name && e.arguments?.length === 1) return e.arguments[0];
  return undefined;
}

function singleReturn(body: ts.Block): ts.Expression | undefined {
  const only = body.statements.length === 1 ? body.statements[0] : undefined;
  return only && ts.isReturnStatement(only) ? only.expression : undefined;
}

/** `i++`, `++i`, `i += 1`. */
function stepsByOne(e: ts.Expression, i: string): boolean {
  const x = skipParens(e);
  if ((ts.isPostfixUnaryExpression(x) || ts.isPrefixUnaryExpression(x)) && x.operator === ts.SyntaxKind.PlusPlusToken) return skipParens(x.operand).getText() === i;
  return ts.isBinaryExpression(x) && x.operatorToken.kind === ts.SyntaxKind.PlusEqualsToken && skipParens(x.left).getText() === i && skipParens(x.right).getText() === "1";
}

/** A loop bound that counts trips exactly: an integer literal or an array's `.length`. */
function isWholeCount(e: ts.Expression): boolean {
  const x = skipParens(e);
  if (ts.isNumericLiteral(x)) return Number.isInteger(Number(x.text));
  return ts.isPropertyAccessExpression(x) && x.name.text === "length";
}
