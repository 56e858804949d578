/**
 * Public signatures of entry points over structured parameters and results (SPEC section 2).
 * Lowering replaced every object or tuple by its leaves, so the transforms differentiate a
 * function of leaves; this module gives an entry point the source's view back: it takes `p: Vec2`,
 * unpacks `p.x`, `p.y` into the leaves at the top, and names each leaf's gradient or tangent by
 * its path (`grad.p.x`), in types that mirror the parameter's with only differentiable fields.
 */
import type { Expr, IrFunction, PublicParam, RowsType, Shape, Stmt, StructType, Type, Var } from "../ir/nodes.js";
import { NUMBER, Var as VarClass, isDifferentiableType } from "../ir/nodes.js";
import { type ValueType, hasOptionalField, isStructType, typeText } from "../frontend/types.js";
import { type PartType, leafPaths, leavesOf, partNames, partTypes } from "../lower/shapes.js";
import { InternalError } from "../ir/walk.js";
import { decodeLeaf, isEncodedLeaf } from "../ir/inactive-results.js";
import { type GenParam, derivativeType } from "./common.js";
import type { Namer } from "./names.js";

/** `.x`, or `[0]` for a tuple element: a member of a path in printed code. */
export function memberPath(path: readonly string[]): string {
  return path.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}

/** `object.a.b[0]` as an expression (`field` nodes). */
function readPath(object: Expr, path: readonly string[], optionalFirst = false): Expr {
  let e = object;
  path.forEach((name, i) => {
    e = { k: "field", object: e, name, optional: optionalFirst && i === 1 };
  });
  return e;
}

/**
 * The structure types a module's signatures name. A structure the source names (`Vec2`,
 * `Particle`, `Joints`) is declared once in the generated module under that name, so signatures
 * read like the source's; the type of its derivatives is the same type when every field is
 * differentiable, otherwise `Particle_grad` with only the differentiable fields. Anonymous
 * structures are spelled out in place. Without a ModuleTypes, everything is spelled out.
 */
export class ModuleTypes {
  /** Declarations in first-use order: name -> TypeScript text. */
  private readonly declared = new Map<string, string>();
  /** Structural key (the type, value or derivative) -> declared name. */
  private readonly byKey = new Map<string, string>();

  /** The type of a value of `t`. */
  value(t: ValueType | RowsType): string {
    if (t.kind === "rows") return this.rows(t);
    if (!isStructType(t)) return typeText(t);
    return this.named(t, "value", () => structText(t, (f) => this.value(f)));
  }

  /** The type of the derivatives of `t` (only differentiable fields), or undefined when it has none. */
  derivative(t: ValueType | RowsType): string | undefined {
    if (t.kind === "rows") {
      const element = this.derivative(t.element);
      return element === undefined ? undefined : `${element}[]`;
    }
    if (!isStructType(t)) return isDifferentiableType(t) ? typeText(derivativeType(t)) : undefined;
    if (!hasDerivative(t)) return undefined;
    // (An optional field's derivative is a number, always there: the type then differs.)
    if (allDifferentiable(t) && !hasOptionalField(t)) return this.value(t);
    return this.named(t, "derivative", () => structText(t, (f) => this.derivative(f), true));
  }

  /** The type of an array of structures: `Particle[]`, `readonly Vec2[]`. */
  rows(t: RowsType): string {
    return `${t.readonly ? "readonly " : ""}${this.value(t.element)}[]`;
  }

  /** `export type ...` lines, in first-use order. */
  declarations(): string[] {
    return [...this.declared].map(([name, text]) => `export type ${name} = ${text};`);
  }

  private named(t: StructType, role: "value" | "derivative", text: () => string): string {
    if (!t.name) return text();
    const key = `${role}:${JSON.stringify(t)}`;
    const known = this.byKey.get(key);
    if (known) return known;
    const base = role === "value" ? t.name : `${t.name}_grad`;
    let name = base;
    for (let i = 2; this.declared.has(name); i++) name = `${base}_${i}`;
    this.byKey.set(key, name);
    this.declared.set(name, ""); // claimed before the fields name their own types
    this.declared.set(name, text());
    return name;
  }
}

function hasDerivative(t: PartType): boolean {
  if (t.kind === "rows") return hasDerivative(t.element);
  return isStructType(t) ? partTypes(t).some(hasDerivative) : isDifferentiableType(t);
}

function allDifferentiable(t: PartType): boolean {
  if (t.kind === "rows") return allDifferentiable(t.element);
  return isStructType(t) ? partTypes(t).every(allDifferentiable) : isDifferentiableType(t);
}

/**
 * A structure spelled out with `field` naming each field's type. For derivatives, fields without
 * one are left out of objects; a tuple keeps every position (an inactive element's is a number, 0).
 */
function structText(t: StructType, field: (t: PartType) => string | undefined, derivative = false): string {
  if (t.kind === "tuple") {
    const elements = t.elements.map((e, i) => `${t.labels ? `${t.labels[i]}: ` : ""}${field(e) ?? "number"}`);
    return `${t.readonly && !derivative ? "readonly " : ""}[${elements.join(", ")}]`;
  }
  const fields = t.fields.flatMap((f) => {
    const text = field(f.type);
    // (A derivative of an optional field is a number: 0 where the value was left out.)
    return text === undefined ? [] : [`${f.readonly && !derivative ? "readonly " : ""}${f.name}${f.optional && !derivative ? "?" : ""}: ${text}`];
  });
  return `{ ${fields.join("; ")} }`;
}

export class PublicSignature {
  /** The source's parameters (a plain parameter is its own leaf). */
  readonly params: PublicParam[];
  /**
   * Path of each leaf below its parameter (`[]` for a plain parameter); for a column of an array
   * of structures, also where the array is (`at`: `[]` for the parameter itself, `["bodies"]` for
   * `w.bodies`) and the leaf's path inside an element.
   */
  private readonly paths = new Map<Var, { param: PublicParam; path: string[]; rows?: { at: string[]; element: string[] } }>();
  /** The variable of each parameter in entry points: the leaf itself, or a new one for a structure. */
  readonly publicVars = new Map<PublicParam, Var>();

  constructor(
    fn: IrFunction,
    private readonly types: ModuleTypes = new ModuleTypes(),
  ) {
    this.params = fn.publicParams ?? fn.params.map((p) => ({ name: p.v.name, shape: { kind: "leaf", leaf: p.v } }));
    for (const param of this.params) {
      for (const site of leafSites(param.shape)) this.paths.set(site.leaf, { param, ...site });
      this.publicVars.set(param, param.shape.kind === "leaf" ? param.shape.leaf : new VarClass(param.name, NUMBER, "generated"));
    }
  }

  get structured(): boolean {
    return this.params.some((p) => p.shape.kind !== "leaf");
  }

  /** Whether a leaf is a column of an array of structures (its derivative is one too, kept apart). */
  isColumn(v: Var): boolean {
    return this.paths.get(v)?.rows !== undefined;
  }

  /** The source parameter a leaf belongs to (what `--wrt` names). */
  publicName(v: Var): string {
    const param = this.paths.get(v)?.param;
    return param ? derivativeKey(param) : v.name;
  }

  /** The member of `grad` / `tangents` holding a leaf's derivative: `x`, or `p.pos.x`. */
  member(v: Var, namer: Namer): string {
    const site = this.paths.get(v);
    if (!site || site.param.shape.kind === "leaf") return namer.of(v);
    if (site.rows) return `${memberPath([derivativeKey(site.param), ...site.rows.at])}[i]${site.rows.element.length > 0 ? memberPath(["", ...site.rows.element]) : ""}`;
    return memberPath([derivativeKey(site.param), ...site.path]);
  }

  /** Reads a leaf's derivative from `object` (`tangents.p?.x` when `optional`). */
  readMember(object: Expr, v: Var, namer: Namer, optional: boolean): Expr {
    const site = this.paths.get(v);
    if (!site || site.param.shape.kind === "leaf") return { k: "field", object, name: namer.of(v), optional: false };
    if (site.rows) throw new InternalError(`the derivative of column ${v.name} is not one member`);
    return readPath(object, [derivativeKey(site.param), ...site.path], optional);
  }

  /**
   * A leaf's tangent from `tangents` (optional members), or `zero` when it is absent. A column's
   * is gathered from the tangent objects: `tangents.ps ? Float64Array.from(tangents.ps, (item) => item.pos.x) : zero`.
   */
  readTangent(tangents: Expr, v: Var, namer: Namer, zero: Expr): Expr {
    const site = this.paths.get(v);
    if (!site?.rows) return { k: "coalesce", a: this.readMember(tangents, v, namer, true), b: zero };
    // (`tangents.w?.bodies` for an array inside a structure: the structure's tangent may be absent.)
    const rows: Expr = readPath(tangents, [derivativeKey(site.param), ...site.rows.at], true);
    return { k: "cond", test: { k: "compare", op: "!==", a: rows, b: { k: "raw", text: "undefined" } }, a: { k: "column", rows, path: site.rows.element }, b: zero };
  }

  /**
   * Adds the adjoints of columns into the caller's gradient objects, one loop per array of
   * structures: `for (let i = 0; i < ps.length; i++) { const g = grad.ps[i]; g.pos.x += dps_pos_x[i]; }`.
   */
  handBackColumns(grad: Var, columns: readonly Var[], adjointOf: (v: Var) => Var): Stmt[] {
    const out: Stmt[] = [];
    // One loop per array of structures: a parameter, or one inside a structured parameter (`w.bodies`).
    const groups = new Map<string, { param: PublicParam; at: string[]; columns: Var[] }>();
    for (const v of columns) {
      const site = this.paths.get(v);
      if (!site?.rows) continue;
      const key = `${this.params.indexOf(site.param)}:${site.rows.at.join(".")}`;
      const group = groups.get(key) ?? { param: site.param, at: site.rows.at, columns: [] };
      group.columns.push(v);
      groups.set(key, group);
    }
    for (const { param, at, columns: mine } of groups.values()) {
      const i = new VarClass("i", NUMBER, "generated");
      const g = new VarClass("g", NUMBER, "generated");
      const gradRows = readPath({ k: "field", object: { k: "var", v: grad }, name: derivativeKey(param), optional: false }, at);
      const body: Stmt[] = [{ k: "declare", v: g, init: { k: "index", array: gradRows, index: { k: "var", v: i } }, mutable: false }];
      for (const v of mine) {
        body.push({ k: "accumulateField", object: g, name: memberPath(["", ...this.paths.get(v)!.rows!.element]).replace(/^\./, ""), value: { k: "index", array: { k: "var", v: adjointOf(v) }, index: { k: "var", v: i } } });
      }
      const n: Expr = { k: "length", array: readPath({ k: "var", v: this.publicVars.get(param)! }, at) };
      out.push({
        k: "rawFor",
        init: { k: "declare", v: i, init: { k: "num", value: 0 }, mutable: true },
        test: { k: "compare", op: "<", a: { k: "var", v: i }, b: n },
        update: { k: "assign", target: i, value: { k: "binary", op: "+", a: { k: "var", v: i }, b: { k: "num", value: 1 } } },
        body,
      });
    }
    return out;
  }

  /**
   * The entry point's parameters as the source has them, and the statements that unpack
   * structured ones into the leaves the derivative code reads (`let` for leaves it assigns).
   */
  publicParams(assigned: ReadonlySet<Var>): { params: GenParam[]; unpack: Stmt[] } {
    const params: GenParam[] = [];
    const unpack: Stmt[] = [];
    for (const param of this.params) {
      if (param.shape.kind === "leaf") {
        params.push({ v: param.shape.leaf, type: typeText(param.shape.leaf.type), ...(param.defaultText !== undefined ? { defaultText: param.defaultText } : {}) });
        continue;
      }
      const pv = this.publicVars.get(param)!;
      if (param.shape.kind === "rows") {
        // One column per leaf of the element, gathered from the objects.
        params.push({ v: pv, type: this.types.rows(param.shape.type) });
        for (const { leaf, path } of leafPaths(param.shape)) {
          const inactive = leaf.type.kind === "inactiveArray";
          unpack.push({ k: "declare", v: leaf, init: { k: "column", rows: { k: "var", v: pv }, path, ...(inactive ? { inactive } : {}) }, mutable: false });
        }
        continue;
      }
      params.push({ v: pv, type: this.types.value(param.shape.type), ...(param.defaultText !== undefined ? { defaultText: param.defaultText } : {}) });
      for (const { leaf, path, rows } of leafSites(param.shape)) {
        // A column of an array inside the structure (`w.bodies`) is gathered from its objects.
        const inactive = leaf.type.kind === "inactiveArray";
        const init: Expr = rows ? { k: "column", rows: readPath({ k: "var", v: pv }, rows.at), path: rows.element, ...(inactive ? { inactive } : {}) } : readPath({ k: "var", v: pv }, path);
        unpack.push({ k: "declare", v: leaf, init, mutable: !rows && assigned.has(leaf) });
      }
    }
    return { params, unpack };
  }

  /** `{ p: { x: number; y: number }; s: number }`: the derivatives of the given leaves, by parameter. */
  derivativeTypeText(leaves: readonly Var[], namer: Namer, optional = false): string {
    const wanted = new Set(leaves);
    const q = optional ? "?" : "";
    const fields: string[] = [];
    for (const param of this.params) {
      if (param.shape.kind === "leaf") {
        if (wanted.has(param.shape.leaf)) fields.push(`${namer.of(param.shape.leaf)}${q}: ${typeText(derivativeType(param.shape.leaf.type))}`);
        continue;
      }
      // A structured parameter's leaves are all in or all out (--wrt names parameters).
      const text = leavesOf(param.shape).some((v) => wanted.has(v)) ? this.types.derivative(param.shape.type) : undefined;
      if (text) fields.push(`${derivativeKey(param)}${q}: ${text}`);
    }
    return `{ ${fields.join("; ")} }`;
  }

  /** Zero derivatives of the given leaves, shaped by parameter (`{ p: { x: 0, y: 0 } }`). */
  zeroDerivatives(leaves: readonly Var[], namer: Namer, zero: (t: Type, of: Expr) => Expr): Expr {
    const wanted = new Set(leaves);
    const fields: { name: string; value: Expr }[] = [];
    for (const param of this.params) {
      const root: Expr = { k: "var", v: this.publicVars.get(param)! };
      if (param.shape.kind === "leaf") {
        if (wanted.has(param.shape.leaf)) fields.push({ name: namer.of(param.shape.leaf), value: zero(param.shape.leaf.type, root) });
        continue;
      }
      if (param.shape.kind === "rows") {
        // A new zero object per element.
        const element = leavesOf(param.shape).some((v) => wanted.has(v)) ? zeroStruct(param.shape.type.element) : undefined;
        if (element) fields.push({ name: derivativeKey(param), value: { k: "rowsLike", of: root, element } });
        continue;
      }
      const value = this.zeroShape(param.shape, wanted, [], root, zero);
      if (value) fields.push({ name: derivativeKey(param), value });
    }
    return { k: "object", fields };
  }

  private zeroShape(shape: Shape, wanted: ReadonlySet<Var>, path: string[], root: Expr, zero: (t: Type, of: Expr) => Expr): Expr | undefined {
    if (shape.kind === "leaf") return wanted.has(shape.leaf) ? zero(shape.leaf.type, readPath(root, path)) : undefined;
    // An array of structures inside: a new zero object per element.
    if (shape.kind === "rows") return leavesOf(shape).some((v) => wanted.has(v)) ? { k: "rowsLike", of: readPath(root, path), element: zeroStruct(shape.type.element) } : undefined;
    const names = partNames(shape.type);
    const parts = shape.parts.map((p, i) => this.zeroShape(p, wanted, [...path, names[i]!], root, zero));
    if (parts.every((p) => p === undefined)) return undefined;
    if (shape.type.kind === "tuple") {
      return { k: "arrayLit", type: { kind: "vector", repr: "array", readonly: false }, elements: parts.map((p) => p ?? { k: "num", value: 0 }) };
    }
    return { k: "object", fields: parts.flatMap((p, i) => (p === undefined ? [] : [{ name: names[i]!, value: p }])) };
  }
}

/** A new object of zeros of a structure's derivative (`{ x: 0, y: 0 }`; inactive fields left out, 0 in a tuple). */
export function zeroStruct(t: StructType): Expr {
  const parts = partTypes(t).map((p) => {
    if (p.kind === "rows") throw new InternalError("zeros of an array of structures without its length (zeroShape)");
    return !hasDerivative(p) ? undefined : isStructType(p) ? zeroStruct(p) : ({ k: "num", value: 0 } as Expr);
  });
  if (t.kind === "tuple") return { k: "arrayLit", type: { kind: "vector", repr: "array", readonly: false }, elements: parts.map((p) => p ?? { k: "num", value: 0 }) };
  const names = partNames(t);
  return { k: "object", fields: parts.flatMap((p, i) => (p === undefined ? [] : [{ name: names[i]!, value: p }])) };
}

/** `column * count + i`: where element i of a column is in a vector of columns one after the other. */
function columnOffset(column: number, count: Expr, i: Var): Expr {
  const at: Expr = { k: "var", v: i };
  if (column === 0) return at;
  const start: Expr = column === 1 ? count : { k: "binary", op: "*", a: { k: "num", value: column }, b: count };
  return { k: "binary", op: "+", a: start, b: at };
}

/**
 * An array of structures rebuilt from its columns one after the other in `flat` (`count`
 * elements): `Array.from({ length: count }, (_, i) => ({ pos: { x: flat[i], y: flat[count + i] } }))`.
 */
export function buildRowsResult(shape: Extract<Shape<number>, { kind: "rows" }>, flat: Expr, count: Expr, role: ResultRole = "value"): Expr {
  const i = new VarClass("i", NUMBER, "generated");
  const element = buildResult(shape.element, (column) => ({ k: "index", array: flat, index: columnOffset(column, count, i) }), role);
  return rowsOf(count, element, i);
}

/** `Array.from({ length: count }, (_, i) => element)` (without `i` when the element does not read it). */
export function rowsOf(count: Expr, element: Expr, index?: Var): Expr {
  return { k: "rowsLike", of: { k: "object", fields: [{ name: "length", value: count }] }, element, ...(index ? { index } : {}) };
}

/**
 * Statements that lay an array of structures (`rows`, shaped `shape`) out as its columns one
 * after the other in a new vector `flat` of `count` elements each (declared here).
 */
export function flattenRows(shape: Extract<Shape<number>, { kind: "rows" }>, rows: Expr, flat: Var, count: Var): Stmt[] {
  const i = new VarClass("i", NUMBER, "generated");
  const item = new VarClass("item", NUMBER, "generated");
  const paths = leafPaths(shape.element);
  const body: Stmt[] = [{ k: "declare", v: item, init: { k: "index", array: rows, index: { k: "var", v: i } }, mutable: false }];
  // Flags and strings have no cotangent: their columns stay zero.
  const active = leafPaths(typedShape(shape.element, shape.type.element)).filter(({ leaf }) => !isEncodedLeaf(leaf.type)).map(({ leaf }) => leaf.index);
  for (const { leaf, path } of paths.filter(({ leaf }) => active.includes(leaf))) body.push({ k: "store", array: { k: "var", v: flat }, index: columnOffset(leaf, { k: "var", v: count }, i), value: readPath({ k: "var", v: item }, path) });
  return [
    { k: "declare", v: count, init: { k: "length", array: rows }, mutable: false },
    { k: "declare", v: flat, init: { k: "alloc", type: { kind: "vector", repr: "f64", readonly: false }, length: { k: "binary", op: "*", a: { k: "num", value: paths.length }, b: { k: "var", v: count } } }, mutable: false },
    {
      k: "rawFor",
      init: { k: "declare", v: i, init: { k: "num", value: 0 }, mutable: true },
      test: { k: "compare", op: "<", a: { k: "var", v: i }, b: { k: "var", v: count } },
      update: { k: "assign", target: i, value: { k: "binary", op: "+", a: { k: "var", v: i }, b: { k: "num", value: 1 } } },
      body,
    },
  ];
}

/**
 * What a structured result is rebuilt as: the function's value (flags and strings decoded from
 * their numbers), or a derivative of it (tangent, cotangent), which has no such leaves.
 */
export type ResultRole = "value" | "derivative";

/** A result shape's leaves with their positions and types. */
function typedShape(shape: Shape<number>, t: PartType): Shape<{ index: number; type: ValueType }> {
  if (shape.kind === "rows" || t.kind === "rows") throw new InternalError("an array of structures inside a result");
  if (shape.kind === "leaf") return { kind: "leaf", leaf: { index: shape.leaf, type: t } };
  const types = partTypes(shape.type);
  return { kind: "struct", type: shape.type, parts: shape.parts.map((p, i) => typedShape(p, types[i]!)) };
}

/**
 * A structured result rebuilt from its leaves' expressions (`{ x: leaves[0], y: leaves[1] }`).
 * A flag or string leaf of the value is decoded (`fixed: leaves[2] !== 0`); in a derivative it
 * is left out of an object, and 0 in a tuple (whose derivative keeps every position).
 */
export function buildResult(shape: Shape<number>, leaf: (index: number) => Expr, role: ResultRole = "value"): Expr {
  if (shape.kind === "rows") throw new InternalError("an array of structures as a result (buildRowsResult)");
  const build = (s: Shape<{ index: number; type: ValueType }>): Expr | undefined => {
    if (s.kind === "leaf") {
      if (!isEncodedLeaf(s.leaf.type)) return leaf(s.leaf.index);
      return role === "value" ? decodeLeaf(leaf(s.leaf.index), s.leaf.type) : undefined;
    }
    if (s.kind === "rows") throw new InternalError("an array of structures inside a result");
    const parts = s.parts.map(build);
    if (s.type.kind === "tuple") return { k: "arrayLit", type: { kind: "vector", repr: "array", readonly: false }, elements: parts.map((p) => p ?? { k: "num", value: 0 }) };
    const names = partNames(s.type);
    return { k: "object", fields: parts.flatMap((value, i) => (value ? [{ name: names[i]!, value }] : [])) };
  };
  return build(typedShape(shape, shape.kind === "leaf" ? NUMBER : shape.type)) ?? { k: "num", value: 0 };
}

/** The leaves of a structured cotangent in leaf order, read from `object` (`[ct.x, ct.y]`; 0 for a flag or string). */
export function readResultLeaves(shape: Shape<number>, object: Expr): Expr[] {
  const out: Expr[] = [];
  const t = shape.kind === "struct" ? shape.type : NUMBER;
  for (const { leaf, path } of leafPaths(typedShape(shape, t))) out[leaf.index] = isEncodedLeaf(leaf.type) ? { k: "num", value: 0 } : readPath(object, path);
  return out;
}

/** The result's TypeScript type (the source's structure). */
export function resultTypeText(shape: Shape<number>, types: ModuleTypes): string {
  return shape.kind === "leaf" ? "number" : shape.kind === "rows" ? types.rows(shape.type) : types.value(shape.type);
}

/** The type of the result's derivatives (cotangent, tangent): only its differentiable leaves. */
export function resultDerivativeTypeText(shape: Shape<number>, types: ModuleTypes): string {
  if (shape.kind === "leaf") return "number";
  return types.derivative(shape.kind === "rows" ? { ...shape.type, readonly: false } : shape.type) ?? "number";
}

/** The member of `grad` and `tangents` holding a parameter's derivative. */
function derivativeKey(param: PublicParam): string {
  return param.key ?? param.name;
}

/**
 * Each leaf of a parameter's shape with its path below the parameter, and for a column of an
 * array of structures where that array is (`at`) and the leaf's path inside an element.
 */
function leafSites(shape: Shape, path: string[] = [], rowsAt?: string[]): { leaf: Var; path: string[]; rows?: { at: string[]; element: string[] } }[] {
  if (shape.kind === "leaf") return [{ leaf: shape.leaf, path, ...(rowsAt ? { rows: { at: rowsAt, element: path.slice(rowsAt.length) } } : {}) }];
  if (shape.kind === "rows") return leafSites(shape.element, path, path);
  const names = partNames(shape.type);
  return shape.parts.flatMap((p, i) => leafSites(p, [...path, names[i]!], rowsAt));
}

/** The parameters differentiated: the differentiable ones, only those `--wrt` names when it is given. */
export function independentsOf(fn: IrFunction, wrt: Set<string> | undefined): Var[] {
  const signature = new PublicSignature(fn);
  return fn.params.map((p) => p.v).filter((v) => isDifferentiableType(v.type) && (!wrt || wrt.has(signature.publicName(v))));
}
