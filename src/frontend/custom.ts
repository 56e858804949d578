/**
 * Custom derivatives: a function `f` of the project whose derivative the user declares next to
 * it, as exported functions of the same file named `f_vjp` (reverse mode) and `f_jvp` (forward
 * mode) with exactly the signatures tsgrad would generate for `f`:
 *
 *   export function f_vjp(p1: T1, ..., pn: Tn, cotangent: R): { value: R; grad: { p1: T1; ... } }
 *   export function f_jvp(p1: T1, ..., pn: Tn, tangents: { p1?: T1; ... }): { value: R; tangent: R }
 *
 * Wherever `f` is called, generated code calls them instead of differentiating `f`'s body (which
 * may then be anything TypeScript accepts: a black box). A name convention rather than an
 * annotation because the declared derivative is then interchangeable with the one tsgrad writes:
 * same name, same signature, testable against each other. For now `f` takes numbers and numeric
 * arrays (number[], Float64Array) and returns a number or a numeric array.
 *
 * Calls of `f` lower to a body-less IR function (customFunction) named as generated code prints
 * the user's function (`model.log1pexp`, SourceNamespaces), whose `custom` names the declared
 * derivatives the transforms call.
 */
import path from "node:path";
import ts from "typescript";
import type { Diagnostic } from "../api-types.js";
import { diagAt } from "../diagnostics.js";
import type { CustomFunction, IrFunction, Type } from "../ir/nodes.js";
import { Var } from "../ir/nodes.js";
import { type FunctionRef, returnType } from "./functions.js";
import { classifyType, isAnyType, typeText } from "./types.js";

export interface CustomDerivatives {
  /** The user's `f_vjp` and `f_jvp`, when declared. */
  vjp?: ts.FunctionDeclaration;
  jvp?: ts.FunctionDeclaration;
  /** `f`'s parameters (names and types) and result type. */
  params: { name: string; type: Type }[];
  result: Type;
}

const SUFFIXES = ["vjp", "jvp"] as const;

/** The top-level function declaration named `name` in `sf`, if any. */
function topLevelFunction(sf: ts.SourceFile, name: string): ts.FunctionDeclaration | undefined {
  return sf.statements.find((s): s is ts.FunctionDeclaration => ts.isFunctionDeclaration(s) && s.name?.text === name && s.body !== undefined);
}

function isExported(decl: ts.FunctionDeclaration): boolean {
  return ts.getModifiers(decl)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ?? false;
}

/** Whether `decl` is the declared derivative (`f_vjp`, `f_jvp`) of a function `f` of its file. */
export function isCustomDerivative(decl: ts.Node): boolean {
  if (!ts.isFunctionDeclaration(decl) || !decl.name) return false;
  const match = /^(.+)_(vjp|jvp)$/.exec(decl.name.text);
  return match !== null && topLevelFunction(decl.getSourceFile(), match[1]!) !== undefined;
}

/**
 * The derivatives declared for `ref` (a top-level function), checked against its signature:
 * undefined when there are none; `problems` (located at the declaration that is wrong) when one
 * does not fit.
 */
export function customDerivatives(ref: FunctionRef, checker: ts.TypeChecker): { custom?: CustomDerivatives; problems: Diagnostic[] } | undefined {
  const decl = ref.decl;
  if (!ts.isFunctionDeclaration(decl) || !decl.name || ref.receiver) return undefined;
  const sf = decl.getSourceFile();
  const found = SUFFIXES.map((suffix) => topLevelFunction(sf, `${decl.name!.text}_${suffix}`));
  if (found.every((d) => d === undefined)) return undefined;
  const problems: Diagnostic[] = [];
  const [vjp, jvp] = found;
  // f itself: numbers and numeric arrays in, a number or a numeric array out.
  const params: { name: string; type: Type }[] = [];
  for (const p of decl.parameters) {
    const t = checker.getTypeAtLocation(p);
    const type = isAnyType(t) ? undefined : classifyType(t, checker);
    if (!ts.isIdentifier(p.name) || p.questionToken || p.initializer || p.dotDotDotToken || !type || (type.kind !== "number" && type.kind !== "vector")) {
      problems.push(diagAt(p, "TSG1090", [decl.name.text, `its parameter '${p.name.getText()}' is not a plain number or numeric array (number[], Float64Array); custom derivatives of functions of objects, matrices or optional parameters are not supported yet`]));
      continue;
    }
    params.push({ name: p.name.text, type });
  }
  const ret = returnType(decl, checker);
  const result: Type | undefined = ret.type?.kind === "number" || ret.type?.kind === "vector" ? ret.type : undefined;
  if (!result) problems.push(diagAt(decl.name, "TSG1090", [decl.name.text, `it returns '${ret.text}'; custom derivatives are supported for functions returning a number or a numeric array`]));
  for (const [i, d] of found.entries()) {
    if (d && !isExported(d)) problems.push(diagAt(d.name ?? d, "TSG1090", [decl.name.text, `'${d.name!.text}' is not exported; the generated module imports it`]));
    if (d && result && problems.length === 0) problems.push(...checkSignature(d, SUFFIXES[i]!, params, result, checker));
  }
  if (!isExported(decl)) problems.push(diagAt(decl.name, "TSG1090", [decl.name.text, `'${decl.name.text}' is not exported; the generated module imports it to compute its value`]));
  if (problems.length > 0 || !result) return { problems };
  return { custom: { ...(vjp ? { vjp } : {}), ...(jvp ? { jvp } : {}), params, result }, problems };
}

/** The signature tsgrad would generate, as text, for messages. */
export function expectedSignature(name: string, kind: "vjp" | "jvp", params: readonly { name: string; type: Type }[], result: Type): string {
  const own = params.map((p) => `${p.name}: ${typeText(p.type)}`).join(", ");
  const value = derivativeText(result);
  if (kind === "vjp") {
    const grad = params.map((p) => `${p.name}: ${derivativeText(p.type)}`).join("; ");
    return `${name}_vjp(${own}${own ? ", " : ""}cotangent: ${value}): { value: ${value}; grad: { ${grad} } }`;
  }
  const tangents = params.map((p) => `${p.name}?: ${derivativeText(p.type)}`).join("; ");
  return `${name}_jvp(${own}${own ? ", " : ""}tangents: { ${tangents} }): { value: ${value}; tangent: ${value} }`;
}

function derivativeText(t: Type): string {
  return t.kind === "vector" && t.repr === "array" ? "number[]" : typeText(t);
}

/** Whether TypeScript type `t` is the IR type `want` (a number, or a numeric array of that kind). */
function sameKind(t: ts.Type | undefined, want: Type, checker: ts.TypeChecker): boolean {
  if (!t || isAnyType(t)) return false;
  const got = classifyType(t, checker);
  if (!got || got.kind !== want.kind) return false;
  return got.kind !== "vector" || want.kind !== "vector" || got.repr === want.repr;
}

function property(t: ts.Type | undefined, name: string, checker: ts.TypeChecker, at: ts.Node): ts.Type | undefined {
  const symbol = t?.getProperty(name);
  return symbol ? checker.getTypeOfSymbolAtLocation(symbol, at) : undefined;
}

function checkSignature(d: ts.FunctionDeclaration, kind: "vjp" | "jvp", params: readonly { name: string; type: Type }[], result: Type, checker: ts.TypeChecker): Diagnostic[] {
  const base = d.name!.text.slice(0, -4);
  const wrong = (node: ts.Node, what: string): Diagnostic[] => [diagAt(node, "TSG1090", [base, `${what}; declare ${expectedSignature(base, kind, params, result)}`])];
  if (d.parameters.length !== params.length + 1) return wrong(d.name!, `'${d.name!.text}' takes ${d.parameters.length} parameters, not ${params.length + 1}`);
  for (const [i, p] of params.entries()) {
    const mine = d.parameters[i]!;
    if (!sameKind(checker.getTypeAtLocation(mine), p.type, checker)) return wrong(mine, `its parameter ${i + 1} is not of type ${typeText(p.type)}`);
  }
  const last = d.parameters[params.length]!;
  const signature = checker.getSignatureFromDeclaration(d);
  const ret = signature && checker.getReturnTypeOfSignature(signature);
  if (!sameKind(property(ret, "value", checker, d), result, checker)) return wrong(d.type ?? d.name!, "its result has no field 'value' of the function's result type");
  if (kind === "vjp") {
    if (!sameKind(checker.getTypeAtLocation(last), result, checker)) return wrong(last, "its last parameter, the cotangent, does not have the result's type");
    const grad = property(ret, "grad", checker, d);
    for (const p of params) {
      if (!sameKind(property(grad, p.name, checker, d), p.type, checker)) return wrong(d.type ?? d.name!, `its result's 'grad' has no field '${p.name}' of type ${typeText(p.type)}`);
    }
    return [];
  }
  const tangents = checker.getTypeAtLocation(last);
  for (const p of params) {
    const t = property(tangents, p.name, checker, d);
    if (!t || !sameKind(checker.getNonNullableType(t), p.type, checker)) return wrong(last, `its tangents parameter has no field '${p.name}' of type ${typeText(p.type)}`);
  }
  if (!sameKind(property(ret, "tangent", checker, d), result, checker)) return wrong(d.type ?? d.name!, "its result has no field 'tangent' of the function's result type");
  return [];
}

/**
 * The namespaces generated code imports sources with declared derivatives under
 * (the namespace `model` for `model.ts`, as `./model.js`), one per file, named after it.
 */
export class SourceNamespaces {
  private readonly byFile = new Map<string, { namespace: string; specifier: string }>();

  constructor(private readonly outDir: string) {}

  of(file: string): { namespace: string; specifier: string } {
    let known = this.byFile.get(file);
    if (!known) {
      const base = path.basename(file).replace(/\.[cm]?tsx?$/, "");
      let namespace = base.replace(/[^A-Za-z0-9_$]/g, "_").replace(/^(?=\d)/, "_") || "source";
      const taken = new Set([...this.byFile.values()].map((v) => v.namespace));
      for (let i = 2; taken.has(namespace); i++) namespace = `${namespace}_${i}`;
      let specifier = path.relative(this.outDir, file).split(path.sep).join("/").replace(/\.([cm]?)tsx?$/, ".$1js");
      if (!specifier.startsWith(".")) specifier = `./${specifier}`;
      known = { namespace, specifier };
      this.byFile.set(file, known);
    }
    return known;
  }

  /** `model.log1pexp`: how generated code calls a function of a source it imports. */
  printedName(ref: FunctionRef): string {
    return `${this.of(ref.sourceFile.fileName).namespace}.${ref.name}`;
  }
}

/** The body-less function calls of `ref` lower to: its derivatives are the user's. */
export function customFunction(ref: FunctionRef, custom: CustomDerivatives, namespaces: SourceNamespaces): IrFunction {
  const { namespace, specifier } = namespaces.of(ref.sourceFile.fileName);
  const printed = (name: string) => `${namespace}.${name}`;
  const info: CustomFunction = {
    primal: printed(ref.name),
    ...(custom.vjp ? { vjp: printed(custom.vjp.name!.text) } : {}),
    ...(custom.jvp ? { jvp: printed(custom.jvp.name!.text) } : {}),
    namespace,
    specifier,
  };
  return {
    name: info.primal,
    sourceName: ref.name,
    params: custom.params.map((p) => ({ v: new Var(p.name, p.type, "param") })),
    returnType: custom.result,
    body: [],
    callees: [],
    fileName: ref.sourceFile.fileName,
    node: ref.decl,
    exported: false,
    custom: info,
  };
}

/** A selected function with declared derivatives: its entry points call it (and so its derivatives). */
export function callingWrapper(name: string, stub: IrFunction): IrFunction {
  const params = stub.params.map((p) => ({ v: new Var(p.v.name, p.v.type, "param") }));
  const value = new Var("value", stub.returnType, "local", true);
  return {
    ...stub,
    name,
    params,
    body: [
      { k: "assign", target: value, value: { k: "call", fn: stub.name, args: params.map((p) => ({ k: "var", v: p.v })) }, declare: "const" },
      { k: "return", value: { k: "var", v: value }, exitId: 0 },
    ],
    callees: [stub.name],
    exported: true,
    custom: undefined,
  };
}

/** A located error when the mode compiled needs a derivative the user did not declare. */
export function missingDerivatives(ref: FunctionRef, custom: CustomDerivatives, mode: "reverse" | "forward" | "both"): Diagnostic[] {
  const name = ref.name;
  const at = ref.decl.name ?? ref.decl;
  if (mode !== "forward" && !custom.vjp) return [diagAt(at, "TSG1091", [name, `${name}_jvp`, `${name}_vjp`, "reverse mode (f_grad, f_vjp)", "forward"])];
  if (mode !== "reverse" && !custom.jvp) return [diagAt(at, "TSG1091", [name, `${name}_vjp`, `${name}_jvp`, "forward mode (f_jvp)", "reverse"])];
  return [];
}
