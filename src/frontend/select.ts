/**
 * Which functions of a file are differentiated (SPEC section 1): every function the file
 * exports, in any export form, whose parameters all have supported types and whose result is
 * numeric (a number, a numeric array, or an object or tuple of numbers). `--fn` narrows it.
 *
 * Export forms and the public name each gives (the name of `f_grad`, and what `--fn` matches):
 *   export function f / export const f = (...) => ... / function expression     f
 *   export { f } / export { f as g }                                           f / g
 *   export default function f / export default f / export { f as default }    f (the function's own name)
 *   export default function (...) / export default (...) => ...               default
 *   export class C { m(...) {...}; static s(...) {...}; get g() {...} }          C_m, C_s, C_g
 * Everything else exported that is a function, or a class, is skipped with a located reason
 * (nothing exported is ignored without a word): re-exports from other files, `let`/`var`
 * bindings, classes without public methods, functions without a body, function values not
 * written as functions.
 */
import ts from "typescript";
import type { Diagnostic } from "../api-types.js";
import { type Code, diagAt, diagNoLocation, formatMessage } from "../diagnostics.js";
import { type FunctionRef, methodRef, paramType, receiverType, returnType, skipParens } from "./functions.js";
import { isStructType, returnableLeavesOnly } from "./types.js";
import { isCustomDerivative } from "./custom.js";
import { WriteAnalysis, writesThis } from "./writes.js";


export interface Selection {
  selected: FunctionRef[];
  diagnostics: Diagnostic[];
}

/** A JavaScript identifier (a string export name such as "a b" is not). */
const IDENTIFIER = /^[\p{ID_Start}$_][\p{ID_Continue}$\u200c\u200d]*$/u;

/** The public name of an anonymous default export: `default_grad`, `default_jvp`, ... */
export const ANONYMOUS_DEFAULT = "default";

/** An exported function: `name` is its public name, `site` where the export is written. */
export interface ExportedFunction extends FunctionRef {
  site: ts.Node;
}

/** An export that is not differentiated, whatever --fn says, and why. */
export interface SkippedExport {
  /** The public name (`* from m` for `export * from "m"`). */
  name: string;
  site: ts.Node;
  code: Code;
  args: string[];
}

export interface FileExports {
  functions: ExportedFunction[];
  skipped: SkippedExport[];
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node)?.some((m) => m.kind === kind) ?? false);
}

/** What a declaration the file exports under `name` is, as far as selection cares. */
type Classified = { fn: FunctionRef["decl"] } | { methods: FunctionRef[] } | { skip: Code; args: string[] } | undefined;

/**
 * An exported class: its public methods with a body, static or not, each a function named
 * `Class_method` (under the class's exported name). A class without any is skipped with a word.
 */
function classMethods(cls: ts.ClassDeclaration | ts.ClassExpression, name: string): Classified {
  const methods: FunctionRef[] = [];
  if (ts.isClassDeclaration(cls)) {
    for (const member of cls.members) {
      if (!(ts.isMethodDeclaration(member) || ts.isGetAccessor(member)) || !ts.isIdentifier(member.name)) continue;
      const hidden = ts.getCombinedModifierFlags(member) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected | ts.ModifierFlags.Abstract);
      const ref = hidden ? undefined : methodRef(member, name);
      if (ref) methods.push(ref);
    }
  }
  return methods.length > 0 ? { methods } : { skip: "TSG2011", args: [name] };
}

function classifyDeclaration(decl: ts.Declaration, name: string, symbol: ts.Symbol | undefined, checker: ts.TypeChecker): Classified {
  if (ts.isFunctionDeclaration(decl)) {
    // Overloads: the implementation (the declaration with a body) is the function.
    const implementation = decl.body ? decl : symbol?.declarations?.find((d) => ts.isFunctionDeclaration(d) && d.body);
    if (implementation) return { fn: implementation as ts.FunctionDeclaration };
    return { skip: "TSG2004", args: [name, "it is declared without a body."] };
  }
  if (ts.isClassDeclaration(decl) || ts.isClassExpression(decl)) return classMethods(decl, name);
  if (ts.isVariableDeclaration(decl)) {
    const init = decl.initializer && skipParens(decl.initializer);
    if (init && ts.isClassExpression(init)) return classMethods(init, name);
    const isFunction = !!init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init));
    const list = decl.parent;
    const constant = ts.isVariableDeclarationList(list) && (list.flags & ts.NodeFlags.Const) !== 0;
    if (isFunction && constant) return { fn: init as ts.ArrowFunction | ts.FunctionExpression };
    const callable = isFunction || checker.getTypeAtLocation(decl.name).getCallSignatures().length > 0;
    if (!callable) return undefined; // a number, an object...: not a function, nothing to say
    // A `let`/`var` binding can be reassigned: the function it holds is not a stable definition.
    if (!constant) return { skip: "TSG2012", args: [name, list.flags & ts.NodeFlags.Let ? "let" : "var"] };
    return { skip: "TSG2004", args: [name, "it is a function value, not written as a function; declare it with 'function' or as 'const f = (...) => ...'."] };
  }
  return undefined;
}

/** The module an imported name comes from, when `symbol` is an import (an alias). */
function importedFrom(symbol: ts.Symbol): string | undefined {
  if (!(symbol.flags & ts.SymbolFlags.Alias)) return undefined;
  let node: ts.Node | undefined = symbol.declarations?.[0];
  while (node && !ts.isImportDeclaration(node) && !ts.isImportEqualsDeclaration(node)) node = node.parent;
  if (node && ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) return node.moduleSpecifier.text;
  if (node && ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
    return node.moduleReference.expression.text;
  }
  return undefined;
}

/** True when a re-exported symbol is a function or a class (other values need no word). */
function isFunctionOrClass(symbol: ts.Symbol, site: ts.Node, checker: ts.TypeChecker): boolean {
  const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  if (target.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Class)) return true;
  if (!(target.flags & ts.SymbolFlags.Value)) return false;
  return checker.getTypeOfSymbolAtLocation(target, site).getCallSignatures().length > 0;
}

/** Every export of a file that is a function or a class, in source order. */
export function fileExports(sf: ts.SourceFile, checker: ts.TypeChecker): FileExports {
  const functions: ExportedFunction[] = [];
  const skipped: SkippedExport[] = [];
  const add = (name: string, site: ts.Node, what: Classified): void => {
    if (!what) return;
    // `export { f as "a b" }`: a name `a b_grad` cannot have.
    if ("fn" in what && !IDENTIFIER.test(name)) {
      skipped.push({ name, site, code: "TSG2004", args: [name, "its exported name is not an identifier; export it under one."] });
    } else if ("fn" in what) functions.push({ decl: what.fn, name, sourceFile: sf, site });
    else if ("methods" in what) for (const m of what.methods) functions.push({ ...m, site: m.decl.name ?? m.decl });
    else skipped.push({ name, site, code: what.skip, args: what.args });
  };
  // `export { f }`, `export default f`: what the local name `f` is.
  const addLocal = (name: string, local: ts.Identifier, site: ts.Node): void => {
    const symbol = ts.isExportSpecifier(site) ? checker.getExportSpecifierLocalTargetSymbol(site) : checker.getSymbolAtLocation(local);
    if (!symbol) return;
    const from = importedFrom(symbol);
    if (from !== undefined) {
      if (isFunctionOrClass(symbol, site, checker)) skipped.push({ name, site, code: "TSG2010", args: [`'${name}'`, from] });
      return;
    }
    const decl = symbol.valueDeclaration ?? symbol.declarations?.[0];
    // `export default f` and `export { f as default }` keep the function's own name.
    if (decl) add(name === "default" ? local.text : name, site, classifyDeclaration(decl, name === "default" ? local.text : name, symbol, checker));
  };

  for (const statement of sf.statements) {
    const exported = hasModifier(statement, ts.SyntaxKind.ExportKeyword);
    if (exported && (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement))) {
      const name = statement.name?.text ?? ANONYMOUS_DEFAULT;
      // Overload signatures are reported through their implementation, once.
      if (ts.isFunctionDeclaration(statement) && !statement.body && statement.name) {
        const symbol = checker.getSymbolAtLocation(statement.name);
        if (symbol?.declarations?.some((d) => ts.isFunctionDeclaration(d) && d.body)) continue;
      }
      const symbol = statement.name && checker.getSymbolAtLocation(statement.name);
      add(name, statement, classifyDeclaration(statement, name, symbol, checker));
    } else if (exported && ts.isVariableStatement(statement)) {
      for (const d of statement.declarationList.declarations) {
        if (ts.isIdentifier(d.name)) add(d.name.text, d, classifyDeclaration(d, d.name.text, undefined, checker));
      }
    } else if (ts.isExportAssignment(statement)) {
      // `export default <expression>` (and `export = <expression>`).
      const e = skipParens(statement.expression);
      if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) add(e.name?.text ?? ANONYMOUS_DEFAULT, statement, { fn: e });
      else if (ts.isClassExpression(e)) add(e.name?.text ?? ANONYMOUS_DEFAULT, statement, classMethods(e, e.name?.text ?? ANONYMOUS_DEFAULT));
      else if (ts.isIdentifier(e)) addLocal("default", e, statement);
    } else if (ts.isExportDeclaration(statement) && !statement.isTypeOnly) {
      const from = statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier) ? statement.moduleSpecifier.text : undefined;
      const clause = statement.exportClause;
      if (!clause || ts.isNamespaceExport(clause)) {
        // `export * from "./m"` (or `export * as ns from`): a word when it brings functions.
        const module = statement.moduleSpecifier && checker.getSymbolAtLocation(statement.moduleSpecifier);
        const brings = module ? checker.getExportsOfModule(module).some((s) => isFunctionOrClass(s, statement, checker)) : false;
        if (from !== undefined && brings) skipped.push({ name: `* from ${from}`, site: statement, code: "TSG2010", args: [clause ? `'${clause.name.text}'` : "everything", from] });
        continue;
      }
      for (const spec of clause.elements) {
        if (spec.isTypeOnly) continue;
        const name = spec.name.text;
        if (from !== undefined) {
          const symbol = checker.getSymbolAtLocation(spec.name);
          if (symbol && isFunctionOrClass(symbol, spec, checker)) skipped.push({ name, site: spec, code: "TSG2010", args: [`'${name}'`, from] });
        } else {
          addLocal(name, (spec.propertyName ?? spec.name) as ts.Identifier, spec);
        }
      }
    }
  }
  return { functions: firstOfEachName(functions), skipped: firstOfEachName(skipped) };
}

/**
 * One entry per public name, the first in source order (`export function f` with `export
 * default f` is one function). The same function under two names stays twice: `f_grad` and `g_grad`.
 */
function firstOfEachName<T extends { name: string }>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((f) => !seen.has(f.name) && seen.add(f.name));
}

/** Why a function is not differentiable as an entry point, or undefined when it is. */
function whyNotSelectable(ref: FunctionRef, checker: ts.TypeChecker): string | undefined {
  if (ref.receiver) {
    const { problem } = receiverType(ref.receiver, checker);
    if (problem) return `'this' is not a structure of numbers: ${problem}.`;
  }
  for (const p of ref.decl.parameters) {
    const { type, problem } = paramType(p, checker);
    if (problem) return formatMessage(problem[0], problem[1]);
    if (type?.kind === "boolean") return `parameter '${p.name.getText()}' is a boolean.`;
  }
  // A `void` function that updates structured parameters in place: they are its result.
  if (updatedParameters(ref.decl, checker) !== undefined) return undefined;
  const ret = returnType(ref.decl, checker);
  const numericStruct = ret.type && isStructType(ret.type) && returnableLeavesOnly(ret.type);
  const numericRows = ret.rows && returnableLeavesOnly(ret.rows.element);
  if (!numericRows && (!ret.type || (ret.type.kind !== "number" && ret.type.kind !== "vector" && !numericStruct))) {
    // A `void` function's result is the one parameter it updates: say why there is none.
    const written = ret.text === "void" ? [...new WriteAnalysis(checker).writtenParams(ref.decl)].sort((a, b) => a - b).map((i) => ref.decl.parameters[i]!.name.getText()) : [];
    if (written.length > 1) return `it returns 'void' and writes into ${written.length} parameters (${written.join(", ")}); a void function updating several parameters has them as its result when each is an object or tuple of numbers: return what is wanted (an object or tuple of the updated values), or split it.`;
    if (ret.text === "void" && written.length === 0 && ref.receiver && writesThis(ref.decl, checker)) {
      // A method that updates its object (`step(dt): void { this.x += this.v * dt; }`).
      const cls = ref.receiver.name?.text ?? "the class";
      const params = ref.decl.parameters.map((p) => p.getText()).join(", ");
      const method = ref.decl.name?.getText() ?? "update";
      const self = receiverType(ref.receiver, checker).type;
      const fields = self?.kind === "object" ? self.fields.slice(0, 3).map((f) => `${f.name}: this.${f.name}`) : [];
      const value = fields.length > 0 ? `{ ${fields.join(", ")}${self?.kind === "object" && self.fields.length > 3 ? ", ..." : ""} }` : "an object of the updated fields";
      return `it returns 'void' and updates its object ('this'), which is not taken as a result yet; return the new values (${value}), or write it as a function that updates the object passed to it (function ${method}(self: ${cls}${params ? `, ${params}` : ""}): void), which is differentiated.`;
    }
    if (ret.text === "void" && written.length === 0) return "it returns 'void' and writes into none of its parameters, so it has no result to differentiate.";
    return `it returns '${ret.text}', not number, number[], Float64Array, Float32Array, an object or tuple of numbers (booleans and string literal unions may come along), or an array of them.`;
  }
  return undefined;
}

/**
 * The parameter a `void` function updates in place, when it writes into exactly one parameter
 * and that one is an object, a tuple, an array of them (`integrate(p: Body, dt): void`) or an
 * array of numbers (gl-matrix's `normalize(out, a): void`).
 */
/**
 * The parameters a `void` function updates in place, in order: the one of updatedParameter, or
 * several objects and tuples of numbers (`resolveCollision(a: Body, b: Body): void`), whose
 * final values are the function's result `{ a, b }`.
 */
export function updatedParameters(decl: FunctionRef["decl"], checker: ts.TypeChecker): ts.ParameterDeclaration[] | undefined {
  const one = updatedParameter(decl, checker);
  if (one) return [one];
  const signature = checker.getSignatureFromDeclaration(decl);
  const result = signature && checker.getReturnTypeOfSignature(signature);
  if (!result || !(result.flags & ts.TypeFlags.Void)) return undefined;
  const written = [...new WriteAnalysis(checker).writtenParams(decl)].sort((a, b) => a - b).map((i) => decl.parameters[i]!);
  if (written.length < 2) return undefined;
  const structured = (p: ts.ParameterDeclaration): boolean => {
    const type = paramType(p, checker).type;
    return ts.isIdentifier(p.name) && type !== undefined && type.kind !== "rows" && isStructType(type) && returnableLeavesOnly(type);
  };
  return written.every(structured) ? written : undefined;
}

export function updatedParameter(decl: FunctionRef["decl"], checker: ts.TypeChecker): ts.ParameterDeclaration | undefined {
  const signature = checker.getSignatureFromDeclaration(decl);
  const result = signature && checker.getReturnTypeOfSignature(signature);
  if (!result || !(result.flags & ts.TypeFlags.Void)) return undefined;
  const written = [...new WriteAnalysis(checker).writtenParams(decl)];
  const p = written.length === 1 ? decl.parameters[written[0]!] : undefined;
  const type = p && paramType(p, checker).type;
  const numeric = type && (type.kind === "rows" ? returnableLeavesOnly(type.element) : type.kind === "vector" || (isStructType(type) && returnableLeavesOnly(type)));
  return numeric && ts.isIdentifier(p.name) ? p : undefined;
}

/**
 * The selected functions, and a diagnostic for every export that is not: a warning by default,
 * an error when --fn asked for it by name. Exports --fn leaves out are skipped silently.
 */
export function selectFunctions(sf: ts.SourceFile, checker: ts.TypeChecker, only: readonly string[] | undefined): Selection {
  const diagnostics: Diagnostic[] = [];
  const selected: FunctionRef[] = [];
  const { functions, skipped } = fileExports(sf, checker);
  const wanted = only && only.length > 0 ? new Set(only) : undefined;
  const severity = wanted ? "error" : "warning";
  const problems: { name: string; site: ts.Node; code: Code; args: string[] }[] = [];
  for (const ref of functions) {
    if (wanted && !wanted.has(ref.name)) continue;
    // `f_vjp` / `f_jvp` declared for a function `f` of the file are derivatives, not functions to differentiate.
    if (isCustomDerivative(ref.decl)) continue;
    const why = whyNotSelectable(ref, checker);
    if (why === undefined) selected.push({ decl: ref.decl, name: ref.name, sourceFile: ref.sourceFile, ...(ref.receiver ? { receiver: ref.receiver } : {}) });
    else problems.push({ name: ref.name, site: ref.site, code: "TSG2004", args: [ref.name, why] });
  }
  for (const s of skipped) if (!wanted || wanted.has(s.name)) problems.push(s);
  problems.sort((a, b) => a.site.getStart() - b.site.getStart());
  for (const p of problems) diagnostics.push(diagAt(p.site, p.code, p.args, severity));
  if (wanted) {
    for (const name of wanted) {
      const known = functions.some((r) => r.name === name) || skipped.some((s) => s.name === name);
      if (!known) diagnostics.push(diagNoLocation("TSG2002", [name, sf.fileName], sf.fileName));
    }
  }
  return { selected, diagnostics };
}
