/**
 * The adjoint of a returned local array read in place of a copy of the caller's cotangent
 * (src/ad/reverse/seeded-adjoints.ts): only where the reverse code never changes it, and never
 * writing into the caller's cotangent. Gradients themselves are checked with every fixture's
 * (test/gradients.test.ts); here, which functions alias and that the cotangent is left alone.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { fixturesDir } from "./helpers/fixtures.js";

const generatedFile = path.join(fixturesDir, "returned-arrays.grad.ts");

/** The text of one generated function. */
function functionText(text: string, name: string): string {
  const start = text.indexOf(`export function ${name}(`);
  expect(start, name).toBeGreaterThanOrEqual(0);
  const end = text.indexOf("\n}\n", start);
  return text.slice(start, end);
}

describe("the adjoint of a returned array, seeded by the cotangent", () => {
  const text = fs.readFileSync(generatedFile, "utf8");

  it("is the cotangent itself where the reverse code only reads it", () => {
    const body = functionText(text, "reprojection_vjp_into");
    expect(body).toContain("const dresidual = cotangent;");
    expect(body.match(/new Float64Array/g), "the result's own allocation only").toHaveLength(1);
  });

  it("is a copy where the reverse code zeroes or rescales its elements", () => {
    expect(functionText(text, "rotateThenScale_vjp_into")).toContain("const dout = new Float64Array(out.length);");
    expect(functionText(text, "softmax_vjp_into")).toContain("const dprobabilities = new Float64Array(probabilities.length);");
  });

  it("leaves the caller's cotangent unchanged, and gives the same products on a second call", async () => {
    const m = (await import(/* @vite-ignore */ generatedFile)) as Record<string, (...args: unknown[]) => { grad: Record<string, Float64Array | number> }>;
    const cases: [string, unknown[], number][] = [
      ["reprojection_vjp", [Float64Array.of(1, 2, 4), 500, Float64Array.of(120, 240)], 2],
      ["rotateThenScale_vjp", [Float64Array.of(1, 2), 0.3, 1.5], 2],
      ["softmax_vjp", [Float64Array.of(0.5, -1, 0.25, 2)], 4],
    ];
    for (const [name, args, n] of cases) {
      const cotangent = Float64Array.from({ length: n }, (_, i) => 0.5 + i);
      const first = m[name]!(...args, cotangent).grad;
      expect(Array.from(cotangent), name).toEqual(Array.from({ length: n }, (_, i) => 0.5 + i));
      const second = m[name]!(...args, cotangent).grad;
      expect(second, name).toEqual(first);
    }
  });
});
