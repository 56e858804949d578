/**
 * The object-style benchmark row (bench/particles): the hand-written gradient of `simulate`
 * against central finite differences on a small instance with unequal masses, and the object
 * objective against bench/spring's flat one on the same numbers.
 */
import { describe, expect, it } from "vitest";
import { makeParticles } from "../bench/particles/data.js";
import { flattenParticles, simulate_grad_hand } from "../bench/particles/hand.js";
import { simulate } from "../bench/particles/objective.js";
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
});
