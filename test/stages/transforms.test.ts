/**
 * Stage tests of the two transforms: a program of a few lines in, the generated entry point
 * out, as a reviewer reads it. The expected code was derived by hand (the chain rule on each
 * line, read backwards for reverse mode), then compared with the output; test/gradients.test.ts
 * checks the numbers of every fixture, these check the shape of the code.
 */
import { describe, expect, it } from "vitest";
import { compile } from "../../src/index.js";

/** The text of one generated function of the module compiled from `source`. */
function generated(source: string, name: string): string {
  const result = compile({ fileName: "stage.ts", sourceText: source });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const code = result.code!;
  const start = code.indexOf(`export function ${name}(`);
  expect(start).toBeGreaterThanOrEqual(0);
  return code.slice(start, code.indexOf("\n}\n", start) + 2);
}

const STRAIGHT = `export function f(x: number, y: number): number {
  const a = x * y;
  const b = Math.sin(a);
  return b * b + y;
}
`;

const LOOP = `export function power(x: number, n: number): number {
  let p = 1;
  for (let i = 0; i < n; i++) p *= x;
  return p;
}
`;

describe("reverse mode", () => {
  it("straight-line code: the forward sweep is the source, each line's adjoint under its source line", () => {
    expect(generated(STRAIGHT, "f_grad_into")).toBe(`export function f_grad_into(x: number, y: number, grad: { x: number; y: number }): number {
  // Forward sweep.
  const a = x * y;
  const b = Math.sin(a);
  const value = b * b + y;
  // Reverse sweep.
  // stage.ts:4  return b * b + y;
  const db = 2 * b;
  let dy = 1;
  // stage.ts:3  const b = Math.sin(a);
  const da = db * Math.cos(a);
  // stage.ts:2  const a = x * y;
  const dx = da * y;
  dy += da * x;
  grad.x += dx;
  grad.y += dy;
  return value;
}`);
  });

  it("a loop: the overwritten value is recorded, the reverse loop runs from the bound and scales in place", () => {
    expect(generated(LOOP, "power_grad_into")).toBe(`export function power_grad_into(x: number, n: number, grad: { x: number; n: number }): number {
  // Forward sweep.
  let p = 1;
  for (let i = 0; i < n; i++) {
    tape.push(p);
    p *= x;
  }
  const value = p;
  // Reverse sweep.
  let dx = 0;
  // stage.ts:4  return p;
  let dp = 1;
  // stage.ts:3  for (let i = 0; i < n; i++) p *= x;
  for (let i = Math.ceil(n) - 1; i >= 0; i--) {
    p = tape.pop();
    dx += dp * p;
    dp *= x;
  }
  grad.x += dx;
  return value;
}`);
  });
});

describe("forward mode", () => {
  it("straight-line code: each tangent beside its primal statement", () => {
    expect(generated(STRAIGHT, "f_jvp")).toBe(`export function f_jvp(x: number, y: number, tangents: { x?: number; y?: number }): { value: number; tangent: number } {
  const dx = tangents.x ?? 0;
  const dy = tangents.y ?? 0;
  const a = x * y;
  const da = y * dx + x * dy;
  const b = Math.sin(a);
  const db = Math.cos(a) * da;
  return { value: b * b + y, tangent: 2 * (b * db) + dy };
}`);
  });

  it("a loop: the tangent is updated before the value it reads is overwritten", () => {
    expect(generated(LOOP, "power_jvp")).toBe(`export function power_jvp(x: number, n: number, tangents: { x?: number; n?: number }): { value: number; tangent: number } {
  const dx = tangents.x ?? 0;
  let p = 1;
  let dp = 0;
  for (let i = 0; i < n; i++) {
    dp = x * dp + p * dx;
    p *= x;
  }
  return { value: p, tangent: dp };
}`);
  });
});
