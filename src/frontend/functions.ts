/**
 * The functions of the user's program as the frontend sees them: a reference to a declaration
 * (function declaration, or a `const` bound to an arrow or function expression), how a call
 * finds its callee through imports, and the IR types of a signature.
 */
import ts from "typescript";
import type { Code } from "../diagnostics.js";
import type { RowsType, StructType } from "../ir/nodes.js";
import { type ValueType, classifyRowsType, classifyType, classifyValueType, isAnyType, isStructType } from "./types.js";

export interface FunctionRef {
  decl: ts.FunctionDeclaration | ts.ArrowFunction | ts.FunctionExpression | ts.MethodDeclaration | ts.GetAccessorDeclaration;
  name: string;
  sourceFile: ts.SourceFile;
  /** An instance method's class: its `this` is an implicit first parameter, `self`. */
  receiver?: ts.ClassDeclaration;
}

/**
 * A method of a named class as a function: `Class_method`, static methods as they are, instance
 * methods with their receiver; a getter (`get length()`, read as `v.length`) is a method without
 * parameters. Setters, constructors and methods without a body are not.
 */
export function methodRef(decl: ts.MethodDeclaration | ts.GetAccessorDeclaration, publicClassName?: string): FunctionRef | undefined {
  const cls = decl.parent;
  if (!ts.isClassDeclaration(cls) || !decl.body || !ts.isIdentifier(decl.name)) return undefined;
  const className = publicClassName ?? cls.name?.text;
  if (className === undefined) return undefined;
  const isStatic = ts.getModifiers(decl)?.some((m) => m.kind === ts.SyntaxKind.StaticKeyword) ?? false;
  return { decl, name: `${className}_${decl.name.text}`, sourceFile: decl.getSourceFile(), ...(isStatic ? {} : { receiver: cls }) };
}

/**
 * Methods of the project's classes that a subclass overrides, each with that subclass's name. A
 * call of such a method may run the override: tsgrad, which calls the method of the declared
 * type, must not differentiate it.
 */
export function overriddenMethods(files: readonly ts.SourceFile[], checker: ts.TypeChecker): Map<ts.Node, string> {
  const out = new Map<ts.Node, string>();
  // Base classes are found through the `extends` clauses' symbols, not through types: resolving
  // class types before TypeScript has checked the file makes its later diagnostics wrong.
  const baseOf = (cls: ts.ClassLikeDeclaration): ts.ClassLikeDeclaration | undefined => {
    const clause = cls.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword);
    const expression = clause?.types[0]?.expression;
    let symbol = expression && checker.getSymbolAtLocation(expression);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    const decl = symbol?.declarations?.find((d): d is ts.ClassLikeDeclaration => ts.isClassDeclaration(d) || ts.isClassExpression(d));
    return decl;
  };
  const visit = (node: ts.Node): void => {
    if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) {
      const names = new Set(node.members.flatMap((m) => (m.name && !ts.isConstructorDeclaration(m) ? [m.name.getText()] : [])));
      const seen = new Set<ts.Node>();
      for (let base = baseOf(node); base && !seen.has(base); base = baseOf(base)) {
        seen.add(base);
        for (const m of base.members) if (m.name && names.has(m.name.getText()) && !out.has(m)) out.set(m, node.name?.text ?? "(anonymous class)");
      }
    }
    ts.forEachChild(node, visit);
  };
  for (const f of files) visit(f);
  return out;
}

/** The structure of a class's instances (its fields), or why it has none. */
export function receiverType(cls: ts.ClassDeclaration, checker: ts.TypeChecker): { type?: StructType; problem?: string } {
  const symbol = cls.name && checker.getSymbolAtLocation(cls.name);
  if (!symbol) return { problem: "the class has no name" };
  if (cls.typeParameters && cls.typeParameters.length > 0) return { problem: `class '${symbol.name}' is generic` };
  const classified = classifyValueType(checker.getDeclaredTypeOfSymbol(symbol), checker);
  if (!classified.type || !isStructType(classified.type)) return { problem: classified.problem ?? `class '${symbol.name}' has no numeric fields` };
  return { type: classified.type };
}

/** The declaration of a user function a call expression names, if it is one. */
export function functionOfSymbol(symbol: ts.Symbol | undefined, checker: ts.TypeChecker): FunctionRef | undefined {
  if (!symbol) return undefined;
  if (symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  const decl = symbol.valueDeclaration ?? symbol.declarations?.[0];
  if (!decl) return undefined;
  if (ts.isFunctionDeclaration(decl) && decl.body && decl.name) {
    return { decl, name: decl.name.text, sourceFile: decl.getSourceFile() };
  }
  if (ts.isMethodDeclaration(decl) || ts.isGetAccessor(decl)) return methodRef(decl);
  if (ts.isVariableDeclaration(decl) && ts.isIdentifier(decl.name) && decl.initializer) {
    const list = decl.parent;
    const init = skipParens(decl.initializer);
    if (ts.isVariableDeclarationList(list) && list.flags & ts.NodeFlags.Const && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) {
      return { decl: init, name: decl.name.text, sourceFile: decl.getSourceFile() };
    }
  }
  return undefined;
}

export function skipParens(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  return e;
}

/** The IR type of a parameter, a diagnostic when it has none. */
export function paramType(p: ts.ParameterDeclaration, checker: ts.TypeChecker): { type?: ValueType | RowsType; problem?: [Code, (string | number)[]]; optional?: boolean } {
  const name = p.name.getText();
  // An optional number (`scale?: number`) is a number or undefined (Var.optional).
  const optionalNumber = p.questionToken && !p.initializer && !p.dotDotDotToken && ts.isIdentifier(p.name) && classifyType(checker.getNonNullableType(checker.getTypeAtLocation(p)), checker)?.kind === "number";
  if (optionalNumber) return { type: { kind: "number" }, optional: true };
  if ((p.initializer && !defaultLiteral(p.initializer, checker)) || p.questionToken || p.dotDotDotToken) return { problem: ["TSG1026", [name]] };
  const t = checker.getTypeAtLocation(p);
  if (isAnyType(t)) return { problem: ["TSG1009", [name]] };
  const rows = classifyRowsType(t, checker);
  if (rows) {
    if (!rows.type) return { problem: ["TSG1003", [name, checker.typeToString(t), rows.problem ? ` (${rows.problem})` : ""]] };
    return ts.isIdentifier(p.name) ? { type: rows.type } : { problem: ["TSG1020", []] };
  }
  const classified = classifyValueType(t, checker);
  if (!classified.type) return { problem: ["TSG1003", [name, checker.typeToString(t), classified.problem ? ` (${classified.problem})` : ""]] };
  // Destructuring (`{ x, y }: Vec2`, `[a, b]: [number, number]`) takes a structure apart.
  if (!ts.isIdentifier(p.name) && !isStructType(classified.type)) return { problem: ["TSG1020", []] };
  return { type: classified.type };
}

/**
 * The default value of a parameter when it is a literal (`strike = 100`, `kind = "call"`): its
 * source text. Other defaults would have to be evaluated in the caller's place.
 */
export function defaultLiteral(e: ts.Expression, checker?: ts.TypeChecker): string | undefined {
  const x = skipParens(e);
  // An enum member (`Easing.Quadratic`) is written as its value: the enum is not in generated code.
  if (checker && ts.isPropertyAccessExpression(x)) {
    const t = checker.getTypeAtLocation(x);
    if (t.flags & ts.TypeFlags.EnumLiteral && t.isLiteral()) return JSON.stringify(t.value);
  }
  const numeric = ts.isPrefixUnaryExpression(x) && x.operator === ts.SyntaxKind.MinusToken ? x.operand : x;
  if (ts.isNumericLiteral(numeric) || ts.isStringLiteral(x) || x.kind === ts.SyntaxKind.TrueKeyword || x.kind === ts.SyntaxKind.FalseKeyword) return x.getText();
  // `opts: Options = {}` (TypeScript checks that every field of Options is optional).
  if (ts.isObjectLiteralExpression(x) && x.properties.length === 0) return "{}";
  return undefined;
}

export function returnType(decl: FunctionRef["decl"], checker: ts.TypeChecker): { type?: ValueType; rows?: RowsType; text: string } {
  const signature = checker.getSignatureFromDeclaration(decl);
  const t = signature ? checker.getReturnTypeOfSignature(signature) : undefined;
  if (!t) return { text: "unknown" };
  const text = checker.typeToString(t);
  const rows = classifyRowsType(t, checker);
  if (rows) return rows.type ? { rows: rows.type, text } : { text };
  const type = classifyType(t, checker) ?? classifyValueType(t, checker).type;
  return { type, text };
}

