/**
 * Structured values during lowering. Every object or tuple value becomes its leaves (scalar
 * replacement of aggregates): a `Vec2` variable is two number variables, a `Particle` parameter
 * is as many IR parameters as it has plain fields. A `Shape` holds one part per field (object)
 * or element (tuple), in the type's declaration order, down to plain leaves.
 */
import type { RowsType, Shape, StructType, Type } from "../ir/nodes.js";
import { Var } from "../ir/nodes.js";
import { InternalError } from "../ir/walk.js";
import { type ValueType, isStructType } from "../frontend/types.js";

/** The type of a part of a structure: a value, or an array of structures (an object's field `bodies: Body[]`). */
export type PartType = ValueType | RowsType;

/** The parts' types of a structure, in order. */
export function partTypes(t: StructType): PartType[] {
  return t.kind === "object" ? t.fields.map((f) => f.type) : t.elements;
}

/** The part names used in leaf variable names: field names, or element positions. */
export function partNames(t: StructType): string[] {
  return t.kind === "object" ? t.fields.map((f) => f.name) : t.elements.map((_, i) => String(i));
}

/** Position of field `key` (a name, or a tuple position) in a structure, or -1. */
export function partIndex(t: StructType, key: string | number): number {
  if (t.kind === "object") return t.fields.findIndex((f) => f.name === key);
  const i = typeof key === "number" ? key : Number(key);
  return Number.isInteger(i) && i >= 0 && i < t.elements.length ? i : -1;
}

/** Fresh leaf variables for a value of type `t`, named `base_field_...` (`p_pos_x`). */
export function freshShape(t: PartType, base: string, origin: Var["origin"], isConst: boolean): Shape {
  if (t.kind === "rows") return freshRows(t, base, origin, isConst);
  if (!isStructType(t)) return { kind: "leaf", leaf: new Var(base, t, origin, isConst) };
  const names = partNames(t);
  const parts = partTypes(t).map((pt, i) => freshShape(pt, `${base}_${names[i]}`, origin, isConst));
  // An optional field's leaf may hold undefined (`opts.lr`).
  if (t.kind === "object") {
    t.fields.forEach((f, i) => {
      const part = parts[i]!;
      if (f.optional && part.kind === "leaf") part.leaf.optional = true;
    });
  }
  return { kind: "struct", type: t, parts };
}

/** The leaves in order (of an array of structures: its columns). */
/**
 * Fresh columns for an array of structures, one per leaf of the element, named by the leaf's
 * path (`ps_pos_x`): Float64Arrays, or `number[]` for an array literal's columns.
 */
export function freshRows(t: RowsType, base: string, origin: Var["origin"], isConst: boolean, repr: "f64" | "array" = "f64"): Extract<Shape, { kind: "rows" }> {
  const element = mapShape(freshShape(t.element, base, origin, isConst), (leaf) => new Var(leaf.name, columnType(leaf.type, repr), origin, isConst));
  return { kind: "rows", type: t, element };
}

/** The type of the column holding a field of type `t`: numbers in a vector, other values in an inactive array. */
export function columnType(t: Type, repr: "f64" | "array" = "f64"): Type {
  if (t.kind === "boolean" || t.kind === "tag") return { kind: "inactiveArray", element: t };
  return { kind: "vector", repr, readonly: false };
}

export function leavesOf<L>(shape: Shape<L>): L[] {
  if (shape.kind === "leaf") return [shape.leaf];
  if (shape.kind === "rows") return leavesOf(shape.element);
  return shape.parts.flatMap((p) => leavesOf(p));
}

/**
 * Each leaf with its path of part names below the shape's root (`["pos", "x"]`), in order; for
 * an array of structures, the path inside an element.
 */
export function leafPaths<L>(shape: Shape<L>): { leaf: L; path: string[] }[] {
  return leavesOf(mapShape(shape, (leaf, path) => ({ leaf, path })));
}

/** The types of a structure's leaves, in leaf order. */
export function leafTypes(t: PartType): Type[] {
  if (t.kind === "rows") return leafTypes(t.element).map((leaf) => columnType(leaf));
  return isStructType(t) ? partTypes(t).flatMap(leafTypes) : [t];
}

/** A shape of type `t` whose leaves are their positions in leaf order (a result's vector). */
export function indexShape(t: StructType): Shape<number> {
  let next = 0;
  const build = (pt: PartType): Shape<number> => {
    // (Results hold no arrays of structures inside structures: returnableLeavesOnly.)
    if (pt.kind === "rows") throw new InternalError("an array of structures inside a result");
    return isStructType(pt) ? { kind: "struct", type: pt, parts: partTypes(pt).map(build) } : { kind: "leaf", leaf: next++ };
  };
  return build(t);
}

export function mapShape<A, B>(shape: Shape<A>, f: (leaf: A, path: string[]) => B, path: string[] = []): Shape<B> {
  if (shape.kind === "leaf") return { kind: "leaf", leaf: f(shape.leaf, path) };
  if (shape.kind === "rows") return { kind: "rows", type: shape.type, element: mapShape(shape.element, f, path) };
  const names = partNames(shape.type);
  return { kind: "struct", type: shape.type, parts: shape.parts.map((p, i) => mapShape(p, f, [...path, names[i]!])) };
}

/** The part at `key`, or undefined when the structure has no such field. */
export function partOf<L>(shape: Shape<L>, key: string | number): Shape<L> | undefined {
  if (shape.kind !== "struct") return undefined;
  const i = partIndex(shape.type, key);
  return i < 0 ? undefined : shape.parts[i];
}

/**
 * A value of structure `from` seen as structure `to` (TypeScript's structural typing lets a
 * `Particle` pass where `{ pos: Vec2 }` is expected): the parts `to` names, by field name for
 * objects and by position for tuples. Undefined when `from` lacks one.
 */
export function conform<L>(shape: Shape<L>, to: PartType): Shape<L> | undefined {
  if (to.kind === "rows") {
    const element = shape.kind === "rows" ? conform(shape.element, to.element) : undefined;
    return element && { kind: "rows", type: to, element };
  }
  if (!isStructType(to)) return shape.kind === "leaf" ? shape : undefined;
  if (shape.kind === "rows") return undefined;
  if (shape.kind !== "struct") return undefined;
  const parts: Shape<L>[] = [];
  const names = partNames(to);
  const types = partTypes(to);
  for (let i = 0; i < names.length; i++) {
    const part = partOf(shape, to.kind === "tuple" ? i : names[i]!);
    const conformed = part && conform(part, types[i]!);
    if (!conformed) return undefined;
    parts.push(conformed);
  }
  return { kind: "struct", type: to, parts };
}
