/**
 * Numerical checks of generated derivatives: reverse mode against finite differences, forward
 * against reverse (<grad, v> == jvp(v)), values against the primal, inputs never mutated.
 */
import { expect } from "vitest";

export type Arg = number | number[] | Float64Array | number[][];
type AnyFn = (...args: any[]) => any;

/** Deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function clone(a: Arg): Arg {
  if (typeof a === "number") return a;
  if (a instanceof Float64Array) return new Float64Array(a);
  if (Array.isArray(a[0])) return (a as number[][]).map((r) => [...r]);
  return [...(a as number[])];
}

/** Positions of every scalar inside an argument list, for perturbation. */
function slots(args: Arg[]): { get: () => number; set: (x: number) => void; path: string }[] {
  const out: { get: () => number; set: (x: number) => void; path: string }[] = [];
  args.forEach((a, i) => {
    if (typeof a === "number") {
      out.push({ get: () => args[i] as number, set: (x) => (args[i] = x), path: `arg${i}` });
    } else if (a.length > 0 && Array.isArray((a as number[][])[0])) {
      (a as number[][]).forEach((row, r) =>
        row.forEach((_, c) => out.push({ get: () => row[c]!, set: (x) => (row[c] = x), path: `arg${i}[${r}][${c}]` })),
      );
    } else {
      const v = a as number[] | Float64Array;
      for (let k = 0; k < v.length; k++) out.push({ get: () => v[k]!, set: (x) => (v[k] = x), path: `arg${i}[${k}]` });
    }
  });
  return out;
}

/** Flattens a gradient entry list in the same order as `slots`. */
function flatten(values: Arg[]): number[] {
  const out: number[] = [];
  for (const a of values) {
    if (typeof a === "number") out.push(a);
    else if (a.length > 0 && (Array.isArray((a as number[][])[0]) || (a as unknown[])[0] instanceof Float64Array)) for (const r of a as number[][]) out.push(...r);
    else out.push(...(a as number[]));
  }
  return out;
}

function scalarOf(result: unknown, weights: number[] | undefined): number {
  if (typeof result === "number") return result;
  const v = result as ArrayLike<number>;
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * weights![i]!;
  return s;
}

function close(a: number, b: number, rel: number, abs = 1e-9): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return false;
  return Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b)) + abs;
}

export interface CheckOptions {
  /** Relative tolerance against finite differences. */
  fdTolerance?: number;
  /** Parameter names in order (for the grad object and tangents). */
  params: string[];
  /** Which parameters are differentiated (default all). */
  wrt?: string[];
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
  const args = point.map(clone);
  const before = JSON.stringify(args.map((a) => (a instanceof Float64Array ? [...a] : a)));
  const value = primal(...args.map(clone));
  const vectorResult = typeof value !== "number";
  const r = rng(1234);
  const weights = vectorResult ? Array.from({ length: (value as ArrayLike<number>).length }, () => r() * 2 - 1) : undefined;
  const cotangent = weights ? (value instanceof Float64Array ? new Float64Array(weights) : [...weights]) : undefined;

  const rev = vectorResult ? reverse(...args, cotangent) : reverse(...args);
  expect(JSON.stringify(args.map((a) => (a instanceof Float64Array ? [...a] : a))), `${name}: reverse mode mutated its inputs`).toBe(before);
  if (vectorResult) expect([...(rev.value as ArrayLike<number>)]).toEqual([...(value as ArrayLike<number>)]);
  else expect(rev.value, `${name}: value of the gradient differs from the function`).toBe(value);

  const wrt = options.wrt ?? options.params;
  const gradEntries = options.params.map((p, i) => (wrt.includes(p) ? (rev.grad[p] as Arg) : zeroArg(point[i]!)));
  for (const p of wrt) expect(rev.grad, `${name}: grad has no entry for ${p}`).toHaveProperty(p);
  const grad = flatten(gradEntries);
  const positions = slots(args);
  expect(grad.length).toBe(positions.length);

  // Finite differences (fourth-order central) for every scalar input.
  let checked = 0;
  positions.forEach((slot, k) => {
    const paramIndex = Number(/^arg(\d+)/.exec(slot.path)![1]);
    if (!wrt.includes(options.params[paramIndex]!)) return;
    const x0 = slot.get();
    const h = 1e-3 * Math.max(1, Math.abs(x0));
    const at = (x: number): number => {
      slot.set(x);
      const y = scalarOf(primal(...args.map(clone)), weights);
      slot.set(x0);
      return y;
    };
    const fd = (-at(x0 + 2 * h) + 8 * at(x0 + h) - 8 * at(x0 - h) + at(x0 - 2 * h)) / (12 * h);
    const g = grad[k]!;
    const scale = Math.max(1e-6, Math.abs(fd), Math.abs(g));
    const relErr = Math.abs(g - fd) / scale;
    expect(relErr, `${name}: d/d${slot.path} at ${JSON.stringify(point)}: grad ${g}, finite differences ${fd}`).toBeLessThanOrEqual(fdTol);
    checked++;
  });

  if (forward) {
    // <grad, v> == jvp(v) for two random directions.
    for (let trial = 0; trial < 2; trial++) {
      const v = positions.map(() => r() * 2 - 1);
      const tangents: Record<string, Arg> = {};
      let offset = 0;
      options.params.forEach((p, i) => {
        const a = args[i]!;
        const size = flatten([a]).length;
        const part = v.slice(offset, offset + size);
        offset += size;
        if (!wrt.includes(p)) return;
        tangents[p] = reshape(a, part);
      });
      const jvp = forward(...args, tangents);
      expect(JSON.stringify(args.map((a) => (a instanceof Float64Array ? [...a] : a))), `${name}: forward mode mutated its inputs`).toBe(before);
      if (vectorResult) expect([...(jvp.value as ArrayLike<number>)]).toEqual([...(value as ArrayLike<number>)]);
      else expect(jvp.value).toBe(value);
      const lhs = grad.reduce((s, g, i) => {
        const paramIndex = Number(/^arg(\d+)/.exec(positions[i]!.path)![1]);
        return wrt.includes(options.params[paramIndex]!) ? s + g * v[i]! : s;
      }, 0);
      const rhs = scalarOf(jvp.tangent, weights);
      expect(close(lhs, rhs, 1e-10, 1e-12), `${name}: <grad, v> = ${lhs} but jvp(v) = ${rhs}`).toBe(true);
    }
  }
  return checked;
}

function zeroArg(a: Arg): Arg {
  if (typeof a === "number") return 0;
  return reshape(a, flatten([a]).map(() => 0));
}

function reshape(like: Arg, values: number[]): Arg {
  if (typeof like === "number") return values[0]!;
  if (like instanceof Float64Array) return new Float64Array(values);
  if (like.length > 0 && Array.isArray((like as number[][])[0])) {
    let k = 0;
    return (like as number[][]).map((row) => row.map(() => values[k++]!));
  }
  return values;
}
