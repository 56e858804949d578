/** Maps TypeScript types to the IR's value types. Typed arrays are recognised by symbol, not by printed name. */
import ts from "typescript";
import type { Type } from "../ir/nodes.js";

function isNumberLike(t: ts.Type): boolean {
  if (t.isUnion()) return t.types.every(isNumberLike);
  return (t.flags & (ts.TypeFlags.Number | ts.TypeFlags.NumberLiteral)) !== 0;
}

function isBooleanLike(t: ts.Type): boolean {
  if (t.isUnion()) return t.types.every(isBooleanLike);
  return (t.flags & (ts.TypeFlags.Boolean | ts.TypeFlags.BooleanLiteral)) !== 0;
}

function isFloat64Array(t: ts.Type): boolean {
  const symbol = t.getSymbol() ?? t.aliasSymbol;
  return symbol?.getName() === "Float64Array";
}

/** `number[]`, `readonly number[]` (and Array<number>): the element type, or undefined. */
function arrayElement(t: ts.Type, checker: ts.TypeChecker): { element: ts.Type; readonly: boolean } | undefined {
  if (checker.isTupleType(t)) return undefined;
  if (checker.isArrayType(t)) {
    const element = checker.getTypeArguments(t as ts.TypeReference)[0];
    if (!element) return undefined;
    const name = t.getSymbol()?.getName();
    return { element, readonly: name === "ReadonlyArray" };
  }
  return undefined;
}

export function classifyType(t: ts.Type, checker: ts.TypeChecker): Type | undefined {
  if (t.flags & ts.TypeFlags.Any) return undefined;
  if (isNumberLike(t)) return { kind: "number" };
  if (isBooleanLike(t)) return { kind: "boolean" };
  if (isFloat64Array(t)) return { kind: "vector", repr: "f64", readonly: false };
  const array = arrayElement(t, checker);
  if (array) {
    if (isNumberLike(array.element)) return { kind: "vector", repr: "array", readonly: array.readonly };
    const inner = arrayElement(array.element, checker);
    if (inner && isNumberLike(inner.element)) return { kind: "matrix", readonly: array.readonly || inner.readonly, rows: "array" };
    if (isFloat64Array(array.element)) return { kind: "matrix", readonly: array.readonly, rows: "f64" };
  }
  return undefined;
}

export function isAnyType(t: ts.Type): boolean {
  return (t.flags & ts.TypeFlags.Any) !== 0;
}

/** The source-like spelling of a type, for messages and for generated signatures. */
export function typeText(t: Type): string {
  switch (t.kind) {
    case "number":
      return "number";
    case "boolean":
      return "boolean";
    case "vector":
      return t.repr === "f64" ? "Float64Array" : t.readonly ? "readonly number[]" : "number[]";
    case "matrix":
      if (t.rows === "f64") return t.readonly ? "readonly Float64Array[]" : "Float64Array[]";
      return t.readonly ? "readonly (readonly number[])[]" : "number[][]";
  }
}
