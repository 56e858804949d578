/**
 * What lowering one function knows as it goes: the variables of the source's symbols, aliases,
 * loops, callees, temporaries, and the diagnostics it reports. The expression and statement
 * lowerers (expressions.ts, lower.ts) build on it.
 */
import ts from "typescript";
import type { Diagnostic } from "../api-types.js";
import { type Code, diagAt } from "../diagnostics.js";
import type { FunctionRef } from "../frontend/functions.js";
import type { NestedRequest } from "../frontend/nested.js";
import { varsOf } from "../ir/walk.js";
import { type Expr, type LoopInfo, type Shape, type Stmt, type Type, NUMBER, Var } from "../ir/nodes.js";
import { type ValueType, classifyType, classifyValueType, isStructType } from "../frontend/types.js";
import { freshShape, leavesOf } from "./shapes.js";
import { skipTransparent, isAncestor, writes, arithmeticOperator, assignmentTargets, truncate } from "./syntax.js";

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
  /** Methods a subclass overrides, with the subclass (frontend/functions.ts overriddenMethods). */
  overridden: ReadonlyMap<ts.Node, string>;
  /**
   * Calls of derivatives generated for a source beside the file (frontend/nested.ts): the
   * program, to find the source, and the functions the lowered calls need (compile.ts builds them).
   */
  nested?: { program: ts.Program; requests: NestedRequest[]; generated?: ReadonlyMap<string, string> | undefined };
}

/** An array of structures' columns. */
export type RowsShape = Extract<Shape, { kind: "rows" }>;

/** One element of an array of structures, or a nested object of one: its columns and its index. */
export interface ElementView {
  /** The columns of this part of the element (a structure, or one leaf for a number field). */
  shape: Shape;
  index: Expr;
  /** The array of structures' variable, for the checks of shared objects (TSG1051). */
  root: ts.Symbol | undefined;
  text: string;
  /** The columns of the whole array (identity comparisons of elements, TSG1058). */
  rows?: RowsShape;
}

/** An array that grows (`const ys: number[] = []`, pushed, maybe popped), with its counter (LoweringScope.growing). */
export interface GrowingArray {
  array: Var;
  length: Var;
  pushes: ts.Node[];
  pops: ts.Node[];
  decl: ts.Node;
}

export class LoweringScope {
  protected readonly vars = new Map<ts.Symbol, Var>();
  /** Declarations already reported: their uses are not reported again. */
  protected readonly failed = new Set<ts.Symbol>();

  /** Structured variables (objects, tuples): their leaves (structures.ts). */
  protected readonly structs = new Map<ts.Symbol, Shape>();
  /** Arrays of structures (`ps: Particle[]`): one column per leaf of the element (rows.ts). */
  protected readonly rows = new Map<ts.Symbol, RowsShape>();
  /**
   * Names of one element (or a nested object of it) of an array of structures: `const a = ps[j]`,
   * `for (const p of ps)`, a helper's parameter bound to `ps[i]`. Reads and writes go to the
   * columns at `index`, as JavaScript's references do.
   */
  protected readonly elementViews = new Map<ts.Symbol, ElementView>();
  /**
   * Arrays that grow (`const ys: number[] = []` and `ys.push(v)`, `xs.filter(...)`), each with its
   * length counter: a push is `ys[ys_length] = v; ys_length += 1`, and every `ys.length` reads the
   * counter, a number the reverse sweep restores like any other (the array's own length is its
   * final one). `pushes` are the source's push calls (lower.ts checkGrowingArguments); `pops`
   * its pop calls, each `v = ys[ys_length - 1]; ys_length -= 1` (methods.ts lowerPop).
   */
  protected readonly growing = new Map<Var, GrowingArray>();

  /** A new empty array that grows, and its counter, declared in `out`. */
  protected growingArray(name: string, type: Type, out: Stmt[], node: ts.Node): { array: Var; length: Var } {
    const array = new Var(name, type, "local", true);
    const length = new Var(`${name}_length`, NUMBER, "local", false);
    this.growing.set(array, { array, length, pushes: [], pops: [], decl: node });
    out.push({ k: "assign", target: array, value: { k: "arrayLit", type, elements: [] }, declare: "const", node });
    out.push({ k: "assign", target: length, value: { k: "num", value: 0 }, declare: "let", node });
    return { array, length };
  }

  /**
   * Local arrays declared with `let` and assigned again: each assignment fills fresh storage of
   * the array's own (reassigned.ts says when that is what JavaScript computes).
   */
  protected readonly reassignedArrays = new Set<Var>();

  /** Leaves of structured parameters the function writes into (their fields change). */
  protected readonly writtenParamLeaves = new Set<Var>();
  /** Array names that stand for another array expression (`const row = m[i]`). */
  protected readonly aliases = new Map<ts.Symbol, Expr>();
  /** Variables declared by a `for` initializer (or a `for...of` index), with the loop. */
  protected readonly loopVariables = new Map<Var, ts.ForStatement | ts.ForOfStatement | ts.ArrowFunction | ts.FunctionExpression>();

  /**
   * An alias is replaced by its expression everywhere, which is right only while the variables
   * in that expression keep their values: constants, and loop variables the loop body never writes.
   */
  protected isStableAlias(alias: Expr, decl: ts.Node): boolean {
    for (const v of varsOf(alias)) {
      if (v.isConst) continue;
      // A reassigned array is stable for a loop over it, or a method call on it (the loop it
      // becomes), that does not assign it.
      if (this.reassignedArrays.has(v)) {
        let use: ts.Node | undefined = decl;
        while (use && !ts.isForOfStatement(use) && !ts.isCallExpression(use) && !ts.isStatement(use)) use = use.parent;
        if (use && (ts.isForOfStatement(use) || ts.isCallExpression(use)) && !writes(use, v.name)) continue;
      }
      if (v.origin === "param" && !this.writtenParamLeaves.has(v) && this.ref.decl.body && !writes(this.ref.decl.body, v.name)) continue;
      // A loop variable is stable inside one iteration when the body never writes it.
      // (The index of an array method's loop: stable inside its callback when the callback never writes it.)
      const loop = this.loopVariables.get(v);
      const body = loop && (ts.isArrowFunction(loop) || ts.isFunctionExpression(loop) ? loop.body : loop.statement);
      if (body && isAncestor(body, decl) && !writes(body, v.name)) continue;
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
    const table = symbol && this.moduleArray(symbol);
    if (table) return table;
    // Not a local or parameter of this function.
    this.reportUnreadable(id);
    return undefined;
  }

  /**
   * The diagnostic for a name numeric code cannot read as a number: TSG1092 for a module-level
   * `const` number whose value is no literal arithmetic, TSG1018 for another variable of the
   * module (a `let`, a `const` of something else), TSG1052 for an
   * object (an element of an array of objects named by for...of or `const a = ps[i]`, a
   * structure), TSG1012 for anything else (an array of objects, a global, a class, a namespace).
   */
  protected reportUnreadable(id: ts.Identifier, node: ts.Node = id, symbol = this.checker.getSymbolAtLocation(id)): void {
    if (symbol && (this.elementViews.has(symbol) || this.structs.has(symbol))) {
      this.error(node, "TSG1052", [id.text]);
      return;
    }
    const target = symbol && symbol.flags & ts.SymbolFlags.Alias ? this.checker.getAliasedSymbol(symbol) : symbol;
    const decl = target?.valueDeclaration;
    const statement = decl && ts.isVariableDeclaration(decl) && ts.isVariableDeclarationList(decl.parent) ? decl.parent.parent : undefined;
    if (statement && ts.isVariableStatement(statement) && (ts.isSourceFile(statement.parent) || ts.isModuleBlock(statement.parent))) {
      // A `const` of a number nothing can change, whose value is no literal arithmetic (`Math.sqrt(2)`).
      const initializer = (statement.declarationList.flags & ts.NodeFlags.Const) !== 0 && ts.isVariableDeclaration(decl!) ? decl.initializer : undefined;
      if (initializer && classifyType(this.checker.getTypeAtLocation(initializer), this.checker)?.kind === "number") {
        this.error(node, "TSG1092", [id.text, truncate(initializer.getText())]);
        return;
      }
      this.error(node, "TSG1018", [id.text]);
      return;
    }
    this.error(node, "TSG1012", [id.text]);
  }

  /**
   * A module-level table of numbers (`const COEF = [0.99, 676.5, ...]`), declared once at the
   * top of the generated module (Var.moduleTable). Only when nothing can change it: its file reads it only by
   * element, length, spread or for...of (and when it is exported, its type is readonly).
   */
  protected moduleArray(symbol: ts.Symbol): Var | undefined {
    const target = symbol.flags & ts.SymbolFlags.Alias ? this.checker.getAliasedSymbol(symbol) : symbol;
    const decl = target.valueDeclaration;
    if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer || !ts.isIdentifier(decl.name)) return undefined;
    const list = decl.parent;
    if (!ts.isVariableDeclarationList(list) || !(list.flags & ts.NodeFlags.Const) || !ts.isVariableStatement(list.parent) || !ts.isSourceFile(list.parent.parent)) return undefined;
    let init = skipTransparent(decl.initializer);
    while (ts.isAsExpression(init) || ts.isSatisfiesExpression(init) || ts.isTypeAssertionExpression(init)) init = skipTransparent(init.expression);
    if (!ts.isArrayLiteralExpression(init) || init.elements.length === 0) return undefined;
    const values = init.elements.map((e) => (ts.isSpreadElement(e) || ts.isOmittedExpression(e) ? undefined : this.fold(e, new Set())));
    if (values.some((x) => x === undefined)) return undefined;
    const type = classifyType(this.checker.getTypeAtLocation(decl.name), this.checker);
    if (type?.kind !== "vector" || type.repr !== "array") return undefined;
    const exported = ts.getCombinedModifierFlags(list.parent as unknown as ts.Declaration) & ts.ModifierFlags.Export;
    if (exported && !type.readonly) return undefined;
    if (!onlyRead(decl.getSourceFile(), target, this.checker)) return undefined;
    const v = new Var(decl.name.text, { kind: "vector", repr: "array", readonly: true }, "local", true);
    v.moduleTable = values as number[];
    this.moduleLeaves.add(v);
    this.vars.set(symbol, v);
    return v;
  }

  /** A boolean expression (conditions). Calls inside stay calls of the primal function. */
  /**
   * TSG1027 for an expression nested too deeply. At the top of an expression the nesting is
   * measured without recursion or type queries first, so that huge inputs are rejected fast.
   */

  /** Identifiers of the function's source and index names already handed out (freshIndexName). */
  private takenNames: Set<string> | undefined;

  /**
   * A name for the index of a loop the source does not spell out (`for (const p of ps)`, a
   * `map` callback without an index parameter): the first of i, j, k, ... that the function's
   * source does not use, so that no variable of the source is renamed in the output.
   */
  protected freshIndexName(): string {
    if (!this.takenNames) {
      const taken = new Set<string>();
      const visit = (n: ts.Node): void => {
        // Field names (`sp.i`, `{ i: 0 }`) are no variables.
        const parent = n.parent;
        const isField = parent && (ts.isPropertyAccessExpression(parent) || ts.isPropertyAssignment(parent) || ts.isPropertySignature(parent)) && parent.name === n;
        if (ts.isIdentifier(n) && !isField) taken.add(n.text);
        ts.forEachChild(n, visit);
      };
      visit(this.ref.decl);
      this.takenNames = taken;
    }
    const name = ["i", "j", "k", "m", "q", "r"].find((c) => !this.takenNames!.has(c)) ?? "index";
    this.takenNames.add(name);
    return name;
  }

  protected temp(base: string, type: Type): Var {
    this.tempCount++;
    return new Var(base, type, "temp", true);
  }

  /** `const elements = [a, b, c]` into `pre` (an array literal or tuple read as an array): the new array. */
  protected constantArray(elements: Expr[], pre: Stmt[], node: ts.Node): Expr {
    const values = this.temp("elements", { kind: "vector", repr: "array", readonly: false });
    pre.push({ k: "assign", target: values, value: { k: "arrayLit", type: values.type, elements }, declare: "const", node });
    return { k: "var", v: values };
  }

  /** The array that grows (declared empty, pushed) that `receiver` names, with its counter. */
  protected growingOf(receiver: ts.Expression): GrowingArray | undefined {
    const e = skipTransparent(receiver);
    const symbol = ts.isIdentifier(e) ? this.checker.getSymbolAtLocation(e) : undefined;
    const array = symbol && this.vars.get(symbol);
    return array ? this.growing.get(array) : undefined;
  }

  /** Declarations of the module-level constant structures the function reads, for its top. */
  protected readonly moduleStructDecls: Stmt[] = [];
  /** Leaves of module-level constant structures: never written. */
  protected readonly moduleLeaves = new Set<Var>();

  /**
   * The leaves of a structured variable, or of a module-level constant structure of numbers
   * (`const GRAVITY: Vec2 = { x: 0, y: -9.81 }`), whose leaves become constants at the
   * function's top the first time it is read.
   */
  protected structOf(symbol: ts.Symbol | undefined): Shape | undefined {
    if (!symbol) return undefined;
    const known = this.structs.get(symbol);
    if (known || this.failed.has(symbol)) return known;
    const target = symbol.flags & ts.SymbolFlags.Alias ? this.checker.getAliasedSymbol(symbol) : symbol;
    const decl = target.valueDeclaration;
    if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer || !ts.isIdentifier(decl.name)) return undefined;
    const list = decl.parent;
    if (!ts.isVariableDeclarationList(list) || !(list.flags & ts.NodeFlags.Const) || !ts.isVariableStatement(list.parent) || !ts.isSourceFile(list.parent.parent)) return undefined;
    const type = classifyValueType(this.checker.getTypeAtLocation(decl.name), this.checker).type;
    if (!type || !isStructType(type)) return undefined;
    const values = this.foldStruct(decl.initializer, type);
    if (!values) return undefined;
    const shape = freshShape(type, decl.name.text, "local", true);
    leavesOf(shape).forEach((leaf, i) => {
      this.moduleLeaves.add(leaf);
      this.moduleStructDecls.push({ k: "assign", target: leaf, value: { k: "num", value: values[i]! }, declare: "const", node: decl });
    });
    this.structs.set(symbol, shape);
    return shape;
  }

  /** The numbers of a constant object or tuple literal, in leaf order; undefined if any is not one. */
  private foldStruct(e: ts.Expression, type: ValueType): number[] | undefined {
    e = skipTransparent(e);
    // `{ ... } as const`, `[4, 3] as [number, number]`, `satisfies Params`: the literal decides.
    while (ts.isAsExpression(e) || ts.isSatisfiesExpression(e) || ts.isTypeAssertionExpression(e)) e = skipTransparent(e.expression);
    if (!isStructType(type)) {
      if (type.kind !== "number") return undefined;
      const v = this.fold(e, new Set());
      return v === undefined ? undefined : [v];
    }
    const types = type.kind === "object" ? type.fields.map((f) => f.type) : type.elements;
    let parts: (ts.Expression | undefined)[];
    if (type.kind === "object" && ts.isObjectLiteralExpression(e)) {
      parts = type.fields.map((f) => {
        const p = e.properties.find((x) => ts.isPropertyAssignment(x) && (ts.isIdentifier(x.name) || ts.isStringLiteral(x.name)) && x.name.text === f.name);
        return p && ts.isPropertyAssignment(p) ? p.initializer : undefined;
      });
      if (e.properties.length !== type.fields.length) return undefined;
    } else if (type.kind === "tuple" && ts.isArrayLiteralExpression(e)) {
      parts = [...e.elements];
    } else return undefined;
    const out: number[] = [];
    for (let i = 0; i < types.length; i++) {
      const part = parts[i];
      const partType = types[i]!;
      // (An array of structures is no constant of numbers.)
      const values = part && partType.kind !== "rows" && this.foldStruct(part, partType);
      if (!values) return undefined;
      out.push(...values);
    }
    return out;
  }

  /** The value of a module-level numeric constant, folded at compile time. */
  protected moduleConstant(symbol: ts.Symbol | undefined, seen = new Set<ts.Symbol>()): number | undefined {
    if (!symbol || seen.has(symbol)) return undefined;
    seen.add(symbol);
    if (symbol.flags & ts.SymbolFlags.Alias) symbol = this.checker.getAliasedSymbol(symbol);
    const decl = symbol.valueDeclaration;
    // `static readonly G = 9.81` of a class: a constant too.
    if (decl && ts.isPropertyDeclaration(decl) && decl.initializer) {
      const flags = ts.getCombinedModifierFlags(decl);
      return flags & ts.ModifierFlags.Static && flags & ts.ModifierFlags.Readonly ? this.fold(decl.initializer, seen) : undefined;
    }
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
    if (ts.isIdentifier(e) || ts.isPropertyAccessExpression(e)) return this.moduleConstant(this.checker.getSymbolAtLocation(e), seen);
    return undefined;
  }
}

/** `ys[ys_length] = value; ys_length += 1`: one element added to an array that grows. */
export function pushOnto(grown: { array: Var; length: Var }, value: Expr, node: ts.Node): Stmt[] {
  const at: Expr = { k: "var", v: grown.length };
  return [
    { k: "store", array: { k: "var", v: grown.array }, index: at, value, node },
    { k: "assign", target: grown.length, value: { k: "binary", op: "+", a: at, b: { k: "num", value: 1 } }, node },
  ];
}

/** Whether every mention of `symbol` in `file` (but its declaration) only reads it: an element, its length, a spread, a for...of. */
function onlyRead(file: ts.SourceFile, symbol: ts.Symbol, checker: ts.TypeChecker): boolean {
  const written = new Set(assignmentTargets(file));
  let ok = true;
  const visit = (n: ts.Node): void => {
    if (!ok) return;
    if (ts.isIdentifier(n) && !(ts.isVariableDeclaration(n.parent) && n.parent.name === n)) {
      const s = checker.getSymbolAtLocation(n);
      const at = s && s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
      if (at === symbol) {
        const p = n.parent;
        const element = ts.isElementAccessExpression(p) && p.expression === n && !written.has(p);
        const length = ts.isPropertyAccessExpression(p) && p.expression === n && p.name.text === "length";
        const spread = ts.isSpreadElement(p);
        const forOf = ts.isForOfStatement(p) && p.expression === n;
        const method = ts.isPropertyAccessExpression(p) && p.expression === n && ts.isCallExpression(p.parent) && p.parent.expression === p && readsOnly(p.name.text, p.parent);
        if (!element && !length && !spread && !forOf && !method) ok = false;
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(file);
  return ok;
}

/** Array methods that leave the array as it is, given callbacks that are not handed the array itself. */
function readsOnly(name: string, call: ts.CallExpression): boolean {
  if (["slice", "concat", "at", "indexOf", "includes", "join", "entries", "keys", "values"].includes(name)) return true;
  // A callback's last parameter would be the array: reduce's fourth, the others' third.
  const arrayAt = name === "reduce" || name === "reduceRight" ? 3 : ["map", "forEach", "some", "every", "filter", "find", "findIndex"].includes(name) ? 2 : -1;
  if (arrayAt < 0) return false;
  return call.arguments.every((a) => !(ts.isArrowFunction(a) || ts.isFunctionExpression(a)) || a.parameters.length <= arrayAt) && call.arguments.some((a) => ts.isArrowFunction(a) || ts.isFunctionExpression(a));
}
