/**
 * Nested differentiation (frontend/nested.ts): a file whose functions call the derivatives tsgrad
 * generated for another (`import { f_grad, f_jvp } from "./inner.grad.js"`) is differentiated
 * again. Each of the four combinations (forward or reverse over f_jvp, forward or reverse over
 * f_grad) against central differences of the function itself at several points, and reverse
 * against forward (<grad, v> == jvp(v)); gradient descent differentiated with respect to the
 * weight and the start; a min-max saddle point problem in the style of GradBench's `saddle`,
 * with the inner gradients from f_grad and from f_jvp, differentiated with respect to its start.
 */
import fs from "node:fs";
import path from "node:path";
import { transformSync } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { compile } from "../src/index.js";
import * as runtime from "../runtime/index.js";
import { loadModule } from "./fuzz/check.js";
import { typecheckModules } from "./fuzz/typecheck.js";
import { runCli, tempDir } from "./bad-input/cli.js";

const INNER = `
/** Numbers: a smooth function with all second derivatives nonzero. */
export function energy(a: number, b: number): number {
  return Math.sin(a * b) + a * a * a * b + Math.exp(0.3 * a);
}

/** An array and a number: what gradient descent minimises over x. */
export function loss(x: number[], y: number): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.cosh(x[i] - y * (i + 1)) + 0.5 * y * x[i] * x[i];
  return s;
}

/** A typed array. */
export function typed(x: Float64Array, k: number): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += Math.log1p(x[i] * x[i] * k * k) + x[i] * k;
  return s;
}

/**
 * The saddle: GradBench's objective (p0^2 + p1^2) - (q0^2 + q1^2), with a coupling of p and q
 * so that the mixed second derivatives are not zero. Minimised over p, maximised over q.
 */
export function objective(p: number[], q: number[]): number {
  return p[0] * p[0] + p[1] * p[1] - (q[0] * q[0] + q[1] * q[1]) + 0.25 * p[0] * q[1] + 0.1 * Math.sin(p[1] * q[0]);
}
`;

const OUTER = `
import { energy_grad, energy_jvp, loss_grad, loss_jvp, objective_grad, objective_jvp, typed_grad } from "./inner.grad.js";

// Over f_grad (forward or reverse over reverse).
export function gradEntry(a: number, b: number): number {
  return energy_grad(a, b).grad.a * b + energy_grad(a, b).value * energy_grad(a, b).grad.b;
}

export function gradNorm(x: number[], y: number): number {
  const g = loss_grad(x, y).grad.x;
  let s = loss_grad(x, y).grad.y;
  for (let i = 0; i < g.length; i++) s += g[i] * g[i];
  return s;
}

export function typedGrad(x: Float64Array, k: number): number {
  const { value, grad } = typed_grad(x, k);
  return value * grad.k + grad.x[0] * grad.x[1];
}

// Over f_jvp (forward or reverse over forward).
export function slope(a: number, b: number): number {
  const r = energy_jvp(a, b, { a: 1, b: b });
  return r.tangent * r.value;
}

export function lossSlope(x: number[], y: number, d: number[]): number {
  return loss_jvp(x, y, { x: d }).tangent + loss_jvp(x, y, { y }).tangent * loss_jvp(x, y, {}).value;
}

/** Tangents written as array literals in the call, constant or computed from the inputs. */
export function literalTangents(p: number[], q: number[]): number {
  const g0 = objective_jvp(p, q, { q: [1, 0] }).tangent;
  const g1 = objective_jvp(p, q, { q: [0, 1], p: [q[1] * p[0], 0.5] }).tangent;
  return g0 * g0 + g1 * q[0];
}

/** Gradient descent: k steps of x -= rate * grad loss(x, y), then the loss reached. */
export function descend(x0: number[], y: number): number {
  const x = x0.slice();
  for (let k = 0; k < 6; k++) {
    const g = loss_grad(x, y).grad.x;
    for (let i = 0; i < x.length; i++) x[i] -= 0.05 * g[i];
  }
  return loss_grad(x, y).value;
}

/**
 * min over p of max over q of objective(p, q), by gradient descent over p whose gradient is
 * d/dp objective at the inner maximiser (Danskin), the inner maximum by gradient ascent over q,
 * both from start; then the maximiser q for the p found. Inner gradients from objective_grad.
 */
export function saddleR(start: number[]): number[] {
  const p = start.slice();
  for (let outer = 0; outer < 5; outer++) {
    const q = start.slice();
    for (let inner = 0; inner < 6; inner++) {
      const gq = objective_grad(p, q).grad.q;
      for (let i = 0; i < 2; i++) q[i] += 0.2 * gq[i];
    }
    const gp = objective_grad(p, q).grad.p;
    for (let i = 0; i < 2; i++) p[i] -= 0.2 * gp[i];
  }
  const q = start.slice();
  for (let inner = 0; inner < 6; inner++) {
    const gq = objective_grad(p, q).grad.q;
    for (let i = 0; i < 2; i++) q[i] += 0.2 * gq[i];
  }
  return [p[0], p[1], q[0], q[1]];
}

/** The same with the inner gradients from objective_jvp along the unit vectors (GradBench's forward gradient). */
export function saddleF(start: number[]): number[] {
  const e0 = [1, 0];
  const e1 = [0, 1];
  const p = start.slice();
  for (let outer = 0; outer < 5; outer++) {
    const q = start.slice();
    for (let inner = 0; inner < 6; inner++) {
      const g0 = objective_jvp(p, q, { q: e0 }).tangent;
      const g1 = objective_jvp(p, q, { q: e1 }).tangent;
      q[0] += 0.2 * g0;
      q[1] += 0.2 * g1;
    }
    const h0 = objective_jvp(p, q, { p: e0 }).tangent;
    const h1 = objective_jvp(p, q, { p: e1 }).tangent;
    p[0] -= 0.2 * h0;
    p[1] -= 0.2 * h1;
  }
  const q = start.slice();
  for (let inner = 0; inner < 6; inner++) {
    const g0 = objective_jvp(p, q, { q: e0 }).tangent;
    const g1 = objective_jvp(p, q, { q: e1 }).tangent;
    q[0] += 0.2 * g0;
    q[1] += 0.2 * g1;
  }
  return [p[0], p[1], q[0], q[1]];
}
`;

type Fn = (...args: unknown[]) => unknown;
type Module = Record<string, Fn>;

const dir = tempDir("nested");
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
fs.writeFileSync(path.join(dir, "inner.ts"), INNER);
fs.writeFileSync(path.join(dir, "outer.ts"), OUTER);
const inner = compile({ fileName: path.join(dir, "inner.ts"), sourceText: INNER });
fs.writeFileSync(path.join(dir, "inner.grad.ts"), inner.code!);
const outer = compile({ fileName: path.join(dir, "outer.ts"), sourceText: OUTER });
const innerGrad = loadModule(inner.code!);
const generated = loadModule(outer.code!) as Module;

/** The source outer.ts itself, run with the generated inner.grad.ts it imports. */
function loadOuterSource(): Module {
  const js = transformSync(OUTER, { loader: "ts", format: "cjs", target: "es2022" }).code;
  const module = { exports: {} as Record<string, unknown> };
  const require = (id: string): unknown => {
    if (id === "./inner.grad.js") return innerGrad;
    if (id === "tsgrad/runtime") return runtime;
    throw new Error(`outer.ts imports '${id}'`);
  };
  new Function("require", "module", "exports", js)(require, module, module.exports);
  return module.exports as Module;
}
const source = loadOuterSource();

/** The numbers of an argument list, one after the other, and the arguments back from such numbers. */
function flatten(args: unknown[]): number[] {
  return args.flatMap((a) => (typeof a === "number" ? [a] : Array.from(a as ArrayLike<number>)));
}
function unflatten(like: unknown[], flat: number[]): unknown[] {
  let k = 0;
  return like.map((a) => {
    if (typeof a === "number") return flat[k++]!;
    const n = (a as ArrayLike<number>).length;
    const part = flat.slice(k, k + n);
    k += n;
    return a instanceof Float64Array ? Float64Array.from(part) : part;
  });
}

/** Central differences of `f` (number or vector result, as a vector) with respect to every input number. */
function jacobianFd(f: Fn, args: unknown[]): number[][] {
  const x = flatten(args);
  const h = 1e-5;
  const at = (k: number, sign: number): number[] => {
    const moved = x.slice();
    moved[k]! += sign * h * Math.max(1, Math.abs(x[k]!));
    const r = f(...unflatten(args, moved));
    return typeof r === "number" ? [r] : Array.from(r as number[]);
  };
  return x.map((xk, k) => {
    const step = h * Math.max(1, Math.abs(xk));
    const [plus, minus] = [at(k, 1), at(k, -1)];
    return plus.map((p, i) => (p - minus[i]!) / (2 * step));
  });
}

function expectClose(got: number, want: number, what: string, tolerance = 1e-6): void {
  expect(Math.abs(got - want), `${what}: ${got} vs ${want}`).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(want)));
}

const dot = (a: number[], b: number[]): number => a.reduce((s, x, i) => s + x * b[i]!, 0);

/**
 * f_grad (reverse over the inner derivative) against central differences, f_jvp (forward over
 * it) along each unit direction and a mixed one against them too, and <grad, v> == jvp(v).
 */
function checkScalar(name: string, args: unknown[]): void {
  const value = source[name]!(...args) as number;
  const fd = jacobianFd(source[name]!, args).map((column) => column[0]!);
  const reverse = generated[`${name}_grad`]!(...args) as { value: number; grad: Record<string, unknown> };
  expectClose(reverse.value, value, `${name} value`, 1e-12);
  const grad = flatten(Object.values(reverse.grad));
  grad.forEach((g, k) => expectClose(g, fd[k]!, `${name} reverse d/dx${k}`));
  const params = Object.keys(reverse.grad);
  const tangentsOf = (v: number[]): Record<string, unknown> => Object.fromEntries(unflatten(args, v).map((t, i) => [params[i]!, t]));
  const jvp = (v: number[]) => generated[`${name}_jvp`]!(...args, tangentsOf(v)) as { value: number; tangent: number };
  fd.forEach((d, k) => expectClose(jvp(fd.map((_, j) => (j === k ? 1 : 0))).tangent, d, `${name} forward d/dx${k}`));
  const v = fd.map((_, k) => Math.sin(3 * k + 1));
  const forward = jvp(v);
  expectClose(forward.value, value, `${name} forward value`, 1e-12);
  expectClose(forward.tangent, dot(grad, v), `${name} <grad, v> vs jvp(v)`, 1e-10);
}

/** The same for a function with a vector result: f_vjp with unit cotangents (the Jacobian's rows), f_jvp (its columns). */
function checkVector(name: string, args: unknown[]): void {
  const value = source[name]!(...args) as number[];
  const fd = jacobianFd(source[name]!, args);
  const param = "start";
  value.forEach((_, i) => {
    const unit = value.map((__, j) => (j === i ? 1 : 0));
    const reverse = generated[`${name}_vjp`]!(...args, unit) as { value: number[]; grad: Record<string, number[]> };
    reverse.value.forEach((x, j) => expectClose(x, value[j]!, `${name} value[${j}]`, 1e-12));
    reverse.grad[param]!.forEach((g, k) => expectClose(g, fd[k]![i]!, `${name} reverse d value[${i}] / d start[${k}]`));
  });
  const cotangent = value.map((_, i) => Math.cos(2 * i + 0.5));
  const v = fd.map((_, k) => Math.sin(3 * k + 1));
  const forward = generated[`${name}_jvp`]!(...args, { [param]: v }) as { value: number[]; tangent: number[] };
  forward.tangent.forEach((t, i) => expectClose(t, dot(fd.map((column) => column[i]!), v), `${name} forward tangent[${i}]`));
  const reverse = generated[`${name}_vjp`]!(...args, cotangent) as { grad: Record<string, number[]> };
  expectClose(dot(cotangent, forward.tangent), dot(reverse.grad[param]!, v), `${name} <cotangent, jvp(v)> vs <vjp(cotangent), v>`, 1e-10);
}

describe("nested differentiation (calls of f_grad and f_jvp of another file)", () => {
  it("compiles without diagnostics, and the module type-checks under --strict", () => {
    expect(inner.diagnostics).toEqual([]);
    expect(outer.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
    expect(outer.functions).toEqual(["gradEntry", "gradNorm", "typedGrad", "slope", "lossSlope", "literalTangents", "descend", "saddleR", "saddleF"]);
    expect(typecheckModules([outer.code!])).toEqual([]);
    // The generated module does not import the inner one: what it needs of it is written into it.
    expect(outer.code).not.toMatch(/inner\.grad/);
  });

  it("reverse and forward over reverse (f_grad): numbers, arrays, a typed array, destructuring", () => {
    for (const [a, b] of [[0.3, -0.7], [1.2, 0.4], [-0.8, 1.5]]) checkScalar("gradEntry", [a, b]);
    checkScalar("gradNorm", [[0.3, -0.2, 0.5], 0.7]);
    checkScalar("gradNorm", [[1.1, 0.4], -0.3]);
    checkScalar("typedGrad", [Float64Array.from([0.3, -1.2, 0.5]), 0.8]);
    checkScalar("typedGrad", [Float64Array.from([1.3, 0.2]), -0.6]);
  });

  it("reverse and forward over forward (f_jvp): numbers, arrays, a missing tangent, tangents written as array literals", () => {
    for (const [a, b] of [[0.3, -0.7], [1.2, 0.4], [-0.8, 1.5]]) checkScalar("slope", [a, b]);
    checkScalar("lossSlope", [[0.3, -0.2, 0.5], 0.7, [1, -0.5, 0.25]]);
    checkScalar("lossSlope", [[1.1, 0.4], -0.3, [0.2, 0.3]]);
    checkScalar("literalTangents", [[0.3, -0.7], [1.1, 0.4]]);
    checkScalar("literalTangents", [[-1.2, 0.5], [0.6, -0.9]]);
  });

  it("gradient descent with f_grad inside, differentiated with respect to the weight and the start", () => {
    checkScalar("descend", [[0.3, -0.2, 0.5], 0.7]);
    checkScalar("descend", [[1.1, 0.4], -0.3]);
    checkScalar("descend", [[-0.5, 0.8, 0.1, 0.9], 0.2]);
    // With respect to y alone, against central differences in y of the source (the run changes with y).
    const y = 0.45;
    const x0 = [0.6, -0.4, 0.2];
    const run = (w: number) => source.descend!(x0, w) as number;
    const h = 1e-5;
    const want = (run(y + h) - run(y - h)) / (2 * h);
    expectClose((generated.descend_grad!(x0, y) as { grad: { y: number } }).grad.y, want, "d descend / dy");
    expectClose((generated.descend_jvp!(x0, y, { y: 1 }) as { tangent: number }).tangent, want, "d descend / dy (forward)");
  });

  it("a min-max saddle point (GradBench's saddle, nested loops), its four combinations, differentiated with respect to the start", () => {
    // rr, fr: reverse and forward over the inner gradients from objective_grad; rf, ff: over objective_jvp.
    for (const start of [[1, 1], [0.7, -1.3], [-0.4, 0.9]]) {
      checkVector("saddleR", [start]);
      checkVector("saddleF", [start]);
      // The two ways of computing the inner gradients give the same saddle and the same derivatives.
      const r = generated.saddleR_vjp!(start, [0.3, -0.2, 0.5, 1]) as { value: number[]; grad: { start: number[] } };
      const f = generated.saddleF_vjp!(start, [0.3, -0.2, 0.5, 1]) as { value: number[]; grad: { start: number[] } };
      r.value.forEach((x, i) => expectClose(x, f.value[i]!, "saddle value", 1e-12));
      r.grad.start.forEach((g, i) => expectClose(g, f.grad.start[i]!, "saddle gradient", 1e-10));
    }
    // The point found is near the saddle at the origin.
    const found = source.saddleR!([1, 1]) as number[];
    expect(Math.hypot(...found)).toBeLessThan(0.5);
  });

  it("--mode forward and --mode reverse each compile what they need (f_hvp for the gradient entries either way)", () => {
    for (const mode of ["forward", "reverse"] as const) {
      const result = compile({ fileName: path.join(dir, "outer.ts"), sourceText: OUTER, mode });
      expect(result.diagnostics).toEqual([]);
      expect(typecheckModules([result.code!])).toEqual([]);
      const module = loadModule(result.code!) as Module;
      const args = [[0.3, -0.2, 0.5], 0.7];
      const reference = generated.gradNorm_grad!(...args) as { value: number; grad: { x: number[]; y: number } };
      if (mode === "reverse") {
        const got = module.gradNorm_grad!(...args) as typeof reference;
        got.grad.x.forEach((g, i) => expectClose(g, reference.grad.x[i]!, "reverse only", 1e-14));
      } else {
        const got = module.gradNorm_jvp!(...args, { y: 1 }) as { tangent: number };
        expectClose(got.tangent, reference.grad.y, "forward only", 1e-12);
      }
    }
  });

  it("tsgrad compile of a directory compiles the inner file first, whatever the order of names; --check then agrees", async () => {
    const d = tempDir("nested-dir");
    // (zinner.ts sorts after outer.ts.)
    fs.writeFileSync(path.join(d, "zinner.ts"), INNER);
    fs.writeFileSync(path.join(d, "outer.ts"), OUTER.replace('"./inner.grad.js"', '"./zinner.grad.js"'));
    const r = await runCli(["compile", "."], d);
    expect(r.status, r.stderr).toBe(0);
    expect(fs.readFileSync(path.join(d, "outer.grad.ts"), "utf8")).toBe(outer.code!.replace(/inner\.ts/g, "zinner.ts"));
    const check = await runCli(["compile", ".", "--check"], d);
    expect(check.status, check.stderr).toBe(0);
    fs.rmSync(d, { recursive: true, force: true });
  });

  it("third order: --hvp of a function calling f_jvp against central differences of its gradient; one reading f_grad gets TSG2016", () => {
    const result = compile({ fileName: path.join(dir, "outer.ts"), sourceText: OUTER, hvp: true, functions: ["slope", "lossSlope", "gradEntry"] });
    expect(result.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([
      "TSG2016 Function 'gradEntry' gets no gradEntry_hvp: it reads 'energy_grad(...).grad', a nested derivative (frontend/nested.ts) whose own second derivative (a third one of 'energy') is not supported yet.",
    ]);
    const module = loadModule(result.code!) as Module;
    const h = 1e-5;
    const cases: [string, unknown[], Record<string, unknown>][] = [
      ["slope", [0.4, -0.9], { a: 0.3, b: 0.7 }],
      ["slope", [-1.1, 0.5], { a: 1, b: 0 }],
      ["lossSlope", [[0.3, -0.2], 0.7, [1, -0.5]], { x: [0.2, 0.1], y: -0.4, d: [0.5, 0.3] }],
    ];
    for (const [name, args, v] of cases) {
      const params = Object.keys(v);
      const moved = (sign: number) => args.map((a, i) => (typeof a === "number" ? a + sign * h * (v[params[i]!] as number) : (a as number[]).map((x, j) => x + sign * h * (v[params[i]!] as number[])[j]!)));
      const plus = flatten(Object.values((module[`${name}_grad`]!(...moved(1)) as { grad: Record<string, unknown> }).grad));
      const minus = flatten(Object.values((module[`${name}_grad`]!(...moved(-1)) as { grad: Record<string, unknown> }).grad));
      const got = flatten(Object.values((module[`${name}_hvp`]!(...args, v) as { hvp: Record<string, unknown> }).hvp));
      got.forEach((x, i) => expectClose(x, (plus[i]! - minus[i]!) / (2 * h), `${name} hvp[${i}]`, 1e-5));
    }
  });
});
