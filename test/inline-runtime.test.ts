/**
 * `--runtime inline` (issue 14): the module carries the runtime code it uses and imports
 * nothing; its derivatives are those of the importing module, bit for bit; names the module
 * already uses (a user's `sum`, a structure `Vec`) do not clash with the copies.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "../src/index.js";
import { loadModule } from "./fuzz/check.js";
import { typecheckModules } from "./fuzz/typecheck.js";
import { checkPoints, fixturesDir } from "./helpers/fixtures.js";
import { clone, slots } from "./helpers/gradcheck.js";

type Grad = (...args: unknown[]) => { value: unknown; grad: unknown };
const numbers = (x: unknown): number[] => slots([x]).map((s) => s.get());

/** A model whose own names collide with the runtime's: a function `sum`, a structure `Vec`. */
const CLASHING = `import { dot, norm2, softmax } from "tsgrad/runtime";

export interface Vec {
  x: number;
  y: number;
}

function sum(a: number, b: number): number {
  return a + b;
}

export function score(w: number[], v: Vec, xs: number[]): number {
  const p = softmax(xs);
  let s = 0;
  for (let i = 0; i < w.length; i++) s = sum(s, w[i] * p[i]);
  return s * dot(w, xs) + norm2(w) * v.x - v.y;
}
`;

describe("--runtime inline", () => {
  for (const name of ["kernels.ts", "checkpointed-loops.ts", "calls.ts"]) {
    it(`${name}: imports nothing, type-checks, and gives the importing module's derivatives`, () => {
      const file = path.join(fixturesDir, name);
      const text = fs.readFileSync(file, "utf8");
      const imported = compile({ fileName: file, sourceText: text, mode: "reverse" });
      const inline = compile({ fileName: file, sourceText: text, mode: "reverse", runtime: "inline" });
      expect(imported.code).toMatch(/from "tsgrad\/runtime"/);
      expect(inline.code).not.toMatch(/^import /m);
      expect(typecheckModules([inline.code!])).toEqual([]);
      const [a, b] = [imported, inline].map((r) => loadModule(r.code!) as Record<string, Grad>);
      const points = checkPoints(text);
      for (const fn of inline.functions) {
        for (const point of points[fn] ?? []) {
          const ra = a![`${fn}_grad`]!(...clone(point));
          const rb = b![`${fn}_grad`]!(...clone(point));
          expect(numbers(rb.value)).toEqual(numbers(ra.value));
          expect(numbers(rb.grad)).toEqual(numbers(ra.grad));
        }
      }
    });
  }

  it("copies only what the module uses, renamed where the module's names would clash", () => {
    const file = path.join(fixturesDir, "inline-clash.ts");
    const result = compile({ fileName: file, sourceText: CLASHING, mode: "reverse", runtime: "inline" });
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const code = result.code!;
    expect(code).toMatch(/^function softmax_vjp\(/m);
    expect(code).toMatch(/^type rt_Vec = ArrayLike<number>;/m);
    expect(code).not.toMatch(/function matmul|function logsumexp/);
    expect(typecheckModules([code])).toEqual([]);
    const m = loadModule(code) as Record<string, Grad>;
    const w = [0.5, -0.25, 1.5];
    const xs = [0.1, 0.7, -0.4];
    const r = m.score_grad!(w, { x: 2, y: -1 }, xs);
    const f = (ws: number[]): number => {
      const e = xs.map(Math.exp);
      const z = e.reduce((p, q) => p + q, 0);
      const s = ws.reduce((acc, wi, i) => acc + (wi * e[i]!) / z, 0);
      return s * ws.reduce((acc, wi, i) => acc + wi * xs[i]!, 0) + Math.hypot(...ws) * 2 + 1;
    };
    expect(r.value).toBeCloseTo(f(w), 12);
    const h = 1e-6;
    const dw = (r.grad as { w: number[] }).w;
    w.forEach((_, i) => {
      const plus = w.map((x, j) => (j === i ? x + h : x));
      const minus = w.map((x, j) => (j === i ? x - h : x));
      expect(dw[i]).toBeCloseTo((f(plus) - f(minus)) / (2 * h), 6);
    });
  });
});
