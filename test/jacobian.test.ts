/**
 * `--jacobian`: f_jacobian against central finite differences of the function, entry by entry,
 * by rows (reverse sweeps) and by columns (forward sweeps), in each mode.
 */
import { describe, expect, it } from "vitest";
import { compile } from "../src/index.js";
import { loadModule } from "./fuzz/check.js";

const SOURCE = `
/** A planar arm: the tip from the joint angles and link lengths (2 rows, 6 columns: by rows). */
export function tip(angles: number[], lengths: number[]): number[] {
  let a = 0;
  let x = 0;
  let y = 0;
  for (let i = 0; i < angles.length; i++) {
    a += angles[i];
    x += lengths[i] * Math.cos(a);
    y += lengths[i] * Math.sin(a);
  }
  return [x, y];
}

/** Many rows from two numbers and a typed array (7 rows, 5 columns: by columns). */
export function expand(s: number, p: Float64Array, t: number): Float64Array {
  const r = new Float64Array(7);
  for (let i = 0; i < 7; i++) r[i] = Math.sin(s * (i + 1)) + t * p[i % p.length] * p[(i + 1) % p.length];
  return r;
}

export function scalar(x: number): number {
  return x * x;
}
`;

type Fn = (...args: unknown[]) => unknown;

function moduleFor(mode: "both" | "reverse" | "forward", wrt?: string[]): Record<string, Fn> {
  const result = compile({ fileName: "/virtual/arm.ts", sourceText: SOURCE, mode, jacobian: true, ...(wrt ? { wrt } : {}) });
  expect(result.diagnostics.filter((d) => d.severity !== "note")).toEqual([]);
  return loadModule(result.code!) as Record<string, Fn>;
}

const primal = loadModule(SOURCE) as Record<string, Fn>;

/** Central differences of every output element with respect to element j of argument k. */
function fdColumn(fn: Fn, args: unknown[], k: number, j: number): number[] {
  const h = 1e-6;
  const shifted = (delta: number): number[] => {
    const copy = args.map((a) => (a instanceof Float64Array ? Float64Array.from(a) : Array.isArray(a) ? [...a] : a));
    if (typeof copy[k] === "number") copy[k] = (copy[k] as number) + delta;
    else (copy[k] as number[])[j] += delta;
    return Array.from(fn(...copy) as ArrayLike<number>);
  };
  const plus = shifted(h);
  const minus = shifted(-h);
  return plus.map((p, i) => (p - minus[i]!) / (2 * h));
}

function expectJacobian(generated: Record<string, Fn>, name: string, args: unknown[], params: string[]): void {
  const { value, jacobian } = generated[`${name}_jacobian`]!(...args) as { value: ArrayLike<number>; jacobian: Record<string, number[][]> };
  expect(Array.from(value)).toEqual(Array.from(primal[name]!(...args) as ArrayLike<number>));
  params.forEach((p, k) => {
    const rows = jacobian[p]!;
    expect(rows.length).toBe(value.length);
    const width = typeof args[k] === "number" ? 1 : (args[k] as ArrayLike<number>).length;
    for (let j = 0; j < width; j++) {
      const column = fdColumn(primal[name]!, args, k, j);
      column.forEach((d, i) => expect(Math.abs(rows[i]![j]! - d), `${name} d value[${i}] / d ${p}[${j}]`).toBeLessThan(1e-6 * Math.max(1, Math.abs(d))));
    }
  });
}

describe("f_jacobian (--jacobian)", () => {
  const tipArgs = [[0.3, -0.7, 1.2], [1, 0.8, 0.5]];
  const expandArgs = [0.4, Float64Array.from([0.5, -1.5, 2]), 0.7];
  for (const mode of ["both", "reverse", "forward"] as const) {
    it(`matches finite differences by rows and by columns (--mode ${mode})`, () => {
      const generated = moduleFor(mode);
      expectJacobian(generated, "tip", tipArgs, ["angles", "lengths"]);
      expectJacobian(generated, "expand", expandArgs, ["s", "p", "t"]);
      expect(generated.scalar_jacobian).toBeUndefined();
    });
  }

  it("has only the --wrt parameters' blocks", () => {
    const generated = moduleFor("both", ["lengths", "t"]);
    const { jacobian } = generated.tip_jacobian!(...tipArgs) as { jacobian: Record<string, number[][]> };
    expect(Object.keys(jacobian)).toEqual(["lengths"]);
    const expanded = generated.expand_jacobian!(...expandArgs) as { jacobian: Record<string, number[][]> };
    expect(Object.keys(expanded.jacobian)).toEqual(["t"]);
    const column = fdColumn(primal.expand!, expandArgs, 2, 0);
    column.forEach((d, i) => expect(Math.abs(expanded.jacobian.t![i]![0]! - d)).toBeLessThan(1e-6 * Math.max(1, Math.abs(d))));
  });
});
