/**
 * Checkpointed loops (`// tsgrad: checkpoint`): the gradient equals the one recorded in full
 * (the same source without the directive) to rounding, in functions of every kind the fixture
 * has, and a long loop's tape holds O(sqrt(T)) values instead of O(T). (The gradients are
 * checked against finite differences and forward mode as a fixture: checkpointed-loops.ts.)
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { compile } from "../src/index.js";
import { tape } from "../runtime/index.js";
import { loadModule } from "./fuzz/check.js";
import { checkPoints, fixturesDir } from "./helpers/fixtures.js";
import { clone, slots, type Arg } from "./helpers/gradcheck.js";

const FIXTURE = path.join(fixturesDir, "checkpointed-loops.ts");
const SOURCE = fs.readFileSync(FIXTURE, "utf8");
export const DIRECTIVE_LINE = /^ *(\/\/ tsgrad: checkpoint.*|\/\* tsgrad: checkpoint \*\/)$/gm;
const WITHOUT_DIRECTIVES = SOURCE.replace(DIRECTIVE_LINE, "");

function moduleOf(sourceText: string, tapeBudget?: number): Record<string, (...args: unknown[]) => { value: number; grad: unknown }> {
  const result = compile({ fileName: FIXTURE, sourceText, mode: "reverse", ...(tapeBudget !== undefined ? { tapeBudget } : {}) });
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return loadModule(result.code!) as Record<string, (...args: unknown[]) => { value: number; grad: unknown }>;
}

/** The numbers of a gradient object, in a fixed order. */
function leaves(x: unknown): number[] {
  return slots([x]).map((s) => s.get());
}

/** Bytes the tape reserves while `run` runs, starting from an empty one. */
function tapeBytesDuring(run: () => void): number {
  tape.clear();
  tape.values = new Float64Array(16);
  tape.ints = new Int32Array(16);
  run();
  expect(tape.top).toBe(0);
  return tape.reservedBytes;
}

describe("checkpointed loops", () => {
  it("the directives are there to remove", () => {
    expect(SOURCE.match(DIRECTIVE_LINE)?.length).toBe(5);
    expect(moduleOf(WITHOUT_DIRECTIVES).chain_grad_into!.toString()).not.toMatch(/pushArray/);
  });

  const checkpointed = moduleOf(SOURCE);
  const recorded = moduleOf(WITHOUT_DIRECTIVES);
  // --tape-budget without the directives: 200 bytes switch to checkpoints after an iteration or
  // a few, 2,000 later or never (the check points' loops are short).
  const budgeted = [200, 2000].map((bytes) => ({ bytes, module: moduleOf(WITHOUT_DIRECTIVES, bytes) }));
  const points = checkPoints(SOURCE);
  const expectSame = (a: { value: number; grad: unknown }, b: { value: number; grad: unknown }): void => {
    expect(a.value).toBe(b.value);
    const ga = leaves(a.grad);
    const gb = leaves(b.grad);
    expect(ga.length).toBe(gb.length);
    ga.forEach((g, i) => expect(Math.abs(g - gb[i]!)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(gb[i]!))));
  };
  for (const fn of ["settle", "recurrent", "chain", "twoOrbits", "pathLength"]) {
    it(`${fn}: the same value and gradient as recording every iteration`, () => {
      for (const point of points[fn]!) {
        const b = recorded[`${fn}_grad`]!(...clone(point));
        expectSame(checkpointed[`${fn}_grad`]!(...clone(point)), b);
        for (const { module } of budgeted) expectSame(module[`${fn}_grad`]!(...clone(point)), b);
      }
    });
  }

  it("--tape-budget checkpoints the loops that record, not the others, and switches where the budget runs out", () => {
    const code = compile({ fileName: FIXTURE, sourceText: WITHOUT_DIRECTIVES, mode: "reverse", tapeBudget: 200 }).code!;
    // The time loops of settle, recurrent and chain, and orbit's (in its forward routine).
    expect(code.match(/const tapeLimit = tape\.bytesUsed\(\) \+ 200;/g)?.length).toBe(5);
    // The tape of 40,000 steps stays near the budget plus sqrt(T) states and one stretch.
    const x0 = new Float64Array([0.3, -0.1, 0.2, 0.05, -0.2, 0.1, 0.0, 0.15]);
    const small = moduleOf(WITHOUT_DIRECTIVES, 64 * 1024);
    const bytes = tapeBytesDuring(() => small.chain_grad!(x0, 1.2, 0.01, 40_000));
    const full = tapeBytesDuring(() => recorded.chain_grad!(x0, 1.2, 0.01, 40_000));
    expect(bytes).toBeLessThan(full / 20);
    expectSame(small.chain_grad!(x0, 1.2, 0.01, 40_000), recorded.chain_grad!(x0, 1.2, 0.01, 40_000));
  });

  it("--hvp: the directional derivative's loop is checkpointed too, with the same products", () => {
    const code = (text: string) => compile({ fileName: FIXTURE, sourceText: text, mode: "both", hvp: true, functions: ["chain", "twoOrbits"] }).code!;
    const [codeA, codeB] = [code(SOURCE), code(WITHOUT_DIRECTIVES)];
    // (f_hvp runs the reverse sweep of the directional function, whose loop carries the tangents too.)
    expect(codeA).toMatch(/tape\.pushArray\(x_dot\)/);
    expect(codeB).not.toMatch(/pushArray/);
    type Hvp = (...args: unknown[]) => { hvp: unknown };
    const [a, b] = [codeA, codeB].map((c) => loadModule(c) as Record<string, Hvp>);
    const close = (p: unknown, q: unknown): void => {
      const [x, y] = [leaves(p), leaves(q)];
      expect(x.length).toBe(y.length);
      x.forEach((xi, i) => expect(Math.abs(xi - y[i]!)).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(xi))));
    };
    const x0 = new Float64Array([0.3, -0.1, 0.2, 0.05]);
    const v = { x0: new Float64Array([0.5, 0.1, -0.2, 0.3]), k: 0.7 };
    close(a!.chain_hvp!(x0, 1.2, 0.1, 17, v).hvp, b!.chain_hvp!(x0, 1.2, 0.1, 17, v).hvp);
    const w = { pos: [1, -0.5], gm: 0.3 };
    close(a!.twoOrbits_hvp!([1, 0.2], [0.1, 0.9], 1, 13, w).hvp, b!.twoOrbits_hvp!([1, 0.2], [0.1, 0.9], 1, 13, w).hvp);
  });

  it("an array the loop only appends to is not saved, its length is", () => {
    const code = compile({ fileName: FIXTURE, sourceText: SOURCE, mode: "reverse", functions: ["pathLength"] }).code!;
    expect(code).toMatch(/only its state \(vx, vy, x, y, path_length\)/);
    expect(code).not.toMatch(/pushArray\(path/);
    const x = (steps: number) => tapeBytesDuring(() => checkpointed.pathLength_grad!([3, 4], 0.1, 0.001, steps));
    // A path copied at every checkpoint would take T * sqrt(T) values: 40x the tape for 16x the steps.
    expect(x(160_000)).toBeLessThanOrEqual(8 * x(10_000));
  });

  it("a long loop's tape grows as sqrt(T), not T", () => {
    // 40,000 Verlet steps of 8 masses: recorded in full, about 60 values a step.
    const x0 = new Float64Array([0.3, -0.1, 0.2, 0.05, -0.2, 0.1, 0.0, 0.15]);
    const args = (steps: number): Arg[] => [x0, 1.2, 0.01, steps];
    const full = tapeBytesDuring(() => recorded.chain_grad!(...args(40_000)));
    const saved = tapeBytesDuring(() => checkpointed.chain_grad!(...args(40_000)));
    // 200 checkpoints of 16 values plus one stretch of 200 steps, against 40,000 steps.
    expect(full).toBeGreaterThan(8 * 40_000 * 8 * 4);
    expect(saved).toBeLessThan(full / 50);
    // Four times the steps: the checkpointed tape about doubles (sqrt), the full one quadruples.
    const saved4 = tapeBytesDuring(() => checkpointed.chain_grad!(...args(160_000)));
    expect(saved4).toBeLessThanOrEqual(4 * saved);
    const a = checkpointed.chain_grad!(...args(5000));
    const b = recorded.chain_grad!(...args(5000));
    expect(leaves(a.grad)).toEqual(leaves(b.grad));
  });
});

describe("--tape-budget's sizes", () => {
  it("reads megabytes by default and the units B, KB, MB, GB (powers of 1024); rejects the rest", async () => {
    const { parseSize } = await import("../src/cli/main.js");
    expect(parseSize("64")).toBe(64 * 2 ** 20);
    expect(parseSize("64MB")).toBe(64 * 2 ** 20);
    expect(parseSize("1.5gb")).toBe(1.5 * 2 ** 30);
    expect(parseSize("512 KB")).toBe(512 * 1024);
    expect(parseSize("200B")).toBe(200);
    for (const bad of ["", "lots", "-5MB", "1TB", "0"]) expect(() => parseSize(bad), bad).toThrow(/size|at least/);
  });
});
