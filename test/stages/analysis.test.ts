/**
 * Stage tests: a few lines of source in, one stage's view out (`compile({ dump })`, the same
 * text as `tsgrad compile --dump`). Each expectation was worked out by hand from the stage's
 * definition, not copied from the output.
 */
import { describe, expect, it } from "vitest";
import type { DumpStage } from "../../src/api-types.js";
import { compile } from "../../src/index.js";

function dump(source: string, stage: DumpStage, wrt?: string[]): string {
  const result = compile({ fileName: "stage.ts", sourceText: source, dump: [stage], ...(wrt ? { wrt } : {}) });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  // Drop the section header.
  return result.dump!.replace(/^\/\/ ---- \w+\n\n/, "").trimEnd();
}

describe("lowering (--dump ir)", () => {
  it("lifts a call out of an expression into a temporary of its own statement", () => {
    const source = `
function sq(u: number): number { let s = u; s *= u; return s; }
export function f(x: number): number { return 1 + sq(x) * 2; }`;
    const text = dump(source, "ir");
    expect(text).toContain("function sq(u: number): number {");
    // The call is evaluated first, then the expression reads its result.
    expect(text).toMatch(/const (\w+) = sq\(x\);\n\s*return 1 \+ \1 \* 2;/);
  });

  it("inlines a helper that returns one short expression", () => {
    const source = `
function sigmoid(z: number): number { return 1 / (1 + Math.exp(-z)); }
export function f(x: number, w: number): number { return sigmoid(w * x); }`;
    // The call's result keeps its temporary; the call itself is gone from f.
    const f = dump(source, "ir").split("\n\n")[0]!;
    expect(f).toMatch(/const \w+ = 1 \/ \(1 \+ Math\.exp\(-\(w \* x\)\)\);/);
    expect(f).not.toMatch(/sigmoid\w*\(/);
  });
  it("lowers for...of to a counted loop that the reverse sweep runs backwards without a trip count", () => {
    const source = `
export function f(xs: number[], m: number[][]): number {
  let s = 0;
  for (const x of xs) s += x * x;
  for (const [i, row] of m.entries()) s += row[0] * i;
  return s;
}`;
    const text = dump(source, "ir");
    // The unnamed index takes the first of i, j, k, ... that the function does not use.
    expect(text).toContain("for (let j = 0; j < xs.length; j++) {\n    const x = xs[j]!;\n    s += x * x;\n  }");
    // The row is an alias of m[i], not a copy.
    expect(text).toContain("for (let i = 0; i < m.length; i++) {\n    s += m[i]![0]! * i;\n  }");
    const result = compile({ fileName: "stage.ts", sourceText: source });
    expect(result.code).toMatch(/for \(let j = xs\.length - 1; j >= 0; j--\)/);
    expect(result.code).toMatch(/for \(let i = m\.length - 1; i >= 0; i--\)/);
    expect(result.code).not.toContain("tape.push");
  });
});

describe("activity (--dump activity)", () => {
  it("is varied and useful: a value computed from inputs that does not reach the result is inactive", () => {
    const source = `
export function f(x: number, y: number, n: number): number {
  const unused = x * 3;
  const scale = n * 2;
  let acc = 0;
  for (let i = 0; i < n; i++) acc += x * scale;
  return acc + y;
}`;
    // unused: varied, not useful. scale: useful, not varied (n is not an independent with --wrt).
    expect(dump(source, "activity", ["x", "y"])).toBe("f\n  active: x, y, acc\n  inactive: n, unused, scale, i");
  });

  it("does not flow through conditions, indices or piecewise-constant functions", () => {
    const source = `
export function f(x: number, a: number[]): number {
  const k = Math.floor(x);
  const t = x > 0 ? 1 : 2;
  return a[k] * t + x;
}`;
    expect(dump(source, "activity")).toBe("f\n  active: x, a\n  inactive: k, t");
  });
});

describe("to-be-recorded (--dump tbr)", () => {
  it("records a value overwritten while the reverse sweep still needs it, and nothing else", () => {
    const source = `
export function f(x: number, n: number): number {
  let p = 1;
  let q = 0;
  for (let i = 0; i < n; i++) {
    p *= x;
    q = x + 1;
  }
  return p + q;
}`;
    const text = dump(source, "tbr");
    // d(p * x) reads the old p: recorded. q = x + 1 reads no overwritten value: nothing.
    expect(text).toContain("// TBR: records the old value of p\n    p *= x;");
    expect(text).not.toContain("records the old value of q");
    expect(text.match(/TBR:/g)?.length).toBe(1);
  });

  it("undoes an integer index step instead of recording it", () => {
    const source = `
export function f(x: number[], idx: number[], n: number): number {
  let s = 0;
  let li = 0;
  for (let k = 0; k < n; k++) {
    s += x[idx[li]] * x[idx[li]];
    li++;
  }
  return s;
}`;
    const text = dump(source, "tbr");
    expect(text).toContain("// TBR: the reverse sweep undoes this step\n    li++;");
    expect(text).not.toContain("records the old value of li");
  });
});
