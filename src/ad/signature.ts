/**
 * Public signatures of entry points over structured parameters and results (SPEC section 2).
 * Lowering replaced every object or tuple by its leaves, so the transforms differentiate a
 * function of leaves; this module gives an entry point the source's view back: it takes `p: Vec2`,
 * unpacks `p.x`, `p.y` into the leaves at the top, and names each leaf's gradient or tangent by
 * its path (`grad.p.x`), in types that mirror the parameter's with only differentiable fields.
 */
import type { Expr, IrFunction, PublicParam, Shape, Stmt, StructType, Type, Var } from "../ir/nodes.js";
import { NUMBER, Var as VarClass, isDifferentiableType } from "../ir/nodes.js";
import { typeText, valueTypeText } from "../frontend/types.js";
import { type GenParam, derivativeType } from "./common.js";
import type { Namer } from "./names.js";

/** `.x`, or `[0]` for a tuple element: a member of a path in printed code. */
export function memberPath(path: readonly string[]): string {
  return path.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}

function partNames(t: StructType): string[] {
  return t.kind === "object" ? t.fields.map((f) => f.name) : t.elements.map((_, i) => String(i));
}

/** `object.a.b[0]` as an expression (`field` nodes). */
function readPath(object: Expr, path: readonly string[], optionalFirst = false): Expr {
  let e = object;
  path.forEach((name, i) => {
    e = { k: "field", object: e, name, optional: optionalFirst && i === 1 };
  });
  return e;
}

export class PublicSignature {
  /** The source's parameters (a plain parameter is its own leaf). */
  readonly params: PublicParam[];
  /** Path of each leaf below its parameter (`[]` for a plain parameter). */
  private readonly paths = new Map<Var, { param: PublicParam; path: string[] }>();
  /** The variable of each parameter in entry points: the leaf itself, or a new one for a structure. */
  readonly publicVars = new Map<PublicParam, Var>();

  constructor(fn: IrFunction) {
    this.params = fn.publicParams ?? fn.params.map((p) => ({ name: p.v.name, shape: { kind: "leaf", leaf: p.v } }));
    for (const param of this.params) {
      this.walk(param.shape, [], (v, path) => this.paths.set(v, { param, path }));
      this.publicVars.set(param, param.shape.kind === "leaf" ? param.shape.leaf : new VarClass(param.name, NUMBER, "generated"));
    }
  }

  private walk<L>(shape: Shape<L>, path: string[], f: (leaf: L, path: string[]) => void): void {
    if (shape.kind === "leaf") return f(shape.leaf, path);
    const names = partNames(shape.type);
    shape.parts.forEach((p, i) => this.walk(p, [...path, names[i]!], f));
  }

  get structured(): boolean {
    return this.params.some((p) => p.shape.kind === "struct");
  }

  /** The source parameter a leaf belongs to (what `--wrt` names). */
  publicName(v: Var): string {
    return this.paths.get(v)?.param.name ?? v.name;
  }

  /** The member of `grad` / `tangents` holding a leaf's derivative: `x`, or `p.pos.x`. */
  member(v: Var, namer: Namer): string {
    const site = this.paths.get(v);
    if (!site || site.param.shape.kind === "leaf") return namer.of(v);
    return memberPath([site.param.name, ...site.path]);
  }

  /** Reads a leaf's derivative from `object` (`tangents.p?.x` when `optional`). */
  readMember(object: Expr, v: Var, namer: Namer, optional: boolean): Expr {
    const site = this.paths.get(v);
    if (!site || site.param.shape.kind === "leaf") return { k: "field", object, name: namer.of(v), optional: false };
    return readPath(object, [site.param.name, ...site.path], optional);
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
      params.push({ v: pv, type: valueTypeText(param.shape.type) });
      this.walk(param.shape, [], (leaf, path) => {
        unpack.push({ k: "declare", v: leaf, init: readPath({ k: "var", v: pv }, path), mutable: assigned.has(leaf) });
      });
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
      const text = this.shapeText(param.shape, wanted);
      if (text) fields.push(`${param.name}${q}: ${text}`);
    }
    return `{ ${fields.join("; ")} }`;
  }

  private shapeText(shape: Shape, wanted: ReadonlySet<Var>): string | undefined {
    if (shape.kind === "leaf") return wanted.has(shape.leaf) ? typeText(derivativeType(shape.leaf.type)) : undefined;
    const names = partNames(shape.type);
    const parts = shape.parts.map((p) => this.shapeText(p, wanted));
    if (parts.every((p) => p === undefined)) return undefined;
    // A tuple keeps every position (an inactive element's derivative is its zero).
    if (shape.type.kind === "tuple") return `[${parts.map((p, i) => p ?? zeroTypeText(shape.parts[i]!)).join(", ")}]`;
    return `{ ${parts.flatMap((p, i) => (p === undefined ? [] : [`${names[i]}: ${p}`])).join("; ")} }`;
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
      const value = this.zeroShape(param.shape, wanted, [], root, zero);
      if (value) fields.push({ name: param.name, value });
    }
    return { k: "object", fields };
  }

  private zeroShape(shape: Shape, wanted: ReadonlySet<Var>, path: string[], root: Expr, zero: (t: Type, of: Expr) => Expr): Expr | undefined {
    if (shape.kind === "leaf") return wanted.has(shape.leaf) ? zero(shape.leaf.type, readPath(root, path)) : undefined;
    const names = partNames(shape.type);
    const parts = shape.parts.map((p, i) => this.zeroShape(p, wanted, [...path, names[i]!], root, zero));
    if (parts.every((p) => p === undefined)) return undefined;
    if (shape.type.kind === "tuple") {
      return { k: "arrayLit", type: { kind: "vector", repr: "array", readonly: false }, elements: parts.map((p) => p ?? { k: "num", value: 0 }) };
    }
    return { k: "object", fields: parts.flatMap((p, i) => (p === undefined ? [] : [{ name: names[i]!, value: p }])) };
  }
}

function zeroTypeText(shape: Shape): string {
  return shape.kind === "leaf" ? (isDifferentiableType(shape.leaf.type) ? "number" : "boolean") : "never";
}

/** A structured result rebuilt from its leaves' expressions (`{ x: leaves[0], y: leaves[1] }`). */
export function buildResult(shape: Shape<number>, leaf: (index: number) => Expr): Expr {
  if (shape.kind === "leaf") return leaf(shape.leaf);
  const parts = shape.parts.map((p) => buildResult(p, leaf));
  if (shape.type.kind === "tuple") return { k: "arrayLit", type: { kind: "vector", repr: "array", readonly: false }, elements: parts };
  const names = partNames(shape.type);
  return { k: "object", fields: parts.map((value, i) => ({ name: names[i]!, value })) };
}

/** The leaves of a structured value in leaf order, read from `object` (`[ct.x, ct.y]`). */
export function readResultLeaves(shape: Shape<number>, object: Expr): Expr[] {
  const out: Expr[] = [];
  const visit = (s: Shape<number>, path: string[]): void => {
    if (s.kind === "leaf") {
      out[s.leaf] = readPath(object, path);
      return;
    }
    const names = partNames(s.type);
    s.parts.forEach((p, i) => visit(p, [...path, names[i]!]));
  };
  visit(shape, []);
  return out;
}

/** The result's TypeScript type (the source's structure). */
export function resultTypeText(shape: Shape<number>): string {
  return shape.kind === "leaf" ? "number" : valueTypeText(shape.type);
}
