/**
 * `--jacobian`: f_jacobian against central finite differences of the function, entry by entry,
 * by rows (reverse sweeps) and by columns (forward sweeps), in each mode.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot } from "./helpers/fixtures.js";
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

describe("f_jacobian over objects and tuples (the robot arm, bundle adjustment)", () => {
  const fromExample = (file: string, mode: "both" | "forward"): Record<string, Fn> => {
    const source = path.join(repoRoot, file);
    const result = compile({ fileName: source, mode, jacobian: true });
    expect(result.diagnostics.filter((d) => d.severity !== "note")).toEqual([]);
    return loadModule(result.code!) as Record<string, Fn>;
  };

  it("the arm's tip, 3 x 3: rows by reverse sweeps agree with central differences", () => {
    const arm = fromExample("examples/robot-arm/model.ts", "both");
    const armPrimal = loadModule(fs.readFileSync(path.join(repoRoot, "examples/robot-arm/model.ts"), "utf8")) as Record<string, Fn>;
    const joints = [0.3, -0.7, 1.1];
    const { value, jacobian } = arm.tip_jacobian!(joints) as { value: Record<string, number>; jacobian: { joints: number[][] } };
    expect(value).toEqual(armPrimal.tip!(joints));
    const h = 1e-6;
    ["x", "y", "z"].forEach((leaf, i) => {
      for (let j = 0; j < 3; j++) {
        const plus = [...joints];
        const minus = [...joints];
        plus[j]! += h;
        minus[j]! -= h;
        const d = ((armPrimal.tip!(plus) as Record<string, number>)[leaf]! - (armPrimal.tip!(minus) as Record<string, number>)[leaf]!) / (2 * h);
        expect(Math.abs(jacobian.joints[i]![j]! - d), `d ${leaf} / d joints[${j}]`).toBeLessThan(1e-7);
      }
    });
  });

  it("bundle adjustment's residual, 2 x 17: two reverse sweeps agree with seventeen forward ones", () => {
    const both = fromExample("examples/bundle-adjustment/model.ts", "both");
    const forward = fromExample("examples/bundle-adjustment/model.ts", "forward");
    const cam = { rotation: { x: 0.1, y: -0.2, z: 0.05 }, centre: { x: 0.3, y: 0.1, z: -2 }, focal: 1.2, principal: { x: 0.01, y: -0.02 }, distortion: [0.05, -0.01] };
    const args = [cam, { x: 0.4, y: -0.3, z: 1.5 }, 0.9, { x: 0.2, y: 0.1 }];
    const byRows = both.reprojectionError_jacobian!(...args) as { value: unknown; jacobian: Record<string, number[][]> };
    const byColumns = forward.reprojectionError_jacobian!(...args) as { value: unknown; jacobian: Record<string, number[][]> };
    expect(byRows.value).toEqual(byColumns.value);
    expect(Object.keys(byRows.jacobian)).toEqual(["cam", "point", "w", "feat"]);
    expect(byRows.jacobian.cam![0]!.length).toBe(11);
    for (const p of Object.keys(byRows.jacobian)) {
      byRows.jacobian[p]!.forEach((row, i) => row.forEach((x, j) => expect(Math.abs(x - byColumns.jacobian[p]![i]![j]!), `${p}[${i}][${j}]`).toBeLessThan(1e-12 * Math.max(1, Math.abs(x)))));
    }
    expect(byRows.jacobian.cam!.flat().some((x) => x !== 0)).toBe(true);
  });
});
