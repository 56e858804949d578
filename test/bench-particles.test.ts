/**
 * The object-style benchmark row (bench/particles): the hand-written gradient of `simulate`
 * against central finite differences on a small instance with unequal masses, the object
 * objective against its flat-array form (`simulateFlat`) and bench/spring's flat one on the same
 * numbers, and objective.ts compiled with the flags bench.mjs uses: both generated gradients
 * (`simulate_grad`, `simulateFlat_grad`) agree with the hand-written one.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { makeParticles, toFlatParticles } from "../bench/particles/data.js";
import { flattenParticles, simulate_grad_hand, type ParticlesGrad } from "../bench/particles/hand.js";
import { simulate, simulateFlat } from "../bench/particles/objective.js";
import { compile } from "../src/index.js";
import { repoRoot } from "./helpers/fixtures.js";
import { spring_grad_hand } from "../bench/spring/hand.js";
import { spring_loss } from "../bench/spring/objective.js";
import { centralDifferences, maxRelDiff, relDiff } from "../bench/common/util.js";

describe("bench/particles", () => {
  it("the object objective computes bench/spring's loss on the same numbers", () => {
    const { flat: f, obj: o } = makeParticles(2, 20);
    const a = simulate(o.initial, o.springs, o.target, o.k, o.damping, o.dt, o.steps);
    const b = spring_loss(f.x0, f.v0, f.springs, f.rest, f.target, f.stiffness, f.damping, f.mass, f.dt, f.steps);
    expect(relDiff(a, b)).toBeLessThan(1e-12);
    // and the gradients agree on the velocities (the flat hand-written gradient's inputs)
    const ga = simulate_grad_hand(o.initial, o.springs, o.target, o.k, o.damping, o.dt, o.steps);
    const gb = spring_grad_hand(f.x0, f.v0, f.springs, f.rest, f.target, f.stiffness, f.damping, f.mass, f.dt, f.steps);
    const vel = ga.grad.initial.flatMap((p) => [p.vel.x, p.vel.y]);
    expect(maxRelDiff(vel, gb.grad.v0)).toBeLessThan(1e-12);
  });

  it("the hand-written gradient matches central finite differences (positions, velocities, masses)", () => {
    const { obj: o } = makeParticles(2, 20);
    // unequal masses, so that a slip between m and 1/m cannot hide behind m = 1
    o.initial.forEach((p, i) => (p.mass = 0.6 + 0.3 * i));
    const g = simulate_grad_hand(o.initial, o.springs, o.target, o.k, o.damping, o.dt, o.steps);
    const x = flattenParticles(o.initial);
    const f = () => {
      const ps = o.initial.map((_, i) => ({ pos: { x: x[5 * i]!, y: x[5 * i + 1]! }, vel: { x: x[5 * i + 2]!, y: x[5 * i + 3]! }, mass: x[5 * i + 4]! }));
      return simulate(ps, o.springs, o.target, o.k, o.damping, o.dt, o.steps);
    };
    const fd = new Float64Array(x.length);
    centralDifferences(f, x, fd);
    expect(g.value).toBe(f());
    const hand = flattenParticles(g.grad.initial);
    expect(hand.every((v) => v !== 0)).toBe(true);
    expect(maxRelDiff(hand, fd)).toBeLessThan(1e-6);
  });

  it("the flat-array form computes the same loss, also with unequal masses", () => {
    const { obj: o, arrays: a } = makeParticles(2, 20);
    const flat = (x: typeof a) => simulateFlat(x.x0, x.v0, x.masses, x.springs, x.rest, x.target, x.k, x.damping, x.dt, x.steps);
    expect(flat(a)).toBe(simulate(o.initial, o.springs, o.target, o.k, o.damping, o.dt, o.steps));
    o.initial.forEach((p, i) => (p.mass = 0.6 + 0.3 * i));
    expect(flat(toFlatParticles(o))).toBe(simulate(o.initial, o.springs, o.target, o.k, o.damping, o.dt, o.steps));
  });

  it("objective.ts compiles as bench.mjs compiles it, and both generated gradients agree with the hand-written one", async () => {
    const fileName = path.join(repoRoot, "bench/particles/objective.ts");
    const r = compile({ fileName, mode: "reverse", functions: ["simulate", "simulateFlat"], wrt: ["initial", "x0", "v0", "masses"] });
    expect(r.diagnostics.filter((x) => x.severity === "error")).toEqual([]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tsgrad-bench-particles-"));
    try {
      const file = path.join(dir, "objective.grad.ts");
      fs.writeFileSync(file, r.code!);
      type FlatGrad = { value: number; grad: { x0: Float64Array; v0: Float64Array; masses: Float64Array } };
      const gen = (await import(file)) as {
        simulate_grad: (...args: Parameters<typeof simulate>) => ParticlesGrad;
        simulateFlat_grad: (...args: Parameters<typeof simulateFlat>) => FlatGrad;
      };
      const { obj: o } = makeParticles(2, 20);
      o.initial.forEach((p, i) => (p.mass = 0.6 + 0.3 * i));
      const a = toFlatParticles(o);
      const hand = simulate_grad_hand(o.initial, o.springs, o.target, o.k, o.damping, o.dt, o.steps);
      const handFlat = flattenParticles(hand.grad.initial);
      const g = gen.simulate_grad(o.initial, o.springs, o.target, o.k, o.damping, o.dt, o.steps);
      expect(relDiff(g.value, hand.value)).toBeLessThan(1e-14);
      expect(maxRelDiff(flattenParticles(g.grad.initial), handFlat)).toBeLessThan(1e-12);
      const gf = gen.simulateFlat_grad(a.x0, a.v0, a.masses, a.springs, a.rest, a.target, a.k, a.damping, a.dt, a.steps);
      expect(relDiff(gf.value, hand.value)).toBeLessThan(1e-14);
      // [x0, v0, masses] into the canonical order [pos.x, pos.y, vel.x, vel.y, mass] per particle
      const n = o.initial.length;
      const canon = new Float64Array(5 * n);
      for (let i = 0; i < n; i++) {
        canon.set([gf.grad.x0[2 * i]!, gf.grad.x0[2 * i + 1]!, gf.grad.v0[2 * i]!, gf.grad.v0[2 * i + 1]!, gf.grad.masses[i]!], 5 * i);
      }
      expect(maxRelDiff(canon, handFlat)).toBeLessThan(1e-12);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
