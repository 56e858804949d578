/**
 * Which functions of a file are differentiated (SPEC section 1): every exported top-level
 * function (declaration or `export const f = (...) => ...`) whose parameters all have supported
 * numeric types and whose result is a number, number[] or Float64Array. `--fn` narrows it.
 */
import ts from "typescript";
import type { Diagnostic } from "../api-types.js";
import { diagAt, diagNoLocation, formatMessage } from "../diagnostics.js";
import { type FunctionRef, paramType, returnType } from "./functions.js";
import { type ValueType, isStructType } from "./types.js";

/** A structure whose leaves are all numbers (a result tsgrad can differentiate). */
export function numberLeavesOnly(t: ValueType): boolean {
  if (t.kind === "object") return t.fields.every((f) => numberLeavesOnly(f.type));
  if (t.kind === "tuple") return t.elements.every(numberLeavesOnly);
  return t.kind === "number";
}

export interface Selection {
  selected: FunctionRef[];
  diagnostics: Diagnostic[];
}

function isExported(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) ?? false);
}

/** Exported functions of a file, in source order. */
export function exportedFunctions(sf: ts.SourceFile): FunctionRef[] {
  const out: FunctionRef[] = [];
  for (const statement of sf.statements) {
    if (ts.isFunctionDeclaration(statement) && statement.name && statement.body && isExported(statement)) {
      out.push({ decl: statement, name: statement.name.text, sourceFile: sf });
    } else if (ts.isVariableStatement(statement) && isExported(statement) && statement.declarationList.flags & ts.NodeFlags.Const) {
      for (const d of statement.declarationList.declarations) {
        let init = d.initializer;
        while (init && ts.isParenthesizedExpression(init)) init = init.expression;
        if (ts.isIdentifier(d.name) && init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) {
          out.push({ decl: init, name: d.name.text, sourceFile: sf });
        }
      }
    }
  }
  return out;
}

/** Why a function is not differentiable as an entry point, or undefined when it is. */
function whyNotSelectable(ref: FunctionRef, checker: ts.TypeChecker): string | undefined {
  for (const p of ref.decl.parameters) {
    const { type, problem } = paramType(p, checker);
    if (problem) return formatMessage(problem[0], problem[1]);
    if (type?.kind === "boolean") return `parameter '${p.name.getText()}' is a boolean.`;
  }
  const ret = returnType(ref.decl, checker);
  const numericStruct = ret.type && isStructType(ret.type) && numberLeavesOnly(ret.type);
  if (!ret.type || (ret.type.kind !== "number" && ret.type.kind !== "vector" && !numericStruct)) {
    return `it returns '${ret.text}', not number, number[], Float64Array or an object or tuple of numbers.`;
  }
  return undefined;
}

export function selectFunctions(sf: ts.SourceFile, checker: ts.TypeChecker, only: readonly string[] | undefined): Selection {
  const diagnostics: Diagnostic[] = [];
  const selected: FunctionRef[] = [];
  const exported = exportedFunctions(sf);
  const wanted = only && only.length > 0 ? new Set(only) : undefined;
  for (const ref of exported) {
    if (wanted && !wanted.has(ref.name)) continue;
    const why = whyNotSelectable(ref, checker);
    if (why === undefined) {
      selected.push(ref);
    } else if (wanted) {
      // Asked for by name: not being differentiable is an error, with the reason.
      diagnostics.push(diagAt(ref.decl.parent && ts.isVariableDeclaration(ref.decl.parent) ? ref.decl.parent : ref.decl, "TSG2004", [ref.name, why], "error"));
    } else {
      diagnostics.push(diagAt(ref.decl, "TSG2004", [ref.name, why], "note"));
    }
  }
  if (wanted) {
    for (const name of wanted) {
      if (!exported.some((r) => r.name === name)) diagnostics.push(diagNoLocation("TSG2002", [name, sf.fileName], sf.fileName));
    }
  }
  return { selected, diagnostics };
}
