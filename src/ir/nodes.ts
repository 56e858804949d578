/**
 * The IR that every stage after the frontend works on.
 *
 * Structured statements (if, loops with break/continue, return) over expression trees. Each
 * expression node is one primitive with named operands, so a derivative rule sees exactly one
 * operation; statements keep the source's structure, so the emitted code keeps loops as loops.
 * Variables are objects, not strings: two source variables with the same name in different
 * scopes are different `Var`s, and the emitter gives each a unique printed name.
 *
 * The same node types describe generated code (derivative functions are IR too), plus a few
 * statement kinds that only generated code uses (tape operations, declarations of adjoints).
 */
import type ts from "typescript";
import type { MATH } from "./primitives.js";

/** Value types of the accepted language. */
export type Type =
  | { kind: "number" }
  | { kind: "boolean" }
  /**
   * Inactive data compared by identity only: strings, string literal unions, enums. `text` is
   * its TypeScript type in generated signatures (`"call" | "put"`, `string`, `number` for a
   * numeric enum). Never reassigned, so never recorded on the tape. `literals`: the values of a
   * union of string literals.
   */
  | { kind: "tag"; text: string; literals?: readonly string[] }
  /**
   * A vector: `number[]`, `readonly number[]` (repr "array"), `Float64Array` (repr "f64") or
   * `Float32Array` (repr "f32"). Its derivatives (adjoints, tangents) have the same repr.
   */
  | { kind: "vector"; repr: ArrayRepr; readonly: boolean }
  /** A matrix: `number[][]` (rows "array"), `Float64Array[]` (rows "f64") or `Float32Array[]` (rows "f32"), an array of rows. */
  | { kind: "matrix"; readonly: boolean; rows: ArrayRepr }
  /**
   * An array of inactive values (`boolean[]`, `("call" | "put")[]`): the column of a boolean or
   * string field of an array of structures. Read by index only, never written.
   */
  | { kind: "inactiveArray"; element: { kind: "boolean" } | { kind: "tag"; text: string; literals?: readonly string[] } }
  /**
   * An integer typed array (`Int32Array`, `Uint32Array`, ...: spring or triangle indices), read
   * by index only: inactive, never written. `text` is its type's name.
   */
  | { kind: "indexArray"; text: string };

/**
 * How a vector (or a matrix row) is stored: a `number[]`, a `Float64Array` or a `Float32Array`.
 * Storing into a Float32Array rounds to single precision; derivatives treat that rounding as the
 * identity (as they would `Math.fround`), so a Float32Array's derivative is a Float32Array of
 * the derivatives of the values stored.
 */
export type ArrayRepr = "array" | "f64" | "f32";

/** The constructor of a typed array repr: `Float64Array`, `Float32Array`. */
export function typedArrayName(repr: Exclude<ArrayRepr, "array">): "Float64Array" | "Float32Array" {
  return repr === "f32" ? "Float32Array" : "Float64Array";
}

/** The repr a typed array constructor's name stands for (`Float32Array` -> "f32"), if it is one. */
export function typedArrayRepr(name: string): "f64" | "f32" | undefined {
  return name === "Float64Array" ? "f64" : name === "Float32Array" ? "f32" : undefined;
}

/**
 * An object or tuple type of the source (`Vec2`, `[number, number]`, `Particle`). Lowering
 * replaces every structured value by its leaves (scalar replacement), so no stage after it sees
 * one; the structure survives only in the public signatures of entry points (`Shape`).
 */
export type StructType =
  /** `optional`: a field `lr?: number` (a number or undefined: its leaf is Var.optional). */
  /** A field may be an array of structures too (`bodies: Body[]` of a `World`): its columns are leaves. */
  | { kind: "object"; name?: string; fields: { name: string; type: Type | StructType | RowsType; readonly: boolean; optional?: boolean }[] }
  | { kind: "tuple"; name?: string; readonly: boolean; elements: (Type | StructType)[]; /** `[w0: number, w1: number]` */ labels?: string[] };

/**
 * An array of structures (`Particle[]`, `readonly Vec2[]`, `[number, number][]`). Lowering keeps
 * one column per leaf of the element (structure of arrays: `ps_pos_x` is a Float64Array of
 * every particle's `pos.x`), so `ps[i].pos.x` is an element read and adjoints are arrays
 * allocated once per call. Elements have number leaves only.
 */
export type RowsType = { kind: "rows"; element: StructType; readonly: boolean };

/**
 * How a value of the source's signature maps onto IR variables: a leaf (one IR variable) or a
 * structure of shapes. Entry points use it to unpack structured arguments into leaves and to
 * build gradients, tangents and results of the same shape.
 */
export type Shape<L = Var> =
  | { kind: "leaf"; leaf: L }
  | { kind: "struct"; type: StructType; parts: Shape<L>[] }
  /** An array of structures: the element's shape, each leaf a column (a vector over the elements). */
  | { kind: "rows"; type: RowsType; element: Shape<L> };

/** A parameter as the source declares it, over the IR parameters holding its leaves. */
export interface PublicParam {
  /** Its name in public signatures and in `grad` (`arg1` ... for a destructured parameter). */
  name: string;
  /** Its member in `grad` and `tangents` when that is not `name`: `this` for a method's receiver `self`. */
  key?: string;
  shape: Shape;
  /** A default value as the source writes it (a literal), kept in entry points' signatures. */
  defaultText?: string;
}

export const NUMBER: Type = { kind: "number" };
export const BOOLEAN: Type = { kind: "boolean" };

export function isArrayType(t: Type): t is Extract<Type, { kind: "vector" | "matrix" }> {
  return t.kind === "vector" || t.kind === "matrix";
}

export function isDifferentiableType(t: Type): boolean {
  return t.kind !== "boolean" && t.kind !== "tag" && t.kind !== "inactiveArray" && t.kind !== "indexArray";
}

let nextVarId = 1;

export class Var {
  readonly id = nextVarId++;
  constructor(
    /** Name in the source (or a suggested name for generated variables). */
    public readonly name: string,
    public readonly type: Type,
    public readonly origin: "param" | "local" | "temp" | "generated",
    /** `const` in the source: never reassigned. */
    public readonly isConst: boolean = false,
  ) {}
  /**
   * An optional parameter (`scale?: number`): a number or `undefined`. The source reads its value
   * only where TypeScript has narrowed it to a number; generated code prints such reads `scale!`.
   * Never reassigned, so never on the tape.
   */
  optional = false;
  /**
   * A module-level table of numbers nothing changes (`const LANCZOS = [...]`): its values. The
   * generated module declares it once, at its top, under the source's name.
   */
  moduleTable: readonly number[] | undefined = undefined;
  toString(): string {
    return `${this.name}#${this.id}`;
  }
}

/** Name of an accepted `Math` function: a key of the primitive table (ir/primitives.ts). */
export type MathFn = keyof typeof MATH;

export type BinaryOp = "+" | "-" | "*" | "/" | "**" | "%";
export type CompareOp = "<" | "<=" | ">" | ">=" | "===" | "!==";

export type Expr =
  | { k: "num"; value: number; /** How to print it, e.g. `Math.PI` or a module constant's name. */ text?: string }
  | { k: "bool"; value: boolean }
  /** A string literal (compared with tags: `kind === "call"`). */
  | { k: "str"; value: string }
  | { k: "var"; v: Var }
  | { k: "neg"; a: Expr }
  | { k: "binary"; op: BinaryOp; a: Expr; b: Expr }
  | { k: "math"; fn: MathFn; args: Expr[] }
  | { k: "compare"; op: CompareOp; a: Expr; b: Expr }
  | { k: "logical"; op: "&&" | "||"; a: Expr; b: Expr }
  | { k: "not"; a: Expr }
  | { k: "cond"; test: Expr; a: Expr; b: Expr }
  /** Element read `array[index]`; `array` is a vector or matrix expression. */
  | { k: "index"; array: Expr; index: Expr }
  | { k: "length"; array: Expr }
  /** Call of a function of the user's program (by its unique function name). */
  | { k: "call"; fn: string; args: Expr[]; /** Without effects (and not recorded): dropped when its result is not read. */ pure?: boolean }
  /** Call of a runtime kernel (`dot`, `matvec`, ...) or a tape operation in generated code. */
  | { k: "runtime"; fn: string; args: Expr[] }
  /** Allocation of a zero-filled local array of the given type and length. */
  | { k: "alloc"; type: Type; length: Expr; /** rows of a matrix: one vector of `inner` each */ inner?: Expr }
  /** A copy of an array (`a.slice()`). */
  | { k: "copy"; of: Expr }
  /** A zero-filled array of the same shape as `of` (adjoints and tangents of arrays). */
  | { k: "zerosLike"; of: Expr; type: Type }
  /** Array literal `[a, b, c]` (vector of numbers). */
  | { k: "arrayLit"; type: Type; elements: Expr[] }
  /** An object literal in generated code (return values of public entry points). */
  | { k: "object"; fields: { name: string; value: Expr }[] }
  /** Reading a field of an object in generated code (`tangents.x`), with a default. */
  | { k: "field"; object: Expr; name: string; optional: boolean }
  /** `a ?? b` in generated code. */
  | { k: "coalesce"; a: Expr; b: Expr }
  /**
   * One column of an array of structures in generated code: `Float64Array.from(rows, (item) => item.pos.x)`,
   * or `Array.from(...)` for an inactive field (`inactive`).
   */
  | { k: "column"; rows: Expr; path: string[]; inactive?: boolean }
  /**
   * An array of the same length as `of` whose every element is `element` (a new object each):
   * `Array.from(of, () => element)`, or `Array.from(of, (_, i) => element)` with `index` the `i`.
   */
  | { k: "rowsLike"; of: Expr; element: Expr; index?: Var }
  /** Verbatim text in generated code (only for fixed runtime idioms). */
  | { k: "raw"; text: string };

/** Identifies a loop for break/continue and for the bookkeeping of the reverse sweep. */
export interface LoopInfo {
  id: number;
  label?: string;
}

export type Stmt =
  /** `target = value`, or a declaration when `declare` is set. */
  | { k: "assign"; target: Var; value: Expr; declare?: "const" | "let"; node?: ts.Node }
  /** Element write `array[index] = value` (`array` is a vector, or a row `m[i]` of a matrix). */
  | { k: "store"; array: Expr; index: Expr; value: Expr; node?: ts.Node }
  | { k: "if"; test: Expr; then: Stmt[]; else: Stmt[]; node?: ts.Node }
  | {
      k: "loop";
      kind: "for" | "while" | "do";
      loop: LoopInfo;
      /** Statements of a `for` initializer (declarations of the loop variables). */
      init: Stmt[];
      /** Loop condition, or null for none (`for (;;)`). Boolean, no side effects. */
      test: Expr | null;
      update: Stmt[];
      body: Stmt[];
      node?: ts.Node;
    }
  | { k: "break"; loop: LoopInfo; exitId: number; node?: ts.Node }
  | { k: "continue"; loop: LoopInfo; exitId: number; node?: ts.Node }
  | { k: "return"; value: Expr; exitId: number; node?: ts.Node }
  // Generated code only:
  /** Expression statement (a tape push, a kernel that accumulates adjoints); `node` as for declare. */
  | { k: "expr"; e: Expr; node?: ts.Node }
  /**
   * Declaration of a variable without a source counterpart; `init` defaults to the type's zero.
   * `node`: the source statement it computes, when it does (the value of a `return`).
   */
  | { k: "declare"; v: Var; init?: Expr; mutable: boolean; node?: ts.Node; /** Printed type, where inference would be too wide (tuples). */ annotation?: string }
  /** `target += value` on a variable (adjoint accumulation). */
  | { k: "accumulate"; target: Var; value: Expr }
  /** `object.name += value` (handing a scalar adjoint back to the caller's buffer). */
  | { k: "accumulateField"; object: Var; name: string; value: Expr }
  /** `array[index] += value` (adjoint accumulation into an array). */
  | { k: "accumulateElement"; array: Expr; index: Expr; value: Expr }
  /** A labeled block, left by `exitBlock` (early returns in a forward sweep). */
  | { k: "block"; label: string; body: Stmt[] }
  | { k: "exitBlock"; label: string }
  /** A loop in generated code, printed as written: `for (init; test; update) body`. */
  | { k: "rawFor"; init: Stmt | null; test: Expr | null; update: Stmt | null; body: Stmt[] }
  /** A comment line; `sourceLine` marks the `file.ts:12  text` line above a statement's derivative code. */
  | { k: "comment"; text: string; sourceLine?: boolean; /** The source statement the code below it comes from (source maps). */ origin?: ts.Node }
  /** `return value` in generated code (`node`: the source's `return`, when it is one). */
  | { k: "genReturn"; value: Expr | null; node?: ts.Node };

export interface Param {
  v: Var;
  node?: ts.Node;
}

/** One function of the user's program, lowered. */
export interface IrFunction {
  /** Unique name in the generated module (the source name unless two files share it). */
  name: string;
  /** The name in the source. */
  sourceName: string;
  params: Param[];
  returnType: Type;
  body: Stmt[];
  /** Functions of the program this one calls (unique names), in first-call order. */
  callees: string[];
  /** Source file (absolute path) and declaration, for diagnostics and the module header. */
  fileName: string;
  node?: ts.Node;
  /** Exported from its file and selected for differentiation. */
  exported: boolean;
  /**
   * The source's parameters over `params`, when some are structured (objects, tuples); then
   * `params` are the leaves. Absent: the source's parameters are `params` themselves.
   */
  publicParams?: PublicParam[];
  /**
   * A structured result: the IR function returns its leaves as a vector (`returnType`), in
   * this shape's leaf order (leaf = index in that vector). Only for entry points; helpers
   * returning structures are inlined where they are called.
   */
  resultShape?: Shape<number>;
  /**
   * A function whose derivatives the user declared (frontend/custom.ts). Its body is not
   * differentiated (it has none here): generated code calls the user's functions, imported
   * under a namespace, by these printed names (`model.log1pexp`, `model.log1pexp_vjp`).
   */
  custom?: CustomFunction;
}

export interface CustomFunction {
  primal: string;
  vjp?: string;
  jvp?: string;
  /** `import * as <namespace> from "<specifier>"` in the generated module (none for the functions tsgrad writes itself, frontend/nested.ts). */
  namespace?: string;
  specifier?: string;
}

export interface IrProgram {
  functions: Map<string, IrFunction>;
  /** Functions selected for differentiation, in source order. */
  selected: string[];
}

// ---- small constructors used by lowering and by the transforms ----

export const num = (value: number): Expr => ({ k: "num", value });
export const ref = (v: Var): Expr => ({ k: "var", v });
export const bin = (op: BinaryOp, a: Expr, b: Expr): Expr => ({ k: "binary", op, a, b });
export const neg = (a: Expr): Expr => ({ k: "neg", a });
export const math = (fn: MathFn, ...args: Expr[]): Expr => ({ k: "math", fn, args });
export const index = (array: Expr, i: Expr): Expr => ({ k: "index", array, index: i });
export const runtime = (fn: string, ...args: Expr[]): Expr => ({ k: "runtime", fn, args });
export const raw = (text: string): Expr => ({ k: "raw", text });
