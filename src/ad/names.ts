/**
 * The vocabulary of generated code, decided in one place: adjoint and tangent names (`dx` for
 * `x`), names of generated functions (`f_grad`, `f_jvp`, ...), and unique printed names for
 * variables so that generated names never collide with the user's.
 */
import type { Var } from "../ir/nodes.js";

export const generatedName = {
  grad: (f: string) => `${f}_grad`,
  vjp: (f: string) => `${f}_vjp`,
  /** The allocation-free variant of a reverse entry point (`f_grad_into`). */
  into: (entry: string) => `${entry}_into`,
  jvp: (f: string) => `${f}_jvp`,
  /** Forward sweep of a callee: computes the value and records what its reverse sweep needs. */
  forwardSweep: (f: string) => `${f}_forward`,
  /** Reverse sweep of a callee: accumulates adjoints of its arguments. */
  reverseSweep: (f: string) => `${f}_reverse`,
  /** Tangent routine of a callee used by forward mode. */
  tangent: (f: string) => `${f}_tangent`,
  /** Adjoint (reverse) or tangent (forward) of a variable named `x`. */
  derivative: (x: string) => `d${x}`,
} as const;

const RESERVED = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for " +
    "function if import in instanceof new null return super switch this throw true try typeof var void while with " +
    "yield let static implements interface package private protected public await arguments eval undefined NaN " +
    "Infinity Math Array Float64Array Int32Array Object Number tape"
  ).split(" "),
);

/** Printed names of the variables of one generated function. */
export class Namer {
  private readonly taken = new Set<string>();
  private readonly names = new Map<Var, string>();
  /** Next suffix to try per base name, so naming n temporaries stays linear. */
  private readonly nextSuffix = new Map<string, number>();

  constructor(reserved: Iterable<string> = []) {
    for (const r of RESERVED) this.taken.add(r);
    for (const r of reserved) this.taken.add(r);
  }

  /** Claims names for the user's variables first, so generated names yield to them. */
  claim(vars: Iterable<Var>): void {
    for (const v of vars) this.of(v);
  }

  of(v: Var): string {
    const known = this.names.get(v);
    if (known !== undefined) return known;
    let name = v.name;
    if (this.taken.has(name)) {
      let i = this.nextSuffix.get(v.name) ?? 2;
      while (this.taken.has(`${v.name}_${i}`)) i++;
      name = `${v.name}_${i}`;
      this.nextSuffix.set(v.name, i + 1);
    }
    this.taken.add(name);
    this.names.set(v, name);
    return name;
  }

  /** Reserves an exact name (parameters of a public signature must keep their names). */
  fixed(v: Var, name: string): void {
    this.taken.add(name);
    this.names.set(v, name);
  }

  fn(name: string): string {
    return name;
  }
}
