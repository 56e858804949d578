/**
 * `--hvp`: f_hvp's Hessian-vector product against central differences of the generated gradient
 * along v, its gradient against f_grad, its value against the function; the Hessian built from it
 * column by column is symmetric; Newton's method with it converges quadratically on Rosenbrock.
 */
import { describe, expect, it } from "vitest";
import { compile } from "../src/index.js";
import { loadModule } from "./fuzz/check.js";
import { typecheckModules } from "./fuzz/typecheck.js";

const SOURCE = `
import { axpy, dot, logsumexp, matvec, norm2, sigmoid, softplus, sum } from "tsgrad/runtime";

export function viaKernel(xs: number[]): number {
  return norm2(xs) * xs[0];
}

/** The kernels with second-order rules: a small network's loss written with them. */
export function kernelLoss(w: number[][], b: number[], x: number[], t: number): number {
  const h = matvec(w, x);
  const z = axpy(t, b, h);
  let s = 0;
  for (let i = 0; i < z.length; i++) s += softplus(z[i]) * sigmoid(z[i] * t);
  return s + logsumexp(z) * dot(b, h) + sum(h) * t;
}
export function rosen(x: number[]): number {
  let s = 0;
  for (let i = 0; i + 1 < x.length; i++) s += 100 * (x[i + 1] - x[i] * x[i]) ** 2 + (1 - x[i]) ** 2;
  return s;
}

/** Two parameters, a typed array, an early return, a branch and a loop-carried product. */
export function energy(x: Float64Array, k: number): number {
  let e = 0;
  let p = 1;
  for (let i = 0; i < x.length; i++) {
    if (x[i] > 2) return e * p;
    p *= 1 + 0.1 * Math.tanh(x[i] * k);
    e += Math.exp(-k * x[i]) * Math.sin(x[i]) + (x[i] > 0 ? x[i] * x[i] * k : -x[i] * k * k);
  }
  return e * p + Math.hypot(k, e);
}

/** k-means' cost: each point's squared distance to its nearest centre (GradBench's kmeans). */
export function kmeansCost(centres: number[], points: number[], d: number): number {
  const k = centres.length / d;
  const n = points.length / d;
  let cost = 0;
  for (let p = 0; p < n; p++) {
    let best = Infinity;
    for (let c = 0; c < k; c++) {
      let dist = 0;
      for (let j = 0; j < d; j++) dist += (points[p * d + j] - centres[c * d + j]) ** 2;
      best = Math.min(best, dist);
    }
    cost += best;
  }
  return cost;
}

/** A matrix parameter: the cost of a linear model's residuals, with a nonlinearity. */
export function matrixLoss(a: number[][], x: number[], y: number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    let r = -y[i];
    for (let j = 0; j < x.length; j++) r += a[i][j] * x[j];
    s += Math.log1p(r * r);
  }
  return s;
}

/** Robust regression through helpers: a prediction over a row (an array argument) and Huber's loss (nested helpers). */
export function robustLoss(w: number[], xs: number[][], ys: number[], delta: number): number {
  let total = 0;
  for (let i = 0; i < ys.length; i++) total += huber(predict(w, xs[i]) - ys[i], delta);
  return total / ys.length + ridge(w, 0.01);
}

function predict(w: number[], x: number[]): number {
  let s = w[0];
  for (let j = 0; j < x.length; j++) s += w[j + 1] * Math.tanh(x[j]);
  return s;
}

function huber(r: number, delta: number): number {
  const a = Math.abs(r);
  return a <= delta ? 0.5 * r * r : delta * (a - 0.5 * delta);
}

function ridge(w: number[], lambda: number): number {
  return lambda * w.reduce((s, x) => s + x * x, 0);
}

/** A helper given an array without a tangent (a constant): its directional function gets zeros typed as its parameter. */
export function withConstant(c: number[]): number {
  const e = [1, -2, 0.5];
  return squaredDistance(e, c) * Math.sin(squaredDistance(c, c) + c[0]);
}

function squaredDistance(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s;
}

/** Cosine distance through a helper returning an array (a normalised copy). */
export function cosineDistance(a: number[], b: number[]): number {
  const u = normalized(a);
  const v = normalized(b);
  let dot = 0;
  for (let i = 0; i < u.length; i++) dot += u[i] * v[i];
  return 1 - dot;
}

function normalized(v: number[]): number[] {
  const n = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  return v.map((x) => x / n);
}
`;

type Fn = (...args: unknown[]) => Record<string, unknown>;
type Grad = { value: number; grad: Record<string, number[] | Float64Array | number> };

function flat(x: unknown): number[] {
  return typeof x === "number" ? [x] : Array.from(x as ArrayLike<unknown>).flatMap((e) => flat(e));
}

const result = compile({ fileName: "/virtual/second.ts", sourceText: SOURCE, hvp: true, hessian: true });
const generated = loadModule(result.code!) as Record<string, Fn>;
const primal = loadModule(SOURCE) as Record<string, (...args: unknown[]) => number>;

/** Central differences of f_grad along `v`: (grad(p + h v) - grad(p - h v)) / 2h, per parameter. */
function fdHvp(name: string, args: unknown[], params: string[], v: Record<string, unknown>): number[] {
  const h = 1e-5;
  const moved = (sign: number) =>
    args.map((a, k) => {
      const d = v[params[k]!];
      if (d === undefined) return a;
      if (typeof a === "number") return a + sign * h * (d as number);
      if (Array.isArray(a) && Array.isArray(a[0])) return (a as number[][]).map((row, i) => row.map((x, j) => x + sign * h * (d as number[][])[i]![j]!));
      const copy = a instanceof Float64Array ? Float64Array.from(a) : [...(a as number[])];
      (d as number[]).forEach((x, i) => (copy[i] = copy[i]! + sign * h * x));
      return copy;
    });
  const plus = generated[`${name}_grad`]!(...moved(1)) as unknown as Grad;
  const minus = generated[`${name}_grad`]!(...moved(-1)) as unknown as Grad;
  return params.flatMap((p) => flat(plus.grad[p]).map((g, i) => (g - flat(minus.grad[p])[i]!) / (2 * h)));
}

function expectHvp(name: string, args: unknown[], params: string[], v: Record<string, unknown>): void {
  const out = generated[`${name}_hvp`]!(...args, v) as unknown as { value: number; grad: Record<string, unknown>; hvp: Record<string, unknown> };
  expect(out.value).toBeCloseTo(primal[name]!(...args), 12);
  const grad = generated[`${name}_grad`]!(...args) as unknown as Grad;
  const reference = params.flatMap((p) => flat(grad.grad[p]));
  params.flatMap((p) => flat(out.grad[p])).forEach((g, i) => expect(Math.abs(g - reference[i]!)).toBeLessThan(1e-12 * Math.max(1, Math.abs(g))));
  const want = fdHvp(name, args, params, v);
  const got = params.flatMap((p) => flat(out.hvp[p]));
  got.forEach((x, i) => expect(Math.abs(x - want[i]!), `${name} hvp[${i}]: ${x} vs ${want[i]}`).toBeLessThan(1e-5 * Math.max(1, Math.abs(want[i]!))));
}

describe("f_hvp (--hvp, reverse over forward)", () => {
  it("compiles with a warning for the function it cannot do yet", () => {
    expect(result.diagnostics.map((d) => `${d.severity} ${d.code} ${d.message}`)).toEqual([
      "warning TSG2016 Function 'viaKernel' gets no viaKernel_hvp: it calls the runtime kernel 'norm2', which has no second-order rules yet (dot, sum, logsumexp, sigmoid, softplus, matvec, axpy have).",
    ]);
    expect(generated.viaKernel_hvp).toBeUndefined();
  });

  it("type-checks under --strict", () => {
    expect(typecheckModules([result.code!])).toEqual([]);
  });

  it("matches central differences of the gradient along v", () => {
    expectHvp("rosen", [[-1.2, 1, 0.5, 0.3]], ["x"], { x: [0.3, -0.7, 1.1, 0.2] });
    expectHvp("energy", [Float64Array.from([0.3, -1.2, 1.5]), 0.7], ["x", "k"], { x: [1, 0.5, -0.25], k: 0.6 });
    expectHvp("energy", [Float64Array.from([0.3, 2.5, 1.5]), -0.4], ["x", "k"], { x: [0.2, 0.5, -1], k: 1 });
    expectHvp("energy", [Float64Array.from([0.3, -1.2, 1.5]), 0.7], ["x", "k"], { k: 1 });
    // Through helpers (their directional functions, with routines of their own).
    expectHvp("robustLoss", [[0.1, -0.5, 0.8], [[0.3, -1.2], [0.5, 0.7], [1.1, -0.4]], [0.2, 0.9, -0.3], 0.5], ["w", "xs", "ys", "delta"], { w: [1, 0.5, -0.25], xs: [[0.2, -0.3], [0.1, 0.4], [-0.2, 0.3]], ys: [0.3, -0.1, 0.2], delta: 0.2 });
    // Runtime kernels, their tangents written with kernels.
    expectHvp("kernelLoss", [[[0.3, -1.2, 0.4], [0.5, 0.7, -0.1]], [0.2, -0.4], [0.6, -0.2, 0.9], 0.8], ["w", "b", "x", "t"], { w: [[1, 0.5, 0.2], [-0.3, 0.2, 0.6]], b: [0.3, -0.1], x: [0.2, -1, 0.4], t: 0.5 });
    // A matrix parameter (its tangent a matrix too).
    expectHvp("matrixLoss", [[[0.3, -1.2], [0.5, 0.7], [1.1, -0.4]], [0.6, -0.2], [0.1, 0.5, -0.3]], ["a", "x", "y"], { a: [[1, 0.5], [-0.3, 0.2], [0.4, 0.1]], x: [0.2, -1], y: [0.3, 0.1, -0.2] });
    // A constant array passed to a helper (zeros for its tangent).
    expectHvp("withConstant", [[0.3, -1.2, 0.8]], ["c"], { c: [1, 0.5, -0.25] });
    // A helper returning an array (its directional function returns [...value, ...tangent]).
    expectHvp("cosineDistance", [[0.3, -1.2, 0.8], [1.5, 0.5, -0.7]], ["a", "b"], { a: [1, 0.5, -0.25], b: [0.2, -0.3, 0.1] });
    expectHvp("cosineDistance", [[1.5, 0.4], [-0.3, 2]], ["a", "b"], { a: [-0.3, 2], b: [1, 1] });
  });

  it("f_hessian: dense, symmetric, its columns the products with unit vectors, over several parameters", () => {
    const x = Float64Array.from([0.3, -1.2, 1.5]);
    const out = generated.energy_hessian!(x, 0.7) as unknown as { value: number; grad: { x: Float64Array; k: number }; hessian: number[][] };
    expect(out.value).toBeCloseTo(primal.energy!(x, 0.7), 12);
    expect(out.hessian.length).toBe(4);
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) expect(Math.abs(out.hessian[i]![j]! - out.hessian[j]![i]!)).toBeLessThan(1e-9 * (1 + Math.abs(out.hessian[i]![j]!)));
    // Column 3 (k) against central differences of the gradient along k.
    const want = fdHvp("energy", [x, 0.7], ["x", "k"], { k: 1 });
    out.hessian[3]!.forEach((h, i) => expect(Math.abs(h - want[i]!)).toBeLessThan(1e-5 * Math.max(1, Math.abs(want[i]!))));
  });

  it("k-means' diagonal Newton step: the Hessian is 2 x (points in the cluster) on the diagonal, 0 elsewhere", () => {
    const centres = [0, 0, 3, 3];
    const points = [0.1, 0.2, -0.3, 0.1, 0.2, -0.1, 2.9, 3.2, 3.1, 2.7];
    const kmeans = compile({ fileName: "/virtual/second.ts", sourceText: SOURCE, hessian: true, functions: ["kmeansCost"], wrt: ["centres"] });
    const module = loadModule(kmeans.code!) as Record<string, Fn>;
    const out = module.kmeansCost_hessian!(centres, points, 2) as unknown as { grad: { centres: number[] }; hessian: number[][] };
    expect(out.hessian.length).toBe(4);
    // (Points 0-2 are nearest the first centre, 3-4 the second.)
    const counts = [3, 3, 2, 2];
    out.hessian.forEach((row, i) => row.forEach((h, j) => expect(h, `H[${i}][${j}]`).toBeCloseTo(i === j ? 2 * counts[i]! : 0, 12)));
    // One Newton step c - g / diag(H) moves each centre to its cluster's mean.
    const step = centres.map((c, i) => c - out.grad.centres[i]! / out.hessian[i]![i]!);
    const means = [(0.1 - 0.3 + 0.2) / 3, (0.2 + 0.1 - 0.1) / 3, (2.9 + 3.1) / 2, (3.2 + 2.7) / 2];
    step.forEach((c, i) => expect(c).toBeCloseTo(means[i]!, 12));
  });

  it("under --wrt, reverses the directional function over the parameters named and their tangents only", () => {
    const only = compile({ fileName: "/virtual/second.ts", sourceText: SOURCE, hvp: true, functions: ["matrixLoss", "kmeansCost"], wrt: ["x", "centres"] });
    expect(only.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    // (No adjoints of a and y, nor of points: the same products along x, the same gradient.)
    expect(only.code).toContain("Active parameters: `x`, `x_dot`.");
    expect(only.code).toContain("Active parameters: `centres`, `centres_dot`.");
    expect(only.code).not.toMatch(/\bdpoints\b|\bda\b|\bdy\b/);
    const module = loadModule(only.code!) as Record<string, Fn>;
    const args = [[[0.3, -1.2], [0.5, 0.7], [1.1, -0.4]], [0.6, -0.2], [0.1, 0.5, -0.3]];
    const v = { x: [0.2, -1] };
    const restricted = module.matrixLoss_hvp!(...args, v) as unknown as { value: number; grad: { x: number[] }; hvp: { x: number[] } };
    const full = generated.matrixLoss_hvp!(...args, v) as unknown as { value: number; grad: { x: number[] }; hvp: { x: number[] } };
    expect(restricted.value).toBe(full.value);
    expect(Object.keys(restricted.grad)).toEqual(["x"]);
    restricted.grad.x.forEach((g, i) => expect(g).toBeCloseTo(full.grad.x[i]!, 14));
    restricted.hvp.x.forEach((h, i) => expect(h).toBeCloseTo(full.hvp.x[i]!, 14));
    expect(typecheckModules([only.code!])).toEqual([]);
  });

  it("gives a symmetric Hessian, and Newton's method converges quadratically on Rosenbrock", () => {
    const hessian = (x: number[]): number[][] =>
      x.map((_, j) => {
        const e = x.map((__, i) => (i === j ? 1 : 0));
        return (generated.rosen_hvp!(x, { x: e }) as unknown as { hvp: { x: number[] } }).hvp.x;
      });
    const h = hessian([-1.2, 1, 0.5, 0.3]);
    for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) expect(Math.abs(h[i]![j]! - h[j]![i]!)).toBeLessThan(1e-9 * (1 + Math.abs(h[i]![j]!)));
    // Newton steps from near the minimum (1, 1): the error squares at each step.
    let x = [1.05, 1.08];
    const errors: number[] = [];
    for (let step = 0; step < 6; step++) {
      const g = (generated.rosen_grad!(x) as unknown as { grad: { x: number[] } }).grad.x;
      const [[a, b], [c, d]] = hessian(x) as [[number, number], [number, number]];
      const det = a * d - b * c;
      x = [x[0]! - (d * g[0]! - b * g[1]!) / det, x[1]! - (-c * g[0]! + a * g[1]!) / det];
      errors.push(Math.hypot(x[0]! - 1, x[1]! - 1));
    }
    expect(errors[5]!).toBeLessThan(1e-14);
    // Quadratic: each error at most a constant times the square of the one before (until rounding).
    for (let k = 1; k < errors.length && errors[k - 1]! > 1e-12; k++) expect(errors[k]!, `step ${k}: ${errors.join(", ")}`).toBeLessThan(1000 * errors[k - 1]! ** 2);
  });
});
