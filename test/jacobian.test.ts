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

/** A helper taking an array: its reverse routine takes the array's adjoint (one per cotangent in vector mode). */
function weighted(xs: number[], k: number): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i] * Math.cos(k * i);
  return s;
}

/** Seven rows from an array and a typed array: vector mode's blocks of four, by rows or by columns. */
export function many(x: number[], w: Float64Array): number[] {
  const out: number[] = [];
  const sq = x.map((v) => v * v);
  for (let r = 0; r < 7; r++) out.push(weighted(sq, r) * w[r % w.length] + Math.sin(x[r % x.length] * w[0]));
  return out;
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

  // Pairs of rows (7 rows: three pairs and a single sweep) when the parameters have 7 elements
  // or more, else pairs of columns of each parameter (and a single sweep for an odd one out).
  const manyArgs = [
    [[0.3, -0.7, 1.2, 0.5], Float64Array.from([0.8, -0.4, 1.1])],
    [[0.9, -0.2], Float64Array.from([0.6, 1.3, -0.5, 0.7, 0.2, -0.9])],
    [[0.2, 0.4, -0.6, 1.5, -1.1, 0.3, 0.7, -0.8], Float64Array.from([1.2])],
    [[1.1, -0.3, 0.4], Float64Array.from([0.5, -0.6])],
    [[0.7], Float64Array.from([0.9, -1.3])],
  ];
  for (const mode of ["both", "reverse", "forward"] as const) {
    it(`in vector mode, pairs of rows or columns, matches finite differences and one sweep per row or column (--mode ${mode})`, () => {
      const generated = moduleFor(mode);
      const code = compile({ fileName: "/virtual/arm.ts", sourceText: SOURCE, mode, jacobian: true }).code!;
      if (mode !== "forward") expect(code).toMatch(/^export function many_vjp2_into\(x: number\[\], w: Float64Array, cotangent_0: number\[\], cotangent_1: number\[\], grad_0: /m);
      if (mode !== "reverse") expect(code).toMatch(/^export function many_jvp2\(x: number\[\], w: Float64Array, tangents_0: .*, tangents_1: /m);
      // (The helper's reverse routine takes both cotangents' array adjoints.)
      if (mode !== "forward") expect(code).toMatch(/^function weighted_reverse_xs_x2\(xs: number\[\], k: number, dxs_0: number\[\], dxs_1: number\[\], dvalue_0: number, dvalue_1: number\): void/m);
      for (const args of manyArgs) {
        expectJacobian(generated, "many", args, ["x", "w"]);
        const { value, jacobian } = generated.many_jacobian!(...args) as { value: number[]; jacobian: Record<string, number[][]> };
        // Row by row with f_vjp_into, or column by column with f_jvp, as f_jacobian did before vector mode.
        ["x", "w"].forEach((p, k) => {
          const width = (args[k] as ArrayLike<number>).length;
          for (let i = 0; i < value.length; i++) {
            for (let j = 0; j < width; j++) {
              let expected: number;
              if (mode === "forward") {
                const unit = args[k] instanceof Float64Array ? new Float64Array(width) : new Array<number>(width).fill(0);
                unit[j] = 1;
                expected = (generated.many_jvp!(...args, { [p]: unit }) as { tangent: number[] }).tangent[i]!;
              } else {
                const cotangent = new Array<number>(value.length).fill(0);
                cotangent[i] = 1;
                expected = ((generated.many_vjp!(...args, cotangent) as { grad: Record<string, ArrayLike<number>> }).grad[p]!)[j]!;
              }
              expect(Math.abs(jacobian[p]![i]![j]! - expected), `${mode}: d value[${i}] / d ${p}[${j}]`).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(expected)));
            }
          }
        });
      }
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

describe("f_jacobian with data parameters of other types (left out by --wrt)", () => {
  // A skinned chain as the hand-tracking eval has it: the model's data (an object with index,
  // matrix and flag fields, a matrix, an index array) passed through to the sweeps.
  const DATA_SOURCE = `
export interface Rig {
  parents: Int32Array;
  offsets: Float64Array[];
  mirrored: boolean;
}

export function pose(theta: Float64Array, rig: Rig, weights: number[][], picks: Int32Array): Float64Array {
  const bones = rig.parents.length;
  const angle = new Float64Array(bones);
  for (let b = 0; b < bones; b++) {
    const parent = rig.parents[b];
    angle[b] = (parent === -1 ? 0 : angle[parent]) + theta[b % theta.length];
  }
  const out = new Float64Array(2 * picks.length);
  for (let i = 0; i < picks.length; i++) {
    const v = picks[i];
    let x = 0;
    let y = 0;
    for (let b = 0; b < bones; b++) {
      const w = weights[v][b];
      if (w === 0) continue;
      x += w * (Math.cos(angle[b]) * rig.offsets[b][0] - Math.sin(angle[b]) * rig.offsets[b][1]);
      y += w * (Math.sin(angle[b]) * rig.offsets[b][0] + Math.cos(angle[b]) * rig.offsets[b][1]);
    }
    out[2 * i] = rig.mirrored ? -x : x;
    out[2 * i + 1] = y;
  }
  return out;
}
`;
  const rigOf = (mirrored: boolean) => ({ parents: Int32Array.from([-1, 0, 1, 1]), offsets: [[1, 0.5], [0.7, -0.2], [0.4, 0.3], [-0.6, 0.9]].map((r) => Float64Array.from(r)), mirrored });
  const weights = [[1, 0, 0, 0], [0.5, 0.5, 0, 0], [0, 0.25, 0.75, 0], [0, 0, 0.5, 0.5], [0.1, 0.2, 0.3, 0.4]];
  const primalPose = (loadModule(DATA_SOURCE) as Record<string, Fn>).pose!;
  for (const mode of ["both", "reverse", "forward"] as const) {
    it(`passes the data through and matches finite differences in theta (--mode ${mode}, --wrt theta)`, () => {
      const result = compile({ fileName: "/virtual/rig.ts", sourceText: DATA_SOURCE, mode, jacobian: true, wrt: ["theta"] });
      expect(result.diagnostics.filter((d) => d.severity !== "note")).toEqual([]);
      expect(result.code).toMatch(/^export function pose_jacobian\(theta: Float64Array, rig: Rig, weights: number\[\]\[\], picks: Int32Array\): \{ value: Float64Array; jacobian: \{ theta: number\[\]\[\] \} \}/m);
      const generated = loadModule(result.code!) as Record<string, Fn>;
      for (const [theta, picks, mirrored] of [[[0.3, -0.8, 1.1], [0, 2, 4, 3, 1], false], [[0.5, 0.2, -0.4, 0.9], [4, 1], true], [[0.7], [3, 3, 0], false]] as const) {
        const args = [Float64Array.from(theta), rigOf(mirrored), weights, Int32Array.from(picks)];
        const { value, jacobian } = generated.pose_jacobian!(...args) as { value: Float64Array; jacobian: { theta: number[][] } };
        expect(Array.from(value)).toEqual(Array.from(primalPose(...args) as Float64Array));
        expect(jacobian.theta.length).toBe(2 * picks.length);
        for (let j = 0; j < theta.length; j++) {
          const column = fdColumn(primalPose, args, 0, j);
          column.forEach((d, i) => expect(Math.abs(jacobian.theta[i]![j]! - d), `${mode}: d value[${i}] / d theta[${j}]`).toBeLessThan(1e-6 * Math.max(1, Math.abs(d))));
        }
      }
    });
  }

  it("without --wrt the matrix is differentiated too, and there is no f_jacobian (TSG2015)", () => {
    const result = compile({ fileName: "/virtual/rig.ts", sourceText: DATA_SOURCE, mode: "both", jacobian: true });
    expect(result.diagnostics.map((d) => d.code)).toContain("TSG2015");
    expect(result.code).not.toContain("pose_jacobian");
  });
});

describe("f_jacobian over objects and tuples (the robot arm, bundle adjustment)", () => {
  const fromExample = (file: string, mode: "both" | "forward"): Record<string, Fn> => {
    const source = path.join(repoRoot, file);
    const result = compile({ fileName: source, mode, jacobian: true });
    expect(result.diagnostics.filter((d) => d.severity !== "note")).toEqual([]);
    return loadModule(result.code!) as Record<string, Fn>;
  };

  it("the arm's tip, 3 x 3: rows by a vector-mode reverse sweep agree with central differences", () => {
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

  it("bundle adjustment's residual, 2 x 17: the rows (one vector-mode reverse sweep) agree with seventeen forward sweeps", () => {
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

// ------------------------------------------------------------ vector mode over structures

/** The numbers of a structure of numbers (objects, tuples, nested), in declaration order. */
function leavesOf(x: unknown): number[] {
  if (typeof x === "number") return [x];
  if (Array.isArray(x)) return x.flatMap(leavesOf);
  return Object.values(x as Record<string, unknown>).flatMap(leavesOf);
}

/** A copy of the structure `x` with its leaves taken from `values` in order. */
function withLeaves(x: unknown, values: readonly number[], next = { i: 0 }): unknown {
  if (typeof x === "number") return values[next.i++]!;
  if (Array.isArray(x)) return x.map((e) => withLeaves(e, values, next));
  return Object.fromEntries(Object.entries(x as Record<string, unknown>).map(([k, v]) => [k, withLeaves(v, values, next)]));
}

const zerosOf = (x: unknown): unknown => withLeaves(x, leavesOf(x).map(() => 0));

/**
 * What f_jacobian did before vector mode, written with the generated entry point: one
 * `f_vjp_into` per row with a unit cotangent. Rows per parameter, as f_jacobian lays them out.
 */
function jacobianByVjps(generated: Record<string, Fn>, name: string, params: string[], args: unknown[], value: unknown): Record<string, number[][]> {
  const rows = leavesOf(value).length;
  const out: Record<string, number[][]> = Object.fromEntries(params.map((p) => [p, []]));
  for (let i = 0; i < rows; i++) {
    const unit = withLeaves(value, Array.from({ length: rows }, (_, r) => (r === i ? 1 : 0)));
    const grad = Object.fromEntries(params.map((p, k) => [p, zerosOf(args[k])]));
    generated[`${name}_vjp_into`]!(...args, unit, grad);
    for (const p of params) out[p]!.push(leavesOf(grad[p]));
  }
  return out;
}

/** The same by columns: one `f_jvp` per leaf of each parameter with a unit tangent. */
function jacobianByJvps(generated: Record<string, Fn>, name: string, params: string[], args: unknown[]): Record<string, number[][]> {
  const out: Record<string, number[][]> = {};
  params.forEach((p, k) => {
    const width = leavesOf(args[k]).length;
    const columns = Array.from({ length: width }, (_, j) => {
      const unit = withLeaves(args[k], Array.from({ length: width }, (__, jj) => (jj === j ? 1 : 0)));
      return leavesOf((generated[`${name}_jvp`]!(...args, { [p]: unit }) as { tangent: unknown }).tangent);
    });
    out[p] = columns[0]!.map((_, i) => columns.map((c) => c[i]!));
  });
  return out;
}

/** Central differences of every leaf of the result with respect to every leaf of each argument (of those named in `only`). */
function jacobianByDifferences(fn: Fn, params: string[], args: unknown[], only = params): Record<string, number[][]> {
  const h = 1e-6;
  const out: Record<string, number[][]> = {};
  params.forEach((p, k) => {
    if (!only.includes(p)) return;
    const at = leavesOf(args[k]);
    const columns = at.map((x, j) => {
      const shifted = (delta: number) => leavesOf(fn(...args.map((a, m) => (m === k ? withLeaves(a, at.map((y, jj) => (jj === j ? y + delta : y))) : a))));
      const plus = shifted(h);
      const minus = shifted(-h);
      return plus.map((y, i) => (y - minus[i]!) / (2 * h));
    });
    out[p] = columns[0]!.map((_, i) => columns.map((c) => c[i]!));
  });
  return out;
}

function expectClose(actual: Record<string, number[][]>, expected: Record<string, number[][]>, tolerance: number, what: string): void {
  expect(Object.keys(actual)).toEqual(Object.keys(expected));
  for (const p of Object.keys(expected)) {
    expect(actual[p]!.length, `${what}: rows of ${p}`).toBe(expected[p]!.length);
    expected[p]!.forEach((row, i) => {
      expect(actual[p]![i]!.length, `${what}: columns of ${p}`).toBe(row.length);
      row.forEach((x, j) => expect(Math.abs(actual[p]![i]![j]! - x), `${what}: d leaf ${i} / d ${p}[${j}]: ${actual[p]![i]![j]} vs ${x}`).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(x))));
    });
  }
}

describe("f_jacobian in vector mode (several cotangents per reverse sweep, several directions per forward sweep)", () => {
  const file = path.join(repoRoot, "test/jacobian/vector-mode.ts");
  const sourceText = fs.readFileSync(file, "utf8");
  const compiled = (options: { mode?: "both" | "reverse" | "forward"; wrt?: string[] } = {}) => {
    const result = compile({ fileName: file, sourceText, jacobian: true, ...options });
    expect(result.diagnostics.filter((d) => d.severity !== "note")).toEqual([]);
    return { code: result.code!, module: loadModule(result.code!) as Record<string, Fn> };
  };
  const primal = loadModule(sourceText) as Record<string, Fn>;
  const modelPoints: unknown[][] = [
    [{ a: 0.3, b: -0.4, c: 1.1 }, 0.7, [0.5, -1.2]],
    [{ a: -0.8, b: 0.9, c: -0.3 }, -0.25, [1.5, 0.4]],
    [{ a: 1.2, b: 0.1, c: 0.6 }, 1.3, [-0.7, 0.9]],
  ];
  const widePoints: unknown[][] = [0, 1, 2].map((seed) => [Array.from({ length: 12 }, (_, i) => Math.sin(1.7 * i + seed) * 1.3)]);
  const tallPoints: unknown[][] = [
    [0.4, -0.9, 1.3],
    [-1.1, 0.35, 0.6],
    [2.2, 1.4, -0.8],
  ];
  const functions = [
    { name: "model", params: ["p", "s", "pair"], points: modelPoints },
    { name: "wide", params: ["v"], points: widePoints },
    { name: "tall", params: ["t", "u", "scale"], points: tallPoints },
    { name: "piecewise", params: ["a", "b"], points: [[0.7, [0.5, 0.3, 0.8]], [-0.4, [1.1, -0.6, 0.5]], [1.9, [-0.8, 1.5, -1.2]]] },
  ];

  it("generates the vector-mode routines (a callee's reverse routine for five cotangents, even blocks of at most eight)", () => {
    const { code } = compiled();
    expect(code).toMatch(/^export function model_vjp5_into\(p: P, s: number, pair: \[number, number\], cotangent_0: Out, .*cotangent_4: Out, grad_0: /m);
    expect(code).toMatch(/^function mix_reverse_x5\(u: number, v: number, dvalue_0: number, dvalue_1: number, dvalue_2: number, dvalue_3: number, dvalue_4: number\): void/m);
    // The callee's forward routine is the plain one: one tape for every cotangent.
    expect(code).not.toMatch(/mix_forward_x5/);
    // Ten rows: two blocks of five.
    expect(code).toMatch(/^export function wide_vjp5_into\(/m);
    expect(code.match(/= wide_vjp5_into\(/g)).toHaveLength(2);
    expect(code).toMatch(/one forward and one reverse sweep for all 5 rows/);
    // Five rows, three columns: one forward sweep with three directions, the callee's tangents on the tape.
    expect(code).toMatch(/^export function tall_jvp3\(t: number, u: number, scale: number, tangents_0: .*\): \{ value: Curve; tangent_0: Curve; tangent_1: Curve; tangent_2: Curve \}/m);
    expect(code).toMatch(/^function mix_tangent_x3\(u: number, du_0: number, du_1: number, du_2: number, v: number, dv_0: number, dv_1: number, dv_2: number\): number/m);
    expect(code).toMatch(/const block_0 = tall_jvp3\(t, u, scale, \{ t: 1 \}, \{ u: 1 \}, \{ scale: 1 \}\);/);
  });

  it("by columns with --mode forward: blocks of at most eight directions", () => {
    const { code } = compiled({ mode: "forward" });
    expect(code).toMatch(/^export function model_jvp6\(/m);
    // Twelve columns: two blocks of six.
    expect(code).toMatch(/const block_1 = wide_jvp6\(v, \{ v: \[0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0\] \}, .*, \{ v: \[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1\] \}\);/);
  });

  for (const mode of ["both", "reverse", "forward"] as const) {
    it(`equals one vjp per row, one jvp per column and central differences at several points (--mode ${mode})`, () => {
      const { module } = compiled({ mode });
      for (const { name, params, points } of functions) {
        for (const args of points) {
          const { value, jacobian } = module[`${name}_jacobian`]!(...args) as { value: unknown; jacobian: Record<string, number[][]> };
          expect(value).toEqual(primal[name]!(...args));
          if (mode !== "forward") expectClose(jacobian, jacobianByVjps(module, name, params, args, value), 1e-13, `${name} by vjps`);
          if (mode !== "reverse") expectClose(jacobian, jacobianByJvps(module, name, params, args), 1e-13, `${name} by jvps`);
          expectClose(jacobian, jacobianByDifferences(primal[name]!, params, args), 1e-6, `${name} by differences`);
        }
      }
    });
  }

  it("has only the --wrt parameters' blocks, as before", () => {
    const { module, code } = compiled({ wrt: ["s", "pair"] });
    // Five rows, three columns: by columns (one forward sweep with three directions), no vector-mode reverse.
    expect(code).not.toMatch(/model_vjp5_into/);
    expect(code).toMatch(/model_jvp3\(p, s, pair, \{ s: 1 \}, \{ pair: \[1, 0\] \}, \{ pair: \[0, 1\] \}\)/);
    const args = modelPoints[0]!;
    const { jacobian } = module.model_jacobian!(...args) as { jacobian: Record<string, number[][]> };
    expectClose(jacobian, jacobianByDifferences(primal.model!, ["p", "s", "pair"], args, ["s", "pair"]), 1e-6, "model wrt s, pair");
    const narrow = compiled({ wrt: ["p"], mode: "reverse" });
    const byRows = narrow.module.model_jacobian!(...args) as { jacobian: Record<string, number[][]> };
    expectClose(byRows.jacobian, jacobianByDifferences(primal.model!, ["p", "s", "pair"], args, ["p"]), 1e-6, "model wrt p");
  });

  it("the golden fixture's Jacobians (fixtures/jacobian-vector.grad.ts) equal central differences", async () => {
    const generated = (await import(path.join(repoRoot, "fixtures/jacobian-vector.grad.ts"))) as Record<string, Fn>;
    const original = (await import(path.join(repoRoot, "fixtures/jacobian-vector.ts"))) as Record<string, Fn>;
    const cases = [
      { name: "sphere", params: ["r", "angles"], points: [[1.5, [0.4, 1.1]], [0.8, [2.1, -0.6]]] },
      { name: "ribbon", params: ["t", "w"], points: [[0.3, 0.7], [-1.2, 1.4]] },
      // Five rows: two pairs and a single sweep; three rows: a pair and a single sweep.
      { name: "residuals", params: ["c", "ys"], points: [[[0.5, 1.2, 0.8], [0.1, 0.2, 0.3, 0.4, 0.5]], [[-0.3, 0.7, 1.5], [1.1, -0.4, 0.9]]] },
    ];
    for (const { name, params, points } of cases) {
      for (const args of points) {
        const { value, jacobian } = generated[`${name}_jacobian`]!(...args) as { value: unknown; jacobian: Record<string, number[][]> };
        expect(value).toEqual(original[name]!(...args));
        expectClose(jacobian, jacobianByDifferences(original[name]!, params, args), 1e-6, `${name} by differences`);
      }
    }
  });

  it("bundle adjustment's residual (2 x 17) and the robot arm's tip (3 x 3) equal one vjp per row and central differences", () => {
    const ba = compile({ fileName: path.join(repoRoot, "examples/bundle-adjustment/model.ts"), jacobian: true });
    expect(ba.code).toMatch(/reprojectionError_vjp2_into\(cam, point, w, feat, \{ x: 1, y: 0 \}, \{ x: 0, y: 1 \}, grad_0, grad_1\)/);
    const baModule = loadModule(ba.code!) as Record<string, Fn>;
    const baPrimal = loadModule(fs.readFileSync(path.join(repoRoot, "examples/bundle-adjustment/model.ts"), "utf8")) as Record<string, Fn>;
    const cameras = [
      { rotation: { x: 0.1, y: -0.2, z: 0.05 }, centre: { x: 0.3, y: 0.1, z: -2 }, focal: 1.2, principal: { x: 0.01, y: -0.02 }, distortion: [0.05, -0.01] },
      { rotation: { x: -0.4, y: 0.3, z: 0.2 }, centre: { x: -0.5, y: 0.2, z: -3 }, focal: 0.9, principal: { x: -0.03, y: 0.04 }, distortion: [-0.1, 0.02] },
      // No rotation: Rodrigues' first-order branch.
      { rotation: { x: 0, y: 0, z: 0 }, centre: { x: 0.2, y: -0.1, z: -2.5 }, focal: 1.5, principal: { x: 0, y: 0 }, distortion: [0.02, 0.001] },
    ];
    const params = ["cam", "point", "w", "feat"];
    cameras.forEach((cam, n) => {
      const args = [cam, { x: 0.4 - 0.3 * n, y: -0.3 + 0.2 * n, z: 1.5 + n }, 0.9 - 0.2 * n, { x: 0.2, y: 0.1 * n }];
      const { value, jacobian } = baModule.reprojectionError_jacobian!(...args) as { value: unknown; jacobian: Record<string, number[][]> };
      expect(value).toEqual(baPrimal.reprojectionError!(...args));
      expectClose(jacobian, jacobianByVjps(baModule, "reprojectionError", params, args, value), 1e-13, `camera ${n} by vjps`);
      // (At zero rotation the differences straddle both branches of Rodrigues' formula: first order only there.)
      if (n < 2) expectClose(jacobian, jacobianByDifferences(baPrimal.reprojectionError!, params, args), 1e-6, `camera ${n} by differences`);
    });

    const arm = compile({ fileName: path.join(repoRoot, "examples/robot-arm/model.ts"), jacobian: true });
    expect(arm.code).toMatch(/tip_vjp3_into\(joints, \{ x: 1, y: 0, z: 0 \}, \{ x: 0, y: 1, z: 0 \}, \{ x: 0, y: 0, z: 1 \}, grad_0, grad_1, grad_2\)/);
    const armModule = loadModule(arm.code!) as Record<string, Fn>;
    const armPrimal = loadModule(fs.readFileSync(path.join(repoRoot, "examples/robot-arm/model.ts"), "utf8")) as Record<string, Fn>;
    for (const joints of [[0.3, -0.7, 1.1], [-1.2, 0.4, -0.3], [2.5, 1.1, 0.9]]) {
      const { value, jacobian } = armModule.tip_jacobian!(joints) as { value: unknown; jacobian: Record<string, number[][]> };
      expect(value).toEqual(armPrimal.tip!(joints));
      expectClose(jacobian, jacobianByVjps(armModule, "tip", ["joints"], [joints], value), 1e-13, `arm at ${joints} by vjps`);
      expectClose(jacobian, jacobianByDifferences(armPrimal.tip!, ["joints"], [joints]), 1e-7, `arm at ${joints} by differences`);
    }
  });
});

// ------------------------------------------------------------ f_jacobian_into

/**
 * f_jacobian_into's rows read back as f_jacobian lays them out: `out` from `offset`, row-major,
 * each row the parameters' leaves in order (`params`, with their widths in f_jacobian's rows).
 */
function rowsOf(out: Float64Array, offset: number, jacobian: Record<string, number[][]>): Record<string, number[][]> {
  const params = Object.keys(jacobian);
  const rows = jacobian[params[0]!]!.length;
  const widths = params.map((p) => jacobian[p]![0]!.length);
  const columns = widths.reduce((a, b) => a + b, 0);
  const read: Record<string, number[][]> = {};
  let start = 0;
  params.forEach((p, k) => {
    read[p] = Array.from({ length: rows }, (_, i) => Array.from(out.subarray(offset + i * columns + start, offset + i * columns + start + widths[k]!)));
    start += widths[k]!;
  });
  return read;
}

/**
 * Calls `name`_jacobian_into into an array of NaNs at an offset and checks it against
 * `name`_jacobian: every entry of the block written (assigned: no NaN left), nothing outside it.
 */
function expectInto(generated: Record<string, Fn>, name: string, args: unknown[], tolerance = 1e-13): Record<string, number[][]> {
  const { jacobian } = generated[`${name}_jacobian`]!(...args) as { jacobian: Record<string, number[][]> };
  const params = Object.keys(jacobian);
  const size = jacobian[params[0]!]!.length * params.reduce((n, p) => n + jacobian[p]![0]!.length, 0);
  const offset = 3;
  const out = new Float64Array(offset + size + 2).fill(NaN);
  expect(generated[`${name}_jacobian_into`]!(...args, out, offset)).toBeUndefined();
  expect([...out.subarray(0, offset), ...out.subarray(offset + size)].every(Number.isNaN), `${name}: nothing written outside the block`).toBe(true);
  expect(out.subarray(offset, offset + size).some(Number.isNaN), `${name}: every entry of the block written`).toBe(false);
  const read = rowsOf(out, offset, jacobian);
  expectClose(read, jacobian, tolerance, `${name}_jacobian_into vs ${name}_jacobian`);
  // (offset defaults to 0; a second call assigns again, it does not add.)
  const atZero = new Float64Array(size).fill(7);
  generated[`${name}_jacobian_into`]!(...args, atZero);
  generated[`${name}_jacobian_into`]!(...args, atZero);
  expectClose(rowsOf(atZero, 0, jacobian), read, 0, `${name}_jacobian_into at offset 0, called twice`);
  return read;
}

describe("f_jacobian_into (the rows written in place, for a result of fixed size)", () => {
  it("bundle adjustment's residual over Float64Arrays (bench/ba): 2 x 15 into the sparse Jacobian's values, as the hand-written Jacobian lays them out", () => {
    const file = path.join(repoRoot, "bench/ba/objective.ts");
    const result = compile({ fileName: file, mode: "reverse", functions: ["ba_reproj"], wrt: ["cam", "X", "w"], jacobian: true });
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const code = result.code!;
    expect(code).toMatch(/^export function ba_reproj_jacobian_into\(cam: Float64Array, X: Float64Array, w: number, feat0: number, feat1: number, jacobian: Float64Array, offset: number = 0\): void \{$/m);
    // The unit cotangents are folded in (no cotangent read), the residual is not allocated, nothing is zeroed but what no statement writes.
    const body = code.slice(code.indexOf("export function ba_reproj_jacobian_into"));
    const into = body.slice(0, body.indexOf("\n}\n"));
    expect(into).not.toMatch(/cotangent|new Float64Array|jacobian\[[^\]]*\] [+-]=|fill\(/);
    expect(into.match(/\] = 0;/g)).toHaveLength(2 + 4); // d err[0] / d v0 and d err[1] / d u0, and the four loops past the elements written
    // The camera's elements read more than once (f, k1, k2) are read once, at the top.
    for (const i of [6, 9, 10]) expect(into.match(new RegExp(`cam\\[${i}\\]!`, "g")), `cam[${i}]`).toHaveLength(1);
    expect(into).toMatch(/^ {2}const cam_6 = cam\[6\]!;$/m);
    const generated = loadModule(code) as Record<string, Fn>;
    const original = loadModule(fs.readFileSync(file, "utf8")) as Record<string, Fn>;
    const cams = [
      [0.1, -0.2, 0.05, 0.3, 0.1, -2, 1.2, 0.01, -0.02, 0.05, -0.01],
      [-0.4, 0.3, 0.2, -0.5, 0.2, -3, 0.9, -0.03, 0.04, -0.1, 0.02],
      // No rotation: Rodrigues' first-order branch.
      [0, 0, 0, 0.2, -0.1, -2.5, 1.5, 0, 0, 0.02, 0.001],
    ];
    cams.forEach((c, n) => {
      const args = [Float64Array.from(c), Float64Array.from([0.4 - 0.3 * n, -0.3 + 0.2 * n, 1.5 + n]), 0.9 - 0.2 * n, 0.2, 0.1 * n];
      const read = expectInto(generated, "ba_reproj", args);
      if (n < 2) {
        const byDifferences = jacobianByDifferences((...a: unknown[]) => Array.from(original.ba_reproj!(...a) as Float64Array), ["cam", "X", "w", "feat0", "feat1"], args, ["cam", "X", "w"]);
        expectClose(read, byDifferences, 1e-6, `camera ${n} by differences`);
      }
    });
  });

  it("bundle adjustment's residual over objects (examples/bundle-adjustment): 2 x 17, the columns the leaves of cam, point, w, feat", () => {
    const result = compile({ fileName: path.join(repoRoot, "examples/bundle-adjustment/model.ts"), jacobian: true });
    expect(result.code).toMatch(/^export function reprojectionError_jacobian_into\(cam: Camera, point: Vec3, w: number, feat: Vec2, jacobian: Float64Array, offset: number = 0\): void \{$/m);
    const generated = loadModule(result.code!) as Record<string, Fn>;
    const cam = { rotation: { x: 0.1, y: -0.2, z: 0.05 }, centre: { x: 0.3, y: 0.1, z: -2 }, focal: 1.2, principal: { x: 0.01, y: -0.02 }, distortion: [0.05, -0.01] };
    const read = expectInto(generated, "reprojectionError", [cam, { x: 0.4, y: -0.3, z: 1.5 }, 0.9, { x: 0.2, y: 0.1 }]);
    expect(read.cam![0]!.length).toBe(11);
    expect(read.feat![1]).toEqual([0, -0.9]);
  });

  it("the golden fixture's (fixtures/jacobian-vector.grad.ts): 3 x 3 and 4 x 2 (by rows, even where f_jacobian goes by columns)", async () => {
    const generated = (await import(path.join(repoRoot, "fixtures/jacobian-vector.grad.ts"))) as Record<string, Fn>;
    for (const args of [[1.5, [0.4, 1.1]], [0.8, [2.1, -0.6]]]) expectInto(generated, "sphere", args);
    for (const args of [[0.3, 0.7], [-1.2, 1.4]]) expectInto(generated, "ribbon", args);
    // (A result whose size is known at run time only has none.)
    expect(generated.residuals_jacobian_into).toBeUndefined();
  });

  it("the golden fixture fixtures/jacobian-into.grad.ts: literal indices, a loop, a parameter the result does not depend on", async () => {
    const generated = (await import(path.join(repoRoot, "fixtures/jacobian-into.grad.ts"))) as Record<string, Fn>;
    const original = (await import(path.join(repoRoot, "fixtures/jacobian-into.ts"))) as Record<string, Fn>;
    const rows = (fn: Fn) => (...a: unknown[]) => Array.from(fn(...a) as ArrayLike<number>);
    for (const args of [[Float64Array.from([0.1, -0.2, -3, 0.3]), Float64Array.from([0.4, 0.5, 1.5]), 2], [Float64Array.from([-0.5, 0.3, -2, -1.1, 9]), Float64Array.from([1.2, -0.4, 0.8]), 0.7]]) {
      const read = expectInto(generated, "project", args);
      expectClose(read, jacobianByDifferences(rows(original.project!), ["pose", "point", "scale"], args), 1e-6, "project by differences");
      // (A pose of five elements: the fifth's column, which nothing writes, is zeros.)
      if ((args[0] as Float64Array).length === 5) expect(read.pose!.map((row) => row[4])).toEqual([0, 0]);
    }
    for (const args of [[[0.5, -1.2, 2, 0.3], 2.5, 0.25], [[1.5, 0.7], 10.5, 1.2]]) {
      const read = expectInto(generated, "moments", args);
      expect(read.count).toEqual([[0], [0], [0]]);
      expectClose(read, jacobianByDifferences(rows(original.moments!), ["xs", "count", "k"], args), 1e-6, "moments by differences");
    }
  });

  it("loops over array parameters (their columns zeroed first), a fixed-length array result of 7 rows, --wrt, and where there is none", () => {
    for (const wrt of [undefined, ["lengths", "t"]]) {
      const generated = moduleFor("both", wrt);
      // tip: [x, y] from loops over angles and lengths; expand: new Float64Array(7) from s, p, t.
      expectInto(generated, "tip", [[0.3, -0.7, 1.2], [1, 0.8, 0.5]]);
      expectInto(generated, "expand", [0.4, Float64Array.from([0.5, -1.5, 2]), 0.7]);
      // many's result grows by push (its size is known at run time), scalar's is a number.
      expect(generated.many_jacobian_into).toBeUndefined();
      expect(generated.scalar_jacobian_into).toBeUndefined();
    }
    expect(moduleFor("forward").tip_jacobian_into).toBeUndefined();
  });

  it("inactive parameters' columns are zeros; an array adjoint handed whole to a helper's routine leaves f_jacobian only", () => {
    const source = `
function weighted(xs: number[], k: number): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i] * Math.cos(k * i);
  return s;
}
export function mixed(a: number[], flag: number, b: number, c: number[]): number[] {
  const r = [a[0] * b + Math.sin(a[1]), b * b, 0];
  if (flag > 0) return [r[0] * 2, r[1], 1];
  return r;
}
export function pair(x: number[], s: number): number[] {
  return [weighted(x, s), weighted(x, 2 * s) * s];
}
`;
    const result = compile({ fileName: "/virtual/into.ts", sourceText: source, mode: "reverse", jacobian: true });
    expect(result.diagnostics.filter((d) => d.severity !== "note")).toEqual([]);
    const generated = loadModule(result.code!) as Record<string, Fn>;
    for (const flag of [1, -1]) {
      const read = expectInto(generated, "mixed", [[0.3, -0.8], flag, 1.7, [0.5, 0.25, 4]]);
      expect(read.flag).toEqual([[0], [0], [0]]);
      expect(read.c).toEqual([[0, 0, 0], [0, 0, 0], [0, 0, 0]]);
    }
    expect(generated.pair_jacobian).toBeDefined();
    expect(generated.pair_jacobian_into).toBeUndefined();
    expect(result.code).not.toMatch(/weighted_reverse_x_x2|weighted_forward_xs\b/);
  });
});
