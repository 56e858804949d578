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
const DIRECTIVE_LINE = /^ *(\/\/ tsgrad: checkpoint.*|\/\* tsgrad: checkpoint \*\/)$/gm;
const WITHOUT_DIRECTIVES = SOURCE.replace(DIRECTIVE_LINE, "");

function moduleOf(sourceText: string): Record<string, (...args: unknown[]) => { value: number; grad: unknown }> {
  const result = compile({ fileName: FIXTURE, sourceText, mode: "reverse" });
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
    expect(SOURCE.match(DIRECTIVE_LINE)?.length).toBe(4);
    expect(moduleOf(WITHOUT_DIRECTIVES).chain_grad_into!.toString()).not.toMatch(/pushArray/);
  });

  const checkpointed = moduleOf(SOURCE);
  const recorded = moduleOf(WITHOUT_DIRECTIVES);
  const points = checkPoints(SOURCE);
  for (const fn of ["settle", "recurrent", "chain", "twoOrbits"]) {
    it(`${fn}: the same value and gradient as recording every iteration`, () => {
      for (const point of points[fn]!) {
        const a = checkpointed[`${fn}_grad`]!(...clone(point));
        const b = recorded[`${fn}_grad`]!(...clone(point));
        expect(a.value).toBe(b.value);
        const ga = leaves(a.grad);
        const gb = leaves(b.grad);
        expect(ga.length).toBe(gb.length);
        ga.forEach((g, i) => expect(Math.abs(g - gb[i]!)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(gb[i]!))));
      }
    });
  }

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
