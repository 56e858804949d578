/**
 * The conventions at non-differentiable points (README, "Conventions at non-differentiable
 * points"), pinned exactly through compiled code: each case compiles a one-line function with
 * compile(), loads the generated module and compares f_grad and f_jvp (one unit direction per
 * parameter, the other tangents left out) with the documented values. 0 and -0 count as equal;
 * NaN must be NaN.
 */
import { transformSync } from "esbuild";
import { describe, expect, it } from "vitest";
import * as runtime from "../runtime/index.js";
import { compile, createCompileCache } from "../src/index.js";

const cache = createCompileCache();

type Fn = (...args: any[]) => any;

/** Compiles `export function f(params): number { return body; }` and loads f_grad and f_jvp. */
function load(params: string[], body: string, options: { prelude?: string; wrt?: string[] } = {}): { grad: Fn; jvp: Fn } {
  const sourceText = `${options.prelude ?? ""}export function f(${params.map((p) => `${p}: number`).join(", ")}): number {\n  return ${body};\n}\n`;
  const result = compile({ fileName: "/virtual/conventions.ts", sourceText, cache, ...(options.wrt ? { wrt: options.wrt } : {}) });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const js = transformSync(result.code!, { loader: "ts", format: "cjs", target: "es2022" }).code;
  const module = { exports: {} as Record<string, Fn> };
  const require = (id: string): unknown => {
    if (id === "tsgrad/runtime") return runtime;
    throw new Error(`unexpected import '${id}'`);
  };
  new Function("require", "module", "exports", js)(require, module, module.exports);
  return { grad: module.exports.f_grad!, jvp: module.exports.f_jvp! };
}

/** -0 reads as 0, so that a convention of 0 does not depend on the sign of a zero. */
const plain = (xs: number[]): number[] => xs.map((x) => (x === 0 ? 0 : x));

/**
 * The gradient of `body` at `at` (reverse mode) and its directional derivatives along each
 * parameter's unit direction (forward mode), in parameter order.
 */
function derivatives(params: string[], body: string, at: number[], options: { prelude?: string; wrt?: string[] } = {}): { grad: number[]; jvp: number[] } {
  const { grad, jvp } = load(params, body, options);
  const wrt = options.wrt ?? params;
  const g = grad(...at).grad as Record<string, number>;
  return {
    grad: plain(wrt.map((p) => g[p]!)),
    jvp: plain(wrt.map((p) => jvp(...at, { [p]: 1 }).tangent as number)),
  };
}

/** Both modes give `expected` (one value per differentiated parameter). */
function expectBoth(params: string[], body: string, at: number[], expected: number[], options: { prelude?: string; wrt?: string[] } = {}): void {
  const d = derivatives(params, body, at, options);
  expect(d.grad, `gradient of ${body} at (${at.join(", ")})`).toEqual(plain(expected));
  expect(d.jvp, `directional derivatives of ${body} at (${at.join(", ")})`).toEqual(plain(expected));
}

describe("conventions at non-differentiable points", () => {
  it("abs'(0) = 0", () => {
    expectBoth(["x"], "Math.abs(x)", [0], [0]);
    expectBoth(["x"], "Math.abs(x)", [-0], [0]);
    // Away from 0 it is the sign.
    expectBoth(["x"], "Math.abs(x)", [-2], [-1]);
  });

  it("sqrt'(0) and cbrt'(0) are Infinity, as IEEE arithmetic gives; so are asin'(1), acosh'(1), atanh'(1), log'(0)", () => {
    expectBoth(["x"], "Math.sqrt(x)", [0], [Infinity]);
    expectBoth(["x"], "Math.cbrt(x)", [0], [Infinity]);
    expectBoth(["x"], "Math.asin(x)", [1], [Infinity]);
    expectBoth(["x"], "Math.acosh(x)", [1], [Infinity]);
    expectBoth(["x"], "Math.atanh(x)", [1], [Infinity]);
    expectBoth(["x"], "Math.log(x)", [0], [Infinity]);
  });

  it("hypot at the origin has gradient 0", () => {
    expectBoth(["x", "y"], "Math.hypot(x, y)", [0, 0], [0, 0]);
    expectBoth(["x", "y", "z"], "Math.hypot(x, y, z)", [0, 0, 0], [0, 0, 0]);
    expectBoth(["x"], "Math.hypot(x)", [0], [0]);
  });

  it("a power with a constant exponent has d/dx = n x^(n-1), also for a negative base", () => {
    expectBoth(["x"], "x ** 3", [-2], [12]);
    expectBoth(["x"], "Math.pow(x, 3)", [-2], [12]);
    expectBoth(["x"], "x ** N", [-2], [12], { prelude: "const N = 3;\n" });
  });

  it("a power with a differentiated exponent and a negative base: d/dx = 12, d/dy = x^y log x = NaN", () => {
    const d = derivatives(["x", "y"], "x ** y", [-2, 3]);
    expect(d.grad).toEqual([12, NaN]);
    // Forward mode: the NaN partial times the exponent's tangent, even a zero one, is NaN.
    expect(d.jvp).toEqual([NaN, NaN]);
    // Math.pow is the same primitive.
    expect(derivatives(["x", "y"], "Math.pow(x, y)", [-2, 3])).toEqual(d);
    // Not differentiating the exponent (wrt) leaves d/dx alone, in both modes.
    expectBoth(["x", "y"], "x ** y", [-2, 3], [12], { wrt: ["x"] });
  });

  it("a power with a differentiated exponent and a base of 0: d/dy = 0 * log 0 = NaN", () => {
    expect(derivatives(["x", "y"], "x ** y", [0, 3]).grad).toEqual([0, NaN]);
  });

  it("ties of max and min split the derivative evenly, constants included", () => {
    expectBoth(["x", "y"], "Math.max(x, y)", [1, 1], [0.5, 0.5]);
    expectBoth(["x", "y"], "Math.min(x, y)", [1, 1], [0.5, 0.5]);
    expectBoth(["x", "y", "z"], "Math.min(x, y, z)", [2, 2, 2], [1 / 3, 1 / 3, 1 / 3]);
    expectBoth(["x", "y", "z"], "Math.max(x, y, z)", [2, 2, -5], [0.5, 0.5, 0]);
    expectBoth(["x"], "Math.max(x, 0)", [0], [0.5]);
    // No tie: all of it to the extreme argument.
    expectBoth(["x", "y"], "Math.max(x, y)", [1, 3], [0, 1]);
  });

  it("piecewise-constant functions have derivative 0, at their jumps too", () => {
    expectBoth(["x"], "Math.floor(x)", [2], [0]);
    expectBoth(["x"], "Math.sign(x)", [0], [0]);
    // Only the factor x is differentiated: d/dx x * floor(x) = floor(x), also at a jump.
    expectBoth(["x"], "x * Math.floor(x)", [2], [2]);
    expectBoth(["x"], "x * Math.sign(x)", [0], [0]);
    expectBoth(["x"], "x * (Math.ceil(x) + Math.round(x) + Math.trunc(x))", [2.5], [3 + 3 + 2]);
    expectBoth(["x", "y"], "x * Math.clz32(y) + y * Math.imul(x, 3)", [2, 1], [31, 6]);
  });

  it("fround (rounding to float32) has derivative 1", () => {
    expectBoth(["x"], "Math.fround(x)", [0.1], [1]);
    expectBoth(["x"], "Math.fround(x * x)", [3], [6]);
  });
});
