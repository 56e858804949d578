/**
 * The vocabulary of generated code, decided in one place: adjoint and tangent names (`dx` for
 * `x`), names of generated functions (`f_grad`, `f_jvp`, ...), and unique printed names for
 * variables so that generated names never collide with the user's.
 */
import type { Var } from "../ir/nodes.js";
import { KERNELS } from "../ir/kernels.js";

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
    "Infinity Math Array Float64Array Float32Array Int32Array Object Number"
  ).split(" "),
);

/**
 * Names `tsgrad/runtime` exports that generated code may import: the tape and the kernels with
 * their derivatives. The user's variables may have them (the module then imports the runtime's
 * under another name); generated variables avoid them.
 */
export const RUNTIME_NAMES: ReadonlySet<string> = new Set(["tape", ...Object.keys(KERNELS).flatMap((k) => [k, `${k}_vjp`, `${k}_jvp`])]);

/** The primal variable of every derivative (adjoint or tangent) variable. */
const primals = new WeakMap<Var, Var>();

/** Which of several derivatives of one variable a derivative is, in vector mode (`dx_0`, `dx_1`). */
const copies = new WeakMap<Var, number>();

/**
 * Records that `d` is the derivative of `primal`: it is named after it (`dx` for `x`; `dx_0`
 * for `copy` 0 of several, in vector mode).
 */
export function markDerivative(d: Var, primal: Var, copy?: number): void {
  primals.set(d, primal);
  if (copy !== undefined) copies.set(d, copy);
}

/** The variable whose derivative `d` is, if `d` is one. */
export function primalOf(d: Var): Var | undefined {
  return primals.get(d);
}

/** Declared by the user (a parameter or a local of the source), as opposed to generated. */
function isUsers(v: Var): boolean {
  return v.origin === "param" || v.origin === "local";
}

/**
 * Printed names of the variables of one generated function. The user's variables keep their
 * names unless two of them share one or one is a name the module needs; generated variables
 * take what is left. A derivative is named after its primal's name in this function.
 */
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

  has(v: Var): boolean {
    return this.names.has(v);
  }

  of(v: Var): string {
    const known = this.names.get(v);
    if (known !== undefined) return known;
    const base = this.preferred(v);
    const free = (n: string) => !this.taken.has(n) && (isUsers(v) || !RUNTIME_NAMES.has(n));
    let name = base;
    if (!free(name)) {
      let i = this.nextSuffix.get(base) ?? 2;
      while (!free(`${base}_${i}`)) i++;
      name = `${base}_${i}`;
      this.nextSuffix.set(base, i + 1);
    }
    this.taken.add(name);
    this.names.set(v, name);
    return name;
  }

  /** The name a variable asks for: its own, or `d` and its primal's name for a derivative. */
  private preferred(v: Var): string {
    const primal = primalOf(v);
    if (!primal) return v.name;
    const copy = copies.get(v);
    return generatedName.derivative(this.names.get(primal) ?? this.preferred(primal)) + (copy === undefined ? "" : `_${copy}`);
  }

  /** Every name given so far. */
  given(): IterableIterator<string> {
    return this.names.values();
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
