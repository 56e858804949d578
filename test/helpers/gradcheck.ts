/**
 * Numerical checks of generated derivatives: reverse mode against finite differences, forward
 * against reverse (<grad, v> == jvp(v)), values against the primal, inputs never mutated.
 */
import { expect } from "vitest";
import { rng } from "../../src/cli/random.js";

/**
 * An argument or result: a number, a numeric array or matrix, or (structured data) an object or
 * tuple of them; booleans and strings inside structures are inactive data.
 */
export type Arg = number | number[] | Float64Array | Float32Array | number[][] | Float32Array[] | Structured;
export interface Structured {
  [key: string]: unknown;
}
type AnyFn = (...args: any[]) => any;

// Deterministic PRNG (mulberry32), the one `tsgrad check` draws its points with.
export { rng };

export function clone<T>(a: T): T {
  return structuredClone(a);
}

/** A number inside an argument or result; `single` when it is stored in a Float32Array (set rounds it). */
type Slot = { get: () => number; set: (x: number) => void; path: string; keys: (string | number)[]; single?: true };

/** Every number inside a value (arrays, typed arrays, objects, tuples), in a fixed order. */
function numbersIn(value: unknown, path: string, keys: (string | number)[], out: Slot[]): void {
  if (value instanceof Float64Array || value instanceof Float32Array || Array.isArray(value)) {
    const v = value as unknown[] & Float64Array;
    const single = value instanceof Float32Array ? { single: true as const } : {};
    for (let k = 0; k < v.length; k++) {
      if (typeof v[k] === "number") out.push({ get: () => v[k]!, set: (x) => (v[k] = x), path: `${path}[${k}]`, keys: [...keys, k], ...single });
      else numbersIn(v[k], `${path}[${k}]`, [...keys, k], out);
    }
  } else if (value !== null && typeof value === "object") {
    const o = value as Record<string, unknown>;
    for (const key of Object.keys(o)) {
      if (typeof o[key] === "number") out.push({ get: () => o[key] as number, set: (x) => (o[key] = x), path: `${path}.${key}`, keys: [...keys, key] });
      else numbersIn(o[key], `${path}.${key}`, [...keys, key], out);
    }
  }
}

/** Positions of every scalar inside an argument list, for perturbation. */
export function slots(args: unknown[]): Slot[] {
  const out: Slot[] = [];
  args.forEach((a, i) => {
    if (typeof a === "number") out.push({ get: () => args[i] as number, set: (x) => (args[i] = x), path: `arg${i}`, keys: [i] });
    else numbersIn(a, `arg${i}`, [i], out);
  });
  return out;
}

/** The number at `keys` inside `root` (a gradient shaped like the arguments); 0 where absent. */
function at(root: unknown, keys: readonly (string | number)[]): number {
  let v: unknown = root;
  for (const k of keys) {
    if (v === null || v === undefined) return 0;
    v = (v as Record<string | number, unknown>)[k];
  }
  return typeof v === "number" ? v : 0;
}

/** A copy of `like` with its numbers replaced by `values`, in `slots` order. */
export function reshape(like: unknown, values: number[]): unknown {
  if (typeof like === "number") return values[0]!;
  const copy = [clone(like)];
  slots(copy).forEach((slot, k) => slot.set(values[k]!));
  return copy[0];
}

/** A result weighted by `weights` (one per number in it): the scalar whose gradient is the vjp. */
export function scalarOf(result: unknown, weights: number[] | undefined): number {
  if (typeof result === "number") return result;
  return slots([result]).reduce((s, slot, i) => s + slot.get() * weights![i]!, 0);
}

/** Inputs as JSON, to see that nothing mutated them. */
function snapshot(args: unknown[]): string {
  return JSON.stringify(args, (_, v) => (v instanceof Float64Array || v instanceof Float32Array ? [...v] : v));
}

/** `x` as the slot would store it (rounded to single precision in a Float32Array). */
function roundFor(slot: Slot, x: number): number {
  return slot.single ? Math.fround(x) : x;
}

function close(a: number, b: number, rel: number, abs = 1e-9): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return false;
  return Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b)) + abs;
}

export interface CheckOptions {
  /** Relative tolerance against finite differences (default 1e-6). */
  fdTolerance?: number;
  /** Relative tolerance of <grad, v> against jvp(v) (default 1e-10). */
  jvpTolerance?: number;
  /** Parameter names in order (for the grad object and tangents). */
  params: string[];
  /** Which parameters are differentiated (default all). */
  wrt?: string[];
  /** Fields holding indices (`i` of `{ i, j, rest }`): not perturbed, their derivative must be 0. */
  integerFields?: string[];
}

/**
 * Checks f_grad / f_vjp and f_jvp of a function at one point. Returns the number of scalar
 * derivatives checked.
 */
export function checkPoint(
  name: string,
  primal: AnyFn,
  reverse: AnyFn,
  forward: AnyFn | undefined,
  point: Arg[],
  options: CheckOptions,
): number {
  const fdTol = options.fdTolerance ?? 1e-6;
  const args: unknown[] = point.map(clone);
  const before = snapshot(args);
  const value = primal(...args.map(clone));
  const vectorResult = typeof value !== "number";
  const r = rng(1234);
  // (Weights and directions for numbers a Float32Array holds are rounded to single precision, so
  // that storing them changes nothing.)
  const weights = vectorResult ? slots([value]).map((slot) => roundFor(slot, r() * 2 - 1)) : undefined;
  const cotangent = weights ? (value instanceof Float64Array ? new Float64Array(weights) : value instanceof Float32Array ? new Float32Array(weights) : reshape(value, weights)) : undefined;

  // A point may leave trailing optional parameters out; the entry points take them in place (undefined).
  const passed = [...args, ...new Array<undefined>(Math.max(0, options.params.length - args.length)).fill(undefined)];
  const rev = vectorResult ? reverse(...passed, cotangent) : reverse(...passed);
  expect(snapshot(args), `${name}: reverse mode mutated its inputs`).toBe(before);
  if (vectorResult) expect(snapshot([rev.value])).toEqual(snapshot([value]));
  else expect(rev.value, `${name}: value of the gradient differs from the function`).toBe(value);

  const wrt = options.wrt ?? options.params;
  for (const p of wrt) expect(rev.grad, `${name}: grad has no entry for ${p}`).toHaveProperty(p);
  // The gradient as the arguments: grad[p] mirrors argument p (absent inactive fields read 0).
  const gradAsArgs = options.params.map((p) => (wrt.includes(p) ? rev.grad[p] : undefined));
  const positions = slots(args);
  const grad = positions.map((slot) => at(gradAsArgs, slot.keys));

  // Finite differences (fourth-order central) for every scalar input.
  let checked = 0;
  positions.forEach((slot, k) => {
    const paramIndex = slot.keys[0] as number;
    if (!wrt.includes(options.params[paramIndex]!)) return;
    if (options.integerFields?.includes(String(slot.keys[slot.keys.length - 1]))) {
      expect(grad[k], `${name}: d/d${slot.path} of an index field`).toBe(0);
      return;
    }
    const x0 = slot.get();
    // In a Float32Array the step is a power of two, so that x0 +- h stay exact for the short
    // (dyadic) check points such fixtures use.
    const step = 1e-3 * Math.max(1, Math.abs(x0));
    const h = slot.single ? 2 ** Math.round(Math.log2(step)) : step;
    const f = (x: number): number => {
      slot.set(x);
      const y = scalarOf(primal(...args.map(clone)), weights);
      slot.set(x0);
      return y;
    };
    const fd = (-f(x0 + 2 * h) + 8 * f(x0 + h) - 8 * f(x0 - h) + f(x0 - 2 * h)) / (12 * h);
    const g = grad[k]!;
    const scale = Math.max(1e-6, Math.abs(fd), Math.abs(g));
    const relErr = Math.abs(g - fd) / scale;
    expect(relErr, `${name}: d/d${slot.path} at ${JSON.stringify(point)}: grad ${g}, finite differences ${fd}`).toBeLessThanOrEqual(fdTol);
    checked++;
  });

  if (forward) {
    // <grad, v> == jvp(v) for two random directions.
    for (let trial = 0; trial < 2; trial++) {
      const v = positions.map((slot) => roundFor(slot, r() * 2 - 1));
      const tangents: Record<string, unknown> = {};
      options.params.forEach((p, i) => {
        if (!wrt.includes(p)) return;
        const mine = positions.flatMap((slot, k) => (slot.keys[0] === i ? [v[k]!] : []));
        tangents[p] = reshape(args[i], mine);
      });
      const jvp = forward(...passed, tangents);
      expect(snapshot(args), `${name}: forward mode mutated its inputs`).toBe(before);
      if (vectorResult) expect(snapshot([jvp.value])).toEqual(snapshot([value]));
      else expect(jvp.value).toBe(value);
      const lhs = grad.reduce((s, g, i) => (wrt.includes(options.params[positions[i]!.keys[0] as number]!) ? s + g * v[i]! : s), 0);
      // Read at the value's numbers: a tangent has no flags or strings (0 at a tuple's position of one).
      const rhs = vectorResult ? slots([value]).reduce((s, slot, i) => s + at([jvp.tangent], slot.keys) * weights![i]!, 0) : (jvp.tangent as number);
      const jvpTol = options.jvpTolerance ?? 1e-10;
      expect(close(lhs, rhs, jvpTol, jvpTol * 1e-2), `${name}: <grad, v> = ${lhs} but jvp(v) = ${rhs}`).toBe(true);
    }
  }
  return checked;
}
