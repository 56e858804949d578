/**
 * Nested differentiation: a function that calls a derivative tsgrad generated for another file
 * (`import { f_grad, f_jvp } from "./inner.grad.js"`, `inner.ts` beside it) is differentiated
 * through those calls. The call is recognised here; lowering (lower/structures.ts) turns it into
 * IR calls of `f` itself, of `f`'s directional derivative (ad/second-order.ts) for `f_jvp`, and of
 * body-less functions with derivatives tsgrad writes itself for the gradient's entries (`f_grad`),
 * which compile.ts builds from the Hessian-vector product of `f`.
 *
 * Recognised: a named import (`import { f_grad } from ...`, `import { f_grad as g } ...`) of
 * `f_grad` or `f_jvp` from a relative module specifier ending in `.grad`, `.grad.js` or `.grad.ts`
 * whose source (`inner.ts`, the specifier without `.grad...`) exists and exports a function `f`.
 */
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import type { Diagnostic } from "../api-types.js";
import { diagAt } from "../diagnostics.js";
import type { Type } from "../ir/nodes.js";
import { type FunctionRef, functionOfSymbol, returnType } from "./functions.js";
import { generatedModulePaths } from "./program.js";
import { classifyType, isAnyType } from "./types.js";

/** A recognised call target: `f_grad` or `f_jvp` of the function `f` of the source beside a generated module. */
export interface NestedEntry {
  kind: "grad" | "jvp";
  /** The entry point's name as the generated module exports it (`f_grad`). */
  entry: string;
  /** `f` in its source file. */
  ref: FunctionRef;
  /** `f`'s parameters and their IR types (numbers and numeric arrays). */
  params: { name: string; type: Type }[];
  /** The source's file name as written in messages (`inner.ts`). */
  sourceLabel: string;
}

/** The import declaration a call's callee (an identifier) is bound by, with the name it imports. */
function importOf(callee: ts.Expression, checker: ts.TypeChecker): { specifier: string; imported: string; node: ts.ImportSpecifier } | undefined {
  if (!ts.isIdentifier(callee)) return undefined;
  const symbol = checker.getSymbolAtLocation(callee);
  const decl = symbol?.declarations?.[0];
  if (!decl || !ts.isImportSpecifier(decl)) return undefined;
  const importDecl = decl.parent.parent.parent;
  if (!ts.isStringLiteral(importDecl.moduleSpecifier)) return undefined;
  return { specifier: importDecl.moduleSpecifier.text, imported: (decl.propertyName ?? decl.name).text, node: decl };
}

/**
 * Whether `call` calls an entry point of a generated module whose source sits beside it:
 * undefined when it does not, `problem` (located) when it does but cannot be differentiated.
 */
export function nestedEntry(call: ts.CallExpression, checker: ts.TypeChecker, program: ts.Program | undefined, generated?: ReadonlyMap<string, string>): { entry?: NestedEntry; problem?: Diagnostic } | undefined {
  const found = importOf(call.expression, checker);
  if (!found) return undefined;
  const paths = generatedModulePaths(call.getSourceFile().fileName, found.specifier);
  if (!paths || !fs.existsSync(paths.source)) return undefined;
  const sourceLabel = path.basename(paths.source);
  const text = call.expression.getText();
  if (!generatedExists(paths.generated, generated)) {
    return { problem: diagAt(call.expression, "TSG1094", [text, found.specifier, sourceLabel]) };
  }
  const m = /^(.+)_(grad|jvp)$/.exec(found.imported);
  const problem = (why: string) => ({ problem: diagAt(call.expression, "TSG1093", [text, why]) });
  if (!m) return problem(`only f_grad (read as f_grad(...).grad.x or .value) and f_jvp (f_jvp(..., { x: dx }).tangent or .value) of the functions of '${sourceLabel}' are differentiated through, not '${found.imported}'`);
  const [, name, kind] = m as unknown as [string, string, "grad" | "jvp"];
  const sf = program?.getSourceFile(paths.source);
  const moduleSymbol = sf && checker.getSymbolAtLocation(sf);
  const exported = moduleSymbol && checker.getExportsOfModule(moduleSymbol).find((s) => s.name === name);
  const ref = functionOfSymbol(exported, checker);
  if (!ref || ref.receiver || ts.isMethodDeclaration(ref.decl) || ts.isGetAccessor(ref.decl)) return problem(`'${sourceLabel}' exports no function '${name}' (export function ${name}(...), or export const ${name} = (...) => ...)`);
  const params: { name: string; type: Type }[] = [];
  for (const p of ref.decl.parameters) {
    const t = checker.getTypeAtLocation(p);
    const type = isAnyType(t) ? undefined : classifyType(t, checker);
    if (!ts.isIdentifier(p.name) || p.questionToken || p.initializer || p.dotDotDotToken || !type || (type.kind !== "number" && type.kind !== "vector")) {
      return problem(`its parameter '${p.name.getText()}' is not a plain number or numeric array (number[], Float64Array, Float32Array); nested derivatives take those for now`);
    }
    params.push({ name: p.name.text, type });
  }
  const ret = returnType(ref.decl, checker);
  if (ret.type?.kind !== "number") return problem(`'${name}' returns '${ret.text}'; nested derivatives are of functions returning a number for now`);
  return { entry: { kind, entry: found.imported, ref: { ...ref, name }, params, sourceLabel } };
}

/** What lowering asks for: the functions compile.ts adds to the program before differentiating it. */
export interface NestedRequest {
  kind: "grad" | "jvp";
  /** The unique IR name of `f`. */
  fn: string;
  /** For "grad": the parameter whose gradient entry is read. */
  param?: string;
  /** The call, for diagnostics. */
  node: ts.Node;
}

/** The name of the body-less function giving `f_grad(...).grad.<param>` (its derivatives are written from f_hvp). */
export function nestedGradName(fn: string, param: string): string {
  return `${fn}_gradient_${param}`;
}

/**
 * Uses inside `decl` of names imported from a generated module that does not exist yet (its
 * source beside it does): TSG1094 at each, to compile the source first. TypeScript's own error
 * at the import (it cannot find the module) gives way to these (compile.ts).
 */
export function missingGeneratedModules(decl: ts.Node, checker: ts.TypeChecker, generated?: ReadonlyMap<string, string>): Diagnostic[] {
  const out: Diagnostic[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isIdentifier(node)) {
      const found = importOf(node, checker);
      const paths = found && generatedModulePaths(node.getSourceFile().fileName, found.specifier);
      if (found && paths && fs.existsSync(paths.source) && !generatedExists(paths.generated, generated)) out.push(diagAt(node, "TSG1094", [node.text, found.specifier, path.basename(paths.source)]));
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(decl);
  return out;
}

/** Whether a TypeScript error at `start` of `sf` lies in the import of a generated module not generated yet (missingGeneratedModules reports its uses). */
export function inMissingGeneratedImport(sf: ts.SourceFile, start: number, generated?: ReadonlyMap<string, string>): boolean {
  return sf.statements.some((s) => {
    if (!ts.isImportDeclaration(s) || !ts.isStringLiteral(s.moduleSpecifier) || start < s.getFullStart() || start >= s.getEnd()) return false;
    const paths = generatedModulePaths(sf.fileName, s.moduleSpecifier.text);
    return paths !== undefined && fs.existsSync(paths.source) && !generatedExists(paths.generated, generated);
  });
}

/** Whether a generated module exists: written, or made earlier in the same run (CompileOptions.generated). */
function generatedExists(file: string, generated: ReadonlyMap<string, string> | undefined): boolean {
  return generated?.has(file) === true || fs.existsSync(file);
}
