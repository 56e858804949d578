/**
 * The functional-vs-loop benchmark row (bench/functional, issue 12): the two forms of the loss
 * return the same number, the hand-written gradient matches central finite differences, and
 * objective.ts compiles with the flags bench.mjs uses, both generated gradients agreeing with
 * the hand-written one (on a small instance).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { centralDifferences, maxRelDiff, relDiff } from "../bench/common/util.js";
import { makeFunctional } from "../bench/functional/data.js";
import { flattenFunctional, mlp_grad_hand, type FunctionalGrad } from "../bench/functional/hand.js";
import { mlpLossFunctional, mlpLossLoop } from "../bench/functional/objective.js";
import { compile } from "../src/index.js";
import { repoRoot } from "./helpers/fixtures.js";

type Args = Parameters<typeof mlpLossLoop>;
const small = () => makeFunctional(3, 4, 6, 5);
const argsOf = (d: ReturnType<typeof small>): Args => [d.W1, d.b1, d.w2, d.b2, d.xs, d.ys, d.lambda];

describe("bench/functional", () => {
  it("the map/reduce form and the loop form return the same number", () => {
    const d = small();
    expect(d.ys).toContain(0);
    expect(d.ys).toContain(1);
    expect(mlpLossFunctional(...argsOf(d))).toBe(mlpLossLoop(...argsOf(d)));
    const big = makeFunctional();
    expect(mlpLossFunctional(...argsOf(big))).toBe(mlpLossLoop(...argsOf(big)));
  });

  it("the hand-written gradient matches central finite differences", () => {
    const d = small();
    d.lambda = 0.3; // large enough that a slip in the L2 term shows
    const g = mlp_grad_hand(...argsOf(d));
    expect(g.value).toBe(mlpLossLoop(...argsOf(d)));
    const { nin, nhid } = d;
    const x = flattenFunctional(d);
    const f = () => {
      const o = nhid * nin;
      const W = Array.from({ length: nhid }, (_, j) => Array.from(x.subarray(j * nin, (j + 1) * nin)));
      return mlpLossLoop(W, Array.from(x.subarray(o, o + nhid)), Array.from(x.subarray(o + nhid, o + 2 * nhid)), x[o + 2 * nhid]!, d.xs, d.ys, d.lambda);
    };
    const fd = new Float64Array(x.length);
    centralDifferences(f, x, fd);
    const hand = flattenFunctional(g.grad);
    expect(hand.every((v) => v !== 0)).toBe(true);
    expect(maxRelDiff(hand, fd)).toBeLessThan(1e-6);
  });

  it("objective.ts compiles as bench.mjs compiles it, and both generated gradients agree with the hand-written one", async () => {
    const fileName = path.join(repoRoot, "bench/functional/objective.ts");
    const r = compile({ fileName, mode: "reverse", functions: ["mlpLossFunctional", "mlpLossLoop"], wrt: ["W1", "b1", "w2", "b2"] });
    expect(r.diagnostics.filter((x) => x.severity === "error")).toEqual([]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsgrad-bench-functional-"));
    try {
      const file = path.join(dir, "objective.grad.ts");
      fs.writeFileSync(file, r.code!);
      const gen = (await import(file)) as Record<string, (...a: Args) => FunctionalGrad>;
      const d = small();
      d.lambda = 0.3;
      const hand = mlp_grad_hand(...argsOf(d));
      for (const name of ["mlpLossFunctional_grad", "mlpLossLoop_grad"]) {
        const g = gen[name]!(...argsOf(d));
        expect(relDiff(g.value, hand.value), name).toBeLessThan(1e-14);
        expect(maxRelDiff(flattenFunctional(g.grad), flattenFunctional(hand.grad)), name).toBeLessThan(1e-12);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
