/** Maps TypeScript types to the IR's value types. Typed arrays are recognised by symbol, not by printed name. */
import ts from "typescript";
import { typedArrayName, typedArrayRepr, type RowsType, type StructType, type Type } from "../ir/nodes.js";

function isNumberLike(t: ts.Type): boolean {
  if (t.isUnion()) return t.types.every(isNumberLike);
  return (t.flags & (ts.TypeFlags.Number | ts.TypeFlags.NumberLiteral)) !== 0;
}

function isBooleanLike(t: ts.Type): boolean {
  if (t.isUnion()) return t.types.every(isBooleanLike);
  return (t.flags & (ts.TypeFlags.Boolean | ts.TypeFlags.BooleanLiteral)) !== 0;
}

const INDEX_ARRAYS = ["Int8Array", "Uint8Array", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array"];

/** An integer typed array's name, if `t` is one. */
function indexArrayName(t: ts.Type): string | undefined {
  const name = (t.getSymbol() ?? t.aliasSymbol)?.getName();
  return name && INDEX_ARRAYS.includes(name) ? name : undefined;
}

/** "f64" for a `Float64Array`, "f32" for a `Float32Array`, else undefined. */
function floatArrayRepr(t: ts.Type): "f64" | "f32" | undefined {
  const symbol = t.getSymbol() ?? t.aliasSymbol;
  return symbol ? typedArrayRepr(symbol.getName()) : undefined;
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

/** Strings, string literal unions and enums: inactive data compared by identity (`"tag"`). */
function tagType(t: ts.Type, checker: ts.TypeChecker): Extract<Type, { kind: "tag" }> | undefined {
  const members = t.isUnion() ? t.types : [t];
  if (members.every((m) => m.flags & ts.TypeFlags.EnumLike)) {
    // An enum's name is not known in the generated module: its values' type stands in.
    const text = members.every((m) => m.flags & ts.TypeFlags.NumberLike) ? "number" : members.every((m) => m.flags & ts.TypeFlags.StringLike) ? "string" : undefined;
    return text === undefined ? undefined : { kind: "tag", text };
  }
  // Spelled out member by member: an alias's name (`OptionKind`) is not known in generated code.
  if (!members.every((m) => m.flags & ts.TypeFlags.StringLike)) return undefined;
  const text = members.map((m) => checker.typeToString(m)).join(" | ");
  // A union of literals has finitely many values: a result can carry one as its position.
  const literals = members.every((m) => m.isStringLiteral()) ? members.map((m) => (m as ts.StringLiteralType).value) : undefined;
  return literals ? { kind: "tag", text, literals } : { kind: "tag", text };
}

export function classifyType(t: ts.Type, checker: ts.TypeChecker): Type | undefined {
  if (t.flags & ts.TypeFlags.Any) return undefined;
  const tag = tagType(t, checker);
  if (tag !== undefined) return tag;
  if (isNumberLike(t)) return { kind: "number" };
  if (isBooleanLike(t)) return { kind: "boolean" };
  const floats = floatArrayRepr(t);
  if (floats) return { kind: "vector", repr: floats, readonly: false };
  const indexArray = indexArrayName(t);
  if (indexArray) return { kind: "indexArray", text: indexArray };
  const array = arrayElement(t, checker);
  if (array) {
    if (isNumberLike(array.element)) return { kind: "vector", repr: "array", readonly: array.readonly };
    const inner = arrayElement(array.element, checker);
    if (inner && isNumberLike(inner.element)) return { kind: "matrix", readonly: array.readonly || inner.readonly, rows: "array" };
    const rowFloats = floatArrayRepr(array.element);
    if (rowFloats) return { kind: "matrix", readonly: array.readonly, rows: rowFloats };
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
    case "tag":
      return t.text;
    case "vector":
      return t.repr !== "array" ? typedArrayName(t.repr) : t.readonly ? "readonly number[]" : "number[]";
    case "matrix":
      if (t.rows !== "array") return `${t.readonly ? "readonly " : ""}${typedArrayName(t.rows)}[]`;
      return t.readonly ? "readonly (readonly number[])[]" : "number[][]";
    case "indexArray":
      return t.text;
    case "inactiveArray":
      return t.element.kind === "boolean" ? "boolean[]" : t.element.text.includes("|") ? `(${t.element.text})[]` : `${t.element.text}[]`;
  }
}

/** A value type of the accepted language: a plain type, or a structure of them (objects, tuples). */
export type ValueType = Type | StructType;

export function isStructType(t: ValueType): t is StructType {
  return t.kind === "object" || t.kind === "tuple";
}

/**
 * The structure an object or tuple type describes, fields in declaration order, or why it is
 * not accepted (`{ problem }`, a sentence for a diagnostic). Plain types are classified by
 * classifyType; a field may be a structure itself, to any depth, but not recursively.
 */
export function classifyValueType(t: ts.Type, checker: ts.TypeChecker, seen: ts.Type[] = []): { type?: ValueType; problem?: string } {
  const plain = classifyType(t, checker);
  if (plain) return { type: plain };
  if (t.flags & ts.TypeFlags.Any) return { problem: "its type is any" };
  if (seen.includes(t)) return { problem: `'${checker.typeToString(t)}' refers to itself (recursive types are not supported)` };
  const name = structName(t);
  if (checker.isTupleType(t)) {
    const target = (t as ts.TypeReference).target as ts.TupleType;
    if (target.elementFlags.some((f) => f & (ts.ElementFlags.Optional | ts.ElementFlags.Variable))) {
      return { problem: `the tuple '${checker.typeToString(t)}' has optional or rest elements` };
    }
    const elements: ValueType[] = [];
    for (const element of checker.getTypeArguments(t as ts.TypeReference)) {
      const inner = classifyValueType(element, checker, [...seen, t]);
      if (!inner.type) return inner;
      elements.push(inner.type);
    }
    // Named tuple members (`[waist: number, ...]`) keep their names in generated signatures.
    const labels = target.labeledElementDeclarations?.map((d) => (d && ts.isNamedTupleMember(d) ? d.name.text : undefined));
    const named = labels && labels.length === elements.length && labels.every((l) => l !== undefined) ? { labels: labels as string[] } : {};
    return { type: { kind: "tuple", name, readonly: target.readonly, elements, ...named } };
  }
  if (rowsElement(t, checker)) return { problem: "arrays of objects are accepted as parameters, local variables and fields of objects, not inside tuples or arrays" };
  if (!(t.flags & ts.TypeFlags.Object) || t.isUnion() || checker.isArrayType(t)) return { problem: undefined };
  if (t.getCallSignatures().length > 0 || t.getConstructSignatures().length > 0) return { problem: "it is a function" };
  if (checker.getIndexInfosOfType(t).length > 0) {
    return { problem: `'${checker.typeToString(t)}' has an index signature (like Record<string, number>); declare its fields, or use an array` };
  }
  const symbolName = t.getSymbol()?.getName();
  if (symbolName && ["Map", "Set", "Date", "Promise"].includes(symbolName)) return { problem: undefined };
  const fields: StructField[] = [];
  // A class instance is the structure of its fields; its methods are functions (this-bound).
  const instance = isClassInstance(t);
  for (const property of checker.getPropertiesOfType(t)) {
    const decl = property.valueDeclaration ?? property.declarations?.[0];
    if (decl && (ts.isMethodDeclaration(decl) || ts.isMethodSignature(decl) || ts.isGetAccessor(decl) || ts.isSetAccessor(decl))) {
      // (A getter is read like a field but computed: reads of it are calls, see lower/expressions.ts.)
      if (instance && (ts.isMethodDeclaration(decl) || (ts.isGetAccessor(decl) && !property.declarations?.some(ts.isSetAccessor)))) continue;
      return { problem: `'${checker.typeToString(t)}' has a${instance ? "n" : " method or"} accessor '${property.getName()}'` };
    }
    if (instance && decl && ((ts.isPropertyDeclaration(decl) && ts.isPrivateIdentifier(decl.name)) || (ts.getCombinedModifierFlags(decl) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) !== 0)) {
      return { problem: `field '${property.getName()}' of class '${checker.typeToString(t)}' is private or protected, and derivatives are read from outside the class` };
    }
    const fieldType = checker.getTypeOfSymbol(property);
    if (property.flags & ts.SymbolFlags.Optional) {
      // An optional number (`lr?: number`, an options object's field) is a number or undefined.
      const readonly = decl !== undefined && ts.canHaveModifiers(decl) && (ts.getModifiers(decl)?.some((m) => m.kind === ts.SyntaxKind.ReadonlyKeyword) ?? false);
      const present = classifyType(checker.getNonNullableType(fieldType), checker);
      if (present?.kind === "number") {
        fields.push({ name: property.getName(), type: { kind: "number" }, readonly, optional: true });
        continue;
      }
      // An optional flag or string (`isStatic?: boolean`, `reduction?: "mean" | "sum"`): inactive
      // data, read as it is (undefined included).
      if (present?.kind === "boolean" || present?.kind === "tag") {
        fields.push({ name: property.getName(), type: present, readonly, optional: true });
        continue;
      }
      return { problem: `field '${property.getName()}' of '${checker.typeToString(t)}' is optional and not a number, a boolean or a string` };
    }
    // An array of structures as a field (`bodies: Body[]` of a `World`): its elements' numbers are columns.
    const rowsField = !checker.isTupleType(t) ? classifyRowsType(fieldType, checker) : undefined;
    if (rowsField?.type) {
      const readonly = decl !== undefined && ts.canHaveModifiers(decl) && (ts.getModifiers(decl)?.some((m) => m.kind === ts.SyntaxKind.ReadonlyKeyword) ?? false);
      fields.push({ name: property.getName(), type: rowsField.type, readonly });
      continue;
    }
    if (rowsField?.problem) return { problem: `field '${property.getName()}' of '${checker.typeToString(t)}' has type '${checker.typeToString(fieldType)}' (${rowsField.problem})` };
    const inner = classifyValueType(fieldType, checker, [...seen, t]);
    if (!inner.type) {
      return { problem: `field '${property.getName()}' of '${checker.typeToString(t)}' has type '${checker.typeToString(fieldType)}'${inner.problem ? ` (${inner.problem})` : ""}` };
    }
    const readonly = decl !== undefined && ts.canHaveModifiers(decl) && (ts.getModifiers(decl)?.some((m) => m.kind === ts.SyntaxKind.ReadonlyKeyword) ?? false);
    fields.push({ name: property.getName(), type: inner.type, readonly });
  }
  if (fields.length === 0) return { problem: `'${checker.typeToString(t)}' has no fields` };
  return { type: { kind: "object", name, fields } };
}

/** Whether a structure has an optional number field, at any depth. */
function hasOptionalNumber(t: ValueType | RowsType): boolean {
  if (t.kind === "object") return t.fields.some((f) => (f.optional && f.type.kind === "number") || hasOptionalNumber(f.type));
  return t.kind === "tuple" && t.elements.some(hasOptionalNumber);
}

/** Whether a structure has an optional field, at any depth. */
export function hasOptionalField(t: ValueType | RowsType): boolean {
  if (t.kind === "rows") return false;
  if (t.kind === "object") return t.fields.some((f) => f.optional || hasOptionalField(f.type));
  return t.kind === "tuple" && t.elements.some(hasOptionalField);
}

/** Whether a value of TypeScript type `t` may be `undefined` (an optional parameter or field, `T | undefined`). */
export function mayBeUndefined(t: ts.Type): boolean {
  return (t.isUnion() ? t.types : [t]).some((u) => (u.flags & ts.TypeFlags.Undefined) !== 0);
}

/** Whether `t` is the type of instances of a class (its fields are a structure). */
export function isClassInstance(t: ts.Type): boolean {
  return ((t.getSymbol()?.flags ?? 0) & ts.SymbolFlags.Class) !== 0;
}

/**
 * A structure an entry point can return: numbers, and inactive leaves with finitely many values
 * (booleans, string literal unions), which travel in the result's vector as numbers
 * (ir/inactive-results.ts).
 */
export function returnableLeavesOnly(t: ValueType | RowsType): boolean {
  if (t.kind === "rows") return false;
  if (t.kind === "object") return t.fields.every((f) => !f.optional && returnableLeavesOnly(f.type));
  if (t.kind === "tuple") return t.elements.every(returnableLeavesOnly);
  return t.kind === "number" || t.kind === "boolean" || (t.kind === "tag" && t.literals !== undefined);
}

/** A structure of numbers, booleans and strings (no arrays inside). */
function plainLeavesOnly(t: ValueType | RowsType): boolean {
  if (t.kind === "rows") return false;
  if (t.kind === "object") return t.fields.every((f) => plainLeavesOnly(f.type));
  if (t.kind === "tuple") return t.elements.every(plainLeavesOnly);
  return t.kind === "number" || t.kind === "boolean" || t.kind === "tag";
}

/** The element type of an array of objects or tuples (`Particle[]`), if `t` is one. */
function rowsElement(t: ts.Type, checker: ts.TypeChecker): { element: ts.Type; readonly: boolean } | undefined {
  const array = arrayElement(t, checker);
  if (!array || array.element.flags & ts.TypeFlags.Any) return undefined;
  const element = array.element;
  const structured = checker.isTupleType(element) || (element.flags & ts.TypeFlags.Object && !checker.isArrayType(element) && element.getCallSignatures().length === 0 && !floatArrayRepr(element));
  return structured ? array : undefined;
}

/**
 * An array of structures (`Particle[]`, `readonly Vec2[]`, `[number, number][]`), or why it is
 * not accepted; undefined when `t` is no array of objects or tuples at all.
 */
export function classifyRowsType(t: ts.Type, checker: ts.TypeChecker): { type?: RowsType; problem?: string } | undefined {
  const array = rowsElement(t, checker);
  if (!array) return undefined;
  const element = classifyValueType(array.element, checker);
  if (!element.type || !isStructType(element.type)) return { problem: element.problem };
  // (A column of numbers is a Float64Array: it cannot hold undefined. Flags and strings are kept as they are.)
  if (hasOptionalNumber(element.type)) return { problem: `an array of objects with optional number fields ('${checker.typeToString(array.element)}')` };
  if (!plainLeavesOnly(element.type)) {
    return { problem: `the elements of an array of objects hold numbers, booleans and strings ('${checker.typeToString(array.element)}' has an array field); keep arrays in variables of their own` };
  }
  return { type: { kind: "rows", element: element.type, readonly: array.readonly } };
}

/** Leaf field types of a structure are plain types; fields may nest. */
export type StructField = Extract<StructType, { kind: "object" }>["fields"][number];

/** The name a reader knows a structure by (`Vec2`, `Particle`), if it has one. */
function structName(t: ts.Type): string | undefined {
  const alias = t.aliasSymbol?.getName();
  if (alias) return alias;
  const symbol = t.getSymbol()?.getName();
  return symbol && !symbol.startsWith("__") ? symbol : undefined;
}
